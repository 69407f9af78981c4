"""Education site routes. The catalogue is shared by the whole county: its pages and photos are for every
logged-in user (`Shared` below, checked in tests/sites/test_access.py). Managing a site belongs to its host
unit (the education bureau here), and a booking to the organisation that made it (the education branch)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from tests.access_rules import Foreign, Own, Public


@dataclass
class Shared(Public):
    """Needs a login but names an object every logged-in user may read (the shared catalogue).

    A Public subclass so that tests/test_access_everywhere.py does not try it as a Foreign object;
    tests/sites/test_access.py checks that anonymous visitors are sent to login and that other units read it.
    """

    kwargs: object = None


def site_of_education(c):
    from partyedu.sites.models import EducationSite

    site = EducationSite.objects.filter(host=c.education).first()
    if site is None:
        site = EducationSite.objects.create(
            name="青山县革命烈士纪念馆",
            address="青山县城关镇",
            capacity=60,
            open_weekdays="234567",
            opens_at=datetime.time(9),
            closes_at=datetime.time(17),
            host=c.education,
        )
    return site


def other_site(c):
    return {"pk": site_of_education(c).pk}


def other_photo(c):
    from django.core.files.base import ContentFile

    from partyedu.sites.models import SitePhoto

    photo = SitePhoto(site=site_of_education(c), content_type="image/png")
    photo.file.save("p.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"0" * 16), save=True)
    return {"pk": photo.pk}


def other_booking(c):
    from partyedu.sites.models import SiteBooking

    booking = SiteBooking.objects.filter(organization=c.education_branch).first()
    if booking is None:
        booking = SiteBooking.objects.create(
            site=site_of_education(c),
            organization=c.education_branch,
            date=datetime.date.today() + datetime.timedelta(days=7),
            starts_at=datetime.time(9),
            ends_at=datetime.time(11),
            people=20,
            contact_name="王五",
            contact_phone="13900000000",
            status="confirmed",
        )
    return {"pk": booking.pk}


def past_booking(c):
    pk = other_booking(c)["pk"]
    from partyedu.sites.models import SiteBooking

    SiteBooking.objects.filter(pk=pk).update(date=datetime.date.today() - datetime.timedelta(days=3))
    return {"pk": pk}


OTHER_BOOKER = ("县教育局机关第一党支部",)

ROUTES = {
    "sites:catalogue": Own(),
    "sites:create": Own(methods=("get",)),
    "sites:stats": Own(),
    "sites:detail": Shared(kwargs=other_site),
    "sites:photo": Shared(kwargs=other_photo),
    "sites:edit": Foreign(other_site, methods=("get", "post"), payload={"name": "被改名"}),
    "sites:status": Foreign(other_site, methods=("post",)),
    "sites:closure_add": Foreign(other_site, methods=("post",), payload={"on": "2030-01-01"}),
    "sites:photo_upload": Foreign(other_site, methods=("post",)),
    # Booking for another unit's branch is refused as such (any worker may book for his own).
    "sites:book": Foreign(
        other_site,
        methods=("post",),
        payload=lambda c: {
            "organization": c.education_branch.pk,
            "date": (datetime.date.today() + datetime.timedelta(days=9)).isoformat(),
            "starts_at": "10:00",
            "ends_at": "11:00",
            "people": 5,
            "contact_name": "x",
            "contact_phone": "1",
        },
    ),
    "sites:my_bookings": Own(must_not_show=OTHER_BOOKER),
    "sites:host_bookings": Own(must_not_show=OTHER_BOOKER),
    "sites:booking": Foreign(other_booking),
    "sites:booking_confirm": Foreign(other_booking, methods=("post",)),
    "sites:booking_decline": Foreign(other_booking, methods=("post",), payload={"reason": "x"}),
    "sites:booking_cancel": Foreign(other_booking, methods=("post",)),
    "sites:booking_done": Foreign(past_booking, methods=("post",)),
    "sites:booking_meeting": Foreign(past_booking, methods=("post",)),
}
