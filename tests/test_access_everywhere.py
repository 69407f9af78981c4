"""Every route of the platform, tried by people who must not get through.

Each URL pattern and API route is listed below with what it exposes. A user scoped to one branch tries every
route that names another branch's (or another user's) object and must get 403/404 and change nothing; list
pages must not show another branch's rows; an anonymous visitor is sent to login (pages) or gets 401 (API).
A route missing from ROUTES fails this test, so a new page cannot be added without saying who may open it.
"""

from __future__ import annotations

import json

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from partyedu.accounts.models import RoleAssignment, User
from partyedu.accounts.services import issue_api_token
from partyedu.members.models import Member, RosterExport, RosterImport
from partyedu.orgs.models import Organization

from . import access_routes
from .access_rules import Foreign, Own, Public
from .factories import make_user


def other_import(c):
    record = RosterImport.objects.create(
        uploaded_by=c.education_admin, original_name="教育局.xlsx", status="validated"
    )
    record.file.save("教育局.xlsx", ContentFile(b"PK"), save=True)
    return {"pk": record.pk}


def other_export(c):
    record = RosterExport.objects.create(requested_by=c.education_admin, query="", status="done", row_count=2)
    record.file.save("export.xlsx", ContentFile(b"PK"), save=True)
    return {"pk": record.pk}


def other_token(c):
    token, _ = issue_api_token(c.education_admin, "教育局接口")
    return {"pk": token.pk}


def other_branch(c):
    return {"pk": c.education_branch.pk}


def other_member(c):
    return {"pk": c.education_members[0].pk}


def other_member_with_account(c):
    member = c.education_members[0]
    if not User.objects.filter(member=member).exists():
        make_user("wangwu", role="member", org=c.education_branch, member=member)
    return {"pk": member.pk}


def other_role(c):
    return {"pk": c.education_admin.role_assignments.get().pk}


OTHER_NAMES = ("王五", "赵六", "县教育局")

ROUTES = {
    "core:home": Own(must_not_show=OTHER_NAMES),
    "core:healthz": Public(),
    "accounts:login": Public(),
    "accounts:logout": Own(methods=("post",)),
    "accounts:profile": Own(must_not_show=("教育局接口",)),
    "accounts:password": Own(),
    "accounts:token_issue": Own(methods=("post",)),
    "accounts:token_revoke": Foreign(other_token, methods=("post",)),
    "accounts:member_open": Foreign(other_member, methods=("post",)),
    "accounts:member_reset_password": Foreign(other_member_with_account, methods=("post",)),
    "accounts:member_set_active": Foreign(
        other_member_with_account, methods=("post",), payload={"active": "0"}
    ),
    "accounts:role_grant": Foreign(
        other_branch,
        methods=("post",),
        payload=lambda c: {"member": c.education_members[1].pk, "role": "org_admin"},
    ),
    "accounts:role_revoke": Foreign(other_role, methods=("post",)),
    "orgs:tree": Own(must_not_show=OTHER_NAMES),
    "orgs:detail": Foreign(other_branch),
    "orgs:children": Foreign(lambda c: {"pk": c.education.pk}),
    "orgs:create_child": Foreign(
        other_branch, methods=("get", "post"), payload={"name": "渗透支部", "kind": "group"}
    ),
    "orgs:edit": Foreign(other_branch, methods=("get", "post"), payload={"name": "被改名"}),
    "orgs:move": Foreign(
        lambda c: {"pk": c.education_group.pk}, methods=("get", "post"), payload={"new_parent": 1}
    ),
    "orgs:dissolve": Foreign(
        lambda c: {"pk": c.education_group.pk}, methods=("get", "post"), payload={"on": "2026-01-01"}
    ),
    "members:roster": Own(must_not_show=OTHER_NAMES),
    "members:create": Own(methods=("get",)),
    "members:detail": Foreign(other_member),
    "members:edit": Foreign(other_member, methods=("get", "post"), payload={"name": "被改名"}),
    "members:transfer": Foreign(other_member, methods=("get", "post"), payload={"reason": "x"}),
    "members:export": Own(methods=("post",)),
    "members:export_status": Foreign(other_export),
    "members:export_download": Foreign(other_export),
    "members:import": Own(),
    "members:import_template": Own(must_not_show=()),
    "members:import_report": Foreign(other_import),
    "members:import_errors": Foreign(other_import),
    "members:import_commit": Foreign(other_import, methods=("post",)),
    "members:import_discard": Foreign(other_import, methods=("post",)),
    "api:openapi-json": Public(),
    "api:openapi-view": Own(),
    "api:api-root": Own(),
    "api:org_list": Own(must_not_show=OTHER_NAMES),
    "api:org_create": Own(methods=("post",)),
    "api:org_detail": Foreign(lambda c: {"org_id": c.education_branch.pk}),
    "api:org_update": Foreign(
        lambda c: {"org_id": c.education_branch.pk}, methods=("patch",), payload={"name": "被改名"}
    ),
    "api:member_list": Own(must_not_show=OTHER_NAMES),
    "api:member_create": Own(methods=("post",)),
    "api:member_detail": Foreign(lambda c: {"member_id": c.education_members[0].pk}),
    "api:member_update": Foreign(
        lambda c: {"member_id": c.education_members[0].pk}, methods=("patch",), payload={"name": "被改名"}
    ),
}
# Each later module lists its own routes in tests/access_routes/<app>.py, so that work on different apps
# does not edit one shared table.
for _module in access_routes.modules():
    ROUTES.update(_module.ROUTES)
# The superuser admin is one door, checked as a whole below.
SUPERUSER_ONLY_PREFIX = "admin:"


def all_route_names() -> set[str]:
    def walk(patterns, ns=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, ns + (f"{p.namespace}:" if p.namespace else ""))
            elif isinstance(p, URLPattern):
                yield ns + (p.name or f"<unnamed {p.pattern}>")

    return {name for name in walk(get_resolver().url_patterns) if not name.startswith(SUPERUSER_ONLY_PREFIX)}


def call(client, method: str, url: str, payload: dict | None = None, **headers):
    if url.startswith("/api/") and method in {"post", "patch", "put"}:
        return getattr(client, method)(
            url, json.dumps(payload or {}), content_type="application/json", **headers
        )
    if method in {"post", "patch", "put"}:
        return getattr(client, method)(url, payload or {}, **headers)
    return getattr(client, method)(url, **headers)


def test_every_route_is_listed_with_who_may_open_it():
    missing = all_route_names() - set(ROUTES)
    assert not missing, f"新路由未在 ROUTES 中声明访问范围: {sorted(missing)}"
    assert not set(ROUTES) - all_route_names(), "ROUTES 中有已不存在的路由"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, r in ROUTES.items() if not isinstance(r, Public)))
def test_anonymous_visitors_are_sent_to_login_or_refused(name, county, client):
    rule = ROUTES[name]
    kwargs = rule.kwargs(county) if isinstance(rule, Foreign) else {}
    url = reverse(name, kwargs=kwargs)
    payload = rule.payload_for(county) if isinstance(rule, Foreign) else {}
    for method in rule.methods:
        response = call(client, method, url, payload)
        if url.startswith("/api/"):
            if name in {"api:openapi-view", "api:api-root"}:
                continue  # the docs page itself holds no data; the data routes below answer 401
            assert response.status_code == 401, (name, method, response.status_code)
        elif getattr(rule, "own_credential", False):
            assert response.status_code == 403, (name, method, response.status_code)
        else:
            assert response.status_code == 302, (name, method, response.status_code)
            assert response["Location"].startswith(reverse("accounts:login")), (name, method)


SNAPSHOT_FIELDS = ("name", "organization_id", "citizen_id", "status")


def snapshot():
    return (
        list(
            Organization.objects.order_by("pk").values_list("pk", "name", "parent_id", "path", "dissolved_on")
        ),
        list(Member.objects.order_by("pk").values_list("pk", *SNAPSHOT_FIELDS)),
        list(RosterImport.objects.order_by("pk").values_list("pk", "status")),
        # not last_login: logging in to try the route writes it
        list(
            User.objects.order_by("pk").values_list(
                "pk", "username", "password", "is_active", "phone", "member_id"
            )
        ),
        list(
            RoleAssignment.objects.order_by("pk").values_list(
                "pk", "user_id", "organization_id", "role", "revoked_at"
            )
        ),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["finance_secretary", "finance_member_user"])
@pytest.mark.parametrize("name", sorted(n for n, r in ROUTES.items() if isinstance(r, Foreign)))
def test_a_user_of_one_branch_cannot_read_or_change_another_branchs_objects(name, who, county, client):
    rule = ROUTES[name]
    url = reverse(name, kwargs=rule.kwargs(county))
    payload = rule.payload_for(county)
    user = getattr(county, who)
    _, raw = issue_api_token(user, "测试")
    before = snapshot()
    for method in rule.methods:
        client.force_login(user)
        response = call(client, method, url, payload)
        assert response.status_code in {403, 404}, (name, who, method, "session", response.status_code)
        client.logout()
        if url.startswith("/api/"):
            response = call(client, method, url, payload, HTTP_AUTHORIZATION=f"Bearer {raw}")
            assert response.status_code in {403, 404}, (name, who, method, "token", response.status_code)
    assert snapshot() == before, f"{name} changed data for {who}"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["finance_secretary", "finance_member_user"])
@pytest.mark.parametrize(
    "name", sorted(n for n, r in ROUTES.items() if isinstance(r, Own) and r.must_not_show)
)
def test_list_pages_do_not_show_another_branchs_rows(name, who, county, client):
    other_token(county)
    client.force_login(getattr(county, who))
    response = client.get(reverse(name))
    assert response.status_code in {200, 403}, (name, who, response.status_code)
    if response.status_code == 200:
        body = response.content.decode()
        for text in ROUTES[name].must_not_show:
            assert text not in body, (name, who, text)


@pytest.mark.django_db
def test_the_admin_is_for_superusers_only(county, client):
    client.force_login(county.committee_admin)
    response = client.get("/superuser/")
    assert response.status_code == 302 and "/superuser/login/" in response["Location"]
    response = client.get("/superuser/members/member/")
    assert response.status_code == 302
