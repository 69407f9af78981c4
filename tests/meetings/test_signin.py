"""QR sign-in: the screen in the meeting room shows a code that changes every few seconds; a member scans it with
his phone, confirms, and is signed in once. Old, forged, voided or out-of-window codes get a Chinese sentence."""

import datetime
import re
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from partyedu.meetings import services, signin
from partyedu.meetings.models import Attendance, AttendanceStatus

from ..conftest import PASSWORD
from ..factories import MemberFactory, make_org, make_user


def scan_url(token: str) -> str:
    return reverse("signin:scan", args=[token])


def clock(moment):
    return mock.patch("partyedu.meetings.signin.now", return_value=moment)


def row_of(meeting, member) -> Attendance:
    return Attendance.objects.get(meeting=meeting, member=member)


@pytest.fixture
def lisi(county):
    """李四 of the finance branch, with an account: a colleague of 张三."""
    return make_user("lisi", role="member", org=county.finance_branch, member=county.finance_members[1])


# --- the member's story ---------------------------------------------------------------------------------------
def test_opening_the_scanned_link_shows_the_meeting_and_signs_nobody_in(county, theme_day, client):
    client.force_login(county.finance_member_user)
    response = client.get(scan_url(signin.make_token(theme_day)))
    body = response.content.decode()
    assert response.status_code == 200
    assert "重温入党誓词" in body and "县财政局机关党支部" in body and "局三楼会议室" in body
    assert "确认签到" in body
    # link previews and prefetching browsers only GET: nothing is recorded
    assert row_of(theme_day, county.finance_members[0]).status == AttendanceStatus.ABSENT
    theme_day.refresh_from_db()
    assert theme_day.present_count == 0


def test_a_member_confirms_and_scanning_again_is_the_same_single_sign_in(county, theme_day, client):
    client.force_login(county.finance_member_user)
    token = signin.make_token(theme_day)
    moment = timezone.localtime(timezone.now())
    with clock(moment):
        response = client.post(scan_url(token))
    assert response.status_code == 200
    assert f"签到成功 {moment:%H:%M}" in response.content.decode()
    row = row_of(theme_day, county.finance_members[0])
    assert (row.status, row.method, row.checked_in_at) == ("present", "qr", moment)

    later = moment + datetime.timedelta(minutes=3)
    with clock(later):
        again = client.get(scan_url(signin.make_token(theme_day, at=later)))
        assert f"您已于 {moment:%H:%M} 签到" in again.content.decode()
        assert "确认签到" not in again.content.decode()
        again = client.post(scan_url(signin.make_token(theme_day, at=later)))
    assert f"您已于 {moment:%H:%M} 签到" in again.content.decode()
    theme_day.refresh_from_db()
    assert theme_day.present_count == 1
    assert Attendance.objects.filter(meeting=theme_day, status="present").count() == 1


def test_logging_in_from_the_scanned_link_comes_back_to_it(county, theme_day, client):
    url = scan_url(signin.make_token(theme_day))
    response = client.get(url)
    assert response.status_code == 302
    login_url = response["Location"]
    assert login_url.startswith(reverse("accounts:login"))
    page = client.get(login_url)
    assert f'value="{url}"' in page.content.decode()
    response = client.post(login_url, {"username": "zhangsan", "password": PASSWORD, "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert "确认签到" in client.get(url).content.decode()


# --- codes that must not work ---------------------------------------------------------------------------------
def test_a_code_is_good_for_about_a_minute_and_three_steps_old_is_expired(county, theme_day, client):
    client.force_login(county.finance_member_user)
    shown = timezone.now()
    token = signin.make_token(theme_day, at=shown)
    step = datetime.timedelta(seconds=signin.STEP_SECONDS)
    with clock(shown + 2 * step):
        assert client.get(scan_url(token)).status_code == 200
    with clock(shown + 3 * step):
        response = client.post(scan_url(token))
    assert response.status_code == 400
    assert "签到码已过期，请扫描屏幕上的最新签到码" in response.content.decode()
    assert row_of(theme_day, county.finance_members[0]).status == AttendanceStatus.ABSENT


def test_a_colleague_at_home_with_a_photographed_code_is_refused_once_it_is_old(
    county, theme_day, lisi, client
):
    """张三 photographs the screen and sends it to 李四, who stayed at home."""
    photographed_at = timezone.now()
    token = signin.make_token(theme_day, at=photographed_at)
    client.force_login(lisi)
    with clock(photographed_at + datetime.timedelta(minutes=2)):
        response = client.post(scan_url(token))
    assert response.status_code == 400
    assert "签到码已过期" in response.content.decode()
    assert row_of(theme_day, county.finance_members[1]).status == AttendanceStatus.ABSENT


def test_the_confirmation_page_lets_him_press_the_button_a_while_after_the_code_aged(
    county, theme_day, lisi, client
):
    scanned = timezone.now()
    token = signin.make_token(theme_day, at=scanned)
    client.force_login(county.finance_member_user)
    with clock(scanned):
        page = client.get(scan_url(token)).content.decode()
    stamp = re.search(r'name="stamp" value="([^"]+)"', page).group(1)
    with clock(scanned + datetime.timedelta(minutes=3)):
        assert client.post(scan_url(token), {"stamp": stamp}).status_code == 200
    assert row_of(theme_day, county.finance_members[0]).status == AttendanceStatus.PRESENT
    # the stamp is his own: forwarded with the code, it does not revive the code for 李四
    client.force_login(lisi)
    with clock(scanned + datetime.timedelta(minutes=3)):
        response = client.post(scan_url(token), {"stamp": stamp})
    assert response.status_code == 400
    assert row_of(theme_day, county.finance_members[1]).status == AttendanceStatus.ABSENT


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-3] + ("AAA" if not t.endswith("AAA") else "BBB"),  # signature altered
        lambda t: "9" + t,  # another meeting's id, same signature
        lambda t: t.split(".")[0] + "." + str(int(t.split(".")[1]) + 1) + "." + t.split(".", 2)[2],  # step
        lambda t: "hello",
        lambda t: "1.x.abc",
    ],
)
def test_a_tampered_or_made_up_code_is_invalid(county, theme_day, client, mangle):
    client.force_login(county.finance_member_user)
    for method in (client.get, client.post):
        response = method(scan_url(mangle(signin.make_token(theme_day))))
        assert response.status_code == 400
        assert "签到码无效" in response.content.decode()
    assert row_of(theme_day, county.finance_members[0]).status == AttendanceStatus.ABSENT


def test_rotating_the_key_voids_every_code_already_shown(county, theme_day, client):
    client.force_login(county.finance_member_user)
    old = signin.make_token(theme_day)
    services.rotate_signin_key(theme_day)
    response = client.post(scan_url(old))
    assert response.status_code == 400 and "签到码无效" in response.content.decode()
    assert client.post(scan_url(signin.make_token(theme_day))).status_code == 200


def test_the_secretary_voids_the_codes_from_the_screen(county, theme_day, client):
    old = signin.make_token(theme_day)
    client.force_login(county.finance_secretary)
    response = client.post(reverse("signin:rotate", args=[theme_day.pk]))
    assert response.status_code == 302
    with pytest.raises(signin.SignInRefused, match="签到码无效"):
        signin.read_token(old)


def test_signing_in_opens_30_minutes_before_and_closes_30_minutes_after(county, theme_day, client):
    client.force_login(county.finance_member_user)

    def try_at(moment):
        with clock(moment):
            return client.post(scan_url(signin.make_token(theme_day, at=moment)))

    too_early = try_at(theme_day.starts_at - datetime.timedelta(minutes=31))
    opens = timezone.localtime(theme_day.starts_at - datetime.timedelta(minutes=30))
    closes = timezone.localtime(theme_day.ends_at + datetime.timedelta(minutes=30))
    assert too_early.status_code == 400
    assert f"签到时间为 {opens:%H:%M}–{closes:%H:%M}，现在不能签到" in too_early.content.decode()
    too_late = try_at(theme_day.ends_at + datetime.timedelta(minutes=31))
    assert too_late.status_code == 400 and "会议已结束" in too_late.content.decode()
    assert row_of(theme_day, county.finance_members[0]).status == AttendanceStatus.ABSENT
    assert try_at(theme_day.ends_at + datetime.timedelta(minutes=29)).status_code == 200
    assert row_of(theme_day, county.finance_members[0]).status == AttendanceStatus.PRESENT


def test_a_meeting_on_another_day_names_the_day_in_its_window(county, client):
    in_two_days = timezone.localtime() + datetime.timedelta(days=2)
    meeting = services.create_meeting(
        organization=county.finance_branch,
        kind="party_lecture",
        theme="专题党课",
        starts_at=in_two_days,
        ends_at=in_two_days + datetime.timedelta(hours=1),
    )
    client.force_login(county.finance_member_user)
    response = client.get(scan_url(signin.make_token(meeting)))
    assert response.status_code == 400
    opens = in_two_days - datetime.timedelta(minutes=30)
    assert f"签到时间为 {opens.month}月{opens.day}日 {opens:%H:%M}–" in response.content.decode()


def test_a_cancelled_meeting_refuses_sign_in(county, theme_day, client):
    token = signin.make_token(theme_day)
    services.cancel_meeting(theme_day, reason="改期")
    client.force_login(county.finance_member_user)
    response = client.post(scan_url(token))
    assert response.status_code == 400 and "本次会议已取消" in response.content.decode()


# --- who may sign in ----------------------------------------------------------------------------------------
def test_a_member_of_a_sibling_branch_is_refused_on_get_and_post(county, theme_day, client):
    wangwu = make_user(
        "wangwu", role="member", org=county.education_branch, member=county.education_members[0]
    )
    client.force_login(wangwu)
    token = signin.make_token(theme_day)
    for method in (client.get, client.post):
        response = method(scan_url(token))
        assert response.status_code == 403
        body = response.content.decode()
        assert "您不是本次会议的参会人员" in body
        assert "重温入党誓词" not in body  # the refusal does not reveal another branch's meeting
    assert not Attendance.objects.filter(meeting=theme_day, member=county.education_members[0]).exists()


def test_a_working_committee_admin_with_a_member_record_signs_in_as_observer(county, theme_day, client):
    committee_branch = make_org("县直机关工委机关党支部", "branch", county.committee)
    inspector = MemberFactory.create(organization=committee_branch, name="孙督导")
    user = make_user("sundudao", role="committee_admin", org=county.committee, member=inspector)
    client.force_login(user)
    token = signin.make_token(theme_day)
    assert "列席旁听" in client.get(scan_url(token)).content.decode()
    response = client.post(scan_url(token))
    assert response.status_code == 200 and "签到成功" in response.content.decode()
    row = row_of(theme_day, inspector)
    assert (row.role, row.status) == ("observer", "present")
    theme_day.refresh_from_db()
    assert (theme_day.observer_count, theme_day.present_count, theme_day.expected_count) == (1, 0, 3)


def test_a_worker_of_another_unit_is_not_an_observer_here(county, theme_day, client):
    """The education bureau's party worker works beside the finance branch, not above it."""
    county.education_admin.member = county.education_members[1]
    county.education_admin.save()
    client.force_login(county.education_admin)
    response = client.post(scan_url(signin.make_token(theme_day)))
    assert response.status_code == 403 and "您不是本次会议的参会人员" in response.content.decode()


def test_an_account_without_a_member_record_is_told_why(county, theme_day, client):
    client.force_login(county.committee_admin)
    response = client.post(scan_url(signin.make_token(theme_day)))
    assert response.status_code == 403
    assert "尚未关联党员档案" in response.content.decode()


def test_a_leader_in_his_own_branch_is_marked_dual_life(county, theme_day, client):
    leader = county.finance_members[2]
    leader.is_leader = True
    leader.save()
    client.force_login(make_user("zengxiaoming", role="member", org=county.finance_branch, member=leader))
    response = client.post(scan_url(signin.make_token(theme_day)))
    assert "双重组织生活" in response.content.decode()
    assert row_of(theme_day, leader).dual_life


# --- the screen in the meeting room -------------------------------------------------------------------------
def test_the_screen_shows_a_working_code_the_count_and_the_latest_names(county, theme_day, client):
    services.sign_in(theme_day, county.finance_members[1])
    client.force_login(county.finance_secretary)
    response = client.get(reverse("signin:display", args=[theme_day.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in body and "重温入党誓词" in body and "局三楼会议室" in body
    assert re.search(r"已签到 <b[^>]*>1</b> / 应到 <b>3</b>", body)
    assert "李四" in body
    url = re.search(r'data-scan-url="([^"]+)"', body).group(1)
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert signin.read_token(token)[0] == theme_day
    assert "style=" not in body and "<script>" not in body  # the CSP allows neither


def test_the_screen_refreshes_only_its_live_part_with_a_new_code(county, theme_day, client):
    client.force_login(county.finance_secretary)
    url = reverse("signin:display", args=[theme_day.pk])
    later = timezone.now() + datetime.timedelta(minutes=1)
    with clock(later):
        fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'id="live"' in fragment and "<html" not in fragment
    assert f".{signin.step_of(later)}." in re.search(r'data-scan-url="([^"]+)"', fragment).group(1)


def test_the_screen_shows_no_code_outside_the_window(county, client):
    later = timezone.localtime() + datetime.timedelta(hours=3)
    meeting = services.create_meeting(
        organization=county.finance_branch,
        kind="branch_assembly",
        theme="党员大会",
        starts_at=later,
        ends_at=later + datetime.timedelta(hours=1),
    )
    client.force_login(county.finance_secretary)
    body = client.get(reverse("signin:display", args=[meeting.pk])).content.decode()
    assert "<svg" not in body and "data-scan-url" not in body
    opens = timezone.localtime(later - datetime.timedelta(minutes=30))
    assert "签到将于" in body and f"{opens:%H:%M} 开放" in body


def test_only_the_branchs_workers_open_the_screen(county, theme_day, client):
    client.force_login(county.finance_member_user)
    assert client.get(reverse("signin:display", args=[theme_day.pk])).status_code == 403
    client.force_login(county.committee_admin)
    assert client.get(reverse("signin:display", args=[theme_day.pk])).status_code == 200


def test_the_printable_sheet_lists_the_expected_names_with_a_blank_signature_column(
    county, theme_day, client
):
    services.request_leave(theme_day, county.finance_members[1], "出差")
    client.force_login(county.finance_secretary)
    body = client.get(reverse("signin:sheet", args=[theme_day.pk])).content.decode()
    assert "签名" in body and "请假：出差" in body
    assert re.findall(r'<td class="name">([^<]+)<', body) == ["李四", "曾小明", "张三"]  # pinyin order
