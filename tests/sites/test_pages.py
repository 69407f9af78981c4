"""The pages: shared catalogue, site calendar, booking form errors, lists that cost the same for any number of
rows, and refusals that never end in a 500."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partyedu.sites.models import BookingStatus, EducationSite, SiteBooking, SitePhoto

from ..access_routes.sites import ROUTES, Shared
from ..factories import make_org
from .conftest import booking_of, next_weekday, t

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def make_sites(county, n):
    for i in range(n):
        EducationSite.objects.create(
            name=f"基地{i}",
            address="青山县",
            spirit="长征精神",
            capacity=40,
            opens_at=t("9:00"),
            closes_at=t("17:00"),
            host=county.education,
        )


@pytest.mark.parametrize("name", sorted(n for n, r in ROUTES.items() if isinstance(r, Shared)))
def test_shared_pages_need_a_login_and_are_open_to_every_unit(name, county, client):
    url = reverse(name, kwargs=ROUTES[name].kwargs(county))
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    for who in ("finance_secretary", "finance_member_user"):
        client.force_login(getattr(county, who))
        assert client.get(url).status_code == 200


def test_another_branchs_booking_is_neither_shown_nor_changed(county, memorial, client):
    booking = booking_of(memorial, county.education_branch, next_weekday(3), "9:00", "10:00", 5)
    for who in ("finance_secretary", "finance_member_user"):
        client.force_login(getattr(county, who))
        for route in ("my_bookings", "host_bookings"):
            assert "县教育局机关第一党支部" not in client.get(reverse(f"sites:{route}")).content.decode()
        for action in ("confirm", "decline", "cancel", "done", "meeting"):
            response = client.post(reverse(f"sites:booking_{action}", args=[booking.pk]), {"reason": "x"})
            assert response.status_code == 404
        # the calendar shows the places taken, not who took them
        body = client.get(
            reverse("sites:detail", args=[memorial.pk]) + f"?month={booking.date:%Y-%m}"
        ).content
        assert "县教育局机关第一党支部" not in body.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PENDING and booking.meeting_id is None


def test_the_catalogue_costs_the_same_queries_for_3_or_30_sites(county, client):
    client.force_login(county.finance_secretary)
    make_sites(county, 3)
    client.get("/sites/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get("/sites/?q=长征").status_code == 200
    make_sites(county, 27)
    with CaptureQueriesContext(connection) as many:
        body = client.get("/sites/?q=长征").content.decode()
    assert body.count("site-card") == 30
    assert len(many) == len(few)


def test_booking_lists_cost_the_same_queries_for_few_or_many_rows(county, memorial, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n):
        SiteBooking.objects.bulk_create(
            SiteBooking(
                site=memorial,
                organization=county.education_branch,
                date=datetime.date.today() + datetime.timedelta(days=i + 1),
                starts_at=t("9:00"),
                ends_at=t("10:00"),
                people=3,
                contact_name="x",
                contact_phone="1",
            )
            for i in range(n)
        )

    client.force_login(county.education_admin)
    add(2)
    counts = {}
    for round_ in ("few", "many"):
        for url in ("/sites/bookings/", "/sites/hosting/", f"/sites/{memorial.pk}/"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            counts[round_, url] = len(ctx)
        add(25)
    for url in ("/sites/bookings/", "/sites/hosting/", f"/sites/{memorial.pk}/"):
        assert counts["few", url] == counts["many", url], url


def test_the_booking_form_shows_the_refusal_next_to_the_field(county, memorial, client):
    day = next_weekday(3)
    booking_of(memorial, county.education_branch, day, "9:00", "11:00", 45)
    client.force_login(county.finance_secretary)
    url = reverse("sites:book", args=[memorial.pk])
    assert client.get(url).status_code == 200
    payload = {
        "organization": county.finance_branch.pk,
        "date": day.isoformat(),
        "starts_at": "10:00",
        "ends_at": "12:00",
        "people": 6,
        "contact_name": "张三",
        "contact_phone": "13900000000",
    }
    body = client.post(url, payload).content.decode()
    assert "该时段剩余名额不足（剩余 5 人）" in body
    body = client.post(url, {**payload, "starts_at": "7:00"}).content.decode()
    assert "不在开放时间内（开放时间：周二至周日 9:00–17:00）" in body
    body = client.post(url, {**payload, "date": "2026-13-45", "people": "abc"}).content.decode()
    assert "errorlist" in body
    response = client.post(url, {**payload, "people": 5})
    booking = SiteBooking.objects.get(organization=county.finance_branch)
    assert response["Location"] == reverse("sites:booking", args=[booking.pk])


def test_a_member_without_a_worker_role_cannot_book(county, memorial, client):
    client.force_login(county.finance_member_user)
    assert client.get(reverse("sites:book", args=[memorial.pk])).status_code == 403


def test_odd_month_parameters_show_the_current_month(county, memorial, client):
    client.force_login(county.finance_member_user)
    for month in ("abc", "2026-13", "99999-1", "-"):
        assert client.get(reverse("sites:detail", args=[memorial.pk]), {"month": month}).status_code == 200


def test_photos_are_checked_by_their_bytes_and_served_through_the_app(
    county, memorial, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(county.education_admin)
    url = reverse("sites:photo_upload", args=[memorial.pk])
    client.post(url, {"photo": SimpleUploadedFile("fake.jpg", b"<script>alert(1)</script>", "image/jpeg")})
    assert not SitePhoto.objects.exists()
    client.post(url, {"photo": SimpleUploadedFile("hall.png", PNG, "image/png"), "caption": "展厅"})
    photo = SitePhoto.objects.get()
    client.force_login(county.finance_member_user)
    response = client.get(reverse("sites:photo", args=[photo.pk]))
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG


def test_the_host_units_workers_manage_the_site_and_others_are_refused(county, memorial, client):
    url = reverse("sites:edit", args=[memorial.pk])
    client.force_login(county.finance_secretary)
    assert client.get(url).status_code == 403
    # a branch secretary inside the host unit is not the host unit's worker
    from ..factories import make_user

    client.force_login(make_user("jiaoyu_zhishu", role="secretary", org=county.education_branch))
    assert client.get(url).status_code == 403
    client.force_login(county.education_admin)
    assert client.get(url).status_code == 200
    client.force_login(county.committee_admin)
    response = client.post(reverse("sites:status", args=[memorial.pk]))
    memorial.refresh_from_db()
    assert response.status_code == 302 and memorial.status == "closed"


def test_the_hosts_confirm_from_the_pending_list(county, memorial, client):
    booking = booking_of(memorial, county.finance_branch, next_weekday(3), "9:00", "10:00", 5)
    client.force_login(county.education_admin)
    body = client.get("/sites/hosting/").content.decode()
    assert "县财政局机关党支部" in body
    client.post(reverse("sites:booking_decline", args=[booking.pk]), {"reason": ""})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PENDING
    client.post(reverse("sites:booking_confirm", args=[booking.pk]), {"next": "/sites/hosting/"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_a_site_registered_for_another_unit_is_refused(county, client):
    other = make_org("县卫健局党委", "party_committee", county.committee)
    client.force_login(county.education_admin)
    response = client.post(
        reverse("sites:create"),
        {
            "name": "x",
            "address": "y",
            "host": other.pk,
            "capacity": 10,
            "opens_at": "9:00",
            "closes_at": "17:00",
        },
    )
    assert response.status_code == 200 and not EducationSite.objects.exists()
