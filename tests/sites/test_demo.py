"""The demo's sites and bookings: linked to the seeder's 现场教学 meetings, never over capacity."""

import datetime

import pytest
from django.db.models import Sum
from django.utils import timezone

from partyedu.meetings.models import Meeting
from partyedu.sites.demo import seed_sites
from partyedu.sites.models import HOLDING, EducationSite, SiteBooking

pytestmark = pytest.mark.django_db


def test_seed_sites_links_existing_visits_and_keeps_capacities(county):
    day = timezone.localdate() - datetime.timedelta(days=20)
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    visit = Meeting.objects.create(
        organization=county.finance_branch,
        kind="site_visit",
        theme="赴县革命烈士纪念馆开展现场教学",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        held_on=day,
        place="县革命烈士纪念馆",
        status="held",
        expected_count=3,
    )
    n = seed_sites(1)
    assert EducationSite.objects.count() == 12
    assert SiteBooking.objects.count() == n > 100
    booking = SiteBooking.objects.get(meeting=visit)
    assert (booking.organization, booking.date, booking.status) == (county.finance_branch, day, "completed")
    for site in EducationSite.objects.all():
        per_day = (
            SiteBooking.objects.filter(site=site, status__in=HOLDING).values("date").annotate(n=Sum("people"))
        )
        assert all(row["n"] <= site.capacity for row in per_day)
