"""What the quiz engine tells the rest of the platform when something happened. Other modules (points,
training completion) register a receiver here instead of scanning attempts."""

from __future__ import annotations

from collections.abc import Callable

_receivers: list[Callable] = []


def on_attempt_finished(receiver: Callable) -> Callable:
    """Register `receiver(attempt)`; called inside the transaction that closes the attempt."""
    if receiver not in _receivers:
        _receivers.append(receiver)
    return receiver


def attempt_finished(attempt) -> None:
    for receiver in list(_receivers):
        receiver(attempt)
