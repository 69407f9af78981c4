from django.urls import reverse

from partyedu.accounts.services import create_user

from ..conftest import PASSWORD


def test_a_member_logs_in_with_the_phone_number_he_remembers(db, client):
    create_user(username="lisi", password=PASSWORD, phone="13912345678")
    response = client.post(reverse("accounts:login"), {"username": "139 1234 5678", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("core:home")


def test_a_worker_logs_in_with_username_in_any_case(db, client):
    create_user(username="DangWu", password=PASSWORD)
    response = client.post(reverse("accounts:login"), {"username": "dangwu", "password": PASSWORD})
    assert response.status_code == 302


def test_a_wrong_password_is_told_in_chinese_and_stays_on_the_login_page(db, client):
    create_user(username="lisi", password=PASSWORD, phone="13912345678")
    response = client.post(reverse("accounts:login"), {"username": "13912345678", "password": "nope"})
    assert response.status_code == 200
    assert "用户名/手机号或密码不正确" in response.content.decode()


def test_every_page_sends_an_anonymous_visitor_to_login(db, client):
    response = client.get(reverse("members:roster"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_the_login_page_is_chinese_and_loads_nothing_from_outside(db, client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert "用户名或手机号" in html and 'lang="zh-CN"' in html
    assert "http://" not in html and "https://" not in html


def test_api_tokens_are_shown_once_and_can_be_revoked_from_the_profile(county, client):
    client.force_login(county.finance_secretary)
    response = client.post(reverse("accounts:token_issue"), {"name": "人事系统同步"})
    html = response.content.decode()
    assert "离开本页后将无法再次查看" in html
    token = county.finance_secretary.api_tokens.get()
    assert token.prefix in html and token.token_hash not in html
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "人事系统同步" in profile and html.split('id="token-value">')[1][:20] not in profile
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_one_cannot_revoke_another_users_token(county, client):
    from partyedu.accounts.services import issue_api_token

    token, _ = issue_api_token(county.committee_admin, "工委接口")
    client.force_login(county.finance_secretary)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
