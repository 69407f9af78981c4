"""The rules of verified study time, free of the database so that each can be tested on its own.

A tab sends a heartbeat every `interval` seconds while it is visible, focused and in use (or its video plays).
The server believes a heartbeat for at most the time since the member's previous credit, capped at one interval:
so the total credited never exceeds the wall-clock time, whatever number of tabs or devices send beats, and an
idle gap between beats is never credited. Media count the parts actually played, not the time the page was open.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# A heartbeat closer than this share of the interval to the member's previous credit is a second tab.
MIN_SPACING = 0.8
# A text reader who has not scrolled, typed or touched for this long is away (the page stops beating).
IDLE_SECONDS = 120
# Playback faster than this is skimming, not watching.
MAX_RATE = 2.0
READ_SHARE = (8, 10)  # 80 % of the estimated reading time
WATCH_SHARE = (9, 10)  # 90 % of the duration watched
MEDIA_KINDS = {"video", "audio"}
# Ranges shorter than this (media seconds) are noise from the player, not watching.
MIN_RANGE = 0.25


def slot_of(epoch_seconds: float, interval: int) -> int:
    return int(epoch_seconds // interval)


def credit_seconds(now: float, last_credit_at: float | None, interval: int) -> int:
    """Seconds to credit for a heartbeat at `now` (epoch seconds), given the member's previous credit.

    0 when the beat comes too soon after the previous credit (a second tab, a replay); otherwise the time since
    that credit, capped at one interval, because the tab only vouches for the interval before it.
    """
    if last_credit_at is None:
        return interval
    elapsed = now - last_credit_at
    if elapsed < interval * MIN_SPACING:
        return 0
    return round(min(elapsed, interval))


Range = tuple[float, float]


def clean_ranges(raw, duration: float | None) -> list[Range]:
    """Ranges from the client, made safe: numbers only, inside [0, duration], start < end. Bad input → []."""
    result: list[Range] = []
    if not isinstance(raw, list | tuple):
        return result
    for item in raw[:50]:
        try:
            start, end = float(item[0]), float(item[1])
        except (TypeError, ValueError, IndexError, KeyError):
            continue
        if not (math.isfinite(start) and math.isfinite(end)):
            continue
        start = max(start, 0.0)
        if duration:
            end = min(end, float(duration))
        if end - start >= MIN_RANGE:
            result.append((start, end))
    return result


def merge_ranges(ranges) -> list[Range]:
    """Overlapping or touching ranges merged, in order."""
    merged: list[list[float]] = []
    for start, end in sorted((float(s), float(e)) for s, e in ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def covered(ranges) -> float:
    return sum(e - s for s, e in merge_ranges(ranges))


def subtract(ranges, existing) -> list[Range]:
    """The parts of `ranges` not already in `existing`."""
    result: list[Range] = []
    have = merge_ranges(existing)
    for start, end in merge_ranges(ranges):
        cursor = start
        for hs, he in have:
            if he <= cursor or hs >= end:
                continue
            if hs > cursor:
                result.append((cursor, hs))
            cursor = max(cursor, he)
        if cursor < end:
            result.append((cursor, end))
    return [(s, e) for s, e in result if e - s > 1e-9]


def trim_to(ranges, allowance: float) -> list[Range]:
    """The first `allowance` seconds of `ranges`: a beat cannot add more watching than could have happened."""
    result: list[Range] = []
    left = max(allowance, 0.0)
    for start, end in ranges:
        if left <= 0:
            break
        take = min(end - start, left)
        result.append((start, start + take))
        left -= take
    return result


@dataclass(frozen=True)
class WatchCredit:
    added: list[Range]
    watched: list[Range]


def watch_credit(reported, already, *, rate: float, elapsed: float, duration: float | None) -> WatchCredit:
    """Newly watched media parts for one beat: what the player reports played, minus what was already counted,
    capped at what `elapsed` seconds at `rate` (never above MAX_RATE) could play. A seek skips parts: the
    player's played ranges do not contain them, so they are never added."""
    if rate > MAX_RATE or rate <= 0:
        return WatchCredit([], merge_ranges(already))
    new = trim_to(subtract(clean_ranges(reported, duration), already), elapsed * rate)
    return WatchCredit(new, merge_ranges([*already, *new]))


def required_seconds(kind: str, reading_minutes: int, duration_seconds: int | None) -> int:
    """The time a reader must spend; for media, the time the watching rule amounts to at normal speed."""
    if kind in MEDIA_KINDS and duration_seconds:
        return math.ceil(duration_seconds * WATCH_SHARE[0] / WATCH_SHARE[1])
    return math.ceil(reading_minutes * 60 * READ_SHARE[0] / READ_SHARE[1])


def is_complete(
    kind: str, *, seconds: int, watched: float, reading_minutes: int, duration_seconds: int | None
) -> bool:
    """80 % of the estimated reading time for texts; 90 % of the duration watched for media.

    Compared in integers so that exactly 80 % / 90 % is complete, without float rounding deciding it.
    """
    if kind in MEDIA_KINDS and duration_seconds:
        return watched * WATCH_SHARE[1] >= duration_seconds * WATCH_SHARE[0] - 1e-6
    if reading_minutes <= 0:
        return seconds > 0
    return seconds * READ_SHARE[1] >= reading_minutes * 60 * READ_SHARE[0]


def watched_fraction(watched: float, duration_seconds: int | None) -> float:
    if not duration_seconds:
        return 0.0
    return min(watched / duration_seconds, 1.0)


def format_duration(seconds: int) -> str:
    """3分20秒, 1小时5分, 45秒."""
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}小时{minutes}分" if minutes else f"{hours}小时"
    if minutes:
        return f"{minutes}分{secs}秒" if secs else f"{minutes}分钟"
    return f"{secs}秒"
