"""The demo county's 学时 and home deliveries: the same figures the services would have written, in bulk."""

import pytest
from django.db.models import Sum

from partyedu.hours import services as ledger
from partyedu.hours.models import HoursEntry, HoursSource, MemberYearHours
from partyedu.meetings.models import Meeting
from partyedu.members.models import Member
from partyedu.outreach.demo import seed_outreach
from partyedu.outreach.models import HomeDelivery

pytestmark = pytest.mark.django_db


def test_the_demo_county_credits_learning_meetings_and_home_deliveries(demo_county):
    assert Member.objects.filter(needs_home_delivery=True).exists()
    assert seed_outreach(1) == 0  # never twice
    assert HomeDelivery.objects.exists()
    assert not HomeDelivery.objects.exclude(member__needs_home_delivery=True).exists()
    # the meetings' hours are what the service would write: syncing them again writes nothing
    lectures = Meeting.objects.filter(kind__in=ledger.LEARNING_MEETING_KINDS, present_count__gt=0)[:5]
    assert lectures
    for meeting in lectures:
        assert ledger.sync_meeting_hours(meeting) == 0
    # deliveries are credited under their keys
    delivery = HomeDelivery.objects.first()
    assert HoursEntry.objects.get(source_key=f"home_delivery:{delivery.pk}").hours == delivery.hours
    # the yearly sums match the ledger
    for row in MemberYearHours.objects.filter(total__gt=0)[:20]:
        total = HoursEntry.objects.filter(member_id=row.member_id, year=row.year).aggregate(s=Sum("hours"))[
            "s"
        ]
        assert row.total == total
    assert MemberYearHours.objects.filter(home_delivery_hours__gt=0).exists()
    assert HoursEntry.objects.filter(source=HoursSource.MEETING).exists()
    # running it twice adds no meeting hours twice
    meeting_rows = HoursEntry.objects.filter(source=HoursSource.MEETING).count()
    seed_outreach(2)
    assert HoursEntry.objects.filter(source=HoursSource.MEETING).count() == meeting_rows
