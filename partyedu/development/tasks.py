"""The daily reminder to branch secretaries about due and overdue 发展党员 steps, run by the task worker
(enqueued by core/schedule.py; inline under tests)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from partyedu.notifications.services import Alert, notify_many

from . import selectors

# Steps due within this many days are announced ahead; overdue ones are announced once per due date.
AHEAD_DAYS = 7


def reminders(today: datetime.date) -> list[Alert]:
    """One alert per secretary per branch a day: the people whose steps are overdue or due within a week."""
    from partyedu.accounts.models import Role, RoleAssignment

    items = selectors.calendar_items(Q(), today, start=today, end=today + datetime.timedelta(days=AHEAD_DAYS))
    by_branch: dict[int, list] = defaultdict(list)
    for item in items:
        by_branch[item.member.organization_id].append(item)
    if not by_branch:
        return []
    secretaries = defaultdict(set)
    for user_id, org_id in RoleAssignment.objects.filter(
        role=Role.SECRETARY,
        revoked_at__isnull=True,
        organization_id__in=list(by_branch),
        user__is_active=True,
    ).values_list("user_id", "organization_id"):
        secretaries[org_id].add(user_id)
    alerts = []
    for org_id, found in by_branch.items():
        overdue = [i for i in found if i.overdue]
        lines = [
            f"{i.member.name}：{i.label}（{'已逾期，' if i.overdue else ''}{i.due_on:%Y-%m-%d}）"
            for i in found[:10]
        ]
        more = f"等{len(found)}项" if len(found) > 10 else ""
        title = (
            f"发展党员工作有{len(overdue)}项已逾期"
            if overdue
            else f"发展党员工作有{len(found)}项将在一周内到期"
        )
        url = reverse("development:calendar") + f"?org={org_id}"
        for user_id in secretaries.get(org_id, ()):
            alerts.append(
                Alert(
                    user_id=user_id,
                    title=title,
                    body="；".join(lines) + more,
                    url=url,
                    dedupe_key=f"development:{org_id}:{today:%Y%m%d}",
                )
            )
    return alerts


@task()
def send_development_reminders(on: str | None = None) -> int:
    today = datetime.date.fromisoformat(on) if on else timezone.localdate()
    return notify_many(reminders(today))
