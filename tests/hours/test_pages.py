"""学时 pages: a member's own year traceable to its rows; a worker's statistics of his subtree and its export."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from partyedu.hours import services as ledger
from partyedu.hours.models import HoursSource
from partyedu.meetings.models import CommitteeBody, CommitteeMember
from partyedu.reports.models import GeneratedReport

from ..conftest import login
from ..factories import MemberFactory

pytestmark = pytest.mark.django_db


def give(member, key, hours, on=None, source=HoursSource.CLASS, title="集中轮训第一讲"):
    on = on or timezone.localdate()
    ledger.credit(member, source=source, key=key, hours=hours, on=on, title=title)


def test_a_member_reads_his_year_with_every_entry_and_its_corrections(county, client):
    zhang = county.finance_members[0]
    today = timezone.localdate()
    give(zhang, "class:1:session:1", "4", on=today)
    give(zhang, "class:1:session:1", "3", on=today)  # corrected to 3
    give(zhang, "study:7", "0.5", source=HoursSource.STUDY, title="自学：学习党章", on=today)
    give(zhang, "class:9", "8", on=datetime.date(today.year - 1, 6, 1), title="去年的培训")
    login(client, county.finance_member_user)
    body = client.get(reverse("hours:mine")).content.decode()
    assert "我的学时" in body and "3.5" in body and "/ 32 学时" in body
    assert "集中轮训第一讲" in body and "自学：学习党章" in body and "有更正" in body and "更正" in body
    assert "去年的培训" not in body
    body = client.get(reverse("hours:mine"), {"year": today.year - 1}).content.decode()
    assert "去年的培训" in body and "集中轮训第一讲" not in body


def test_a_committee_members_minimum_is_56(county, client):
    zhang = county.finance_members[0]
    CommitteeMember.objects.create(
        organization=county.finance_branch,
        body=CommitteeBody.BRANCH_COMMITTEE,
        member=zhang,
        started_on=datetime.date(2020, 1, 1),
    )
    login(client, county.finance_member_user)
    assert "/ 56 学时" in client.get(reverse("hours:mine")).content.decode()


def test_a_member_cannot_read_another_members_hours(county, client):
    login(client, county.finance_member_user)
    assert client.get(reverse("hours:member", args=[county.finance_members[1].pk])).status_code == 404
    assert client.get(reverse("hours:member", args=[county.finance_members[0].pk])).status_code == 200
    assert client.get(reverse("hours:stats", args=[county.finance_branch.pk])).status_code == 403


def test_another_branchs_secretary_gets_404_on_a_foreign_members_hours(county, client):
    login(client, county.finance_secretary)
    assert client.get(reverse("hours:member", args=[county.education_members[0].pk])).status_code == 404
    assert client.get(reverse("hours:stats", args=[county.education_branch.pk])).status_code == 404
    assert client.get(reverse("hours:member", args=[county.finance_members[1].pk])).status_code == 200


def test_statistics_per_child_organisation_and_the_short_filter(
    county, client, django_assert_max_num_queries
):
    zhang, li, zeng = county.finance_members
    wang, zhao = county.education_members
    give(zhang, "class:1", "32")
    give(li, "class:1", "40")
    give(wang, "class:1", "40")
    CommitteeMember.objects.create(
        organization=county.education_branch,
        body=CommitteeBody.BRANCH_COMMITTEE,
        member=wang,
        started_on=datetime.date(2020, 1, 1),
    )
    login(client, county.committee_admin)
    url = reverse("hours:stats", args=[county.committee.pk])
    client.get(url)
    with django_assert_max_num_queries(10):
        response = client.get(url)
    stats = response.context["lines"]
    by_name = {line.org.name: line for line in stats}
    finance = by_name["县财政局党组"]
    assert (finance.members, finance.met, finance.average) == (3, 2, Decimal("24.00"))
    education = by_name["县教育局党委"]
    assert (education.members, education.met, education.average) == (2, 0, Decimal("20.00"))
    assert (response.context["total"].members, response.context["total"].met) == (5, 2)
    body = client.get(url, {"short": "1"}).content.decode()
    assert "曾小明" in body and "王五" in body and "赵六" in body
    assert ">张三<" not in body and ">李四<" not in body
    # more members, the same queries
    for n in range(20):
        MemberFactory.create(organization=county.finance_branch, name=f"党员{n:02d}")
    with django_assert_max_num_queries(10):
        client.get(url)


def test_the_member_list_is_exported_as_a_spreadsheet(county, client):
    zhang = county.finance_members[0]
    give(zhang, "class:1", "32")
    give(zhang, "meeting:3", "1.5", source=HoursSource.MEETING)
    login(client, county.finance_secretary)
    year = timezone.localdate().year
    response = client.post(reverse("hours:export", args=[county.finance_branch.pk]), {"year": year})
    assert response.status_code == 302
    report = GeneratedReport.objects.get()
    assert report.status == "done", report.message
    sheet = load_workbook(io.BytesIO(report.file.read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("姓名", "所在党组织", "人员类别", "年度学时", "应达学时", "是否达标")
    zhang_row = next(r for r in rows if r[0] == "张三")
    assert zhang_row[3:8] == (33.5, 32, "达标", 32, 1.5)
    assert {r[0] for r in rows[1:]} == {"张三", "李四", "曾小明"}
    # another branch's statistics cannot be asked for
    assert (
        client.post(reverse("hours:export", args=[county.education_branch.pk]), {"year": year}).status_code
        == 404
    )
