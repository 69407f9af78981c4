"""Rankings share ranks on ties, compare organisations fairly (members without points count), and anomalies
catch bursts and identical timing while leaving a secretary's "all present" alone."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from partyedu.points import selectors, services
from partyedu.points.models import EventKind

SH = ZoneInfo("Asia/Shanghai")


def at(d, h=10, m=0, s=0):
    return datetime.datetime(2026, 3, d, h, m, s, tzinfo=SH)


@pytest.fixture
def rules(county):
    services.install_default_rules(scope=county.committee)


def give(member, n, key):
    for i in range(n):
        services.award(
            member,
            EventKind.MEETING_ATTENDED,
            source_key=f"{key}:{i}",
            reason="参加组织生活",
            occurred_at=at(1 + i),
        )


def test_equal_totals_share_a_rank(rules, county):
    zhang, li, zeng = county.finance_members
    give(zhang, 3, "z")
    give(li, 3, "l")
    give(zeng, 1, "c")
    wang = county.education_members[0]
    give(wang, 5, "w")
    rows = selectors.member_ranking(county.committee, "2026")
    assert [(r.rank, r.name) for r in rows][0] == (1, "王五")
    assert sorted((r.rank, r.name) for r in rows)[1:] == [(2, "张三"), (2, "李四"), (4, "曾小明")]
    assert selectors.rank_of(zeng, county.committee, "2026") == (4, 4)
    branch = selectors.member_ranking(county.finance_branch, "2026-03")
    assert [r.rank for r in branch] == [1, 1, 3]


def test_org_ranking_counts_members_without_points(rules, county):
    give(county.finance_members[0], 3, "z")  # 6 points among 3 members → average 2
    give(county.education_members[0], 2, "w")  # 4 points among 2 members → average 2, participation 50%
    rows = selectors.org_ranking(county.committee, "2026")
    by_name = {r.organization.name: r for r in rows}
    assert by_name["县财政局党组"].average == Decimal("2.00") and by_name["县财政局党组"].members == 3
    assert by_name["县教育局党委"].participation == 50.0
    assert (
        selectors.org_ranking(county.committee, "2026", by="participation")[0].organization
        == county.education
    )


def test_bursts_and_identical_patterns_are_flagged_but_meeting_rosters_are_not(rules, county):
    zhang, li, zeng = county.finance_members
    for i in range(12):  # 12 materials "completed" in 6 minutes
        services.award(
            zhang,
            EventKind.MATERIAL_COMPLETED,
            source_key=f"m:{i}",
            reason="完成资料",
            occurred_at=at(3, 9, i // 2, i),
        )
    for member in (li, zeng):  # the same four minutes for both
        for i, minute in enumerate((1, 7, 13, 29)):
            services.award(
                member,
                EventKind.DAILY_TEST,
                source_key=f"d:{i}",
                reason="每日测试",
                occurred_at=at(4, 8, minute),
                score_ratio=1,
            )
    for member in county.education_members:  # a whole branch marked present at once: normal
        give(member, 1, "roster")
    found = selectors.anomalies(county.committee, since=datetime.date(2026, 3, 1))
    kinds = {(a.kind, a.member_ids) for a in found}
    assert ("burst", (zhang.pk,)) in kinds
    assert ("same_pattern", tuple(sorted([li.pk, zeng.pk]))) in kinds
    assert all(county.education_members[0].pk not in a.member_ids for a in found)
