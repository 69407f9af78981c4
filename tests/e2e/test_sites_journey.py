"""In the browser: a branch secretary browses the catalogue, opens the memorial's calendar and tries to book more
people than are left; the form says how many places remain."""

import pytest
from playwright.sync_api import expect

from ..conftest import PASSWORD
from ..sites.conftest import booking_of, memorial, next_weekday  # noqa: F401 - memorial is a fixture
from .conftest import log_in, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_catalogue_calendar_and_a_refused_booking(county, memorial, page):  # noqa: F811 - the fixture
    from partyedu.sites.demo import SITES
    from partyedu.sites.models import EducationSite

    for name, address, events, heroes, spirit, artefacts, capacity, weekdays in SITES[5:11]:
        EducationSite.objects.create(
            name=name,
            address=address,
            history_events=events,
            heroes=heroes,
            spirit=spirit,
            artefacts=artefacts,
            capacity=capacity,
            open_weekdays=weekdays,
            opens_at=memorial.opens_at,
            closes_at=memorial.closes_at,
            host=county.education,
        )
    day = next_weekday(3)
    booking_of(memorial, county.education_branch, day, "9:00", "11:00", 30)
    booking_of(memorial, county.finance_branch, day, "14:00", "16:00", 12)
    booking_of(memorial, county.education_branch, next_weekday(5), "9:30", "11:30", 15)

    log_in(page, "caizheng_shuji", PASSWORD)
    page.goto(page.base + "/sites/")
    expect(page.locator(".site-card")).to_have_count(7)
    shot(page, "sites-01-catalogue")

    page.click("text=青山县革命烈士纪念馆")
    page.goto(page.url + f"?month={day:%Y-%m}")
    expect(page.locator("#site-calendar .site-cal-b").first).to_be_visible()
    shot(page, "sites-02-calendar")

    page.click("text=预约现场教学")
    page.select_option("#id_organization", str(county.finance_branch.pk))
    page.fill("#id_date", day.isoformat())
    page.fill("#id_starts_at", "10:00")
    page.fill("#id_ends_at", "12:00")
    page.fill("#id_people", "25")
    page.fill("#id_contact_name", "张三")
    page.fill("#id_contact_phone", "13900000001")
    page.click("button:text-is('提交预约')")
    expect(page.locator("#booking-form")).to_contain_text("该时段剩余名额不足（剩余 20 人）")
    shot(page, "sites-03-booking-error")
    page.fill("#id_people", "20")
    page.click("button:text-is('提交预约')")
    expect(page.locator("h1")).to_contain_text("待确认")
    assert not page.console_errors
