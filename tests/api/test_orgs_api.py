"""The organisation tree through the API: the same rules as the tree pages."""

import datetime

from django.urls import reverse

from partyedu.orgs import services
from partyedu.orgs.models import Organization, OrganizationKind

from ..factories import make_org

ORGS = reverse("api:org_list")


def detail(org_or_pk) -> str:
    return reverse("api:org_detail", args=[getattr(org_or_pk, "pk", org_or_pk)])


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [o["name"] for o in response.json()["items"]]


def test_the_committee_admin_sees_the_whole_tree_in_tree_order(county, client):
    client.force_login(county.committee_admin)
    response = client.get(ORGS)
    assert response.json()["count"] == 6
    listed = names(response)
    assert listed[0] == "示范县直属机关工作委员会"
    assert listed.index("县教育局党委") < listed.index("县教育局机关第一党支部") < listed.index("第一党小组")


def test_a_branch_secretary_sees_only_his_own_branch(county, client):
    client.force_login(county.finance_secretary)
    assert names(client.get(ORGS)) == ["县财政局机关党支部"]


def test_the_list_filters_by_parent_kind_and_name(county, client):
    client.force_login(county.committee_admin)
    assert names(client.get(ORGS, {"parent": county.committee.pk})) == ["县财政局党组", "县教育局党委"]
    assert set(names(client.get(ORGS, {"kind": "branch"}))) == {
        "县财政局机关党支部",
        "县教育局机关第一党支部",
    }
    assert names(client.get(ORGS, {"q": "财政"})) == ["县财政局党组", "县财政局机关党支部"]


def test_dissolved_organisations_are_listed_only_when_asked_for(county, client):
    old = make_org("县教育局老干部党支部", OrganizationKind.BRANCH, county.education)
    services.dissolve_organization(old, on=datetime.date(2024, 1, 1))
    client.force_login(county.committee_admin)
    assert "县教育局老干部党支部" not in names(client.get(ORGS))
    assert "县教育局老干部党支部" in names(client.get(ORGS, {"include_dissolved": "true"}))


def test_the_list_comes_in_pages_of_a_bounded_size(county, client):
    client.force_login(county.committee_admin)
    first = client.get(ORGS, {"page_size": 4}).json()
    second = client.get(ORGS, {"page_size": 4, "page": 2}).json()
    assert first["count"] == 6 and len(first["items"]) == 4 and len(second["items"]) == 2
    assert client.get(ORGS, {"page_size": 100000}).status_code == 200  # capped, not refused


def test_the_detail_shows_where_an_organisation_sits_and_how_many_members_it_has(county, client):
    client.force_login(county.committee_admin)
    org = client.get(detail(county.finance)).json()
    assert (
        org["name"] == "县财政局党组"
        and org["kind"] == "party_leadership_group"
        and org["kind_label"] == "党组"
    )
    assert org["ancestor_ids"] == [county.committee.pk]
    assert org["member_count"] == 3  # the branch's members count for the unit above it
    group = client.get(detail(county.education_group)).json()
    assert group["ancestor_ids"] == [county.committee.pk, county.education.pk, county.education_branch.pk]


def test_another_branchs_organisation_is_not_found_rather_than_forbidden(county, client):
    client.force_login(county.finance_secretary)
    response = client.get(detail(county.education_branch))
    assert response.status_code == 404 and response.json()["detail"] == "没有找到该组织"
    assert client.get(detail(999999)).status_code == 404


def test_an_org_admin_sets_up_a_new_branch_under_his_unit(county, client):
    client.force_login(county.education_admin)
    response = client.post(
        ORGS,
        {
            "parent": county.education.pk,
            "name": "县教育局机关第二党支部",
            "kind": "branch",
            "established_on": "2025-03-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    branch = Organization.objects.get(pk=body["id"])
    assert branch.parent == county.education and branch.unit_name == "县教育局"  # a branch inherits its unit
    assert body["ancestor_ids"] == [county.committee.pk, county.education.pk] and body["member_count"] == 0


def test_a_secretary_may_not_set_up_organisations(county, client):
    client.force_login(county.finance_secretary)
    own = client.post(
        ORGS,
        {"parent": county.finance_branch.pk, "name": "第一党小组", "kind": "group"},
        content_type="application/json",
    )
    assert own.status_code == 403
    elsewhere = client.post(
        ORGS,
        {"parent": county.education.pk, "name": "第二支部", "kind": "branch"},
        content_type="application/json",
    )
    assert elsewhere.status_code == 422
    assert elsewhere.json()["errors"] == {"parent": ["没有找到该上级组织"]}


def test_the_tree_rules_are_told_in_chinese(county, client):
    client.force_login(county.committee_admin)
    response = client.post(
        ORGS,
        {"parent": county.education_branch.pk, "name": "某党委", "kind": "party_committee"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json() == {"detail": "数据校验未通过", "errors": {"__all__": ["党支部下不能设立党委"]}}


def test_a_malformed_request_is_told_in_chinese_too(county, client):
    client.force_login(county.committee_admin)
    response = client.post(
        ORGS,
        {"parent": county.education.pk, "kind": "branch", "established_on": "去年"},
        content_type="application/json",
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["name"] == ["此项为必填项"] and "日期格式不正确" in errors["established_on"][0]


def test_an_org_admin_renames_a_branch_in_his_unit(county, client):
    client.force_login(county.education_admin)
    response = client.patch(
        detail(county.education_branch),
        {"name": "县教育局机关党支部", "code": "JY01"},
        content_type="application/json",
    )
    assert response.status_code == 200
    county.education_branch.refresh_from_db()
    assert county.education_branch.name == "县教育局机关党支部" and county.education_branch.code == "JY01"
    assert response.json()["member_count"] == 2


def test_an_organisation_code_is_unique(county, client):
    client.force_login(county.committee_admin)
    response = client.patch(detail(county.finance), {"code": "WC"}, content_type="application/json")
    assert response.status_code == 422 and "code" in response.json()["errors"]


def test_a_secretary_cannot_change_his_branch_and_cannot_see_others(county, client):
    client.force_login(county.finance_secretary)
    own = client.patch(detail(county.finance_branch), {"name": "改名"}, content_type="application/json")
    assert own.status_code == 403 and own.json()["detail"] == "您没有权限进行此操作"
    other = client.patch(detail(county.education_branch), {"name": "改名"}, content_type="application/json")
    assert other.status_code == 404
    county.finance_branch.refresh_from_db()
    assert county.finance_branch.name == "县财政局机关党支部"
