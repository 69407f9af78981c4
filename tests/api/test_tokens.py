"""Getting into the API: personal tokens (issued on the profile page or by the server's command), the browser
session, and the docs an integrator reads first."""

import json
import re
from io import StringIO

import pytest
from django.contrib.staticfiles import finders
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from partyedu.accounts.models import ApiToken
from partyedu.accounts.services import issue_api_token, revoke_api_token
from partyedu.orgs.models import OrganizationKind

MEMBERS = reverse("api:member_list")
ORGS = reverse("api:org_list")


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_personnel_system_reads_the_roster_with_the_token_its_admin_issued(county, client):
    _, raw = issue_api_token(county.education_admin, "人事系统同步")
    response = client.get(MEMBERS, **bearer(raw))
    assert response.status_code == 200
    assert {m["name"] for m in response.json()["items"]} == {"王五", "赵六"}


def test_nobody_gets_in_without_a_login_or_a_token_and_is_told_so_in_chinese(county, client):
    response = client.get(MEMBERS)
    assert response.status_code == 401
    assert "令牌" in response.json()["detail"]
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_mistyped_token_is_refused(county, client):
    _, raw = issue_api_token(county.education_admin, "人事系统同步")
    assert client.get(MEMBERS, **bearer(raw[:-1] + "x")).status_code == 401
    assert client.get(MEMBERS, HTTP_AUTHORIZATION=raw).status_code == 401  # the "Bearer " was forgotten


def test_a_revoked_token_stops_working_at_once(county, client):
    token, raw = issue_api_token(county.education_admin, "人事系统同步")
    assert client.get(MEMBERS, **bearer(raw)).status_code == 200
    revoke_api_token(token)
    response = client.get(MEMBERS, **bearer(raw))
    assert response.status_code == 401 and "令牌" in response.json()["detail"]


def test_a_bad_token_is_not_rescued_by_a_browser_session_that_happens_to_be_open(county, client):
    client.force_login(county.committee_admin)
    assert client.get(MEMBERS, **bearer("pe_wrong")).status_code == 401


def test_a_token_is_marked_as_used(county, client):
    token, raw = issue_api_token(county.education_admin, "人事系统同步")
    client.get(ORGS, **bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_logged_in_browser_reads_the_api_with_its_session(county, client):
    client.force_login(county.finance_secretary)
    response = client.get(MEMBERS)
    assert response.status_code == 200
    assert {m["name"] for m in response.json()["items"]} == {"张三", "李四", "曾小明"}


NEW_BRANCH = {"name": "县教育局机关第二党支部", "kind": OrganizationKind.BRANCH}


def test_a_session_write_needs_the_csrf_token_a_token_write_does_not(county):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(county.education_admin)
    payload = json.dumps({**NEW_BRANCH, "parent": county.education.pk})
    refused = browser.post(ORGS, payload, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]

    browser.get(reverse("accounts:profile"))  # like any page with a form, it sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    accepted = browser.post(ORGS, payload, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert accepted.status_code == 201

    _, raw = issue_api_token(county.education_admin, "脚本")
    script = Client(enforce_csrf_checks=True)
    payload = json.dumps({**NEW_BRANCH, "name": "县教育局机关第三党支部", "parent": county.education.pk})
    assert script.post(ORGS, payload, content_type="application/json", **bearer(raw)).status_code == 201


def test_an_anonymous_write_is_told_401_not_a_csrf_failure(county):
    anonymous = Client(enforce_csrf_checks=True)
    payload = json.dumps({**NEW_BRANCH, "parent": county.education.pk})
    assert anonymous.post(ORGS, payload, content_type="application/json").status_code == 401


# --- the command an administrator runs on the server ------------------------------------------------------
def run(*args) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_administrator_issues_a_token_on_the_server_and_it_works(county, client):
    raw = run("issue", "jiaoyu_dangwu", "--name", "对接人事系统").strip()
    assert raw.startswith("pe_")
    token = ApiToken.objects.get(user=county.education_admin)
    assert token.name == "对接人事系统" and raw not in token.token_hash  # only the hash is kept
    assert client.get(MEMBERS, **bearer(raw)).status_code == 200


def test_the_administrator_lists_a_users_tokens_without_their_secrets(county):
    raw = run("issue", "jiaoyu_dangwu", "--name", "对接人事系统").strip()
    listing = run("list", "jiaoyu_dangwu")
    assert "对接人事系统" in listing and "有效" in listing and raw not in listing


def test_the_administrator_revokes_a_leaked_token(county, client):
    raw = run("issue", "jiaoyu_dangwu", "--name", "对接人事系统").strip()
    token = ApiToken.objects.get(user=county.education_admin)
    assert "已作废" in run("revoke", str(token.pk))
    assert client.get(MEMBERS, **bearer(raw)).status_code == 401
    assert "已作废" in run("list", "jiaoyu_dangwu")


def test_the_command_says_what_is_wrong_in_chinese(county):
    with pytest.raises(CommandError, match="没有用户"):
        run("issue", "nobody", "--name", "x")
    with pytest.raises(CommandError, match="用途"):
        run("issue", "jiaoyu_dangwu", "--name", "  ")
    with pytest.raises(CommandError, match="没有编号为"):
        run("revoke", "99999")


# --- the documentation ------------------------------------------------------------------------------------
def test_the_openapi_schema_lists_every_route(db, client):
    schema = client.get(reverse("api:openapi-json")).json()
    paths = schema["paths"]
    assert set(paths["/api/v1/orgs"]) == {"get", "post"}
    assert set(paths["/api/v1/orgs/{org_id}"]) == {"get", "patch"}
    assert set(paths["/api/v1/members"]) == {"get", "post"}
    assert set(paths["/api/v1/members/{member_id}"]) == {"get", "patch"}
    assert {"BearerToken", "SessionAuth"} <= set(schema["components"]["securitySchemes"])


def test_every_route_has_a_stable_name(db):
    for name in ["org_list", "org_create", "member_list", "member_create"]:
        assert reverse(f"api:{name}")
    for name in ["org_detail", "org_update", "member_detail", "member_update"]:
        assert reverse(f"api:{name}", args=[1])


def test_the_docs_page_works_on_the_intranet_with_nothing_from_outside(county, client):
    client.force_login(county.education_admin)
    response = client.get(reverse("api:openapi-view"))
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    assert "http://" not in html and "https://" not in html
    # The page's scripts and styles must be served by us, i.e. ninja's static files are installed.
    for source in sources:
        assert finders.find(source.removeprefix("/static/")), (
            f"{source} 未找到：请把 'ninja' 加入 INSTALLED_APPS"
        )


def test_the_docs_page_runs_under_our_content_security_policy(db, client):
    response = client.get(reverse("api:openapi-view"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    html = response.content.decode()
    # The only script without src is Swagger's settings, a JSON data block the browser never executes.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline == [' type="application/json" id="swagger-settings"']
    assert "<style" not in html and " style=" not in html
