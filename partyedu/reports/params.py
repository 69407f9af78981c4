"""Cleaning a report's parameters: what a page posted (a list's filters), checked before the report is queued
and stored as plain JSON values. Each message is for the person who asked, in Chinese."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def text(params: dict, name: str) -> str:
    value = params.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError({name: "筛选条件不正确"})
    return value.strip()


def choice(params: dict, name: str, allowed, message: str) -> str:
    """One of `allowed`, or "" for no filter."""
    value = text(params, name)
    if value and value not in allowed:
        raise ValidationError({name: message})
    return value


def integer(params: dict, name: str, message: str) -> int | None:
    """A whole number, or None for no filter."""
    value = params.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValidationError({name: message})
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({name: message}) from None
