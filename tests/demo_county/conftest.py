"""One small demo county, seeded once for every test of this folder, by the README's first command.

Each app's demo test used to seed the county up to its own step: a dozen seedings per run. Here `partyedu demo
--no-server --scale small` seeds the whole county once (its console output kept for the tests of the command),
inside a transaction that is rolled back after the last test of the folder; each test runs in its own savepoint
inside it (the `db` fixture), so what a test changes is gone before the next one starts."""

import io
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import connection, transaction


@dataclass
class DemoCounty:
    output: str  # what `partyedu demo` printed on the empty database


@pytest.fixture(scope="package")
def demo_county(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            out = io.StringIO()
            call_command("demo", "--no-server", "--scale", "small", "--seed", "1", stdout=out)
            # PostgreSQL defers the foreign-key checks of every seeded row to the end of the transaction, and a
            # test's teardown asks for them (SET CONSTRAINTS ALL IMMEDIATE) inside its savepoint, whose rollback
            # queues them again: check them here once, so that each test checks only its own rows.
            if connection.features.can_defer_constraint_checks:
                connection.check_constraints()
            yield DemoCounty(output=out.getvalue())
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
