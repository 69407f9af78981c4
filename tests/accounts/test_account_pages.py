"""Party workers give members their accounts and branch secretaries their roles, from the pages they work on."""

import re

from django.urls import reverse
from django.utils import timezone

from partyedu.accounts.models import RoleAssignment, User
from partyedu.accounts.services import PASSWORD_ALPHABET, generate_password

from ..conftest import PASSWORD
from ..factories import make_org, make_user


def shown_password(response) -> str:
    return re.search(r'id="initial-password">([^<]+)<', response.content.decode()).group(1)


def live_roles(user) -> set[tuple[str, str]]:
    return {
        (a.role, a.organization.name)
        for a in user.role_assignments.filter(revoked_at__isnull=True).select_related("organization")
    }


def logs_in(client, login: str, password: str) -> bool:
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": login, "password": password})
    return response.status_code == 302


def test_a_secretary_opens_an_account_and_the_member_logs_in_by_phone_with_the_shown_password(county, client):
    lisi = county.finance_members[1]
    client.force_login(county.finance_secretary)
    assert "开通账号" in client.get(reverse("members:detail", args=[lisi.pk])).content.decode()

    response = client.post(reverse("accounts:member_open", args=[lisi.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "离开本页后将无法再次查看" in html and "首次登录后" in html
    assert "no-store" in response["Cache-Control"]
    password = shown_password(response)

    account = User.objects.get(member=lisi)
    assert account.username == lisi.mobile and account.phone == lisi.mobile
    assert live_roles(account) == {("member", "县财政局机关党支部")}
    assert logs_in(client, lisi.mobile, password)


def test_the_initial_password_is_not_shown_again(county, client):
    lisi = county.finance_members[1]
    client.force_login(county.finance_secretary)
    password = shown_password(client.post(reverse("accounts:member_open", args=[lisi.pk])))

    page = client.get(reverse("members:detail", args=[lisi.pk])).content.decode()
    assert lisi.mobile in page and "重置密码" in page and password not in page
    again = client.post(reverse("accounts:member_open", args=[lisi.pk]), follow=True).content.decode()
    assert "该党员已有账号" in again and password not in again
    assert User.objects.filter(member=lisi).count() == 1


def test_generated_passwords_are_long_and_have_no_look_alike_characters():
    for _ in range(200):
        password = generate_password()
        assert len(password) >= 10 and set(password) <= set(PASSWORD_ALPHABET)
        assert not set(password) & set("0oO1lIi")


def test_a_member_whose_mobile_is_someone_elses_login_gets_a_username_from_his_id(county, client):
    lisi = county.finance_members[1]
    make_user(lisi.mobile)  # say, his wife registered with the family's number
    client.force_login(county.finance_secretary)
    password = shown_password(client.post(reverse("accounts:member_open", args=[lisi.pk])))
    account = User.objects.get(member=lisi)
    assert account.username == f"m{lisi.pk}" and account.phone is None
    assert logs_in(client, f"m{lisi.pk}", password)


def test_a_secretary_cannot_open_accounts_for_another_branchs_member(county, client):
    wangwu = county.education_members[0]
    client.force_login(county.finance_secretary)
    assert client.post(reverse("accounts:member_open", args=[wangwu.pk])).status_code == 404
    assert not User.objects.filter(member=wangwu).exists()


def test_an_ordinary_member_sees_no_account_controls_on_his_own_record(county, client):
    client.force_login(county.finance_member_user)
    page = client.get(reverse("members:detail", args=[county.finance_members[0].pk])).content.decode()
    assert "重置密码" not in page and "开通账号" not in page
    response = client.post(reverse("accounts:member_reset_password", args=[county.finance_members[0].pk]))
    assert response.status_code == 403


def test_a_unit_party_worker_makes_a_member_secretary_of_a_branch_and_the_secretary_sees_its_roster(
    county, client
):
    branch, wangwu = county.education_branch, county.education_members[0]
    client.force_login(county.education_admin)
    page = client.get(reverse("orgs:detail", args=[branch.pk])).content.decode()
    assert "账号与角色" in page and "授予角色" in page and "工委管理员" not in page

    response = client.post(
        reverse("accounts:role_grant", args=[branch.pk]), {"member": wangwu.pk, "role": "secretary"}
    )
    assert response.status_code == 200 and "已同时为其开通" in response.content.decode()
    password = shown_password(response)
    account = User.objects.get(member=wangwu)
    assert live_roles(account) == {("member", branch.name), ("secretary", branch.name)}
    assert account.role_assignments.get(role="secretary").granted_by == county.education_admin

    assert logs_in(client, wangwu.mobile, password)
    roster = client.get(reverse("members:roster")).content.decode()
    assert "赵六" in roster and "张三" not in roster


def test_granting_to_a_member_who_has_an_account_adds_the_role_without_a_new_password(county, client):
    zhangsan = county.finance_member_user
    client.force_login(county.committee_admin)
    response = client.post(
        reverse("accounts:role_grant", args=[county.finance_branch.pk]),
        {"member": county.finance_members[0].pk, "role": "secretary"},
        follow=True,
    )
    assert "已授予张三“县财政局机关党支部”的支部书记角色" in response.content.decode()
    assert ("secretary", "县财政局机关党支部") in live_roles(zhangsan)
    zhangsan.refresh_from_db()
    assert zhangsan.check_password(PASSWORD)


def test_a_unit_party_worker_cannot_grant_on_another_unit_nor_make_a_committee_admin(county, client):
    client.force_login(county.education_admin)
    other = client.post(
        reverse("accounts:role_grant", args=[county.finance_branch.pk]),
        {"member": county.finance_members[1].pk, "role": "secretary"},
    )
    assert other.status_code == 404
    above = client.post(
        reverse("accounts:role_grant", args=[county.committee.pk]),
        {"member": county.education_members[0].pk, "role": "committee_admin"},
    )
    assert above.status_code == 404
    response = client.post(
        reverse("accounts:role_grant", args=[county.education.pk]),
        {"member": county.education_members[0].pk, "role": "committee_admin"},
        follow=True,
    )
    assert "您不能在该组织授予这个角色" in response.content.decode()
    outsider = client.post(
        reverse("accounts:role_grant", args=[county.education.pk]),
        {"member": county.finance_members[1].pk, "role": "org_admin"},
        follow=True,
    )
    assert "请选择本组织的在册党员" in outsider.content.decode()
    assert not User.objects.filter(
        member__in=[county.education_members[0], county.finance_members[1]]
    ).exists()


def test_only_a_committee_admin_makes_another_committee_admin_and_only_on_the_committee(county, client):
    client.force_login(county.committee_admin)
    on_unit = client.post(
        reverse("accounts:role_grant", args=[county.education.pk]),
        {"member": county.education_members[0].pk, "role": "committee_admin"},
        follow=True,
    )
    assert "您不能在该组织授予这个角色" in on_unit.content.decode()
    client.post(
        reverse("accounts:role_grant", args=[county.committee.pk]),
        {"member": county.education_members[0].pk, "role": "committee_admin"},
    )
    account = User.objects.get(member=county.education_members[0])
    assert ("committee_admin", county.committee.name) in live_roles(account)


def test_a_secretary_sees_no_roles_section_and_cannot_revoke(county, client):
    client.force_login(county.finance_secretary)
    page = client.get(reverse("orgs:detail", args=[county.finance_branch.pk])).content.decode()
    assert "账号与角色" not in page
    assignment = county.finance_member_user.role_assignments.get()
    assert client.post(reverse("accounts:role_revoke", args=[assignment.pk])).status_code == 403
    assignment.refresh_from_db()
    assert assignment.revoked_at is None


def test_a_revoked_secretary_loses_the_branchs_roster(county, client):
    branch = county.education_branch
    secretary = make_user("wangwu", role="secretary", org=branch, member=county.education_members[0])
    assignment = secretary.role_assignments.get()
    client.force_login(county.education_admin)
    page = client.get(reverse("orgs:detail", args=[branch.pk])).content.decode()
    assert "撤销" in page and "wangwu" in page

    client.post(reverse("accounts:role_revoke", args=[assignment.pk]))
    assignment.refresh_from_db()
    assert assignment.revoked_at is not None
    client.force_login(secretary)
    assert client.get(reverse("members:roster")).status_code == 403
    assert client.get(reverse("orgs:detail", args=[branch.pk])).status_code == 404


def test_nobody_revokes_his_own_role_by_a_stray_click(county, client):
    client.force_login(county.education_admin)
    own = county.education_admin.role_assignments.get()
    assert client.post(reverse("accounts:role_revoke", args=[own.pk])).status_code == 403
    own.refresh_from_db()
    assert own.revoked_at is None


def test_the_member_list_of_a_big_unit_is_cut_short_but_any_member_can_still_be_chosen(
    county, client, monkeypatch
):
    monkeypatch.setattr("partyedu.accounts.forms.MEMBER_CHOICES_LIMIT", 2)
    client.force_login(county.committee_admin)
    response = client.get(reverse("orgs:detail", args=[county.finance_branch.pk]))
    form = response.context["grant_form"]
    assert form.truncated and len(form.fields["member"].choices) == 3  # the empty choice and two members
    assert "前 500 人" in response.content.decode()
    listed = {pk for pk, _ in form.fields["member"].choices if pk}
    unlisted = next(m for m in county.finance_members if m.pk not in listed)
    client.post(
        reverse("accounts:role_grant", args=[county.finance_branch.pk]),
        {"member": unlisted.pk, "role": "member"},
    )
    assert User.objects.filter(member=unlisted).exists()


def test_a_secretary_resets_a_members_forgotten_password_and_the_old_one_stops_working(county, client):
    zhangsan = county.finance_members[0]
    client.force_login(county.finance_secretary)
    response = client.post(reverse("accounts:member_reset_password", args=[zhangsan.pk]))
    assert response.status_code == 200 and "原密码已失效" in response.content.decode()
    password = shown_password(response)
    assert not logs_in(client, "zhangsan", PASSWORD)
    assert logs_in(client, "zhangsan", password)


def test_a_secretary_may_not_reset_the_password_of_a_committee_admin_in_his_branch(county, client):
    lisi = county.finance_members[1]
    admin = make_user("gongwei2", role="committee_admin", org=county.committee, member=lisi)
    client.force_login(county.finance_secretary)
    page = client.get(reverse("members:detail", args=[lisi.pk])).content.decode()
    assert "gongwei2" in page and "重置密码" not in page and "停用账号" not in page
    assert client.post(reverse("accounts:member_reset_password", args=[lisi.pk])).status_code == 403
    assert (
        client.post(reverse("accounts:member_set_active", args=[lisi.pk]), {"active": "0"}).status_code == 403
    )
    admin.refresh_from_db()
    assert admin.check_password(PASSWORD) and admin.is_active

    client.force_login(county.committee_admin)
    assert client.post(reverse("accounts:member_reset_password", args=[lisi.pk])).status_code == 200


def test_nor_that_of_his_units_party_worker_or_a_superuser(county, client):
    lisi, zeng = county.finance_members[1], county.finance_members[2]
    make_user("caizheng_dangwu", role="org_admin", org=county.finance, member=lisi)
    root = User.objects.create_superuser("root", password=PASSWORD, member=zeng)
    client.force_login(county.finance_secretary)
    assert client.post(reverse("accounts:member_reset_password", args=[lisi.pk])).status_code == 403
    client.force_login(county.committee_admin)
    assert client.post(reverse("accounts:member_reset_password", args=[zeng.pk])).status_code == 403
    root.refresh_from_db()
    assert root.check_password(PASSWORD)


def test_a_switched_off_account_cannot_log_in_until_switched_on_again(county, client):
    zhangsan = county.finance_members[0]
    client.force_login(county.finance_secretary)
    client.post(reverse("accounts:member_set_active", args=[zhangsan.pk]), {"active": "0"})
    assert "启用账号" in client.get(reverse("members:detail", args=[zhangsan.pk])).content.decode()
    assert not logs_in(client, "zhangsan", PASSWORD)

    client.force_login(county.finance_secretary)
    client.post(reverse("accounts:member_set_active", args=[zhangsan.pk]), {"active": "1"})
    assert logs_in(client, "zhangsan", PASSWORD)
    assert live_roles(county.finance_member_user) == {("member", "县财政局机关党支部")}


def test_a_transferred_member_takes_his_member_role_to_the_new_branch(county, client):
    zhangsan = county.finance_member_user
    client.force_login(county.committee_admin)
    response = client.post(
        reverse("members:transfer", args=[county.finance_members[0].pk]),
        {
            "organization": county.education_branch.pk,
            "on": timezone.localdate().isoformat(),
            "reason": "工作调动",
        },
        follow=True,
    )
    assert "未自动撤销" not in response.content.decode()
    assert live_roles(zhangsan) == {("member", "县教育局机关第一党支部")}
    old = RoleAssignment.objects.get(user=zhangsan, organization=county.finance_branch)
    assert old.revoked_at is not None


def test_a_transferred_secretary_keeps_his_old_post_until_a_worker_decides_and_is_told_so(county, client):
    lisi = county.finance_members[1]
    secretary = make_user("lisi", role="secretary", org=county.finance_branch, member=lisi)
    client.force_login(county.committee_admin)
    response = client.post(
        reverse("members:transfer", args=[lisi.pk]),
        {
            "organization": county.education_branch.pk,
            "on": timezone.localdate().isoformat(),
            "reason": "工作调动",
        },
        follow=True,
    )
    assert "该党员在原组织担任的角色未自动撤销，请到组织页面调整" in response.content.decode()
    assert live_roles(secretary) == {
        ("secretary", "县财政局机关党支部"),
        ("member", "县教育局机关第一党支部"),
    }


def test_a_move_within_the_unit_leaves_the_unit_workers_role_without_a_warning(county, client):
    second = make_org("县教育局机关第二党支部", "branch", county.education)
    wangwu = county.education_members[0]
    make_user("wangwu", role="org_admin", org=county.education, member=wangwu)
    client.force_login(county.committee_admin)
    response = client.post(
        reverse("members:transfer", args=[wangwu.pk]),
        {"organization": second.pk, "on": timezone.localdate().isoformat(), "reason": "支部调整"},
        follow=True,
    )
    assert "未自动撤销" not in response.content.decode()
