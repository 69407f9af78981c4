"""The board page, its drill-downs and who may open them."""

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partyedu.compliance import selectors
from partyedu.compliance.models import ComplianceRule
from partyedu.meetings.models import MeetingKind
from partyedu.orgs.models import OrganizationKind

from ..factories import MemberFactory, make_org
from .conftest import cell_of, hold, row_of

D = datetime.date
MK = MeetingKind
BOARD = reverse("compliance:board")


def a_year_of_life(county):
    """2025 in the two branches: finance holds everything but its September 支委会 and the site visits; the
    education branch only its theme days, which 王五 skips from July."""
    fin, edu = county.finance_branch, county.education_branch
    wang, zhao = county.education_members
    for month in range(1, 13):
        hold(fin, MK.THEME_DAY, D(2025, month, 6), present=county.finance_members[: 1 + month % 3])
        if month != 9:
            hold(fin, MK.BRANCH_COMMITTEE, D(2025, month, 7), present=county.finance_members[:2])
        hold(edu, MK.THEME_DAY, D(2025, month, 6), present=[zhao] if month >= 7 else [wang, zhao])
    for month in (3, 6, 9, 12):
        hold(fin, MK.BRANCH_ASSEMBLY, D(2025, month, 20), present=county.finance_members)
        hold(fin, MK.PARTY_LECTURE, D(2025, month, 21), present=county.finance_members)
    hold(fin, MK.LIFE_MEETING, D(2025, 12, 28), present=county.finance_members)


def test_a_committee_admin_sees_the_whole_county_with_every_number_linked(county, client):
    a_year_of_life(county)
    client.force_login(county.committee_admin)
    response = client.get(BOARD, {"year": 2025})
    assert response.status_code == 200
    html = response.content.decode()
    board = response.context["board"]
    assert [r.org.name for r in board.rows][:2] == ["县财政局党组", "县财政局机关党支部"]
    committee_cell = cell_of(board, county.finance_branch, MK.BRANCH_COMMITTEE)
    assert (committee_cell.done, committee_cell.required) == (11, 12)
    assert "11/12" in html and "党章规定连续六个月不参加党的组织生活" in html
    assert f"{reverse('compliance:missed', args=[county.committee.pk])}?year=2025" in html
    assert reverse("compliance:absences", args=[county.committee.pk]) in html
    assert reverse("compliance:inactive", args=[county.committee.pk]) in html
    rule = committee_cell.column.rule
    assert f"{reverse('compliance:cell', args=[county.finance_branch.pk, rule.pk])}?year=2025" in html
    assert f"{reverse('compliance:meetings', args=[county.finance_branch.pk])}?year=2025" in html


def test_board_numbers_equal_what_the_drill_downs_list(county, client):
    a_year_of_life(county)
    client.force_login(county.committee_admin)
    board = client.get(BOARD, {"year": 2025}).context["board"]
    for row in board.rows:
        for cell in row.cells:
            if not cell.applicable:
                continue
            page = client.get(
                reverse("compliance:cell", args=[row.org.pk, cell.column.rule.pk]), {"year": 2025}
            )
            shown = page.context["cell"]
            listed = sum(len(meetings) for _, meetings in page.context["periods"])
            assert (shown.done, shown.required, shown.state) == (cell.done, cell.required, cell.state)
            assert listed == cell.held, (row.org.name, cell.column.title)
            assert len(re.findall(r'href="/meetings/\d+/"', page.content.decode())) == cell.held
        meetings = client.get(reverse("compliance:meetings", args=[row.org.pk]), {"year": 2025}).context
        assert meetings["total"] == row.meetings
        assert (meetings["present"], meetings["expected"]) == (row.present, row.expected)

    summary = client.get(
        reverse("compliance:meetings", args=[county.committee.pk]), {"year": 2025, "subtree": 1}
    )
    assert summary.context["total"] == board.meetings
    assert summary.context["rate"] == board.rate
    missed = client.get(reverse("compliance:missed", args=[county.committee.pk]), {"year": 2025})
    assert missed.context["page"].paginator.count == board.missed_items
    finance = 1 + 1  # the September 支委会; the site visits (one yearly item)
    education = 4 + 12 + 4 + 1 + 1  # everything but its theme days
    group, units = 12, 2  # no 党小组会; no observed 中心组学习
    assert board.missed_items == finance + education + group + units
    absences = client.get(reverse("compliance:absences", args=[county.committee.pk]))
    assert absences.context["page"].paginator.count == board.absence_streaks
    inactive = client.get(reverse("compliance:inactive", args=[county.committee.pk]))
    assert inactive.context["page"].paginator.count == board.inactive
    assert "须由支部核实处理" in inactive.content.decode()


def test_absent_members_are_listed_with_their_last_meetings(county, client):
    a_year_of_life(county)
    client.force_login(county.committee_admin)
    response = client.get(reverse("compliance:absences", args=[county.committee.pk]))
    html = response.content.decode()
    names = [m.name for m, _ in response.context["members"]]
    assert "王五" in names  # six theme days missed since July
    wang_recent = dict((m.name, recent) for m, recent in response.context["members"])["王五"]
    assert [a.meeting.held_on for a in wang_recent][:3] == [D(2025, 12, 6), D(2025, 11, 6), D(2025, 10, 6)]
    assert "6 次" in html


def test_a_secretary_sees_only_his_branch(county, client):
    a_year_of_life(county)
    client.force_login(county.finance_secretary)
    response = client.get(BOARD, {"year": 2025})
    assert response.status_code == 200
    assert [r.org.pk for r in response.context["board"].rows] == [county.finance_branch.pk]
    html = response.content.decode()
    assert "县教育局" not in html and "王五" not in html
    assert client.get(BOARD, {"year": 2025, "org": county.education_branch.pk}).status_code == 404
    assert client.get(BOARD, {"org": county.education.pk}).status_code == 404
    assert client.get(BOARD, {"org": "x"}).status_code == 404
    for name in ("missed", "meetings", "absences", "inactive"):
        assert client.get(reverse(f"compliance:{name}", args=[county.education_branch.pk])).status_code == 404
    rule = ComplianceRule.objects.filter(meeting_kind=MK.THEME_DAY).first()
    url = reverse("compliance:cell", args=[county.education_branch.pk, rule.pk])
    assert client.get(url).status_code == 404


def test_a_member_without_a_workers_role_cannot_open_the_board(county, client):
    client.force_login(county.finance_member_user)
    assert client.get(BOARD).status_code == 403
    assert client.get(reverse("compliance:absences", args=[county.finance_branch.pk])).status_code == 403


def test_bad_parameters_get_a_chinese_message_not_an_error(county, client):
    client.force_login(county.committee_admin)
    response = client.get(BOARD, {"year": "明年", "period": "q9"})
    assert response.status_code == 200
    assert "年份应为数字" in response.content.decode()
    response = client.get(reverse("compliance:meetings", args=[county.finance_branch.pk]), {"period": "zz"})
    assert response.status_code == 200 and "统计期间" in response.content.decode()


def test_the_board_costs_the_same_queries_for_3_or_30_branches(county, client):
    unit = make_org("县审计局党组", OrganizationKind.PARTY_LEADERSHIP_GROUP, county.committee)
    branches = [make_org(f"县审计局第{i}党支部", OrganizationKind.BRANCH, unit) for i in range(3)]

    def life(branch_list):
        for branch in branch_list:
            member = MemberFactory.create(organization=branch, name="审计员")
            member.periods.update(started_on=D(2020, 1, 1))
            for month in (1, 2, 3):
                hold(branch, MK.THEME_DAY, D(2025, month, 10), present=[member])

    life(branches)
    client.force_login(county.committee_admin)
    client.get(BOARD, {"year": 2025})
    with CaptureQueriesContext(connection) as few:
        assert client.get(BOARD, {"year": 2025}).status_code == 200
    more = [make_org(f"县审计局第{i}党支部", OrganizationKind.BRANCH, unit) for i in range(3, 30)]
    life(more)
    with CaptureQueriesContext(connection) as many:
        response = client.get(BOARD, {"year": 2025})
    assert len([r for r in response.context["board"].rows if r.org.parent_id == unit.pk]) == 30
    assert len(many.captured_queries) == len(few.captured_queries), [q["sql"] for q in many.captured_queries]
    # and the selector itself is a handful of queries
    with CaptureQueriesContext(connection) as direct:
        selectors.compliance_board(county.committee, 2025)
    assert len(direct.captured_queries) == 5


def test_quarter_and_month_windows_link_to_their_own_period(county, client):
    hold(county.finance_branch, MK.BRANCH_ASSEMBLY, D(2025, 3, 31), hour=23, minute=30)
    client.force_login(county.committee_admin)
    response = client.get(BOARD, {"year": 2025, "period": "q1"})
    board = response.context["board"]
    assert board.window.label == "2025年第一季度"
    cell = cell_of(board, county.finance_branch, MK.BRANCH_ASSEMBLY)
    assert (cell.done, cell.required) == (1, 1)
    assert "?year=2025&amp;period=q1" in response.content.decode()
    response = client.get(BOARD, {"year": 2025, "period": "m4"})
    cell = cell_of(response.context["board"], county.finance_branch, MK.THEME_DAY)
    assert (cell.done, cell.required, cell.state) == (0, 1, "missed")


def test_the_filter_shows_only_organisations_with_missed_items(county, client):
    a_year_of_life(county)
    client.force_login(county.committee_admin)
    response = client.get(BOARD, {"year": 2025, "show": "missed"})
    names = [r.org.name for r in response.context["rows"]]
    assert "县教育局机关第一党支部" in names
    response = client.get(BOARD, {"year": 2025, "show": "ok"})
    assert response.context["rows"] == []
    assert re.search(r'id="stat-compliant"><b>0<small>/5', response.content.decode())
    assert row_of(response.context["board"], county.finance_branch).missed == 2
