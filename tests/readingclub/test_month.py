"""A month of the reading club: the co-host submits its activity plan, the owner approves or returns it, the
session is held as a 读书会 meeting, its sections are recorded and the texts shared are collected."""

import datetime

from django.urls import reverse

from partyedu.meetings import services as meeting_services
from partyedu.meetings.models import Meeting
from partyedu.readingclub import services
from partyedu.readingclub.models import MonthStatus, SharedText

from .conftest import YEAR, at, month_of


def test_the_cohost_submits_the_owner_returns_and_then_approves(client, club, plan):
    march = month_of(plan, 3)  # hosted by the first branch
    url = reverse("readingclub:month", args=[march.pk])

    client.force_login(club.second_secretary)  # not this month's co-host
    assert reverse("readingclub:month_activity_plan", args=[march.pk]) not in client.get(url).content.decode()
    response = client.post(
        reverse("readingclub:month_activity_plan", args=[march.pk]), {"activity_plan": "x"}
    )
    assert response.status_code == 403

    client.force_login(club.first_secretary)
    response = client.post(
        reverse("readingclub:month_activity_plan", args=[march.pk]), {"activity_plan": "  "}
    )
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    client.post(
        reverse("readingclub:month_activity_plan", args=[march.pk]),
        {"activity_plan": "3月12日下午在局三楼会议室举行，学史增信专题辅导"},
    )
    march.refresh_from_db()
    assert march.status == MonthStatus.SUBMITTED and march.submitted_by == club.first_secretary
    # the co-host cannot approve his own plan
    assert (
        client.post(reverse("readingclub:month_review", args=[march.pk]), {"decision": "approve"}).status_code
        == 403
    )

    client.force_login(club.education_admin)
    response = client.post(reverse("readingclub:month_review", args=[march.pk]), {"decision": "return"})
    assert "退回时请填写修改意见" in response.content.decode()
    client.post(
        reverse("readingclub:month_review", args=[march.pk]),
        {"decision": "return", "comment": "请增加学党史板块"},
    )
    march.refresh_from_db()
    assert march.status == MonthStatus.RETURNED and march.return_comment == "请增加学党史板块"

    client.force_login(club.first_secretary)
    assert "请增加学党史板块" in client.get(url).content.decode()
    client.post(
        reverse("readingclub:month_activity_plan", args=[march.pk]),
        {"activity_plan": "3月12日下午举行，增加学党史板块"},
    )
    client.force_login(club.education_admin)
    client.post(reverse("readingclub:month_review", args=[march.pk]), {"decision": "approve"})
    march.refresh_from_db()
    assert march.status == MonthStatus.APPROVED and march.approved_by == club.education_admin
    assert march.approved_at is not None

    client.force_login(club.first_secretary)
    response = client.post(
        reverse("readingclub:month_activity_plan", args=[march.pk]), {"activity_plan": "再改"}, follow=True
    )
    assert "活动方案已审定，不能再修改" in response.content.decode()
    march.refresh_from_db()
    assert march.activity_plan == "3月12日下午举行，增加学党史板块"


def test_no_activity_plan_before_the_plan_is_published(club):
    from .conftest import months_for

    draft = services.create_plan(
        organization=club.education,
        year=YEAR + 1,
        title="",
        months=months_for(None, [club.education_branch] * 12),
    )
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.submit_activity_plan(month_of(draft, 1), "方案", by=club.first_secretary)
    assert "尚未发布" in str(exc.value)


def test_the_owner_creates_the_session_as_a_reading_club_meeting(client, club, plan):
    may = month_of(plan, 5)
    client.force_login(club.education_admin)
    response = client.post(
        reverse("readingclub:month_meeting", args=[may.pk]),
        {
            "action": "create",
            "starts_at": f"{YEAR}-05-14T15:00",
            "ends_at": f"{YEAR}-05-14T17:00",
            "place": "县教育局报告厅",
            "held": "on",
        },
    )
    assert response.status_code == 302
    may.refresh_from_db()
    meeting = may.meeting
    assert meeting.kind == "reading_club" and meeting.organization == club.education
    assert meeting.theme == "读书会第5期：学史力行" and meeting.status == "held"
    assert [a.title for a in meeting.agenda.all()] == ["理论学习", "专题辅导", "心得分享", "领导讲话"]
    # the bureau's members are expected, both branches
    assert meeting.expected_count == 2
    page = client.get(reverse("readingclub:month", args=[may.pk])).content.decode()
    assert "读书会第5期：学史力行" in page


def test_bad_session_times_get_a_chinese_message(client, club, plan):
    client.force_login(club.education_admin)
    month = month_of(plan, 6)
    response = client.post(
        reverse("readingclub:month_meeting", args=[month.pk]),
        {"action": "create", "starts_at": f"{YEAR}-06-14T17:00", "ends_at": f"{YEAR}-06-14T15:00"},
    )
    assert response.status_code == 200 and "结束时间不能早于开始时间" in response.content.decode()
    response = client.post(
        reverse("readingclub:month_meeting", args=[month.pk]), {"action": "create", "starts_at": "明天"}
    )
    assert response.status_code == 200 and "输入一个有效的日期/时间" in response.content.decode()
    assert not Meeting.objects.exists()


def test_an_existing_meeting_is_linked_once_and_only_the_owners_reading_club(client, club, plan):
    own = meeting_services.create_meeting(
        organization=club.education,
        kind="reading_club",
        theme="四月读书会",
        starts_at=at(datetime.date(YEAR, 4, 9)),
        ends_at=at(datetime.date(YEAR, 4, 9), 17),
        held=True,
    )
    branch_meeting = meeting_services.create_meeting(
        organization=club.education_branch,
        kind="reading_club",
        theme="支部读书会",
        starts_at=at(datetime.date(YEAR, 4, 10)),
        ends_at=at(datetime.date(YEAR, 4, 10), 17),
        held=True,
    )
    april, may = month_of(plan, 4), month_of(plan, 5)
    client.force_login(club.education_admin)
    page = client.get(reverse("readingclub:month", args=[april.pk])).content.decode()
    assert "四月读书会" in page and "支部读书会" not in page
    client.post(reverse("readingclub:month_meeting", args=[april.pk]), {"action": "link", "meeting": own.pk})
    april.refresh_from_db()
    assert april.meeting == own
    response = client.post(
        reverse("readingclub:month_meeting", args=[may.pk]), {"action": "link", "meeting": own.pk}
    )
    assert response.status_code == 200 and month_of(plan, 5).meeting is None
    response = client.post(
        reverse("readingclub:month_meeting", args=[may.pk]), {"action": "link", "meeting": branch_meeting.pk}
    )
    assert month_of(plan, 5).meeting is None

    client.force_login(club.first_secretary)
    assert (
        client.post(reverse("readingclub:month_meeting", args=[april.pk]), {"action": "unlink"}).status_code
        == 403
    )
    client.force_login(club.education_admin)
    client.post(reverse("readingclub:month_meeting", args=[april.pk]), {"action": "unlink"})
    assert month_of(plan, 4).meeting is None and Meeting.objects.filter(pk=own.pk).exists()


def test_the_recorder_records_the_four_sections(client, club, plan):
    month = month_of(plan, 1)
    client.force_login(club.first_secretary)  # the co-host records his session
    for kind, title, speaker in [
        ("leader_speech", "在读书会上的讲话", "局党委书记"),
        ("theory", "学习《习近平谈治国理政》第四卷", "王五"),
        ("lecture", "湘南起义对中国革命的贡献", "市委党史研究室专家"),
    ]:
        response = client.post(
            reverse("readingclub:section_add", args=[month.pk]),
            {"kind": kind, "title": title, "speaker_name": speaker},
        )
        assert response.status_code == 302
    page = client.get(reverse("readingclub:month", args=[month.pk])).content.decode()
    # shown in the order a session runs, whatever the order they were typed in
    assert (
        page.index("学习《习近平谈治国理政》第四卷") < page.index("湘南起义") < page.index("在读书会上的讲话")
    )

    client.force_login(club.wangwu)
    response = client.post(
        reverse("readingclub:section_add", args=[month.pk]), {"kind": "theory", "title": "x"}
    )
    assert response.status_code == 403
    section = month.sections.first()
    assert client.post(reverse("readingclub:section_delete", args=[section.pk])).status_code == 403
    client.force_login(club.education_admin)
    client.post(reverse("readingclub:section_delete", args=[section.pk]))
    assert month.sections.count() == 2


def test_members_share_their_own_texts_and_workers_enter_texts_for_others(client, club, plan):
    month = month_of(plan, 2)
    client.force_login(club.wangwu)
    client.post(
        reverse("readingclub:text_add", args=[month.pk]),
        {"title": "读《共产党宣言》有感", "body": "第一段\n第二段", "author_name": "冒名顶替"},
    )
    mine = SharedText.objects.get()
    assert (
        mine.member == club.education_members[0] and mine.author_name == "王五"
    )  # a member writes as himself

    client.force_login(club.first_secretary)  # not this month's co-host, not the owner, and no member record
    response = client.post(reverse("readingclub:text_add", args=[month.pk]), {"title": "t", "body": "b"})
    assert response.status_code == 403

    client.force_login(club.education_admin)
    client.post(
        reverse("readingclub:text_add", args=[month.pk]),
        {"title": "学史增信的几点体会", "body": "正文", "author_name": "赵六"},
    )
    client.post(
        reverse("readingclub:text_add", args=[month.pk]),
        {"title": "红色资源的保护与利用", "body": "正文", "author_name": "李教授（市委党校）"},
    )
    response = client.post(
        reverse("readingclub:text_add", args=[month.pk]), {"title": "无名", "body": "正文"}
    )
    assert "请填写作者姓名" in response.content.decode()
    zhao = SharedText.objects.get(title="学史增信的几点体会")
    guest = SharedText.objects.get(title="红色资源的保护与利用")
    assert zhao.member == club.education_members[1]
    assert guest.member is None and guest.author_name == "李教授（市委党校）"

    client.force_login(club.wangwu)
    assert client.post(reverse("readingclub:text_delete", args=[zhao.pk])).status_code == 403
    client.post(reverse("readingclub:text_delete", args=[mine.pk]))
    assert not SharedText.objects.filter(pk=mine.pk).exists()


def test_another_bureaus_member_cannot_reach_the_month(client, club, plan):
    month = month_of(plan, 2)
    client.force_login(club.finance_member_user)
    assert client.get(reverse("readingclub:month", args=[month.pk])).status_code == 404
    response = client.post(reverse("readingclub:text_add", args=[month.pk]), {"title": "t", "body": "b"})
    assert response.status_code == 404 and not SharedText.objects.exists()
