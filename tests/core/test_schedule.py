"""Recurring jobs are enqueued by the worker once per period, whatever the number of workers."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from partyedu.core import schedule
from partyedu.core.models import ScheduledRun

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def test_a_daily_job_waits_for_its_hour_and_runs_once_a_day():
    calls = []
    job = schedule.Job("daily_check", lambda now: calls.append(now), at=datetime.time(8, 0))
    assert schedule.enqueue_due(datetime.datetime(2026, 3, 2, 7, 59, tzinfo=SH), [job]) == []
    assert schedule.enqueue_due(datetime.datetime(2026, 3, 2, 8, 0, tzinfo=SH), [job]) == [
        "daily_check:2026-03-02"
    ]
    assert schedule.enqueue_due(datetime.datetime(2026, 3, 2, 17, 0, tzinfo=SH), [job]) == []
    # 00:30 Shanghai is still the previous day in UTC: the local day counts
    assert schedule.enqueue_due(datetime.datetime(2026, 3, 3, 8, 30, tzinfo=SH), [job]) == [
        "daily_check:2026-03-03"
    ]
    assert len(calls) == 2


def test_a_slot_job_runs_once_per_slot():
    calls = []
    job = schedule.Job("expire", lambda now: calls.append(now), every_minutes=10)
    for minute in (0, 3, 9, 10, 19, 20):
        schedule.enqueue_due(datetime.datetime(2026, 3, 2, 9, minute, tzinfo=SH), [job])
    assert len(calls) == 3


def test_a_failing_enqueue_leaves_the_period_open_for_the_next_round():
    def broken(now):
        raise RuntimeError("queue down")

    job = schedule.Job("broken", broken, at=datetime.time(0, 0))
    with pytest.raises(RuntimeError):
        schedule.enqueue_due(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=SH), [job])
    assert not ScheduledRun.objects.exists()


def test_the_real_jobs_run_on_a_county(county):
    keys = schedule.enqueue_due(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=SH))
    assert {k.split(":")[0] for k in keys} == {
        "compliance_alerts",
        "reading_plan_reminders",
        "development_reminders",
        "practice_reminders",
        "opinion_reminders",
        "expire_quiz_attempts",
    }
