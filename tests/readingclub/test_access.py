"""Another bureau's people try every reading club action on the education bureau's plan: nothing changes.
(tests/test_access_everywhere.py checks the answers; this checks the reading club's own tables.)"""

import pytest
from django.urls import reverse

from partyedu.readingclub.models import ReadingClubMonth, ReadingClubPlan, ReadingClubSection, SharedText
from partyedu.reports.models import GeneratedReport
from tests.access_routes.readingclub import ROUTES
from tests.access_rules import Foreign


def snapshot():
    return (
        list(ReadingClubPlan.objects.order_by("pk").values_list("pk", "title", "status")),
        list(
            ReadingClubMonth.objects.order_by("pk").values_list(
                "pk", "theme", "status", "activity_plan", "meeting"
            )
        ),
        list(ReadingClubSection.objects.order_by("pk").values_list("pk", "title")),
        list(SharedText.objects.order_by("pk").values_list("pk", "title")),
        GeneratedReport.objects.count(),
    )


@pytest.mark.parametrize("who", ["finance_secretary", "finance_member_user"])
@pytest.mark.parametrize(
    "name", sorted(n for n, r in ROUTES.items() if isinstance(r, Foreign) and "post" in r.methods)
)
def test_another_bureaus_people_change_nothing(name, who, county, client):
    rule = ROUTES[name]
    url = reverse(name, kwargs=rule.kwargs(county))
    before = snapshot()
    client.force_login(getattr(county, who))
    response = client.post(url, rule.payload_for(county))
    assert response.status_code in {403, 404}
    assert snapshot() == before
