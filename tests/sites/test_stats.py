"""Usage figures per site and for the committee: counted from the rows, in aggregate queries."""

import datetime

import pytest
from django.utils import timezone

from partyedu.meetings.models import Meeting
from partyedu.sites import selectors
from partyedu.sites.models import SiteBooking

pytestmark = pytest.mark.django_db


def visit(county, site, org, days_ago, status="confirmed", present=None, people=10):
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    meeting = None
    if present is not None:
        starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        meeting = Meeting.objects.create(
            organization=org,
            kind="site_visit",
            theme="现场教学",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            held_on=day,
            status="held",
            present_count=present,
        )
    return SiteBooking.objects.create(
        site=site,
        organization=org,
        date=day,
        starts_at=datetime.time(9),
        ends_at=datetime.time(11),
        people=people,
        contact_name="x",
        contact_phone="1",
        status=status,
        meeting=meeting,
    )


def test_the_site_figures_equal_the_rows(county, memorial, django_assert_max_num_queries):
    visit(county, memorial, county.finance_branch, 10, "completed", present=12)
    visit(county, memorial, county.finance_branch, 40, "completed", present=8)
    visit(county, memorial, county.education_branch, 40, "confirmed")
    visit(county, memorial, county.education_branch, 41, "declined")
    visit(county, memorial, county.education_branch, 42, "cancelled")
    visit(county, memorial, county.education_branch, 500, "completed", present=99)  # outside the year
    since = selectors.month_start(timezone.localdate(), 11)
    with django_assert_max_num_queries(2):
        usage = selectors.site_usage(memorial, since)
    served = SiteBooking.objects.filter(site=memorial, date__gte=since, status__in=["confirmed", "completed"])
    assert usage["bookings"] == served.count() == 3
    assert usage["organizations"] == 2
    assert usage["people"] == 20
    assert sum(m["bookings"] for m in usage["months"]) == 3

    with django_assert_max_num_queries(1):
        (row,) = list(selectors.usage_overview(since))
    assert (row.served_count, row.org_count, row.people, row.declined_count) == (3, 2, 20, 1)


def test_only_committee_admins_open_the_overview(county, memorial, client):
    visit(county, memorial, county.finance_branch, 10, "completed", present=12)
    client.force_login(county.committee_admin)
    body = client.get("/sites/stats/").content.decode()
    assert "青山县革命烈士纪念馆" in body and "<td>12</td>" in body
    client.force_login(county.education_admin)
    assert client.get("/sites/stats/").status_code == 403
