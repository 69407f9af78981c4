"""志愿服务 pages: a member signs up on his phone, the organiser confirms on the sheet, the member sees his hours;
statistics, 双报到 lists with the missing ones, exports; lists without per-row queries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from partyedu.members.models import Member
from partyedu.reports.models import GeneratedReport
from partyedu.volunteering import services
from partyedu.volunteering.models import CommunityCheckIn, RecordStatus, VolunteerRecord

from ..factories import MemberFactory
from .conftest import happened, make_activity

pytestmark = pytest.mark.django_db


def test_sign_up_confirm_and_see_the_hours(county, rules, client, finance_activity):
    client.force_login(county.finance_member_user)
    page = client.get(reverse("volunteering:activity", args=[finance_activity.pk])).content.decode()
    assert "我要报名" in page
    client.post(reverse("volunteering:signup", args=[finance_activity.pk]))
    record = VolunteerRecord.objects.get()
    assert record.member == county.finance_members[0] and record.status == RecordStatus.PENDING
    mine = client.get(reverse("volunteering:mine")).content.decode()
    assert "待确认" in mine and finance_activity.title in mine

    happened(finance_activity)
    client.force_login(county.finance_secretary)
    sheet = client.get(reverse("volunteering:activity", args=[finance_activity.pk])).content.decode()
    assert "张三" in sheet and "全部到场" in sheet
    client.post(
        reverse("volunteering:confirm_sheet", args=[finance_activity.pk]),
        {f"d{record.pk}": "confirm", f"h{record.pk}": "2.5"},
    )
    record.refresh_from_db()
    assert record.status == RecordStatus.CONFIRMED and record.hours == Decimal("2.5")

    client.force_login(county.finance_member_user)
    mine = client.get(reverse("volunteering:mine")).content.decode()
    assert "2.5" in mine and "已确认" in mine


def test_a_member_cannot_confirm_his_own_hours(county, client, finance_activity):
    services.sign_up(finance_activity, county.finance_members[0])
    happened(finance_activity)
    client.force_login(county.finance_member_user)
    response = client.post(reverse("volunteering:confirm_all", args=[finance_activity.pk]))
    assert response.status_code == 403
    assert VolunteerRecord.objects.get().status == RecordStatus.PENDING


def test_the_activity_list_needs_few_queries(county, client, django_assert_max_num_queries):
    for i in range(8):
        activity = make_activity(county.finance_branch, days_ahead=i + 1, title=f"理论宣讲进社区第{i + 1}场")
        services.sign_up(activity, county.finance_members[i % 3])
    make_activity(county.education_branch, title="教育局敬老院志愿服务")
    client.force_login(county.finance_member_user)
    with django_assert_max_num_queries(14):
        body = client.get(reverse("volunteering:activities")).content.decode()
    assert body.count("理论宣讲进社区") == 8 and "教育局敬老院" not in body
    month = (timezone.localdate() + datetime.timedelta(days=3)).strftime("%Y-%m")
    assert (
        client.get(reverse("volunteering:activities"), {"when": "month", "month": month}).status_code == 200
    )
    assert (
        client.get(reverse("volunteering:activities"), {"when": "month", "month": "2026-13"}).status_code
        == 200
    )


def test_self_reports_are_confirmed_by_the_branch(county, rules, client, django_assert_max_num_queries):
    client.force_login(county.finance_member_user)
    response = client.post(
        reverse("volunteering:report"),
        {
            "title": "敬老院陪老人聊天",
            "theme": "elderly",
            "served_on": timezone.localdate().isoformat(),
            "hours": "2",
        },
    )
    assert response.status_code == 302
    bad = client.post(
        reverse("volunteering:report"),
        {"title": "x", "theme": "elderly", "served_on": "2026-02-30", "hours": "abc"},
    )
    assert bad.status_code == 200 and VolunteerRecord.objects.count() == 1
    for m in county.finance_members:
        services.report_service(m, title="清扫楼道", served_on=timezone.localdate(), hours="1")
    client.force_login(county.finance_secretary)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("volunteering:reports")).content.decode()
    assert page.count("清扫楼道") == 3 and "敬老院陪老人聊天" in page
    record = VolunteerRecord.objects.get(title="敬老院陪老人聊天")
    client.post(reverse("volunteering:record_review", args=[record.pk]), {"decision": "reject", "reason": ""})
    record.refresh_from_db()
    assert record.status == RecordStatus.PENDING  # a rejection needs a reason
    client.post(
        reverse("volunteering:record_review", args=[record.pk]), {"decision": "confirm", "hours": "1.5"}
    )
    record.refresh_from_db()
    assert record.status == RecordStatus.CONFIRMED and record.hours == Decimal("1.5")


def test_the_statistics_count_the_cultivated_and_only_confirmed_hours(
    county, client, django_assert_max_num_queries
):
    activist = MemberFactory.create(
        organization=county.finance_branch,
        name="孙积极",
        status="activist",
        probationary_on=None,
        full_on=None,
        applied_on=datetime.date(2025, 1, 1),
        activist_on=datetime.date(2025, 3, 1),
    )
    activity = make_activity(county.finance_branch, hours=4)
    services.sign_up(activity, activist)
    services.sign_up(activity, county.finance_members[0])
    services.sign_up(activity, county.finance_members[1])
    happened(activity)
    records = list(VolunteerRecord.objects.order_by("pk"))
    services.confirm(records[0])
    services.confirm(records[1], hours="2")
    # records[2] stays pending: it does not count
    client.force_login(county.committee_admin)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("volunteering:stats"), {"year": timezone.localdate().year})
    row = next(r for r in response.context["rows"] if r.org == county.finance)
    assert (row.members, row.volunteers, row.hours) == (4, 2, Decimal("6"))
    assert (row.cultivated, row.cultivated_volunteers, row.cultivated_hours) == (1, 1, Decimal("4"))
    assert row.participation == 50.0
    client.post(
        reverse("volunteering:stats_export") + f"?org={county.finance.pk}",
        {"year": timezone.localdate().year},
    )
    report = GeneratedReport.objects.get(kind="volunteer_stats")
    from openpyxl import load_workbook

    book = load_workbook(report.file.open("rb"))
    assert list(book.worksheets[0].iter_rows(values_only=True))[1][:5] == ("县财政局党组", 4, 2, 50.0, 6.0)
    assert len(list(book["服务记录"].iter_rows(values_only=True))) == 3  # header + two confirmed


def test_statistics_of_another_unit_are_refused(county, client):
    client.force_login(county.finance_secretary)
    assert client.get(reverse("volunteering:stats"), {"org": county.education.pk}).status_code == 404
    assert client.get(reverse("volunteering:checkins"), {"org": county.education.pk}).status_code == 404
    client.force_login(county.finance_member_user)
    assert client.get(reverse("volunteering:stats")).status_code == 403


def test_checkins_list_who_has_not_registered(county, client, django_assert_max_num_queries):
    community = services.save_community(name="幸福社区", street="城关街道", contact_name="周主任")
    services.register_organization(county.finance_branch, community, registered_on=datetime.date(2026, 3, 5))
    services.register_member(county.finance_members[0], community, registered_on=datetime.date(2026, 3, 5))
    client.force_login(county.committee_admin)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("volunteering:checkins"))
    rows = {r.org.name: r for r in page.context["rows"]}
    branch = rows["县财政局机关党支部"]
    assert (branch.members, branch.registered, branch.missing) == (
        3,
        1,
        2,
    ) and branch.checkin.community == community
    assert rows["县教育局机关第一党支部"].checkin is None and rows["县教育局机关第一党支部"].missing == 2
    detail = client.get(reverse("volunteering:checkin_org", args=[county.finance_branch.pk])).content.decode()
    assert "未报到 2 人" in detail
    # the secretary registers 李四 for him; 张三 moves house and registers again himself
    client.force_login(county.finance_secretary)
    client.post(
        reverse("volunteering:checkin_register", args=[county.finance_branch.pk]),
        {"member": county.finance_members[1].pk, "community": community.pk, "registered_on": "2026-04-01"},
    )
    other = services.save_community(name="和平社区", street="城关街道")
    client.force_login(county.finance_member_user)
    client.post(reverse("volunteering:my_checkin"), {"community": other.pk, "registered_on": "2026-05-01"})
    assert CommunityCheckIn.objects.filter(kind="member").count() == 2
    assert CommunityCheckIn.objects.get(member=county.finance_members[0]).community == other
    bad = client.post(
        reverse("volunteering:my_checkin"), {"community": other.pk, "registered_on": "2999-01-01"}
    )
    assert "不能晚于今天" in bad.content.decode()
    client.force_login(county.finance_secretary)
    client.post(reverse("volunteering:checkins_export") + f"?org={county.finance_branch.pk}")
    report = GeneratedReport.objects.get(kind="community_checkins")
    from openpyxl import load_workbook

    people = list(load_workbook(report.file.open("rb"))["党员报到情况"].iter_rows(values_only=True))
    assert [p[0] for p in people[1:]].count("曾小明") == 1 and (
        "曾小明" in [p[0] for p in people if p[3] == "未报到"]
    )


def test_a_secretary_cannot_register_another_branchs_member(county, client):
    community = services.save_community(name="幸福社区", street="城关街道")
    client.force_login(county.finance_secretary)
    client.post(
        reverse("volunteering:checkin_register", args=[county.finance_branch.pk]),
        {"member": county.education_members[0].pk, "community": community.pk, "registered_on": "2026-04-01"},
    )
    assert not CommunityCheckIn.objects.exists()


def test_only_org_admins_keep_the_community_list(county, client):
    client.force_login(county.finance_secretary)
    assert client.post(reverse("volunteering:communities"), {"name": "新社区"}).status_code == 403
    client.force_login(county.education_admin)
    client.post(reverse("volunteering:communities"), {"name": "光明社区", "street": "东城街道"})
    duplicate = client.post(reverse("volunteering:communities"), {"name": "光明社区"})
    assert "已存在" in duplicate.content.decode() or "已有" in duplicate.content.decode()
    assert Member.objects.exists()


def test_the_organiser_moves_an_activity_and_pending_sign_ups_follow(county, client, finance_activity):
    record = services.sign_up(finance_activity, county.finance_members[0])
    client.force_login(county.finance_secretary)
    url = reverse("volunteering:activity_edit", args=[finance_activity.pk])
    assert "清洁家园" in client.get(url).content.decode()
    later = timezone.localtime(finance_activity.starts_at) + datetime.timedelta(days=7)
    data = {
        "title": "清洁家园·城关社区环境整治（改期）",
        "theme": "clean",
        "organizer": county.finance_branch.pk,
        "open_to": county.finance_branch.pk,
        "place": "城关街道幸福社区",
        "starts_at": later.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (later + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
    }
    bad = client.post(url, {**data, "ends_at": data["starts_at"]})
    assert bad.status_code == 200 and "结束时间须晚于开始时间" in bad.content.decode()
    assert client.post(url, data).status_code == 302
    record.refresh_from_db()
    assert record.title.endswith("（改期）") and record.served_on == later.date()
    client.force_login(county.finance_member_user)
    assert client.post(url, data).status_code == 403
