"""The kinds of route in tests/test_access_everywhere.py: who may open it, and with which object."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Public:
    """Open without login."""


@dataclass
class Own:
    """Needs a login; names no object, or only the user's own things."""

    methods: tuple[str, ...] = ("get",)
    # for list pages and endpoints: texts from another branch that must not appear
    must_not_show: tuple[str, ...] = ()


@dataclass
class Foreign:
    """Names an object; `kwargs` builds the arguments that point at another branch's or another user's object."""

    kwargs: Callable[[object], dict]
    methods: tuple[str, ...] = ("get",)
    # a dict, or a function of the county when the payload must name objects (say, another branch's member)
    payload: dict | Callable[[object], dict] = field(default_factory=dict)
    # the route takes a credential of its own instead of a login (a live answer's seat): without it, anyone,
    # logged in or not, is refused with 403 rather than sent to the login page
    own_credential: bool = False

    def payload_for(self, county) -> dict:
        return self.payload(county) if callable(self.payload) else self.payload
