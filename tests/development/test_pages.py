"""The branch secretary's pages: the board, a person's path, the calendar, the rules; and the member's own."""

import datetime
import io

import pytest
from django.urls import reverse

from partyedu.development import services
from partyedu.development.dates import add_months
from partyedu.development.models import DevelopmentStep, IntervalRule
from partyedu.development.models import StepKind as K
from tests.factories import make_user

from .conftest import applicant, walk

pytestmark = pytest.mark.django_db
D = datetime.timedelta


def test_the_board_counts_each_stage_and_lists_people_without_a_query_per_row(
    client, county, pipeline, django_assert_max_num_queries
):
    client.force_login(county.finance_secretary)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("development:board"))
    body = response.content.decode()
    assert response.status_code == 200
    for member in pipeline:
        assert member.name in body
    assert "孙八" not in body
    counts = {s["status"]: s["count"] for s in response.context["stages"]}
    assert counts == {"applicant": 2, "activist": 1, "candidate": 2, "probationary": 1}
    assert "党组织派人谈话" in body  # 甲一's next step


def test_the_calendar_lists_overdue_and_due_steps(
    client, county, pipeline, today, django_assert_max_num_queries
):
    client.force_login(county.finance_secretary)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("development:calendar"))
    items = list(response.context["page"])
    labels = {(i.member.name, i.label): i for i in items}
    # 戊五: the branch voted two months ago and more; the approval is due within three months.
    approval = labels[("戊五", "上级党委审批（支部大会后三个月内）")]
    assert approval.due_on == add_months(
        [s for s in pipeline if s.name == "戊五"][0].development_paths.get().steps.get(kind=K.BRANCH_VOTE).on,
        3,
    )
    assert ("乙二", "半年考察") not in labels  # not an activist yet
    assert any(i.member.name == "丙三" and i.label == "本季度思想汇报" for i in items)
    assert all(i.member.name != "孙八" for i in items)
    body = response.content.decode()
    assert "孙八" not in body


def test_an_overdue_talk_is_on_the_calendar_and_in_the_month_view(client, county, rules, today):
    member = applicant(county.finance_branch, name="庚七", applied_on=today - D(days=45))
    services.open_path(member)
    client.force_login(county.finance_secretary)
    items = list(client.get(reverse("development:calendar")).context["page"])
    talk = next(i for i in items if i.member.name == "庚七")
    assert talk.label == "党组织派人谈话" and talk.overdue
    month = talk.due_on.strftime("%Y-%m")
    body = client.get(reverse("development:calendar_month") + f"?month={month}").content.decode()
    assert "庚七：党组织派人谈话" in body


def test_the_secretary_records_a_step_and_an_early_one_is_refused_on_the_page(
    client, county, rules, people, today
):
    member = applicant(county.finance_branch, name="辛九", applied_on=today - D(days=100))
    services.open_path(member)
    client.force_login(county.finance_secretary)
    url = reverse("development:record", args=[member.pk])
    response = client.post(
        url, {"kind": "talk", "on": (today - D(days=90)).isoformat(), "note": "谈了入党动机"}
    )
    assert response.status_code == 302
    response = client.post(url, {"kind": "activist", "on": today.isoformat()})
    assert response.status_code == 200
    body = response.content.decode()
    assert "不符合规则“递交入党申请书满六个月后方可确定为入党积极分子”" in body
    assert list(member.development_paths.get().steps.values_list("kind", flat=True)) == [
        "application",
        "talk",
    ]


def test_the_secretary_opens_a_path_from_the_board(client, county, rules, today):
    member = applicant(county.finance_branch, name="壬十", applied_on=today - D(days=3))
    client.force_login(county.finance_secretary)
    response = client.get(reverse("development:person", args=[member.pk]))
    assert "建立发展党员档案" in response.content.decode()
    response = client.post(reverse("development:open", args=[member.pk]), {})
    assert response.status_code == 302
    assert member.development_paths.get().steps.get().kind == "application"


def test_the_cultivation_record_download(client, county, pipeline):
    from docx import Document

    client.force_login(county.finance_secretary)
    member = pipeline[4]
    response = client.get(reverse("development:record_docx", args=[member.pk]))
    assert response.status_code == 200
    text = "\n".join(
        cell.text
        for table in Document(io.BytesIO(response.content)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "确定为发展对象" in text and "支部党员大会讨论接收预备党员" in text


def test_only_a_committee_admin_edits_a_rule_and_history_is_kept(client, county, rules, today):
    rule = IntervalRule.objects.get(to_kind=K.CANDIDATE, valid_to__isnull=True)
    client.force_login(county.finance_secretary)
    assert client.get(reverse("development:rule_edit", args=[rule.pk])).status_code == 403
    client.force_login(county.committee_admin)
    response = client.post(
        reverse("development:rule_edit", args=[rule.pk]),
        {
            "label": rule.label,
            "min_months": "10",
            "max_months": "",
            "valid_from": today.isoformat(),
            "basis": "工委通知",
        },
    )
    assert response.status_code == 302
    versions = list(IntervalRule.objects.filter(series=rule.series).order_by("valid_from"))
    assert [(v.min_months, v.valid_to) for v in versions] == [(12, today), (10, None)]
    body = client.get(reverse("development:rules")).content.decode()
    assert "历史版本（2）" in body


def test_bad_rule_input_is_a_chinese_message_not_an_error(client, county, rules, today):
    rule = IntervalRule.objects.get(to_kind=K.TALK, valid_to__isnull=True)
    client.force_login(county.committee_admin)
    response = client.post(
        reverse("development:rule_edit", args=[rule.pk]),
        {"label": rule.label, "min_months": "", "max_months": "", "valid_from": today.isoformat()},
    )
    assert response.status_code == 200
    assert "至少间隔和至多间隔至少填写一项" in response.content.decode()


def test_a_member_in_the_pipeline_sees_his_own_path_on_his_phone(client, county, rules, people, today):
    member = applicant(county.finance_branch, name="癸一", applied_on=add_months(today, -8))
    path = services.open_path(member)
    walk(path, people, until=K.ACTIVIST)
    user = make_user("guiyi", role="member", org=county.finance_branch, member=member)
    client.force_login(user)
    home = client.get(reverse("core:home")).content.decode()
    assert "我的入党进程" in home
    body = client.get(reverse("development:mine")).content.decode()
    assert "确定为入党积极分子" in body and "本季度思想汇报" in body
    # a full member has no such tile
    client.force_login(county.finance_member_user)
    assert "我的入党进程" not in client.get(reverse("core:home")).content.decode()


def test_a_member_cannot_record_his_own_steps(client, county, rules, today):
    member = applicant(county.finance_branch, name="子丑", applied_on=today - D(days=10))
    services.open_path(member)
    user = make_user("zichou", role="secretary", org=county.finance_branch, member=member)
    client.force_login(user)
    response = client.post(
        reverse("development:record", args=[member.pk]), {"kind": "talk", "on": today.isoformat()}
    )
    assert response.status_code == 403
    assert not DevelopmentStep.objects.filter(kind="talk").exists()


def test_bad_step_input_is_answered_in_chinese_and_nothing_is_recorded(client, county, rules, today):
    member = applicant(county.finance_branch, name="卫五", applied_on=today - D(days=10))
    services.open_path(member)
    client.force_login(county.finance_secretary)
    url = reverse("development:record", args=[member.pk])
    response = client.post(url, {"kind": "talk", "on": "不是日期"})
    assert response.status_code == 200 and "有效的日期" in response.content.decode()
    response = client.post(url, {"kind": "approval", "on": today.isoformat()})
    assert response.status_code == 200
    assert "应先记录“党组织派人谈话”" in response.content.decode()
    response = client.post(url, {"kind": "bogus", "on": today.isoformat()})
    assert response.status_code == 302
    response = client.post(url, {"kind": "talk", "on": (today + D(days=1)).isoformat()})
    assert "不能晚于今天" in response.content.decode()
    assert member.development_paths.get().steps.count() == 1
    assert client.get(reverse("development:board") + "?org=abc").status_code == 404
    assert client.get(reverse("development:calendar_month") + "?month=2026-13").status_code == 200
