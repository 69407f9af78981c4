import uuid

import pytest

from partyedu.points import selectors


@pytest.fixture(autouse=True)
def fresh_head_counts(monkeypatch):
    """Organisation rankings keep head counts in the cache for minutes; each test reads and writes its own keys
    (ids are reused between tests on SQLite), without emptying a cache others may share (Redis)."""
    monkeypatch.setattr(selectors, "HEAD_COUNT_KEY", f"test-heads:{uuid.uuid4().hex}")
