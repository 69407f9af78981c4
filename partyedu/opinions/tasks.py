"""The daily reminder about 意见建议 waiting for a reply, run by the task worker (enqueued by core/schedule.py;
inline under tests): the assignee and the workers of the assigned organisation hear of what is due within three
days or overdue, once a day."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from partyedu.notifications.services import Alert, notify_many

from .models import Opinion, OpinionStatus

# Opinions due within this many days (today included) are announced ahead; overdue ones every day until replied.
AHEAD_DAYS = 3
# At most this many opinions are listed in one alert; the rest are counted.
LISTED = 10


def reminders(today: datetime.date) -> list[Alert]:
    """One alert per person a day, listing the unreplied opinions he is to answer that are overdue or due within
    three days: the assigned member (if he has an account) and the workers holding a role on the assigned
    organisation (the receiving one while nobody was assigned). Three queries however many opinions."""
    from partyedu.accounts.access import WORKER_ROLES
    from partyedu.accounts.models import RoleAssignment, User

    rows = list(
        Opinion.objects.filter(
            replied_at__isnull=True,
            due_on__isnull=False,
            due_on__lte=today + datetime.timedelta(days=AHEAD_DAYS),
        )
        .exclude(status__in=[OpinionStatus.REPLIED, OpinionStatus.CLOSED])
        .order_by("due_on", "pk")
        .values_list("pk", "content", "due_on", "organization_id", "assignee_org_id", "assignee_member_id")
    )
    if not rows:
        return []
    member_ids = {row[5] for row in rows if row[5]}
    org_ids = {row[4] or row[3] for row in rows}
    users_of_member = dict(
        User.objects.filter(member_id__in=member_ids, is_active=True).values_list("member_id", "pk")
    )
    workers = defaultdict(set)
    for user_id, org_id in RoleAssignment.objects.filter(
        role__in=list(WORKER_ROLES),
        revoked_at__isnull=True,
        organization_id__in=list(org_ids),
        user__is_active=True,
    ).values_list("user_id", "organization_id"):
        workers[org_id].add(user_id)

    # Per person, his opinions in order (overdue first, by due date); one person may be assignee and worker.
    by_user: dict[int, dict[int, tuple]] = defaultdict(dict)
    for row in rows:
        pk, _content, _due_on, org_id, assignee_org_id, assignee_member_id = row
        recipients = set(workers.get(assignee_org_id or org_id, ()))
        if assignee_member_id in users_of_member:
            recipients.add(users_of_member[assignee_member_id])
        for user_id in recipients:
            by_user[user_id][pk] = row

    alerts = []
    for user_id, found in by_user.items():
        items = list(found.values())
        overdue = sum(1 for item in items if item[2] < today)
        lines = [_line(content, due_on, today) for _pk, content, due_on, *_ in items[:LISTED]]
        more = f"；等{len(items)}条" if len(items) > LISTED else ""
        if overdue:
            title = f"有{overdue}条意见建议已超期未答复"
        else:
            title = f"有{len(items)}条意见建议将在{AHEAD_DAYS}天内到期答复"
        if len(items) == 1:
            url = reverse("opinions:detail", args=[items[0][0]])
        elif overdue == len(items):
            url = reverse("opinions:list") + "?overdue=1"
        else:
            url = reverse("opinions:list") + f"?status={OpinionStatus.ASSIGNED}"
        alerts.append(
            Alert(
                user_id=user_id,
                title=title,
                body="；".join(lines) + more,
                url=url,
                dedupe_key=f"opinion-reminder:{today:%Y%m%d}",
            )
        )
    return alerts


def _line(content: str, due_on: datetime.date, today: datetime.date) -> str:
    text = " ".join(content.split())
    text = text if len(text) <= 20 else text[:20] + "…"
    if due_on < today:
        return f"「{text}」已超期{(today - due_on).days}天未答复"
    return f"「{text}」将于{due_on:%m月%d日}到期答复"


@task()
def send_opinion_reminders(on: str | None = None) -> int:
    today = datetime.date.fromisoformat(on) if on else timezone.localdate()
    return notify_many(reminders(today))
