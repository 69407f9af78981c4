"""Two secretaries press “提交预约” for the last places at the same moment: one gets them, the other is told
how many are left. The site row is locked (select_for_update on PostgreSQL; SQLite's IMMEDIATE transactions
serialise writers), so the second check counts the first booking."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from partyedu.sites.models import SiteBooking

from .conftest import booking_of, next_weekday

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_bookings_cannot_both_take_the_last_places(county, memorial):
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and (name in ("", ":memory:") or "mode=memory" in name):
        # a shared-cache in-memory database answers “table is locked” instead of queueing the second writer
        pytest.skip("the in-memory SQLite test database does not queue writers; run on PostgreSQL")
    day = next_weekday(3)
    booking_of(memorial, county.education_branch, day, "9:00", "11:00", 20)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(org):
        from django.db import connections

        try:
            start.wait()
            booking_of(memorial, org, day, "9:00", "11:00", 30)
            outcomes.append("booked")
        except ValidationError as exc:
            outcomes.append("；".join(exc.messages))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=attempt, args=(o,)) for o in (county.finance_branch, county.education_branch)
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(outcomes) == ["booked", "该时段剩余名额不足（剩余 0 人）"]
    assert sum(b.people for b in SiteBooking.objects.filter(date=day)) == 50
