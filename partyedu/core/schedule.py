"""Recurring jobs, enqueued by the worker process (`partyedu worker`) between rounds of the task queue: the daily
reminders and checks that a county would otherwise have to put in a crontab.

Each job has a key per period (a day, or a ten-minute slot); a unique `ScheduledRun` row per key means that two
workers, or a worker restarted, enqueue it once.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ScheduledRun


def _compliance(now: datetime.datetime) -> None:
    from partyedu.compliance.tasks import send_compliance_alerts
    from partyedu.orgs.models import Organization

    for root in Organization.objects.filter(parent__isnull=True).order_by("path"):
        send_compliance_alerts.enqueue(root.pk, timezone.localdate(now).isoformat())


def _reading_plans(now: datetime.datetime) -> None:
    from partyedu.plans.tasks import remind_overdue_plans

    remind_overdue_plans.enqueue(on=timezone.localdate(now).isoformat())


def _development(now: datetime.datetime) -> None:
    from partyedu.development.tasks import send_development_reminders

    send_development_reminders.enqueue(on=timezone.localdate(now).isoformat())


def _practice(now: datetime.datetime) -> None:
    from partyedu.practice.tasks import send_practice_reminders

    send_practice_reminders.enqueue(on=timezone.localdate(now).isoformat())


def _opinions(now: datetime.datetime) -> None:
    from partyedu.opinions.tasks import send_opinion_reminders

    send_opinion_reminders.enqueue(on=timezone.localdate(now).isoformat())


def _expire_attempts(now: datetime.datetime) -> None:
    from partyedu.quizzes.tasks_quiz import expire_overdue_attempts

    expire_overdue_attempts.enqueue()


@dataclass(frozen=True)
class Job:
    name: str
    enqueue: Callable[[datetime.datetime], None]
    at: datetime.time | None = None  # daily jobs: not before this local time
    every_minutes: int | None = None  # slot jobs

    def key(self, now: datetime.datetime) -> str | None:
        local = timezone.localtime(now)
        if self.every_minutes:
            minute = local.minute - local.minute % self.every_minutes
            return f"{self.name}:{local:%Y-%m-%dT%H}:{minute:02d}"
        if self.at and local.time() < self.at:
            return None
        return f"{self.name}:{local:%Y-%m-%d}"


JOBS = [
    Job("compliance_alerts", _compliance, at=datetime.time(8, 0)),
    Job("reading_plan_reminders", _reading_plans, at=datetime.time(8, 30)),
    Job("development_reminders", _development, at=datetime.time(8, 15)),
    Job("practice_reminders", _practice, at=datetime.time(8, 20)),
    Job("opinion_reminders", _opinions, at=datetime.time(8, 25)),
    Job("expire_quiz_attempts", _expire_attempts, every_minutes=10),
]


def enqueue_due(now: datetime.datetime | None = None, jobs=None) -> list[str]:
    """Enqueue every job whose period has come and that has not been enqueued for it; returns their keys."""
    now = now or timezone.now()
    done = []
    for job in jobs or JOBS:
        key = job.key(now)
        if key is None or ScheduledRun.objects.filter(key=key).exists():
            continue
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(key=key)
                job.enqueue(now)
        except IntegrityError:
            continue  # another worker took it
        done.append(key)
    return done
