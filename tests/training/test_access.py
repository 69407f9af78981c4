"""Every training route that names another unit's class, session or enrolment, tried by the finance branch's
secretary and member: 403/404, and nothing of the training tables changes (tests/test_access_everywhere.py
checks the roster tables; this checks ours)."""

import pytest
from django.urls import reverse

from partyedu.hours.models import HoursEntry
from partyedu.training.models import ClassSession, Enrolment, SessionAttendance, TrainingClass
from tests.access_routes.training import ROUTES
from tests.access_rules import Foreign
from tests.test_access_everywhere import call

pytestmark = pytest.mark.django_db


def training_snapshot():
    return (
        list(TrainingClass.objects.order_by("pk").values_list("pk", "title", "status", "organiser_id")),
        list(Enrolment.objects.order_by("pk").values_list("pk", "member_id", "status", "test_result")),
        list(ClassSession.objects.order_by("pk").values_list("pk", "topic", "attendance_taken")),
        list(SessionAttendance.objects.order_by("pk").values_list("pk", "status")),
        HoursEntry.objects.count(),
    )


@pytest.mark.parametrize("who", ["finance_secretary", "finance_member_user"])
def test_another_units_training_objects_are_out_of_reach(who, county, client):
    client.force_login(getattr(county, who))
    foreign = {name: rule for name, rule in ROUTES.items() if isinstance(rule, Foreign)}
    urls = {name: (reverse(name, kwargs=rule.kwargs(county)), rule) for name, rule in foreign.items()}
    before = training_snapshot()
    for name, (url, rule) in urls.items():
        for method in rule.methods:
            response = call(client, method, url, rule.payload_for(county))
            assert response.status_code in {403, 404}, (name, method, response.status_code)
    assert training_snapshot() == before
