"""A confirmed visit that has happened becomes the branch's 现场教学 meeting, once."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from partyedu.meetings.models import Meeting
from partyedu.members.models import MembershipPeriod
from partyedu.sites import services
from partyedu.sites.models import BookingStatus, SiteBooking

pytestmark = pytest.mark.django_db


def past_booking(county, site, days_ago=2, status=BookingStatus.CONFIRMED):
    return SiteBooking.objects.create(
        site=site,
        organization=county.finance_branch,
        date=datetime.date.today() - datetime.timedelta(days=days_ago),
        starts_at=datetime.time(9),
        ends_at=datetime.time(11),
        people=3,
        contact_name="张三",
        contact_phone="13900000000",
        status=status,
    )


def test_generating_the_record_twice_makes_one_meeting(county, memorial, client):
    MembershipPeriod.objects.update(started_on=datetime.date(2020, 1, 1))
    booking = past_booking(county, memorial)
    client.force_login(county.finance_secretary)
    url = f"/sites/bookings/{booking.pk}/meeting/"
    first = client.post(url)
    second = client.post(url)
    assert first.status_code == second.status_code == 302
    meetings = Meeting.objects.filter(kind="site_visit", organization=county.finance_branch)
    assert meetings.count() == 1
    meeting = meetings.get()
    booking.refresh_from_db()
    assert booking.meeting == meeting and booking.status == BookingStatus.COMPLETED
    assert meeting.theme == "赴青山县革命烈士纪念馆开展现场教学"
    assert meeting.place == "青山县革命烈士纪念馆"
    assert meeting.status == "held"
    # expected attendees follow the branch's membership on the day
    assert meeting.expected_count == len(county.finance_members)
    assert first["Location"] == f"/meetings/{meeting.pk}/"


def test_a_visit_still_ahead_or_declined_cannot_become_a_meeting(county, memorial):
    ahead = past_booking(county, memorial, days_ago=-3)
    with pytest.raises(ValidationError, match="还没到"):
        services.create_visit_meeting(ahead, by=county.finance_secretary)
    declined = past_booking(county, memorial, status=BookingStatus.DECLINED)
    with pytest.raises(ValidationError, match="已谢绝"):
        services.create_visit_meeting(declined, by=county.finance_secretary)
    assert not Meeting.objects.exists()


def test_marking_done_on_the_day_then_generating_plans_or_records_by_the_clock(county, memorial):
    booking = past_booking(county, memorial, days_ago=0)
    services.mark_done(booking, by=county.finance_secretary)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED
    meeting = services.create_visit_meeting(booking, by=county.finance_secretary)
    assert services.create_visit_meeting(booking, by=county.finance_secretary) == meeting
    assert Meeting.objects.count() == 1
