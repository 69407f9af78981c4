"""One small demo county, seeded once for every test of this folder.

Each app's demo test used to seed the county up to its own step: a dozen seedings per run. Here the whole county is
seeded once, inside a transaction that is rolled back after the last test of the folder; each test runs in its own
savepoint inside it (the `db` fixture), so what a test changes is gone before the next one starts."""

import pytest
from django.db import transaction


@pytest.fixture(scope="package")
def demo_county(django_db_setup, django_db_blocker):
    from partyedu.demo.seeding import seed_demo

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield seed_demo("small", seed=1)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
