"""A branch books a visit to the memorial; places, opening hours and closed days are kept."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from partyedu.sites import services
from partyedu.sites.models import BookingStatus

from .conftest import booking_of, next_weekday

pytestmark = pytest.mark.django_db


def refused(match, fn, *args, **kwargs):
    with pytest.raises(ValidationError) as exc:
        fn(*args, **kwargs)
    text = "；".join(exc.value.messages)
    assert match in text, text
    return text


def test_two_bookings_fill_the_slot_and_a_third_is_refused_with_the_places_left(county, memorial):
    day = next_weekday(3)
    booking_of(memorial, county.finance_branch, day, "9:00", "11:00", 30, by=county.finance_secretary)
    booking_of(memorial, county.education_branch, day, "9:00", "11:00", 20, by=county.education_admin)
    refused(
        "该时段剩余名额不足（剩余 0 人）",
        booking_of,
        memorial,
        county.education_branch,
        day,
        "10:00",
        "10:30",
        1,
    )


def test_overlapping_times_count_and_adjacent_ones_do_not(county, memorial):
    day = next_weekday(3)
    booking_of(memorial, county.finance_branch, day, "9:00", "11:00", 40)
    refused("剩余 10 人", booking_of, memorial, county.education_branch, day, "10:30", "12:00", 11)
    booking_of(memorial, county.education_branch, day, "10:30", "12:00", 10)
    # 11:00 is when the first group leaves: no overlap
    booking_of(memorial, county.education_branch, day, "11:00", "13:00", 40)
    # another day is another slot altogether
    booking_of(memorial, county.education_branch, next_weekday(3, day), "9:00", "11:00", 50)


def test_declined_and_cancelled_bookings_free_their_places(county, memorial):
    day = next_weekday(4)
    first = booking_of(memorial, county.finance_branch, day, "9:00", "11:00", 50, by=county.finance_secretary)
    refused("剩余 0 人", booking_of, memorial, county.education_branch, day, "9:00", "11:00", 5)
    services.decline_booking(first, "当日接待上级检查", by=county.education_admin)
    second = booking_of(memorial, county.education_branch, day, "9:00", "11:00", 50)
    refused("剩余 0 人", booking_of, memorial, county.finance_branch, day, "9:00", "11:00", 1)
    services.cancel_booking(second, by=county.education_admin)
    booking_of(memorial, county.finance_branch, day, "9:00", "11:00", 50)


def test_opening_hours_weekdays_closed_dates_and_past_days_are_refused_in_plain_chinese(county, memorial):
    tuesday = next_weekday(2)
    refused(
        "不在开放时间内（开放时间：周二至周日 9:00–17:00）",
        booking_of,
        memorial,
        county.finance_branch,
        tuesday,
        "8:30",
        "10:00",
        5,
    )
    refused("不在开放时间内", booking_of, memorial, county.finance_branch, tuesday, "16:00", "17:30", 5)
    refused("该日不开放", booking_of, memorial, county.finance_branch, next_weekday(1), "9:00", "10:00", 5)
    services.add_closure(memorial, tuesday, "馆内布展", by=county.education_admin)
    refused("闭馆日（馆内布展）", booking_of, memorial, county.finance_branch, tuesday, "9:00", "10:00", 5)
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    refused("已经过去的日期", booking_of, memorial, county.finance_branch, yesterday, "9:00", "10:00", 5)
    refused(
        "结束时间应晚于开始时间", booking_of, memorial, county.finance_branch, tuesday, "11:00", "10:00", 5
    )
    services.set_site_status(memorial, "closed", by=county.education_admin)
    refused("已关闭", booking_of, memorial, county.finance_branch, next_weekday(3), "9:00", "10:00", 5)


def test_a_worker_books_only_for_his_own_organisation(county, memorial):
    with pytest.raises(PermissionDenied):
        booking_of(
            memorial,
            county.education_branch,
            next_weekday(3),
            "9:00",
            "10:00",
            5,
            by=county.finance_secretary,
        )


def test_only_the_host_units_workers_and_committee_admins_confirm_or_decline(county, memorial):
    booking = booking_of(memorial, county.finance_branch, next_weekday(3), "9:00", "10:00", 5)
    with pytest.raises(PermissionDenied):
        services.confirm_booking(booking, by=county.finance_secretary)
    with pytest.raises(PermissionDenied):
        services.decline_booking(booking, "不行", by=county.finance_secretary)
    refused("请填写谢绝原因", services.decline_booking, booking, "  ", by=county.education_admin)
    services.confirm_booking(booking, by=county.committee_admin)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    refused("不能再确认", services.confirm_booking, booking, by=county.education_admin)


def test_the_booker_cancels_before_the_day_but_not_on_it(county, memorial):
    booking = booking_of(memorial, county.finance_branch, next_weekday(3), "9:00", "10:00", 5)
    from partyedu.sites.models import SiteBooking

    today = SiteBooking.objects.create(
        site=memorial,
        organization=county.finance_branch,
        date=datetime.date.today(),
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        people=5,
        contact_name="x",
        contact_phone="1",
    )
    with pytest.raises(PermissionDenied):
        services.cancel_booking(booking, by=county.education_admin)
    refused("当天", services.cancel_booking, today, by=county.finance_secretary)
    services.cancel_booking(booking, by=county.finance_secretary)
