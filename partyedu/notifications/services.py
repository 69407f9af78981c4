"""Every write to notifications. Other apps call `notify` / `notify_many` explicitly (never through signals), so
that reading a check shows whom it alerts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification, NotificationKind


@dataclass(frozen=True)
class Alert:
    user_id: int
    title: str
    body: str = ""
    url: str = ""
    kind: str = NotificationKind.OTHER
    dedupe_key: str | None = None


def notify(
    user, *, title: str, body: str = "", url: str = "", kind: str = NotificationKind.OTHER, dedupe_key=None
) -> Notification | None:
    """Alert one user. With a `dedupe_key` he is alerted about the same thing once: None if he already was."""
    try:
        with transaction.atomic():
            return Notification.objects.create(
                user=user,
                kind=kind,
                title=title[:200],
                body=body,
                url=url[:300],
                dedupe_key=dedupe_key or None,
            )
    except IntegrityError:
        if dedupe_key and Notification.objects.filter(user=user, dedupe_key=dedupe_key).exists():
            return None
        raise


def notify_many(alerts: list[Alert]) -> int:
    """Alert many users at once (a daily check may produce hundreds); returns how many alerts are new.
    Alerts whose (user, dedupe_key) exists already are skipped, so running a check twice alerts once."""
    wanted: list[Alert] = []
    seen: set[tuple[int, str]] = set()
    for alert in alerts:
        if alert.dedupe_key:
            if (alert.user_id, alert.dedupe_key) in seen:
                continue
            seen.add((alert.user_id, alert.dedupe_key))
        wanted.append(alert)
    keys = {a.dedupe_key for a in wanted if a.dedupe_key}
    existing = set()
    if keys:
        existing = set(
            Notification.objects.filter(
                dedupe_key__in=keys, user_id__in={a.user_id for a in wanted}
            ).values_list("user_id", "dedupe_key")
        )
    now = timezone.now()
    new = [
        Notification(
            user_id=a.user_id,
            kind=a.kind,
            title=a.title[:200],
            body=a.body,
            url=a.url[:300],
            dedupe_key=a.dedupe_key or None,
            created_at=now,
        )
        for a in wanted
        if not (a.dedupe_key and (a.user_id, a.dedupe_key) in existing)
    ]
    # ignore_conflicts: a check running at the same moment elsewhere must not fail this one
    Notification.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return len(new)


def mark_read(notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
