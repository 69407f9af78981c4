"""送学上门: a worker records what he brought to a member who cannot come; it counts as study, and a record made
by mistake is voided (its 学时 withdrawn), never deleted."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from partyedu.hours.models import HoursEntry, HoursSource, MemberYearHours
from partyedu.learning.materials_services import create_material
from partyedu.members.models import Member
from partyedu.outreach import services
from partyedu.outreach.models import HomeDelivery

from ..conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def lisi(county):
    member = county.finance_members[1]
    Member.objects.filter(pk=member.pk).update(needs_home_delivery=True, is_retired=True)
    member.refresh_from_db()
    return member


@pytest.fixture
def today():
    return timezone.localdate()


def deliver(county, member, today, **kw):
    fields = {
        "by": county.finance_secretary,
        "delivered_on": today,
        "summary": "学习党的二十大报告第一部分，读了报告原文并交流体会",
        "minutes": 90,
        "items": "党员教育读本",
        "companions": "张三",
    }
    fields.update(kw)
    return services.record_delivery(member, **fields)


def test_a_delivery_credits_its_minutes_as_hours_on_its_day(county, lisi, today):
    delivery = deliver(county, lisi, today - datetime.timedelta(days=3), minutes=100)
    assert delivery.hours == Decimal("2.22")  # 100 minutes / 45
    assert delivery.organization == county.finance_branch
    entry = HoursEntry.objects.get(member=lisi)
    assert (entry.source, entry.source_key, entry.hours, entry.occurred_on) == (
        HoursSource.HOME_DELIVERY,
        f"home_delivery:{delivery.pk}",
        Decimal("2.22"),
        today - datetime.timedelta(days=3),
    )
    row = MemberYearHours.objects.get(member=lisi, year=entry.occurred_on.year)
    assert (row.home_delivery_hours, row.last_learning_on) == (Decimal("2.22"), entry.occurred_on)


def test_materials_from_the_library_may_be_what_was_brought(county, lisi, today):
    material = create_material(
        publisher=county.finance,
        title="党章学习读本",
        category="theory",
        body="<p>党章</p>",
        reading_minutes=30,
    )
    delivery = deliver(county, lisi, today, items="", materials=[material])
    assert list(delivery.materials.all()) == [material]


def test_a_member_not_flagged_needs_a_reason(county, today):
    zhang = county.finance_members[0]
    with pytest.raises(ValidationError) as err:
        deliver(county, zhang, today)
    assert "override_reason" in err.value.message_dict
    delivery = deliver(county, zhang, today, override_reason="骨折住院，暂不能参加集中学习")
    assert delivery.override_reason == "骨折住院，暂不能参加集中学习"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"summary": "  "}, "summary"),
        ({"minutes": 0}, "minutes"),
        ({"minutes": 481}, "minutes"),
        ({"items": "", "materials": []}, "items"),
    ],
)
def test_incomplete_records_are_refused(county, lisi, today, change, field):
    with pytest.raises(ValidationError) as err:
        deliver(county, lisi, today, **change)
    assert field in err.value.message_dict
    assert not HomeDelivery.objects.exists() and not HoursEntry.objects.exists()


def test_the_date_is_not_in_the_future_nor_more_than_a_year_back(county, lisi, today):
    with pytest.raises(ValidationError):
        deliver(county, lisi, today + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        deliver(county, lisi, today - datetime.timedelta(days=367))
    assert deliver(county, lisi, today - datetime.timedelta(days=366))


def test_only_the_members_own_workers_record_for_him(county, lisi, today):
    with pytest.raises(PermissionDenied):
        deliver(county, lisi, today, by=county.education_admin)
    with pytest.raises(PermissionDenied):
        deliver(county, lisi, today, by=county.finance_member_user)
    assert deliver(county, lisi, today, by=county.committee_admin)


def test_voiding_keeps_the_record_and_withdraws_the_hours(county, lisi, today):
    delivery = deliver(county, lisi, today)
    with pytest.raises(ValidationError):
        services.void_delivery(delivery, by=county.finance_secretary, reason=" ")
    services.void_delivery(delivery, by=county.finance_secretary, reason="登记错了党员")
    delivery.refresh_from_db()
    assert delivery.is_void and delivery.void_reason == "登记错了党员"
    assert list(HoursEntry.objects.filter(member=lisi).order_by("pk").values_list("hours", "note")) == [
        (Decimal("2"), ""),
        (Decimal("-2"), "作废：登记错了党员"),
    ]
    assert MemberYearHours.objects.get(member=lisi, year=today.year).total == Decimal("0")
    with pytest.raises(ValidationError):
        services.void_delivery(delivery, by=county.finance_secretary, reason="again")


# --- pages ----------------------------------------------------------------------------------------------------
def test_a_secretary_records_a_delivery_from_the_form(county, lisi, today, client):
    login(client, county.finance_secretary)
    url = reverse("outreach:delivery_new", args=[lisi.pk])
    page = client.get(url)
    assert page.status_code == 200 and "特殊情况说明" not in page.content.decode()
    response = client.post(
        url,
        {
            "delivered_on": today.isoformat(),
            "minutes": "45",
            "summary": "学习《中国共产党章程》总纲",
            "items": "党章单行本",
            "companions": "张三、曾小明",
            "feedback": "希望下次带来大字版",
        },
    )
    delivery = HomeDelivery.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "outreach:delivery", args=[delivery.pk]
    )
    assert delivery.hours == Decimal("1") and delivery.delivered_by == county.finance_secretary
    body = client.get(response["Location"]).content.decode()
    assert "学习《中国共产党章程》总纲" in body and "计 1 学时" in body and "作废" in body


def test_the_form_asks_for_a_reason_when_the_member_is_not_flagged(county, today, client):
    login(client, county.finance_secretary)
    zhang = county.finance_members[0]
    url = reverse("outreach:delivery_new", args=[zhang.pk])
    response = client.post(
        url, {"delivered_on": today.isoformat(), "minutes": "45", "summary": "学习", "items": "读本"}
    )
    assert response.status_code == 200 and "特殊情况说明" in response.content.decode()
    assert not HomeDelivery.objects.exists()


def test_voiding_from_the_page(county, lisi, today, client):
    delivery = deliver(county, lisi, today)
    login(client, county.finance_secretary)
    client.post(reverse("outreach:delivery_void", args=[delivery.pk]), {"reason": "重复登记"})
    delivery.refresh_from_db()
    assert delivery.is_void
    body = client.get(reverse("outreach:delivery", args=[delivery.pk])).content.decode()
    assert "已作废" in body and "重复登记" in body
    assert HomeDelivery.objects.filter(pk=delivery.pk).exists()


def test_a_member_sees_his_own_deliveries_and_nobody_elses(county, lisi, today, client):
    mine = deliver(county, county.finance_members[0], today, override_reason="住院")
    other = deliver(county, lisi, today)
    login(client, county.finance_member_user)
    page = client.get(reverse("outreach:member_deliveries", args=[county.finance_members[0].pk]))
    assert page.status_code == 200 and "我的送学上门记录" in page.content.decode()
    assert "登记送学上门" not in page.content.decode()
    assert client.get(reverse("outreach:delivery", args=[mine.pk])).status_code == 200
    assert client.get(reverse("outreach:delivery", args=[other.pk])).status_code == 404
    assert client.get(reverse("outreach:member_deliveries", args=[lisi.pk])).status_code == 404
    assert (
        client.get(reverse("outreach:delivery_new", args=[county.finance_members[0].pk])).status_code == 403
    )
    # his 学时 page links the delivery
    body = client.get(reverse("hours:mine")).content.decode()
    assert reverse("outreach:delivery", args=[mine.pk]) in body


def test_another_branchs_secretary_gets_404_on_a_foreign_delivery(county, lisi, today, client):
    delivery = deliver(county, lisi, today)
    login(client, county.education_admin)
    assert client.get(reverse("outreach:delivery", args=[delivery.pk])).status_code == 404
    assert (
        client.post(reverse("outreach:delivery_void", args=[delivery.pk]), {"reason": "x"}).status_code == 404
    )
    delivery.refresh_from_db()
    assert not delivery.is_void


def test_the_delivery_list_of_a_subtree(county, lisi, today, client, django_assert_max_num_queries):
    for n in range(5):
        deliver(county, lisi, today - datetime.timedelta(days=n))
    login(client, county.finance_secretary)
    url = reverse("outreach:deliveries", args=[county.finance_branch.pk])
    client.get(url)
    with django_assert_max_num_queries(8):
        body = client.get(url).content.decode()
    assert body.count("李四") >= 5 and "共 5 次" in body
    login(client, county.committee_admin)
    body = client.get(reverse("outreach:deliveries", args=[county.education.pk])).content.decode()
    assert "李四" not in body
