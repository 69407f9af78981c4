"""Counting events in fixed time windows through the cache: shared by every process with Redis, per process
without it (the limits then hold per worker)."""

from __future__ import annotations

from django.core.cache import cache


def count_in_window(key: str, seconds: int) -> int:
    """Add one to the count of `key` in its window and return the new count. `key` names the window (the caller
    puts the window's number in it); the entry lives a little longer than the window."""
    if cache.add(key, 1, seconds + 1):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, seconds + 1)
        return 1
