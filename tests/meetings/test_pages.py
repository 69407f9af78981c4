"""The worker's meeting pages: a branch secretary plans and records meetings, keeps attendance, uploads photos,
and keeps the 支委 roster that decides who is expected at a 支委会."""

import datetime
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partyedu.meetings import committee_services, services
from partyedu.meetings.models import (
    Attachment,
    AttendanceStatus,
    CommitteeMember,
    Meeting,
    MeetingStatus,
    MemberLifeStats,
)

from .conftest import at


def real_png(width: int = 4, height: int = 3) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xb7\x1c\x1c" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def secretary(county, client):
    client.force_login(county.finance_secretary)
    return client


def meeting_post(county, **overrides):
    day = overrides.pop("day", timezone.localdate() + datetime.timedelta(days=7))
    data = {
        "mode": "plan",
        "organization": county.finance_branch.pk,
        "kind": "theme_day",
        "theme": "学习新修订的《条例》",
        "start_date": f"{day:%Y-%m-%d}",
        "start_time": "15:00",
        "end_time": "17:00",
        "place": "局三楼会议室",
        "host": county.finance_members[0].pk,
        "recorder": county.finance_members[1].pk,
        "notice": "请全体党员准时参加。",
        "agenda-0-title": "传达学习上级精神",
        "agenda-0-first": "1",
        "agenda-0-speaker": "张三",
        "agenda-1-title": "交流研讨",
        "agenda-2-title": "",
    }
    data.update(overrides)
    return data


def branch_meeting(county, org=None, days_ago=0, **extra):
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    fields = {
        "organization": org or county.finance_branch,
        "kind": "branch_assembly",
        "theme": "季度党员大会",
        "starts_at": at(day),
        "ends_at": at(day, 17),
        "held": True,
    }
    fields.update(extra)
    return services.create_meeting(**fields)


# --- planning and recording -----------------------------------------------------------------------------------
def test_a_secretary_plans_a_theme_day_and_the_expected_attendees_appear(county, secretary):
    page = secretary.get(reverse("meetings:create"))
    assert page.status_code == 200
    html = page.content.decode()
    # he records for one branch only: it is chosen for him, with its kinds and its members
    assert "计划会议" in html and "曾小明" in html and 'value="center_group_study"' not in html

    response = secretary.post(reverse("meetings:create"), meeting_post(county))
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "meetings:detail", args=[meeting.pk]
    )
    assert meeting.status == MeetingStatus.PLANNED and meeting.notice == "请全体党员准时参加。"
    assert timezone.localtime(meeting.starts_at).hour == 15
    assert meeting.host == county.finance_members[0]
    assert [(a.title, a.is_first_agenda) for a in meeting.agenda.all()] == [
        ("传达学习上级精神", True),
        ("交流研讨", False),
    ]
    assert set(meeting.attendances.values_list("member__name", flat=True)) == {"张三", "李四", "曾小明"}

    html = secretary.get(response["Location"], follow=True).content.decode()
    assert "已计划会议“学习新修订的《条例》”，应到 3 人" in html
    assert all(name in html for name in ("张三", "李四", "曾小明"))
    assert (
        "签到二维码（投屏）" in html and reverse("signin:display", kwargs={"meeting_id": meeting.pk}) in html
    )
    assert "第一议题" in html


def test_a_past_branch_assembly_is_recorded_with_its_minutes_cleaned(county, secretary):
    day = timezone.localdate() - datetime.timedelta(days=10)
    data = meeting_post(
        county,
        mode="record",
        kind="branch_assembly",
        theme="讨论接收预备党员",
        day=day,
        minutes="<p>会议讨论了<strong>发展对象</strong>。</p><script>alert('x')</script><p onclick=\"x()\">一致同意。</p>",
        decisions="同意接收李四为预备党员",
    )
    response = secretary.post(reverse("meetings:create"), data)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.status == MeetingStatus.HELD and meeting.held_on == day
    assert meeting.minutes == "<p>会议讨论了<strong>发展对象</strong>。</p><p>一致同意。</p>"
    assert meeting.notice == ""  # a record after the fact has no notice
    html = secretary.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "<strong>发展对象</strong>" in html and "alert(" not in html and "onclick" not in html
    assert '<span class="badge red">第一议题</span> 传达学习上级精神' in html
    assert "同意接收李四为预备党员" in html


def test_plain_text_minutes_become_paragraphs_and_are_edited_as_text(county, secretary):
    data = meeting_post(
        county, mode="record", day=timezone.localdate(), minutes="第一段\n续行\n\n第二段 <b>不是标签"
    )
    data["minutes"] = "第一段\n续行\n\n第二段 a<b"
    secretary.post(reverse("meetings:create"), data)
    meeting = Meeting.objects.get()
    assert meeting.minutes == "<p>第一段<br>续行</p><p>第二段 a&lt;b</p>"
    form = secretary.get(reverse("meetings:edit", args=[meeting.pk])).context["form"]
    assert form.initial["minutes"] == "第一段\n续行\n\n第二段 a<b"


def test_a_kind_the_organisation_does_not_hold_is_refused_on_the_form(county, secretary):
    response = secretary.post(reverse("meetings:create"), meeting_post(county, kind="center_group_study"))
    assert response.status_code == 200
    assert "党支部不召开理论学习中心组学习" in response.context["form"].errors["kind"][0]
    assert not Meeting.objects.exists()
    # what he typed stays on the page
    assert "传达学习上级精神" in response.content.decode()


def test_an_end_before_the_start_is_refused_on_the_form(county, secretary):
    response = secretary.post(reverse("meetings:create"), meeting_post(county, end_time="14:00"))
    assert response.status_code == 200
    assert response.context["form"].errors["end_time"] == ["结束时间不能早于开始时间"]
    assert not Meeting.objects.exists()


def test_two_first_agenda_items_are_refused_and_the_rows_are_kept(county, secretary):
    data = meeting_post(county, **{"agenda-1-first": "1"})
    response = secretary.post(reverse("meetings:create"), data)
    assert response.status_code == 200 and not Meeting.objects.exists()
    html = response.content.decode()
    assert "只能有一个第一议题" in html and 'value="交流研讨"' in html


def test_a_host_from_another_branch_is_refused(county, secretary):
    response = secretary.post(
        reverse("meetings:create"), meeting_post(county, host=county.education_members[0].pk)
    )
    assert response.context["form"].errors["host"] == ["主持人须为本组织的在册党员"]


def test_an_organisation_outside_his_scope_cannot_be_chosen(county, secretary):
    response = secretary.post(
        reverse("meetings:create"), meeting_post(county, organization=county.education_branch.pk)
    )
    assert response.status_code == 200 and "organization" in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_choosing_the_organisation_reloads_its_kinds_and_members(county, client):
    client.force_login(county.education_admin)
    url = reverse("meetings:org_fields")
    html = client.get(
        url, {"organization": county.education_group.pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "党小组会" in html and "主题党日" not in html and "<html" not in html
    html = client.get(
        url, {"organization": county.education.pk, "kind": "center_group_study"}
    ).content.decode()
    assert '<option value="center_group_study" selected>' in html and "王五" in html
    # an organisation outside his scope gives nothing away
    html = client.get(url, {"organization": county.finance_branch.pk}).content.decode()
    assert "张三" not in html


def test_add_agenda_row_returns_the_next_row_and_moves_the_counter(county, secretary):
    html = secretary.get(reverse("meetings:agenda_row"), {"agenda_next": "3"}).content.decode()
    assert 'name="agenda-3-title"' in html and 'name="agenda-3-first"' in html
    assert 'id="agenda-next" name="agenda_next" value="4" hx-swap-oob="true"' in html
    assert secretary.get(reverse("meetings:agenda_row"), {"agenda_next": "x"}).status_code == 204


def test_editing_changes_the_meeting_and_its_agenda(county, secretary, theme_day):
    url = reverse("meetings:edit", args=[theme_day.pk])
    form = secretary.get(url).context["form"]
    assert form.initial["theme"] == "重温入党誓词"
    day = timezone.localdate()
    data = meeting_post(county, day=day, theme="重温入党誓词（调整）", **{"agenda-1-title": ""})
    data.pop("organization")
    response = secretary.post(url, data)
    assert response.status_code == 302
    theme_day.refresh_from_db()
    assert theme_day.theme == "重温入党誓词（调整）"
    assert list(theme_day.agenda.values_list("title", flat=True)) == ["传达学习上级精神"]


# --- one meeting: status, attendance, attachments ---------------------------------------------------------------
def test_the_recorder_marks_leave_with_a_reason_and_signs_in_by_hand(county, secretary, theme_day):
    li_si, zhang_san = county.finance_members[1], county.finance_members[0]
    url = reverse("meetings:attendance", args=[theme_day.pk, li_si.pk])

    response = secretary.post(url, {"status": "leave", "reason": ""}, HTTP_HX_REQUEST="true")
    assert "请填写请假事由" in response.content.decode()
    assert theme_day.attendances.get(member=li_si).status == AttendanceStatus.ABSENT

    response = secretary.post(url, {"status": "leave", "reason": "外出培训"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.strip().startswith(f'<tr id="att-{li_si.pk}">') and "外出培训" in html and "<html" not in html
    # the counters beside the table follow
    assert 'id="attendance-counts"' in html and 'hx-swap-oob="true"' in html
    row = theme_day.attendances.get(member=li_si)
    assert (row.status, row.leave_reason) == (AttendanceStatus.LEAVE, "外出培训")

    url = reverse("meetings:attendance", args=[theme_day.pk, zhang_san.pk])
    html = secretary.post(url, {"status": "present"}, HTTP_HX_REQUEST="true").content.decode()
    assert "补签" in html
    row = theme_day.attendances.get(member=zhang_san)
    assert row.status == AttendanceStatus.PRESENT and row.method == "manual" and row.checked_in_at
    theme_day.refresh_from_db()
    assert (theme_day.present_count, theme_day.leave_count, theme_day.absent_count) == (1, 1, 1)


def test_an_observer_from_a_superior_organisation_is_added_by_mobile(county, client):
    meeting = branch_meeting(county, org=county.education_branch)
    client.force_login(county.education_admin)
    outsider = county.finance_members[2]
    response = client.post(
        reverse("meetings:add_observer", args=[meeting.pk]), {"who": outsider.mobile}, follow=True
    )
    html = response.content.decode()
    assert "已添加列席人员：曾小明" in html
    # his name, and nothing else about someone outside this worker's scope
    assert outsider.citizen_id not in html and outsider.mobile not in html
    assert meeting.attendances.get(member=outsider).role == "observer"
    response = client.post(
        reverse("meetings:add_observer", args=[meeting.pk]), {"who": "13900000000"}, follow=True
    )
    assert "没有找到该身份证号或手机号对应的在册人员" in response.content.decode()
    response = client.post(
        reverse("meetings:add_observer", args=[meeting.pk]),
        {"who": county.education_members[0].mobile},
        follow=True,
    )
    assert "王五是本次会议的应到人员" in response.content.decode()


def test_a_photo_that_is_really_text_is_refused_and_the_others_are_kept(county, secretary, theme_day):
    fake = SimpleUploadedFile("现场照片.jpg", "这不是照片".encode(), content_type="image/jpeg")
    good = SimpleUploadedFile("合影.png", real_png(), content_type="image/png")
    response = secretary.post(
        reverse("meetings:upload", args=[theme_day.pk]), {"files": [fake, good]}, follow=True
    )
    html = response.content.decode()
    assert "文件“现场照片.jpg”不是照片（JPG/PNG）、PDF、Word（docx）或 Excel（xlsx），不能上传" in html
    assert "已上传 1 个附件" in html
    item = Attachment.objects.get()
    assert item.original_name == "合影.png" and item.content_type == "image/png"
    # a thumbnail served through the access-checked view, never a public MEDIA address
    download = reverse("meetings:attachment", args=[theme_day.pk, item.pk])
    assert f'<img src="{download}"' in html and "/media/" not in html
    response = secretary.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == real_png()
    assert "attachment" not in response.get("Content-Disposition", "")


def test_a_pdf_downloads_as_a_file(county, secretary, theme_day):
    secretary.post(
        reverse("meetings:upload", args=[theme_day.pk]),
        {"files": [SimpleUploadedFile("会议纪要.pdf", b"%PDF-1.4\n%test\n")]},
    )
    item = Attachment.objects.get()
    response = secretary.get(reverse("meetings:attachment", args=[theme_day.pk, item.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")


def test_another_branchs_secretary_cannot_download_an_attachment(county, client):
    meeting = branch_meeting(county, org=county.education_branch)
    item = services.attach_file(
        meeting, SimpleUploadedFile("合影.png", real_png()), by=county.education_admin
    )
    url = reverse("meetings:attachment", args=[meeting.pk, item.pk])
    client.force_login(county.finance_secretary)
    assert client.get(url).status_code == 404
    client.force_login(county.education_admin)
    assert client.get(url).status_code == 200


def test_a_planned_meeting_is_cancelled_with_its_reason(county, secretary):
    secretary.post(reverse("meetings:create"), meeting_post(county))
    meeting = Meeting.objects.get()
    response = secretary.post(
        reverse("meetings:cancel", args=[meeting.pk]), {"reason": "与县委全会冲突"}, follow=True
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED and "取消原因：与县委全会冲突" in meeting.decisions
    html = response.content.decode()
    assert "会议已取消" in html and "签到二维码（投屏）" not in html
    assert reverse("meetings:attendance", args=[meeting.pk, county.finance_members[0].pk]) not in html


def test_a_meeting_under_way_is_marked_held_but_not_one_in_the_future(county, secretary, theme_day):
    secretary.post(reverse("meetings:mark_held", args=[theme_day.pk]))
    theme_day.refresh_from_db()
    assert theme_day.status == MeetingStatus.HELD
    secretary.post(reverse("meetings:create"), meeting_post(county))
    future = Meeting.objects.exclude(pk=theme_day.pk).get()
    response = secretary.post(reverse("meetings:mark_held", args=[future.pk]), follow=True)
    assert "会议尚未开始，不能标记为已召开" in response.content.decode()
    future.refresh_from_db()
    assert future.status == MeetingStatus.PLANNED


# --- who may open what --------------------------------------------------------------------------------------------
def test_a_plain_member_is_sent_to_his_own_pages(county, client, theme_day):
    client.force_login(county.finance_member_user)
    assert client.get(reverse("meetings:list")).status_code == 403
    assert client.get(reverse("meetings:create")).status_code == 403
    # his own branch's meeting he may read, not change
    assert client.get(reverse("meetings:detail", args=[theme_day.pk])).status_code == 200
    assert client.get(reverse("meetings:edit", args=[theme_day.pk])).status_code == 403
    response = client.post(
        reverse("meetings:attendance", args=[theme_day.pk, county.finance_members[1].pk]),
        {"status": "present"},
    )
    assert response.status_code == 403
    assert theme_day.attendances.get(member=county.finance_members[1]).status == AttendanceStatus.ABSENT


def test_another_branchs_meeting_is_not_found_and_stays_unchanged(county, client):
    meeting = branch_meeting(county, org=county.education_branch)
    client.force_login(county.finance_secretary)
    wang_wu = county.education_members[0]
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
    response = client.post(
        reverse("meetings:attendance", args=[meeting.pk, wang_wu.pk]), {"status": "present"}
    )
    assert response.status_code == 404
    assert meeting.attendances.get(member=wang_wu).status == AttendanceStatus.ABSENT


# --- the list -------------------------------------------------------------------------------------------------------
def test_the_list_filters_by_organisation_kind_status_month_and_theme(county, client):
    today = timezone.localdate()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    branch_meeting(county, theme="财政局党员大会", days_ago=0)
    branch_meeting(county, org=county.education_branch, theme="教育局党员大会", days_ago=0)
    services.create_meeting(
        organization=county.finance_branch,
        kind="theme_day",
        theme="上月主题党日",
        starts_at=at(last_month),
        ends_at=at(last_month, 17),
    )
    client.force_login(county.committee_admin)
    url = reverse("meetings:list")

    def themes(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return {m.theme for m in response.context["page"].object_list}

    assert themes() == {"财政局党员大会", "教育局党员大会", "上月主题党日"}
    assert themes(org=county.education.pk) == {"教育局党员大会"}
    assert themes(kind="theme_day") == {"上月主题党日"}
    assert themes(status="planned") == {"上月主题党日"}
    assert themes(month=f"{last_month:%Y-%m}") == {"上月主题党日"}
    assert themes(date_from=f"{today:%Y-%m-%d}", date_to=f"{today:%Y-%m-%d}") == {
        "财政局党员大会",
        "教育局党员大会",
    }
    assert themes(q="教育局") == {"教育局党员大会"}
    # a secretary sees his own branch's meetings only, and has the buttons to record
    client.force_login(county.finance_secretary)
    response = client.get(url)
    assert {m.theme for m in response.context["page"].object_list} == {"财政局党员大会", "上月主题党日"}
    html = response.content.decode()
    assert "计划会议" in html and "补录会议" in html and "支委会成员/中心组成员" in html
    # the htmx filter answers the results only
    response = client.get(url, {"q": "主题"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert "<html" not in response.content.decode() and "上月主题党日" in response.content.decode()


def test_the_list_costs_the_same_queries_for_3_or_30_meetings(county, client):
    client.force_login(county.committee_admin)
    url = reverse("meetings:list")
    for i in range(3):
        branch_meeting(county, theme=f"会议{i}", days_ago=i)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(3, 30):
        branch_meeting(
            county,
            org=county.education_branch if i % 2 else county.finance_branch,
            theme=f"会议{i}",
            days_ago=i,
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["page"].object_list) == 30
    assert "应到" in response.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)


# --- committee rosters ------------------------------------------------------------------------------------------------
def test_the_branch_committee_roster_decides_who_is_expected_at_a_zhiweihui(county, secretary):
    url = reverse("meetings:committee", args=[county.finance_branch.pk])
    zhang, li, zeng = county.finance_members
    page = secretary.get(url)
    assert page.status_code == 200 and "支委会成员" in page.content.decode()
    for member, position in [(zhang, "书记"), (li, "组织委员"), (zeng, "宣传委员")]:
        response = secretary.post(
            url, {"member": member.pk, "position": position, "started_on": "2024-03-01"}
        )
        assert response.status_code == 302
    # the same person twice is refused
    response = secretary.post(url, {"member": li.pk, "position": "委员", "started_on": "2024-05-01"})
    assert "李四已是支委会成员，请勿重复添加" in response.content.decode()
    # 曾小明 leaves the committee; an end before his start is refused
    seat = CommitteeMember.objects.get(member=zeng)
    end_url = reverse("meetings:committee_end", args=[seat.pk])
    response = secretary.post(end_url, {"ended_on": "2024-01-01"}, follow=True)
    assert "卸任日期不能早于任职日期（2024-03-01）" in response.content.decode()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    secretary.post(end_url, {"ended_on": f"{yesterday:%Y-%m-%d}"})
    seat.refresh_from_db()
    assert seat.ended_on == yesterday
    html = secretary.get(url).content.decode()
    assert "历任" in html

    response = secretary.post(
        reverse("meetings:create"), meeting_post(county, kind="branch_committee", day=timezone.localdate())
    )
    meeting = Meeting.objects.get()
    assert set(meeting.attendances.values_list("member__name", flat=True)) == {"张三", "李四"}


def test_a_new_seat_joins_the_planned_zhiweihui_already_noticed(county):
    start = timezone.localdate() + datetime.timedelta(days=5)
    meeting = services.create_meeting(
        organization=county.finance_branch,
        kind="branch_committee",
        theme="研究发展党员工作",
        starts_at=at(start),
        ends_at=at(start, 17),
    )
    assert meeting.expected_count == 0
    committee_services.add_committee_member(
        organization=county.finance_branch, member=county.finance_members[0], started_on=timezone.localdate()
    )
    meeting.refresh_from_db()
    assert meeting.expected_count == 1


def test_a_unit_keeps_its_center_group_roster(county, client):
    client.force_login(county.education_admin)
    index = client.get(reverse("meetings:committee_index")).content.decode()
    assert "县教育局党委" in index and "中心组成员" in index and "县教育局机关第一党支部" in index
    url = reverse("meetings:committee", args=[county.education.pk])
    client.post(
        url, {"member": county.education_members[0].pk, "position": "组长", "started_on": "2025-01-01"}
    )
    seat = CommitteeMember.objects.get()
    assert (seat.body, seat.organization) == ("center_group", county.education)
    # a 党小组 keeps no roster; a member of another unit cannot be seated
    assert client.get(reverse("meetings:committee", args=[county.education_group.pk])).status_code == 404
    client.force_login(county.committee_admin)
    response = client.post(url, {"member": county.finance_members[0].pk, "started_on": "2025-01-01"})
    assert "请选择本组织的在册党员" in response.content.decode()


def test_a_typo_in_the_year_is_refused_with_the_reason(county, secretary):
    """The date picker lets a secretary type 0202 or 2205; such a meeting would sit forever in no ledger."""
    for day, reason in [("0202-03-05", "会议日期过早"), ("2205-03-05", "会议日期过晚")]:
        response = secretary.post(reverse("meetings:create"), meeting_post(county, start_date=day))
        assert response.status_code == 200
        assert reason in response.context["form"].errors["start_date"][0]
    assert not Meeting.objects.exists()
    # last year's meeting recorded late is still welcome
    day = timezone.localdate().replace(month=1, day=5) - datetime.timedelta(days=365)
    response = secretary.post(reverse("meetings:create"), meeting_post(county, mode="record", day=day))
    assert response.status_code == 302 and Meeting.objects.get().held_on == day


def test_a_theme_pasted_too_long_is_refused_in_plain_chinese(county, secretary):
    response = secretary.post(reverse("meetings:create"), meeting_post(county, theme="学" * 500))
    assert response.status_code == 200 and not Meeting.objects.exists()
    assert response.context["form"].errors["theme"] == ["会议主题不超过 200 字（现有 500 字）"]


def test_moving_a_held_meeting_to_another_day_updates_the_members_life_records(county, secretary):
    from partyedu.members.models import MembershipPeriod

    MembershipPeriod.objects.update(started_on=timezone.localdate() - datetime.timedelta(days=20))
    meeting = branch_meeting(county, days_ago=3)
    zhang, li = county.finance_members[:2]
    services.mark_attendance(meeting, zhang, "present")
    assert MemberLifeStats.objects.get(member=li).consecutive_absences == 1
    # the date was wrong: the assembly was held 10 days ago
    day = timezone.localdate() - datetime.timedelta(days=10)
    data = meeting_post(county, mode="record", kind="branch_assembly", theme="季度党员大会", day=day)
    response = secretary.post(reverse("meetings:edit", args=[meeting.pk]), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.held_on, meeting.expected_count, meeting.present_count) == (day, 3, 1)
    assert MemberLifeStats.objects.get(member=zhang).last_present_on == day
    assert MemberLifeStats.objects.get(member=li).last_expected_on == day
    # moved to before they joined the branch: nobody was expected, and nobody's record keeps that day
    day = timezone.localdate() - datetime.timedelta(days=40)
    data.update(start_date=f"{day:%Y-%m-%d}")
    secretary.post(reverse("meetings:edit", args=[meeting.pk]), data)
    meeting.refresh_from_db()
    assert (meeting.expected_count, meeting.present_count) == (0, 0)
    assert MemberLifeStats.objects.get(member=li).last_expected_on is None
    assert MemberLifeStats.objects.get(member=li).consecutive_absences == 0
