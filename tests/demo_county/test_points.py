"""The demo county's year of points: credited from the activity it holds, beside what the services wrote."""

import pytest

from partyedu.points.demo import seed_points
from partyedu.points.models import PointsEntry
from partyedu.points.services import check_totals

pytestmark = pytest.mark.django_db


def test_the_demo_county_has_a_year_of_points_beside_those_the_services_wrote(demo_county):
    kinds = set(PointsEntry.objects.values_list("event_kind", flat=True))
    assert {"meeting_attended", "meeting_absent", "material_completed", "daily_test"} <= kinds
    assert PointsEntry.objects.filter(source_key__startswith="meeting:").count() > 500
    assert check_totals() == []
    assert seed_points(1) == 0
