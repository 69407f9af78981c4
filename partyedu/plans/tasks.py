"""Reminders about reading plans, run by the task worker (inline under tests).

`remind_overdue_plans()` is meant to run daily (after the compliance alerts): every member with a required item
past its deadline is alerted once per plan and missed deadline (dedupe key), so running it every day does not
repeat itself. A worker's "提醒未完成人员" on one plan enqueues it with `manual=True`: then every member who has
not finished is alerted, at most once a day.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from partyedu.notifications.services import Alert, notify_many

from .models import PlanStatus, ReadingPlan
from .selectors import Progress


def remind(plan: ReadingPlan, *, manual: bool = False, today: datetime.date | None = None) -> int:
    """Alert the members of one plan; returns how many alerts are new."""
    from partyedu.accounts.models import User

    today = today or timezone.localdate()
    progress = Progress(plan, today)
    if not progress.required:
        return 0
    rows = progress.assignments().filter(progress.overdue_q() if not manual else ~progress.finished_q())
    members = list(rows.values_list("member_id", flat=True))
    if not members:
        return 0
    missing = progress.overdue_items_of(members) if not manual else {}
    users = User.objects.filter(member_id__in=members, is_active=True).values_list("pk", "member_id")
    url = reverse("plans:mine_detail", args=[plan.pk])
    alerts = []
    for user_id, member_id in users:
        if manual:
            title = f"请抓紧完成读书计划“{plan.title}”"
            due = f"，完成期限 {plan.deadline:%Y-%m-%d}" if plan.deadline else ""
            body = f"您还有必读内容未完成{due}。"
            key = f"plan-remind:{plan.pk}:{today:%Y%m%d}"
        else:
            items = missing.get(member_id, [])
            first_due = min((i.due(plan) for i in items), default=today)
            title = f"读书计划“{plan.title}”有逾期未完成的内容"
            body = "未完成：" + "、".join(i.title for i in items[:5]) + ("等" if len(items) > 5 else "")
            key = f"plan-overdue:{plan.pk}:{first_due:%Y%m%d}"
        alerts.append(Alert(user_id=user_id, title=title, body=body, url=url, dedupe_key=key))
    return notify_many(alerts)


@task()
def remind_overdue_plans(plan_id: int | None = None, manual: bool = False, on: str | None = None) -> int:
    today = datetime.date.fromisoformat(on) if on else timezone.localdate()
    plans = ReadingPlan.objects.filter(status=PlanStatus.PUBLISHED).select_related("organization", "member")
    if plan_id is not None:
        plans = plans.filter(pk=plan_id)
    else:
        plans = plans.filter(Q(deadline__lt=today) | Q(items__deadline__lt=today)).distinct()
    return sum(remind(plan, manual=manual, today=today) for plan in plans)
