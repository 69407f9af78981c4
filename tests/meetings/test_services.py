"""Recording organisational life once: who is expected, who came, and what the record keeps."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from partyedu.meetings import services
from partyedu.meetings.models import AttendanceStatus, Meeting, MemberLifeStats
from partyedu.members import services as member_services

from ..factories import MemberFactory, make_org
from .conftest import at


def test_expected_attendees_are_the_branch_members_on_the_meeting_day(county, theme_day):
    expected = set(theme_day.attendances.values_list("member__name", flat=True))
    assert expected == {"张三", "李四", "曾小明"}
    assert (theme_day.expected_count, theme_day.present_count, theme_day.absent_count) == (3, 0, 3)


def test_a_member_transferred_in_after_the_meeting_was_not_expected_at_it(county):
    today = timezone.localdate()
    newcomer = MemberFactory.create(
        organization=county.education_branch, name="钱多", started_on=today - datetime.timedelta(days=60)
    )
    member_services.transfer_member(newcomer, county.finance_branch, on=today - datetime.timedelta(days=10))
    earlier = services.create_meeting(
        organization=county.finance_branch,
        kind="branch_assembly",
        theme="讨论发展对象",
        starts_at=at(today - datetime.timedelta(days=20)),
        ends_at=at(today - datetime.timedelta(days=20), 17),
        held=True,
    )
    later = services.create_meeting(
        organization=county.finance_branch,
        kind="branch_assembly",
        theme="季度党员大会",
        starts_at=at(today - datetime.timedelta(days=5)),
        ends_at=at(today - datetime.timedelta(days=5), 17),
        held=True,
    )
    assert "钱多" not in set(earlier.attendances.values_list("member__name", flat=True))
    assert "钱多" in set(later.attendances.values_list("member__name", flat=True))


def test_a_center_group_study_expects_its_roster_and_marks_the_first_agenda(county, center_group):
    meeting = services.create_meeting(
        organization=center_group,
        kind="center_group_study",
        theme="学习贯彻全会精神",
        starts_at=at(timezone.localdate()),
        ends_at=at(timezone.localdate(), 17),
        held=True,
        agenda=[{"title": "传达学习重要讲话精神", "is_first_agenda": True}, {"title": "交流研讨"}],
    )
    assert set(meeting.attendances.values_list("member__name", flat=True)) == {"王五", "赵六"}
    assert meeting.agenda.get(is_first_agenda=True).title == "传达学习重要讲话精神"
    with pytest.raises(ValidationError, match="只能有一个第一议题"):
        services.set_agenda(
            meeting, [{"title": "a", "is_first_agenda": True}, {"title": "b", "is_first_agenda": True}]
        )


def test_a_branch_does_not_hold_a_center_group_study(county):
    with pytest.raises(ValidationError, match="党支部不召开理论学习中心组学习"):
        services.create_meeting(
            organization=county.finance_branch,
            kind="center_group_study",
            theme="x",
            starts_at=at(timezone.localdate()),
            ends_at=at(timezone.localdate(), 17),
        )


def test_a_group_meeting_expects_only_the_groups_members(county):
    member = county.education_members[0]
    member_services.transfer_member(member, county.education_branch, group=county.education_group)
    meeting = services.create_meeting(
        organization=county.education_group,
        kind="group_meeting",
        theme="小组学习",
        starts_at=at(timezone.localdate(), 9),
        ends_at=at(timezone.localdate(), 10),
        held=True,
    )
    assert list(meeting.attendances.values_list("member__name", flat=True)) == ["王五"]


def test_signing_in_twice_is_one_sign_in(county, theme_day):
    member = county.finance_members[0]
    first, created = services.sign_in(theme_day, member)
    again, created_again = services.sign_in(theme_day, member)
    assert (
        created and not created_again and first.pk == again.pk and again.checked_in_at == first.checked_in_at
    )
    theme_day.refresh_from_db()
    assert theme_day.present_count == 1


def test_someone_elses_meeting_refuses_with_a_clear_message(county, theme_day):
    with pytest.raises(ValidationError, match="您不是本次会议的参会人员"):
        services.sign_in(theme_day, county.education_members[0])


def test_an_observer_from_a_superior_organisation_is_recorded_as_such(county, theme_day):
    row, _ = services.sign_in(theme_day, county.education_members[0], may_observe=True)
    theme_day.refresh_from_db()
    assert row.role == "observer" and theme_day.observer_count == 1 and theme_day.expected_count == 3


def test_a_leader_in_his_own_branch_lives_the_dual_organisational_life(county, theme_day):
    leader = county.finance_members[1]
    member_services.update_member(leader, is_leader=True)
    row, _ = services.sign_in(theme_day, leader)
    assert row.dual_life
    ordinary, _ = services.sign_in(theme_day, county.finance_members[0])
    assert not ordinary.dual_life


def test_the_recorder_marks_leave_with_its_reason_and_signs_in_by_hand(county, theme_day):
    services.mark_attendance(theme_day, county.finance_members[0], AttendanceStatus.LEAVE, reason="外出培训")
    with pytest.raises(ValidationError, match="请填写请假事由"):
        services.mark_attendance(theme_day, county.finance_members[1], AttendanceStatus.LEAVE)
    row = services.mark_attendance(
        theme_day, county.finance_members[2], AttendanceStatus.PRESENT, by=county.finance_secretary
    )
    assert row.method == "manual"
    theme_day.refresh_from_db()
    assert (theme_day.present_count, theme_day.leave_count, theme_day.absent_count) == (1, 1, 1)


def test_three_unexcused_absences_in_a_row_are_counted_and_a_leave_does_not_break_the_run(county):
    today = timezone.localdate()
    member = MemberFactory.create(
        organization=county.finance_branch, name="孙八", started_on=today - datetime.timedelta(days=100)
    )
    meetings = [
        services.create_meeting(
            organization=county.finance_branch,
            kind="theme_day",
            theme=f"第{i}次",
            starts_at=at(today - datetime.timedelta(days=40 - 10 * i)),
            ends_at=at(today - datetime.timedelta(days=40 - 10 * i), 17),
            held=True,
        )
        for i in range(4)
    ]
    services.refresh_life_stats([member.pk])
    assert MemberLifeStats.objects.get(member=member).consecutive_absences == 4
    services.mark_attendance(meetings[0], member, AttendanceStatus.PRESENT)
    services.mark_attendance(meetings[2], member, AttendanceStatus.LEAVE, reason="病假")
    stats = MemberLifeStats.objects.get(member=member)
    assert stats.consecutive_absences == 2 and stats.last_present_on == meetings[0].held_on


def test_minutes_keep_their_structure_and_lose_scripts(county, theme_day):
    services.update_meeting(
        theme_day,
        minutes='<p onclick="x()">会议<strong>决定</strong></p><script>alert(1)</script><a href="http://x">链接</a>',
    )
    theme_day.refresh_from_db()
    assert theme_day.minutes == "<p>会议<strong>决定</strong></p>链接"


def test_attachments_are_checked_by_content_not_by_name(county, theme_day):
    fake = SimpleUploadedFile("合影.jpg", b"MZ\x90\x00 this is an exe", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="不是照片"):
        services.attach_file(theme_day, fake)
    png = SimpleUploadedFile(
        "会场.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="application/octet-stream"
    )
    assert services.attach_file(theme_day, png).content_type == "image/png"
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    word = SimpleUploadedFile("记录.docx", buffer.getvalue())
    assert services.attach_file(theme_day, word).content_type.endswith("wordprocessingml.document")
    renamed_zip = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(renamed_zip, "w") as z:
        z.writestr("evil.txt", "x")
    with pytest.raises(ValidationError):
        services.attach_file(theme_day, SimpleUploadedFile("记录.docx", renamed_zip.getvalue()))


def test_a_meeting_before_the_branch_existed_is_refused(county):
    branch = make_org("新支部", "branch", county.finance, established_on=timezone.localdate())
    with pytest.raises(ValidationError, match="不能早于成立日期"):
        services.create_meeting(
            organization=branch,
            kind="theme_day",
            theme="x",
            starts_at=at(timezone.localdate() - datetime.timedelta(days=3)),
            ends_at=at(timezone.localdate() - datetime.timedelta(days=3), 17),
        )


def test_held_on_is_the_local_day_in_shanghai(county):
    # 23:30 in Shanghai is 15:30 UTC the same day; 00:30 in Shanghai is the previous day in UTC
    day = datetime.date(2026, 3, 31)
    meeting = services.create_meeting(
        organization=county.finance_branch,
        kind="theme_day",
        theme="季度末",
        starts_at=at(day, 23, 30),
        ends_at=at(day, 23, 50),
        held=True,
    )
    assert Meeting.objects.get(pk=meeting.pk).held_on == day


def test_all_present_at_once_counts_and_keeps_earlier_sign_ins(county, theme_day):
    first, _ = services.sign_in(theme_day, county.finance_members[0])
    marked = services.sign_in_many(theme_day, county.finance_members, by=county.finance_secretary)
    assert marked == 2
    theme_day.refresh_from_db()
    assert theme_day.present_count == 3 and theme_day.absent_count == 0
    again = theme_day.attendances.get(member=county.finance_members[0])
    assert again.checked_in_at == first.checked_in_at and again.method == "qr"
    assert MemberLifeStats.objects.filter(member__in=county.finance_members).count() == 3


def test_a_planned_meeting_notifies_its_expected_attendees_once_and_again_when_rescheduled(county):
    from partyedu.notifications.models import Notification

    start = timezone.now() + datetime.timedelta(days=3)
    meeting = services.create_meeting(
        organization=county.finance_branch,
        kind="branch_assembly",
        theme="第四季度党员大会",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        place="三楼会议室",
        notice="请带好笔记本",
    )
    notes = Notification.objects.filter(kind="meeting_notice")
    assert [n.user.username for n in notes] == ["zhangsan"]  # the one attendee with an account
    assert notes.get().body == "请带好笔记本" and "第四季度党员大会" in notes.get().title
    meeting.refresh_from_db()
    assert meeting.notified_at is not None
    services.update_meeting(meeting, place="三楼会议室")
    assert notes.all().count() == 1
    services.update_meeting(
        meeting,
        starts_at=start + datetime.timedelta(days=1),
        ends_at=start + datetime.timedelta(days=1, hours=1),
    )
    assert notes.all().count() == 2
