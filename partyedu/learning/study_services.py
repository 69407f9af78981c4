"""Writes of verified study time: one heartbeat in, at most one credited interval out (see study.py for the rules)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from partyedu.hours import services as hours_services
from partyedu.hours.models import HoursSource
from partyedu.members.models import Member

from . import study
from .models import Material, StudyCredit, StudyRecord, StudySession

DEFAULT_INTERVAL = 15


def heartbeat_interval() -> int:
    """Seconds between heartbeats; a setting so that browser tests can run the clock fast."""
    return max(1, int(getattr(settings, "STUDY_HEARTBEAT_SECONDS", DEFAULT_INTERVAL)))


@dataclass(frozen=True)
class Beat:
    credited: int  # seconds credited by this heartbeat (0: too soon, second tab, or too fast)
    record: StudyRecord
    required: int
    completed: bool
    just_completed: bool
    reason: str = ""  # why nothing was credited, for the page and the log


def _clean_token(token: str) -> str:
    token = str(token or "").strip()[:64]
    if not token:
        raise ValueError("缺少学习会话标识")
    return token


def _rate(value) -> float:
    try:
        rate = float(value)
    except (TypeError, ValueError):
        return 1.0
    return rate if rate == rate and rate > 0 else 1.0  # NaN → normal speed


@transaction.atomic
def record_heartbeat(
    member,
    material: Material,
    *,
    token: str,
    played=None,
    rate=1.0,
    now: datetime.datetime | None = None,
    user_agent: str = "",
) -> Beat:
    """A heartbeat from one tab of `member` on `material`.

    The caller has checked that the member may see the material. Credit goes to the member's time slot, unique
    per member: a second tab or device beating in the same moment finds the slot taken and adds nothing.
    """
    now = now or timezone.now()
    interval = heartbeat_interval()
    token = _clean_token(token)
    # Beats of one member are taken one at a time (a row lock on PostgreSQL; SQLite writes one at a time anyway),
    # so two tabs cannot both read the same "last credit" and both be credited.
    Member.objects.select_for_update().filter(pk=member.pk).values_list("pk", flat=True).first()
    media = material.kind in study.MEDIA_KINDS and bool(material.duration_seconds)
    rate = _rate(rate)
    session, _ = StudySession.objects.get_or_create(
        member=member,
        material=material,
        token=token,
        defaults={"started_at": now, "last_beat_at": now, "user_agent": user_agent[:200]},
    )
    StudySession.objects.filter(pk=session.pk).update(last_beat_at=now, beats=session.beats + 1)
    record, _ = StudyRecord.objects.get_or_create(
        member=member, material=material, defaults={"first_studied_at": now, "last_studied_at": now}
    )
    record = StudyRecord.objects.select_for_update().get(pk=record.pk)
    required = study.required_seconds(material.kind, material.reading_minutes, material.duration_seconds)

    def result(credited: int, reason: str = "", just_completed: bool = False) -> Beat:
        return Beat(credited, record, required, record.completed_at is not None, just_completed, reason)

    if media and rate > study.MAX_RATE:
        return result(0, "倍速超过2倍的播放不计入学习时长")
    last = (
        StudyCredit.objects.filter(member=member)
        .order_by("-credited_at")
        .values_list("credited_at", flat=True)
    )
    last_at = last.first()
    seconds = study.credit_seconds(now.timestamp(), last_at.timestamp() if last_at else None, interval)
    if seconds <= 0:
        return result(0, "同一时间只计一处学习")
    added: list[tuple[float, float]] = []
    watched = [tuple(r) for r in record.watched_ranges]
    if media:
        watch = study.watch_credit(
            played, watched, rate=rate, elapsed=seconds, duration=material.duration_seconds
        )
        added, watched = watch.added, watch.watched
    try:
        with transaction.atomic():
            StudyCredit.objects.create(
                member=member,
                material=material,
                session=session,
                slot=study.slot_of(now.timestamp(), interval),
                credited_at=now,
                seconds=seconds,
                ranges=[[round(s, 2), round(e, 2)] for s, e in added],
                watched_seconds=round(sum(e - s for s, e in added), 2),
                rate=rate,
            )
    except IntegrityError:
        # another tab claimed this slot between our read and our write
        return result(0, "同一时间只计一处学习")
    record.seconds += seconds
    record.last_studied_at = now
    if media:
        record.watched_ranges = [[round(s, 2), round(e, 2)] for s, e in watched]
        record.watched_fraction = study.watched_fraction(study.covered(watched), material.duration_seconds)
    just_completed = False
    if record.completed_at is None and study.is_complete(
        material.kind,
        seconds=record.seconds,
        watched=study.covered(watched),
        reading_minutes=material.reading_minutes,
        duration_seconds=material.duration_seconds,
    ):
        record.completed_at = now
        just_completed = True
    record.save()
    day = timezone.localdate(now)
    hours_services.note_learning(member.pk, day)
    if just_completed:
        # A completed material earns its verified time as 学时 (45 minutes to the 学时 by default).
        hours_services.credit(
            member,
            source=HoursSource.STUDY,
            key=f"study:{record.pk}",
            hours=hours_services.hours_from_seconds(record.seconds),
            on=day,
            title=f"自学：{material.title}",
        )
    return result(seconds, just_completed=just_completed)
