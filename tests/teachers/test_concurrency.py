"""The teacher and the pool admin press “确认安排” for two overlapping lectures at the same moment: one is
scheduled, the other is told the teacher is busy. The teacher's row is locked (select_for_update on PostgreSQL;
SQLite's IMMEDIATE transactions serialise writers), so the second check sees the first schedule."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from partyedu.teachers.models import LectureRequest

from .conftest import accept, ask, at

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_acceptances_cannot_double_book_a_teacher(county, course, teacher):
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and (name in ("", ":memory:") or "mode=memory" in name):
        pytest.skip("the in-memory SQLite test database does not queue writers; run on PostgreSQL")
    first = ask(course, county.finance_branch, by=county.finance_secretary)
    second = ask(course, county.education_branch, by=county.education_admin)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(req, who, begin):
        from django.db import connections

        try:
            start.wait()
            accept(req, at(6, begin), at(6, "11:00"), by=who)
            outcomes.append("accepted")
        except ValidationError as exc:
            outcomes.append("busy" if "已有安排" in "；".join(exc.messages) else "；".join(exc.messages))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=attempt, args=(first, teacher.user, "9:00")),
        threading.Thread(target=attempt, args=(second, county.committee_admin, "10:00")),
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(outcomes) == ["accepted", "busy"]
    assert LectureRequest.objects.filter(teacher=teacher, status="accepted").count() == 1
