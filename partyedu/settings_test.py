"""Settings for the test suite: the real settings, with tasks run inline and fast password hashing."""

import os

os.environ["PARTYEDU_TESTING"] = "1"
os.environ.setdefault("PARTYEDU_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault(
    "PARTYEDU_VAR_DIR", os.path.join(os.path.dirname(os.path.dirname(__file__)), "var", "test")
)

from .settings import *  # noqa: E402,F403
