import datetime

import pytest
from django.utils import timezone

from partyedu.sites import services
from partyedu.sites.models import EducationSite


def next_weekday(iso: int, after: datetime.date | None = None) -> datetime.date:
    """The next day (strictly after `after`, default today) falling on ISO weekday `iso`."""
    day = (after or timezone.localdate()) + datetime.timedelta(days=1)
    while day.isoweekday() != iso:
        day += datetime.timedelta(days=1)
    return day


def t(hhmm: str) -> datetime.time:
    h, m = hhmm.split(":")
    return datetime.time(int(h), int(m))


@pytest.fixture
def memorial(county) -> EducationSite:
    """The martyrs' memorial, hosted by the education bureau: Tuesday to Sunday, 9:00–17:00, 50 per slot."""
    return services.create_site(
        name="青山县革命烈士纪念馆",
        address="青山县城关镇烈士路 1 号",
        history_events="1934 年青山暴动",
        heroes="李青山烈士",
        spirit="不怕牺牲、一心为民",
        artefacts="烈士遗书、马灯",
        capacity=50,
        open_weekdays="234567",
        opens_at=t("9:00"),
        closes_at=t("17:00"),
        host=county.education,
        by=county.education_admin,
    )


def booking_of(site, org, day, start, end, people, by=None, **extra):
    return services.book(
        site=site,
        organization=org,
        date=day,
        starts_at=t(start),
        ends_at=t(end),
        people=people,
        contact_name="联系人",
        contact_phone="13900000000",
        by=by,
        **extra,
    )
