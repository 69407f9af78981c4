"""The daily reminder about 我为群众办实事 items that are due within a week or overdue, run by the task worker
(enqueued by core/schedule.py; inline under tests). The list marks overdue items in red afterwards; this tells
the people who can still act before the 完成时限 passes."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from partyedu.notifications.services import Alert, notify_many

from .models import OPEN_STATUSES, ServiceItem

# Items due within this many days are announced ahead; overdue ones every day until they are 办结 or cancelled.
AHEAD_DAYS = 7
# At most this many items are named in one alert; the rest are counted.
LISTED = 10


@dataclass(frozen=True)
class Due:
    pk: int
    title: str
    deadline: datetime.date
    organization_id: int
    organization_name: str
    today: datetime.date

    @property
    def overdue_days(self) -> int:
        return (self.today - self.deadline).days

    @property
    def line(self) -> str:
        if self.overdue_days > 0:
            return f"“{self.title}”已逾期{self.overdue_days}天"
        if self.overdue_days == 0:
            return f"“{self.title}”今天到期"
        return f"“{self.title}”将于{self.deadline.month:02d}月{self.deadline.day:02d}日到期"


def _counts(items: list[Due]) -> str:
    overdue = sum(1 for i in items if i.overdue_days > 0)
    soon = len(items) - overdue
    parts = []
    if overdue:
        parts.append(f"{overdue}项已逾期")
    if soon:
        parts.append(f"{soon}项将在一周内到期")
    return "、".join(parts)


def _body(items: list[Due]) -> str:
    more = f"等{len(items)}项" if len(items) > LISTED else ""
    return "；".join(i.line for i in items[:LISTED]) + more


def reminders(today: datetime.date) -> list[Alert]:
    """A day's alerts: per responsible organisation with open items due within a week or overdue, one to each
    of its secretaries and party-affairs workers (支部书记, 党务工作者 of that very organisation), and one to each
    responsible member with an active account about his own items — unless every one of them is already in an
    organisation alert to him. Three queries whatever the number of items."""
    from partyedu.accounts.models import Role, RoleAssignment

    due_q = {"status__in": OPEN_STATUSES, "deadline__lte": today + datetime.timedelta(days=AHEAD_DAYS)}
    items = [
        Due(pk, title, deadline, org_id, org_name, today)
        for pk, title, deadline, org_id, org_name in ServiceItem.objects.filter(**due_q)
        .order_by("deadline", "pk")
        .values_list("pk", "title", "deadline", "organization_id", "organization__name")
    ]
    if not items:
        return []
    by_pk = {i.pk: i for i in items}
    by_org: dict[int, list[Due]] = defaultdict(list)
    for item in items:
        by_org[item.organization_id].append(item)

    workers: dict[int, set[int]] = defaultdict(set)
    for user_id, org_id in RoleAssignment.objects.filter(
        role__in=[Role.SECRETARY, Role.ORG_ADMIN],
        revoked_at__isnull=True,
        organization_id__in=list(by_org),
        user__is_active=True,
    ).values_list("user_id", "organization_id"):
        workers[org_id].add(user_id)

    # the responsible members who have an account, through the join table of the same items (no id list)
    Responsible = ServiceItem.responsible.through
    own: dict[int, list[Due]] = defaultdict(list)
    for item_id, user_id in Responsible.objects.filter(
        **{f"serviceitem__{k}": v for k, v in due_q.items()},
        member__user__isnull=False,
        member__user__is_active=True,
    ).values_list("serviceitem_id", "member__user__id"):
        if item_id in by_pk:  # an item that became due between the two queries is left for tomorrow
            own[user_id].append(by_pk[item_id])

    alerts = []
    told: dict[int, set[int]] = defaultdict(set)  # user id → items already in an organisation alert to him
    list_url = reverse("practice:list")
    for org_id, found in by_org.items():
        name = found[0].organization_name
        if len(found) == 1:
            url = reverse("practice:item", args=[found[0].pk])
        elif all(i.overdue_days > 0 for i in found):
            url = f"{list_url}?org={org_id}&flag=overdue"
        else:
            url = f"{list_url}?org={org_id}"
        for user_id in sorted(workers.get(org_id, ())):
            told[user_id].update(i.pk for i in found)
            alerts.append(
                Alert(
                    user_id=user_id,
                    title=f"{name}：办实事有{_counts(found)}",
                    body=_body(found),
                    url=url,
                    dedupe_key=f"practice:org:{org_id}:{today:%Y%m%d}",
                )
            )
    mine_url = reverse("practice:mine") + "#my-items"
    for user_id, found in own.items():
        if {i.pk for i in found} <= told.get(user_id, set()):
            continue
        found.sort(key=lambda i: (i.deadline, i.pk))
        alerts.append(
            Alert(
                user_id=user_id,
                title=f"您负责的办实事有{_counts(found)}",
                body=_body(found),
                url=mine_url,
                dedupe_key=f"practice:mine:{today:%Y%m%d}",
            )
        )
    return alerts


@task()
def send_practice_reminders(on: str | None = None) -> int:
    today = datetime.date.fromisoformat(on) if on else timezone.localdate()
    return notify_many(reminders(today))
