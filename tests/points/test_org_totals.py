"""Organisation totals per period, kept with every credit and correction so that a city's organisation ranking
reads one row per organisation: they follow the organisation a member was in when he earned the points (a transfer
moves nothing, a later correction goes where its credit went), and `points_check` proves them against the ledger."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partyedu.members.services import transfer_member
from partyedu.points import selectors, services
from partyedu.points.models import EventKind, OrgPointsTotal, PointsEntry

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=10):
    return datetime.datetime(y, m, d, h, tzinfo=SH)


@pytest.fixture
def rules(county):
    services.install_default_rules(scope=county.committee)


def kept(org, period):
    row = OrgPointsTotal.objects.filter(organization=org, period=period).first()
    return (row.total, row.entries, row.participants) if row else (Decimal("0"), 0, 0)


def attend(member, key, when):
    return services.award(
        member, EventKind.MEETING_ATTENDED, source_key=key, reason="参加支部党员大会", occurred_at=when
    )


def test_a_credit_counts_in_the_branch_for_its_year_quarter_and_month(rules, county):
    zhang, li, _ = county.finance_members
    attend(zhang, "m:1", at(2026, 3, 31, 23))  # Shanghai's 31 March, still Q1
    attend(zhang, "m:2", at(2026, 3, 5))
    attend(li, "m:1", at(2026, 4, 1, 0))
    branch = county.finance_branch
    assert kept(branch, "2026") == (Decimal("6.00"), 3, 2)
    assert kept(branch, "2026Q1") == (Decimal("4.00"), 2, 1)  # Zhang twice, one participant
    assert kept(branch, "2026Q2") == (Decimal("2.00"), 1, 1)
    assert kept(branch, "2026-03") == (Decimal("4.00"), 2, 1)
    assert kept(county.finance, "2026") == (Decimal("0"), 0, 0)  # the branch's unit holds no row of its own
    assert services.check_org_totals() == []


def test_a_transferred_member_leaves_his_points_where_he_earned_them(rules, county):
    zhang = county.finance_members[0]
    first = attend(zhang, "m:1", at(2026, 3, 2)).entry
    transfer_member(zhang, county.education_branch)
    # The caller's copy of Zhang may be stale; the credit still goes to where the database says he is.
    stale = type(zhang).objects.get(pk=zhang.pk)
    stale.organization_id = county.finance_branch.pk
    second = attend(stale, "m:2", at(2026, 3, 20)).entry
    assert (first.organization_id, second.organization_id) == (
        county.finance_branch.pk,
        county.education_branch.pk,
    )
    assert kept(county.finance_branch, "2026-03") == (Decimal("2.00"), 1, 1)
    assert kept(county.education_branch, "2026-03") == (Decimal("2.00"), 1, 1)

    # The first meeting's attendance is withdrawn after the transfer: it is taken from the branch it was given to.
    fix = services.revoke(zhang, source_key="m:1", reason="补录错误：当天请假")
    assert fix.organization_id == county.finance_branch.pk
    assert kept(county.finance_branch, "2026-03") == (Decimal("0.00"), 2, 1)
    assert kept(county.education_branch, "2026-03") == (Decimal("2.00"), 1, 1)
    assert services.check_org_totals() == [] and services.check_totals() == []

    rows = {r.organization.pk: r for r in selectors.org_ranking(county.committee, "2026-03")}
    assert rows[county.education.pk].total == Decimal("2.00")
    assert rows[county.education.pk].members == 3  # today's head count: 王五, 赵六 and now 张三
    assert rows[county.finance.pk].total == Decimal("0") and rows[county.finance.pk].members == 2


def test_a_correction_changes_the_sum_not_the_participants(rules, county):
    zhang = county.finance_members[0]
    entry = attend(zhang, "m:1", at(2026, 5, 6)).entry
    services.correct(entry, new_points=Decimal("1.5"), reason="迟到半小时，按规定减半")
    services.correct(entry, new_points=Decimal("2"), reason="核实为请示后晚到，恢复")
    assert kept(county.finance_branch, "2026Q2") == (Decimal("2.00"), 3, 1)
    # Restoring a revoked credit (attendance corrected back to present) is a correction as well.
    services.revoke(zhang, source_key="m:1", reason="改为缺席")
    attend(zhang, "m:1", at(2026, 5, 6))
    assert kept(county.finance_branch, "2026") == (Decimal("2.00"), 5, 1)
    assert services.check_org_totals() == []


def test_org_ranking_reads_the_kept_totals(rules, county):
    """Tampering with a kept organisation total shows in the ranking: the ranking does not recompute."""
    attend(county.finance_members[0], "m:1", at(2026, 3, 2))
    OrgPointsTotal.objects.filter(organization=county.finance_branch, period="2026").update(
        total=Decimal("300")
    )
    rows = {r.organization.pk: r for r in selectors.org_ranking(county.committee, "2026")}
    assert rows[county.finance.pk].average == Decimal("100.00")


def test_points_check_proves_the_org_totals_and_repair_rebuilds_them(rules, county, capsys):
    zhang, li, _ = county.finance_members
    attend(zhang, "m:1", at(2026, 3, 2))
    attend(li, "m:1", at(2026, 3, 2))
    call_command("points_check")
    assert "一致" in capsys.readouterr().out

    OrgPointsTotal.objects.filter(organization=county.finance_branch, period="2026Q1").update(participants=5)
    OrgPointsTotal.objects.filter(organization=county.finance_branch, period="2026-03").delete()
    assert [(o, p) for o, p, _, _ in services.check_org_totals()] == [
        (county.finance_branch.pk, "2026-03"),
        (county.finance_branch.pk, "2026Q1"),
    ]
    with pytest.raises(CommandError, match="2 处"):
        call_command("points_check")
    assert "县财政局机关党支部" in capsys.readouterr().out

    call_command("points_check", "--repair")
    assert services.check_org_totals() == []
    assert kept(county.finance_branch, "2026Q1") == (Decimal("4.00"), 2, 2)
    call_command("points_check")


def test_the_demo_bulk_path_fills_org_totals_by_rebuilding(rules, county):
    """Bulk-written entries (the seeder's path) get their totals from rebuild_totals()."""
    zhang = county.finance_members[0]
    rule = services.rule_for(EventKind.MEETING_ATTENDED, zhang, datetime.date(2026, 3, 2))
    PointsEntry.objects.bulk_create(
        PointsEntry(
            member=m,
            organization_id=m.organization_id,
            rule=rule,
            event_kind=EventKind.MEETING_ATTENDED,
            source_key="bulk:1",
            points=Decimal("2"),
            requested=Decimal("2"),
            occurred_at=at(2026, 3, 2),
            occurred_on=datetime.date(2026, 3, 2),
            reason="参加组织生活",
        )
        for m in county.finance_members + county.education_members
    )
    assert services.check_org_totals() != []
    services.rebuild_totals()
    assert services.check_org_totals() == [] and services.check_totals() == []
    assert kept(county.education_branch, "2026")[2] == 2


ops = st.lists(
    st.tuples(
        st.sampled_from(["award", "revoke", "correct", "transfer"]),
        st.integers(0, 4),  # which member
        st.integers(0, 5),  # which source
        st.dates(datetime.date(2025, 12, 30), datetime.date(2026, 1, 2)),
        st.sampled_from([Decimal("0"), Decimal("0.5"), Decimal("3")]),
    ),
    max_size=12,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=ops)
def test_any_sequence_of_credits_corrections_and_transfers_keeps_the_org_totals_true(rules, county, ops):
    members = county.finance_members + county.education_members
    branches = [county.finance_branch, county.education_branch]
    for op, who, source, day, value in ops:
        member = type(members[who]).objects.get(pk=members[who].pk)
        key = f"h:{source}"
        if op == "award":
            attend(member, key, datetime.datetime.combine(day, datetime.time(23, 30), tzinfo=SH))
        elif op == "revoke":
            services.revoke(member, source_key=key, reason="撤销")
        elif op == "correct":
            entry = PointsEntry.objects.filter(member=member, source_key=key, kind="credit").first()
            if entry:
                services.correct(entry, new_points=value, reason="更正")
        else:
            target = branches[1] if member.organization_id == branches[0].pk else branches[0]
            transfer_member(member, target)
    assert services.check_org_totals() == []
    assert services.check_totals() == []


@pytest.mark.django_db(transaction=True)
def test_two_members_of_a_branch_credited_at_once_both_count(county):
    """Two credits arriving together for one branch: the branch's row is created once and holds both."""
    import threading

    from django.db import connection

    services.install_default_rules(scope=county.committee)
    zhang, li, _ = county.finance_members
    errors = []
    barrier = threading.Barrier(2)

    def hit(member):
        try:
            barrier.wait()
            attend(member, "m:race", at(2026, 3, 1))
        except Exception as exc:  # pragma: no cover - shown on failure
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=hit, args=(m,)) for m in (zhang, li)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if connection.vendor == "sqlite" and errors:
        # SQLite serialises writers; a locked database is a refusal, never a half-counted credit
        assert all("locked" in str(e) for e in errors)
    else:
        assert not errors
        assert kept(county.finance_branch, "2026") == (Decimal("4.00"), 2, 2)
    assert services.check_org_totals() == [] and services.check_totals() == []


def test_head_counts_are_counted_once_for_a_few_minutes(rules, county):
    """The head count (today's members per unit) is the one part of a ranking that grows with the members: it is
    read from the cache for five minutes, while the points always come from the kept totals."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    attend(county.finance_members[0], "m:1", at(2026, 3, 2))
    with CaptureQueriesContext(connection) as cold:
        selectors.org_ranking(county.committee, "2026")
    attend(county.finance_members[1], "m:1", at(2026, 3, 3))
    with CaptureQueriesContext(connection) as warm:
        rows = {r.organization.pk: r for r in selectors.org_ranking(county.committee, "2026")}

    def reads_members(ctx):
        return any('"members_member"' in q["sql"] for q in ctx.captured_queries)

    assert reads_members(cold) and not reads_members(warm)
    assert len(warm.captured_queries) < len(cold.captured_queries)
    assert rows[county.finance.pk].total == Decimal("4.00")  # the second credit shows at once
