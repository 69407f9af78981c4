"""The compliance board's judgement: periods, boundaries, organisations that come and go, rules that change."""

import datetime

from partyedu.compliance import selectors, services
from partyedu.compliance.models import ComplianceRule
from partyedu.compliance.selectors import MET, MISSED, NA, PENDING, Span, compliance_board
from partyedu.meetings.models import MeetingKind
from partyedu.members import services as member_services
from partyedu.members.models import Member
from partyedu.orgs import services as org_services
from partyedu.orgs.models import OrganizationKind

from ..factories import make_org
from .conftest import TODAY, cell_of, hold, row_of

D = datetime.date
MK = MeetingKind


def states(cell):
    return {p.span.key: p.state for p in cell.periods}


def test_a_branch_assembly_late_on_31_march_counts_for_the_first_quarter(county):
    hold(county.finance_branch, MK.BRANCH_ASSEMBLY, D(2026, 3, 31), hour=23, minute=30)

    q1 = cell_of(
        compliance_board(county.committee, 2026, "q1", today=TODAY), county.finance_branch, MK.BRANCH_ASSEMBLY
    )
    q2 = cell_of(
        compliance_board(county.committee, 2026, "q2", today=TODAY), county.finance_branch, MK.BRANCH_ASSEMBLY
    )
    assert (q1.done, q1.required, q1.state) == (1, 1, MET)
    assert (q2.done, q2.required, q2.state) == (0, 1, MISSED)

    # ten minutes past midnight in Shanghai is already the second quarter (16:10 UTC the day before)
    hold(county.finance_branch, MK.BRANCH_ASSEMBLY, D(2026, 4, 1), hour=0, minute=10)
    q2 = cell_of(
        compliance_board(county.committee, 2026, "q2", today=TODAY), county.finance_branch, MK.BRANCH_ASSEMBLY
    )
    assert (q2.done, q2.required, q2.state) == (1, 1, MET)
    year = cell_of(
        compliance_board(county.committee, 2026, today=TODAY), county.finance_branch, MK.BRANCH_ASSEMBLY
    )
    assert states(year) == {"2026-Q1": MET, "2026-Q2": MET, "2026-Q3": MISSED, "2026-Q4": PENDING}
    assert (year.done, year.required, year.held) == (2, 3, 2)


def test_new_years_eve_counts_for_december_of_the_old_year(county):
    hold(county.finance_branch, MK.THEME_DAY, D(2025, 12, 31), hour=23, minute=30)
    hold(county.finance_branch, MK.THEME_DAY, D(2026, 1, 1), hour=0, minute=10)

    old = cell_of(compliance_board(county.committee, 2025, today=TODAY), county.finance_branch, MK.THEME_DAY)
    new = cell_of(compliance_board(county.committee, 2026, today=TODAY), county.finance_branch, MK.THEME_DAY)
    assert states(old)["2025-12"] == MET and states(old)["2025-11"] == MISSED
    assert old.held == 1 and (old.done, old.required) == (1, 12)
    assert states(new)["2026-01"] == MET and states(new)["2026-02"] == MISSED
    assert new.held == 1


def test_a_branch_established_mid_quarter_is_judged_on_the_part_it_existed(county):
    # 20 February: 9 of February's 28 days and 40 of the quarter's 90 — less than half of either
    late = make_org(
        "县财政局第二党支部", OrganizationKind.BRANCH, county.finance, established_on=D(2026, 2, 20)
    )
    # 10 February: 19 of 28 days and 50 of 90 — more than half of both
    early = make_org(
        "县财政局第三党支部", OrganizationKind.BRANCH, county.finance, established_on=D(2026, 2, 10)
    )
    # 1 July: 184 of 365 days, so a yearly "at least two site visits" asks round(2 × 184/365) = 1
    summer = make_org(
        "县财政局第四党支部", OrganizationKind.BRANCH, county.finance, established_on=D(2026, 7, 1)
    )

    board = compliance_board(county.committee, 2026, today=TODAY)
    theme = states(cell_of(board, late, MK.THEME_DAY))
    assert (theme["2026-01"], theme["2026-02"], theme["2026-03"]) == (NA, NA, MISSED)
    assert states(cell_of(board, late, MK.BRANCH_ASSEMBLY))["2026-Q1"] == NA
    assert states(cell_of(board, early, MK.THEME_DAY))["2026-02"] == MISSED
    assert states(cell_of(board, early, MK.BRANCH_ASSEMBLY))["2026-Q1"] == MISSED
    site = cell_of(board, summer, MK.SITE_VISIT)
    assert (site.required, site.state) == (1, PENDING)
    assert cell_of(board, county.finance_branch, MK.SITE_VISIT).required == 2
    # a month it did not exist in is not judged, so the month's board leaves it out entirely
    january = compliance_board(county.committee, 2026, "m1", today=TODAY)
    assert summer.pk not in {r.org.pk for r in january.rows}

    hold(summer, MK.SITE_VISIT, D(2026, 9, 12))
    site = cell_of(compliance_board(county.committee, 2026, today=TODAY), summer, MK.SITE_VISIT)
    assert (site.done, site.required, site.state) == (1, 1, MET)


def test_a_dissolved_branch_is_not_judged_after_its_dissolution(county):
    branch = make_org("县财政局临时党支部", OrganizationKind.BRANCH, county.finance)
    for month in (1, 2, 3, 4):
        hold(branch, MK.THEME_DAY, D(2026, month, 8))
    org_services.dissolve_organization(branch, on=D(2026, 5, 10))  # 9 days of May: less than half

    board = compliance_board(county.committee, 2026, today=TODAY)
    theme = cell_of(board, branch, MK.THEME_DAY)
    assert [s for k, s in sorted(states(theme).items())] == [MET] * 4 + [NA] * 8
    assert (theme.done, theme.required, theme.state) == (4, 4, MET)
    # missed: 支委会 January–April and the first quarter's assembly and 党课; the second quarter (39 of 91 days)
    # is not judged
    assert row_of(board, branch).missed == 6
    assert states(cell_of(board, branch, MK.BRANCH_ASSEMBLY)) == {
        "2026-Q1": MISSED,
        "2026-Q2": NA,
        "2026-Q3": NA,
        "2026-Q4": NA,
    }
    # 129 days of the year: round(2 × 129/365) = 1 site visit, round(1 × 129/365) = 0 life meetings
    assert cell_of(board, branch, MK.SITE_VISIT).required == 1
    assert cell_of(board, branch, MK.LIFE_MEETING).state == NA
    # the next year it does not appear at all
    assert branch.pk not in {r.org.pk for r in compliance_board(county.committee, 2027, today=TODAY).rows}


def test_a_rule_edited_mid_year_judges_the_earlier_months_by_the_old_version(county):
    rule = ComplianceRule.objects.get(meeting_kind=MK.THEME_DAY, valid_to__isnull=True)
    for month in range(1, 11):
        hold(county.finance_branch, MK.THEME_DAY, D(2026, month, 8))
    new = services.revise_rule(rule, valid_from=D(2026, 7, 1), min_count=2, period="month")

    rule.refresh_from_db()
    assert rule.valid_to == D(2026, 7, 1) and new.series == rule.series and new.valid_to is None
    theme = cell_of(
        compliance_board(county.committee, 2026, today=TODAY), county.finance_branch, MK.THEME_DAY
    )
    by_month = {p.span.key: (p.rule.min_count, p.state) for p in theme.periods}
    assert by_month["2026-06"] == (1, MET)
    assert by_month["2026-07"] == (2, MISSED)
    assert by_month["2026-11"] == (2, PENDING)
    assert (theme.done, theme.required) == (6, 10)
    # the year before is judged by the old rule alone
    last_year = cell_of(
        compliance_board(county.committee, 2025, today=TODAY), county.finance_branch, MK.THEME_DAY
    )
    assert {p.rule.pk for p in last_year.periods} == {rule.pk}


def test_a_new_period_length_takes_over_from_its_first_whole_period(county):
    rule = ComplianceRule.objects.get(meeting_kind=MK.BRANCH_ASSEMBLY, valid_to__isnull=True)
    services.revise_rule(rule, valid_from=D(2026, 8, 1), min_count=1, period="month")
    cell = cell_of(
        compliance_board(county.committee, 2026, today=TODAY), county.finance_branch, MK.BRANCH_ASSEMBLY
    )
    # the third quarter began under the quarterly rule and is judged whole by it; months from October
    assert [p.span.key for p in cell.periods] == [
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-10",
        "2026-11",
        "2026-12",
    ]


def test_attendance_follows_membership_on_each_meeting_day(county):
    moving = county.finance_members[2]
    before = hold(county.finance_branch, MK.THEME_DAY, D(2026, 3, 5), present=county.finance_members)
    member_services.transfer_member(moving, county.education_branch, on=D(2026, 3, 15))
    after = hold(county.finance_branch, MK.THEME_DAY, D(2026, 3, 25), present=county.finance_members[:1])
    there = hold(county.education_branch, MK.THEME_DAY, D(2026, 3, 26), present=[moving])

    assert (before.expected_count, after.expected_count, there.expected_count) == (3, 2, 3)
    board = compliance_board(county.committee, 2026, "m3", today=TODAY)
    finance, education = row_of(board, county.finance_branch), row_of(board, county.education_branch)
    assert (finance.present, finance.expected, finance.meetings) == (4, 5, 2)
    assert (education.present, education.expected) == (1, 3)
    assert board.present == 5 and board.expected == 8


def test_the_center_group_counts_only_when_observed(county, center_group_roster):
    hold(county.education, MK.CENTER_GROUP_STUDY, D(2025, 4, 10), present=county.education_members)
    board = compliance_board(county.committee, 2025, today=TODAY)
    cell = cell_of(board, county.education, MK.CENTER_GROUP_STUDY, observer=True)
    assert (cell.done, cell.required, cell.state) == (0, 1, MISSED)

    hold(county.education, MK.CENTER_GROUP_STUDY, D(2025, 9, 10), observers=[county.finance_members[0]])
    cell = cell_of(
        compliance_board(county.committee, 2025, today=TODAY),
        county.education,
        MK.CENTER_GROUP_STUDY,
        observer=True,
    )
    assert (cell.done, cell.required, cell.state) == (1, 1, MET)
    # the finance 党组 holds none and is judged too: a unit is a 党委 or a 党组
    assert cell_of(board, county.finance, MK.CENTER_GROUP_STUDY, observer=True).state == MISSED


def test_rows_are_in_tree_order_and_the_group_is_judged_on_group_meetings_only(county):
    board = compliance_board(county.committee, 2026, today=TODAY)
    names = [r.org.name for r in board.rows]
    assert names == [
        "县财政局党组",
        "县财政局机关党支部",
        "县教育局党委",
        "县教育局机关第一党支部",
        "第一党小组",
    ]
    group = row_of(board, county.education_group)
    assert [c.column.rule.meeting_kind for c in group.cells if c.applicable] == [MK.GROUP_MEETING]
    assert not cell_of(board, county.education_group, MK.THEME_DAY).applicable


def test_summary_counts_compliant_organisations_and_missed_items(county):
    board = compliance_board(county.committee, 2026, "m10", today=TODAY)
    # October: each branch misses 支委会 and 主题党日, the group its 党小组会; quarterly and yearly rules are
    # judged on their whole (unfinished) period and are only in progress
    assert board.missed_items == 5
    for month in (10,):
        hold(county.finance_branch, MK.THEME_DAY, D(2026, month, 9))
        hold(county.finance_branch, MK.BRANCH_COMMITTEE, D(2026, month, 9))
    board = compliance_board(county.committee, 2026, "m10", today=TODAY)
    assert board.missed_items == 3
    assert row_of(board, county.finance_branch).compliant
    # the units' only rule is yearly and still in progress: they are not judged yet
    assert board.compliant_orgs == 1 and board.judged_orgs == 3


def test_members_absent_three_times_in_a_row_and_without_life_for_six_months(county):
    zhang, li, zeng = county.finance_members
    for day in (D(2026, 4, 8), D(2026, 5, 8), D(2026, 6, 8)):
        hold(county.finance_branch, MK.THEME_DAY, day, present=[zhang])
    hold(county.finance_branch, MK.THEME_DAY, D(2026, 3, 8), present=[li])

    assert set(selectors.absence_streaks(county.committee)) == {li, zeng}
    inactive = set(selectors.inactive_members(county.committee, TODAY))
    # 李四 was last present on 8 March (before the 21 May cutoff), 曾小明 never; 王五 and 赵六 never either
    assert inactive == {li, zeng, *county.education_members}
    assert zhang not in inactive

    # somebody who joined the roster after the cutoff is not flagged, nor is an applicant
    zeng.periods.update(started_on=D(2026, 8, 1))
    assert zeng not in set(selectors.inactive_members(county.committee, TODAY))
    wang = county.education_members[0]
    Member.objects.filter(pk=wang.pk).update(status="activist")
    assert wang not in set(selectors.inactive_members(county.committee, TODAY))
    board = compliance_board(county.committee, 2026, today=TODAY)
    assert (board.absence_streaks, board.inactive) == (2, 2)


def test_window_parameters_are_checked_in_chinese():
    assert selectors.parse_window("2026", "q3") == Span(2026, 7, 3)
    assert selectors.parse_window(2026, "m12") == Span(2026, 12, 1)
    for year, period, message in [
        ("abc", "", "年份"),
        ("1900", "", "范围"),
        ("2026", "q5", "统计期间"),
        ("2026", "x", "统计期间"),
    ]:
        try:
            selectors.parse_window(year, period)
        except ValueError as exc:
            assert message in str(exc)
        else:
            raise AssertionError((year, period))


def test_last_completed_periods():
    day = D(2026, 1, 5)
    assert selectors.last_completed(day, "month") == Span(2025, 12, 1)
    assert selectors.last_completed(day, "quarter") == Span(2025, 10, 3)
    assert selectors.last_completed(day, "year") == Span(2025, 1, 12)
    assert selectors.last_completed(D(2026, 11, 21), "quarter").label == "2026年第三季度"


def test_required_counts_round_half_up():
    assert selectors.required_count(1, 14, 28) == 1  # exactly half a month counts
    assert selectors.required_count(1, 13, 28) == 0
    assert selectors.required_count(2, 92, 365) == 1
    assert selectors.required_count(2, 91, 365) == 0
    assert selectors.required_count(2, 274, 365) == 2


def test_several_meetings_in_a_month_are_all_counted(county):
    for day in (D(2026, 1, 5), D(2026, 1, 19), D(2026, 6, 30), D(2026, 7, 1), D(2026, 12, 1), D(2026, 12, 2)):
        hold(county.finance_branch, MK.THEME_DAY, day)
    theme = cell_of(
        compliance_board(county.committee, 2026, today=D(2027, 1, 10)), county.finance_branch, MK.THEME_DAY
    )
    held = {p.span.key: p.held for p in theme.periods}
    assert (held["2026-01"], held["2026-06"], held["2026-07"], held["2026-12"], held["2026-02"]) == (
        2,
        1,
        1,
        2,
        0,
    )
    assert theme.held == 6 and (theme.done, theme.required) == (4, 12)


def test_month_counts_survive_packing():
    low = sum(n << (10 * i) for i, n in enumerate([1, 0, 1023, 5, 0, 7]))
    high = sum(n << (10 * i) for i, n in enumerate([0, 2, 0, 0, 900, 31]))
    assert selectors._unpack(low, high) == [0, 1, 0, 1023, 5, 0, 7, 0, 2, 0, 0, 900, 31]
    assert selectors._unpack(None, None) == [0] * 13
