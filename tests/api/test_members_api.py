"""The roster through the API: the roster page's filters, its validation and its rules on who sees what."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partyedu.core.cn import citizen_id_checksum
from partyedu.members.models import Member, MembershipPeriod

from ..factories import MemberFactory, make_citizen_id, make_org

MEMBERS = reverse("api:member_list")


def detail(member) -> str:
    return reverse("api:member_detail", args=[getattr(member, "pk", member)])


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {m["name"] for m in response.json()["items"]}


def new_member(organization, **extra) -> dict:
    return {
        "name": "孙七",
        "citizen_id": make_citizen_id(datetime.date(1990, 5, 4)),
        "organization": organization.pk,
        "status": "full",
        "probationary_on": "2015-07-01",
        "full_on": "2016-07-01",
        **extra,
    }


# --- who sees whom ----------------------------------------------------------------------------------------
def test_a_branch_secretary_lists_only_his_branchs_members(county, client):
    client.force_login(county.finance_secretary)
    response = client.get(MEMBERS)
    assert names(response) == {"张三", "李四", "曾小明"} and response.json()["count"] == 3


def test_another_branchs_member_is_not_found_rather_than_forbidden(county, client):
    client.force_login(county.finance_secretary)
    stranger = county.education_members[0]
    response = client.get(detail(stranger))
    assert response.status_code == 404 and response.json() == {"detail": "没有找到该党员"}
    assert client.get(detail(999999)).status_code == 404
    assert (
        client.patch(detail(stranger), {"post": "科员"}, content_type="application/json").status_code == 404
    )


def test_a_member_sees_his_own_record_but_may_not_change_it(county, client):
    client.force_login(county.finance_member_user)
    me = county.finance_members[0]
    assert client.get(detail(me)).status_code == 200
    response = client.patch(detail(me), {"post": "局长"}, content_type="application/json")
    assert response.status_code == 403 and response.json()["detail"] == "您没有权限进行此操作"
    assert client.get(detail(county.finance_members[1])).status_code == 404


def test_the_citizen_id_is_masked_for_a_secretary_and_whole_for_an_org_admin(county, client):
    member = county.education_members[0]
    client.force_login(county.education_admin)
    full = client.get(detail(member)).json()
    assert full["citizen_id"] == member.citizen_id and full["citizen_id_masked"] is False

    client.force_login(county.finance_secretary)
    own = county.finance_members[1]
    masked = client.get(detail(own)).json()
    assert masked["citizen_id"] == own.citizen_id[:6] + "********" + own.citizen_id[-4:]
    assert masked["citizen_id_masked"] is True
    assert all(m["citizen_id_masked"] for m in client.get(MEMBERS).json()["items"])


def test_a_member_sees_his_own_citizen_id_whole(county, client):
    client.force_login(county.finance_member_user)
    me = county.finance_members[0]
    assert client.get(detail(me)).json()["citizen_id"] == me.citizen_id


def test_the_detail_names_the_organisation_and_the_stage(county, client):
    client.force_login(county.committee_admin)
    body = client.get(detail(county.finance_members[0])).json()
    assert body["organization"] == {"id": county.finance_branch.pk, "name": "县财政局机关党支部"}
    assert body["status"] == "full" and body["status_label"] == "正式党员" and body["group"] is None


# --- the roster's filters ---------------------------------------------------------------------------------
def test_typing_pinyin_initials_finds_the_member(county, client):
    client.force_login(county.committee_admin)
    assert names(client.get(MEMBERS, {"q": "zs"})) == {"张三"}
    assert names(client.get(MEMBERS, {"q": "zeng"})) == {"曾小明"}  # 曾 as a surname reads zeng


def test_the_roster_filters_by_organisation_subtree_status_and_flags(county, client):
    MemberFactory.create(
        organization=county.education_branch,
        name="钱八",
        status="activist",
        activist_on=datetime.date(2024, 3, 1),
        applied_on=datetime.date(2023, 9, 1),
        probationary_on=None,
        full_on=None,
    )
    MemberFactory.create(organization=county.finance_branch, name="周九", is_leader=True)
    client.force_login(county.committee_admin)
    assert names(client.get(MEMBERS, {"org": county.finance.pk})) == {"张三", "李四", "曾小明", "周九"}
    assert names(client.get(MEMBERS, {"status": "activist"})) == {"钱八"}
    assert names(client.get(MEMBERS, {"flags": ["is_leader"]})) == {"周九"}


def test_a_filter_on_an_organisation_one_cannot_see_is_refused(county, client):
    client.force_login(county.finance_secretary)
    response = client.get(MEMBERS, {"org": county.education_branch.pk})
    assert response.status_code == 422 and response.json()["errors"] == {"org": ["没有找到该党组织"]}


def test_an_unknown_status_is_refused_in_chinese(county, client):
    client.force_login(county.committee_admin)
    response = client.get(MEMBERS, {"status": "hero"})
    assert response.status_code == 422 and response.json()["errors"] == {"status": ["不是有效的选项"]}


def test_the_roster_is_sorted_by_pinyin_and_paged(county, client):
    client.force_login(county.committee_admin)
    page = client.get(MEMBERS, {"page_size": 2}).json()
    assert page["count"] == 5 and [m["name"] for m in page["items"]] == ["李四", "王五"]


def test_listing_thirty_members_costs_no_more_queries_than_three(
    county, client, django_assert_max_num_queries
):
    client.force_login(county.finance_secretary)
    with CaptureQueriesContext(connection) as three:
        assert len(client.get(MEMBERS).json()["items"]) == 3
    for i in range(27):
        MemberFactory.create(organization=county.finance_branch, name=f"财政{i}号")
    with django_assert_max_num_queries(len(three)):
        assert len(client.get(MEMBERS).json()["items"]) == 30


# --- writes -----------------------------------------------------------------------------------------------
def test_a_secretary_adds_a_member_to_his_branch(county, client):
    client.force_login(county.finance_secretary)
    response = client.post(MEMBERS, new_member(county.finance_branch), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["birth_date"] == "1990-05-04" and body["gender"] == "male"  # read from the citizen ID
    assert body["ethnicity"] == "汉族" and body["citizen_id_masked"] is True
    member = Member.objects.get(pk=body["id"])
    assert member.periods.get().organization == county.finance_branch


def test_a_wrong_check_digit_is_caught_and_told_in_chinese(county, client):
    client.force_login(county.finance_secretary)
    good = make_citizen_id(datetime.date(1990, 5, 4))
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    response = client.post(
        MEMBERS, new_member(county.finance_branch, citizen_id=wrong), content_type="application/json"
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "数据校验未通过"
    assert body["errors"]["citizen_id"] == [f"身份证号校验位错误（应为 {citizen_id_checksum(good[:17])}）"]
    assert not Member.objects.filter(name="孙七").exists()


def test_an_unknown_organisation_is_a_field_error(county, client):
    client.force_login(county.finance_secretary)
    for org_id in (999999, county.education_branch.pk):  # nonexistent, and another unit's: told the same
        response = client.post(
            MEMBERS,
            {**new_member(county.finance_branch), "organization": org_id},
            content_type="application/json",
        )
        assert response.status_code == 422
        assert response.json()["errors"] == {"organization": ["没有找到该党组织"]}


def test_members_go_into_a_branch_not_a_group(county, client):
    client.force_login(county.education_admin)
    response = client.post(MEMBERS, new_member(county.education_group), content_type="application/json")
    assert response.status_code == 422 and "党小组" in response.json()["errors"]["organization"][0]


def test_the_pipeline_must_not_run_backwards(county, client):
    client.force_login(county.education_admin)
    response = client.post(
        MEMBERS, new_member(county.education_branch, full_on="2014-07-01"), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"full_on": ["转正日期不能早于接收预备党员日期"]}


def test_a_patch_changes_only_what_is_sent(county, client):
    member = county.finance_members[1]
    client.force_login(county.finance_secretary)
    response = client.patch(
        detail(member), {"post": "办公室主任", "is_leader": True}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    member.refresh_from_db()
    assert member.post == "办公室主任" and member.is_leader and member.name == "李四"


def test_moving_a_member_to_another_branch_is_recorded_as_a_transfer(county, client):
    member = county.education_members[0]
    second = make_org("县教育局机关第二党支部", parent=county.education)
    client.force_login(county.education_admin)
    response = client.patch(detail(member), {"organization": second.pk}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["organization"]["id"] == second.pk
    periods = list(MembershipPeriod.objects.filter(member=member).order_by("pk"))
    assert [p.organization for p in periods] == [county.education_branch, second]
    assert periods[0].ended_on is not None and periods[1].reason == "信息修改"


def test_a_secretary_cannot_move_a_member_out_to_a_branch_he_does_not_see(county, client):
    member = county.finance_members[1]
    client.force_login(county.finance_secretary)
    response = client.patch(
        detail(member), {"organization": county.education_branch.pk}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["errors"] == {"organization": ["没有找到该党组织"]}
    member.refresh_from_db()
    assert member.organization == county.finance_branch


def test_a_member_is_put_into_a_group_of_his_branch(county, client):
    member = county.education_members[0]
    client.force_login(county.education_admin)
    response = client.patch(
        detail(member), {"group": county.education_group.pk}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["group"]["name"] == "第一党小组"
    wrong = client.patch(
        detail(county.education_members[1]),
        {"group": county.finance_branch.pk},
        content_type="application/json",
    )
    assert wrong.status_code == 422 and wrong.json()["errors"] == {"group": ["没有找到该党小组"]}


def test_clearing_a_required_field_is_refused(county, client):
    client.force_login(county.committee_admin)
    response = client.patch(
        detail(county.finance_members[1]), {"name": "  "}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["errors"] == {"name": ["姓名不能为空"]}


def test_a_misspelt_field_is_refused_rather_than_ignored(county, client):
    client.force_login(county.committee_admin)
    response = client.patch(
        detail(county.finance_members[1]), {"postt": "科员"}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["errors"] == {"postt": ["不支持此字段"]}


def test_a_body_that_is_not_json_is_told_in_chinese(county, client):
    client.force_login(county.committee_admin)
    response = client.post(MEMBERS, "{不是 JSON", content_type="application/json")
    assert response.status_code == 400 and "JSON" in response.json()["detail"]


def test_a_page_number_far_past_the_end_is_refused_in_chinese_not_a_server_error(county, client):
    client.force_login(county.committee_admin)
    assert client.get(MEMBERS, {"page": 999}).json() == {"items": [], "count": Member.objects.count()}
    for url in [MEMBERS, reverse("api:org_list")]:
        response = client.get(url, {"page": "99999999999999999999999"})
        assert response.status_code == 422
        assert response.json()["errors"] == {"page": ["数值太大"]}
