"""The `partyedu` console script: Django's management commands plus our own (demo, serve, seed, worker, token)."""

import os
import sys


def manage(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partyedu.settings")
    if len(argv) > 1 and argv[1] == "demo":
        # The demo is a developer's first look: debug pages, generated secret, sqlite under var/.
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


def main() -> None:
    manage(["partyedu", *sys.argv[1:]])
