"""A branch records a person's way into the party step by step; the platform refuses what the 细则 forbids."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from partyedu.development import selectors, services
from partyedu.development.dates import add_months
from partyedu.development.models import PathStatus
from partyedu.development.models import StepKind as K
from partyedu.members.models import Member

from .conftest import applicant, timeline, walk

pytestmark = pytest.mark.django_db
D = datetime.timedelta


def message(exc) -> str:
    return " ".join(exc.value.messages)


def test_an_activist_made_candidate_before_a_year_is_refused_with_the_rule_named(
    county, rules, people, today
):
    applied = add_months(today, -20)
    member = applicant(county.finance_branch, applied_on=applied)
    path = services.open_path(member)
    walk(path, people, until=K.REVIEW)
    activist_on = add_months(applied, 6)
    with pytest.raises(ValidationError) as exc:
        services.record_step(path, K.CANDIDATE, add_months(activist_on, 12) - D(days=1))
    earliest = add_months(activist_on, 12)
    assert message(exc) == (
        f"不符合规则“确定为入党积极分子满一年后方可确定为发展对象”：李四于"
        f"{activist_on.year}年{activist_on.month}月{activist_on.day}日确定为入党积极分子，最早可于"
        f"{earliest.year}年{earliest.month}月{earliest.day}日确定为发展对象"
    )
    member.refresh_from_db()
    assert member.status == "activist"
    services.record_step(path, K.CANDIDATE, earliest)
    member.refresh_from_db()
    assert (member.status, member.candidate_on) == ("candidate", earliest)


def test_steps_follow_the_order_of_the_rules(county, rules, people, today):
    member = applicant(county.finance_branch, applied_on=add_months(today, -8))
    path = services.open_path(member)
    with pytest.raises(ValidationError) as exc:
        services.record_step(path, K.ACTIVIST, today)
    assert "应先记录“党组织派人谈话”" in message(exc)
    with pytest.raises(ValidationError) as exc:
        services.record_step(path, K.REPORT, today)
    assert "应在“确定为入党积极分子”之后" in message(exc)


def test_a_step_cannot_be_dated_in_the_future_or_before_the_step_it_follows(county, rules, today):
    member = applicant(county.finance_branch, applied_on=today - D(days=10))
    path = services.open_path(member)
    with pytest.raises(ValidationError) as exc:
        services.record_step(path, K.TALK, today + D(days=1))
    assert "不能晚于今天" in message(exc)
    with pytest.raises(ValidationError) as exc:
        services.record_step(path, K.TALK, today - D(days=11))
    assert "不能早于上一环节" in message(exc)


def test_a_late_talk_needs_a_reason(county, rules, today):
    applied = today - D(days=60)
    member = applicant(county.finance_branch, applied_on=applied)
    path = services.open_path(member)
    with pytest.raises(ValidationError) as exc:
        services.record_step(path, K.TALK, today)
    assert "不符合规则“收到入党申请书后一个月内派人谈话”" in message(exc)
    assert "最迟应于" in message(exc)
    step = services.record_step(path, K.TALK, today, late_reason="本人长期外派学习")
    assert step.late_reason == "本人长期外派学习"


def test_an_edited_rule_judges_steps_from_its_date_and_the_old_one_before(county, rules, people, today):
    """The 工委 shortens 一年 to 十个月 from today: a step dated after the change may come after ten months; a
    step dated before the change is still held to a year."""
    applied = add_months(today, -17)
    rule = next(r for r in selectors.current_rules() if r.to_kind == K.CANDIDATE)
    new = services.revise_rule(rule, valid_from=today - D(days=5), min_months=10)
    assert new.pk != rule.pk and new.series == rule.series
    rule.refresh_from_db()
    assert rule.valid_to == today - D(days=5)

    member = applicant(county.finance_branch, applied_on=applied)
    path = services.open_path(member)
    walk(path, people, until=K.CONTACTS)
    activist_on = add_months(applied, 6)  # 11 months ago
    before_change = today - D(days=6)  # more than ten months, less than a year after
    assert add_months(activist_on, 10) <= before_change < add_months(activist_on, 12)
    with pytest.raises(ValidationError) as exc:
        services.record_step(path, K.CANDIDATE, before_change)
    assert "满一年后" in message(exc)
    step = services.record_step(path, K.CANDIDATE, today)
    assert step.kind == K.CANDIDATE


def test_the_branch_vote_must_pass_by_more_than_half_of_the_voting_members(county, rules, people, today):
    member = applicant(county.finance_branch, applied_on=add_months(today, -24))
    path = services.open_path(member)
    walk(path, people, until=K.VOLUNTEER_FORM)
    vote_on = add_months(today, -24 + 20)
    with pytest.raises(ValidationError) as exc:
        services.record_step(path, K.BRANCH_VOTE, vote_on, voters_expected=10, voters_present=5, votes_for=5)
    assert "未超过应到会人数（10人）的半数" in message(exc)
    with pytest.raises(ValidationError) as exc:
        services.record_step(path, K.BRANCH_VOTE, vote_on, voters_expected=10, voters_present=8, votes_for=5)
    assert "赞成人数（5人）未超过" in message(exc)
    services.record_step(path, K.BRANCH_VOTE, vote_on, voters_expected=10, voters_present=8, votes_for=6)


def test_approval_more_than_three_months_after_the_vote_is_refused(county, rules, people, today):
    applied = add_months(today, -26)
    member = applicant(county.finance_branch, applied_on=applied)
    path = services.open_path(member)
    walk(path, people, until=K.SUPERIOR_TALK)
    vote_on = dict(timeline(applied))[K.BRANCH_VOTE]
    late = add_months(vote_on, 3) + D(days=1)
    assert late <= today
    with pytest.raises(ValidationError) as exc:
        services.record_step(path, K.APPROVAL, late)
    assert "不符合规则“支部党员大会讨论通过后三个月内上级党委审批”" in message(exc)
    services.record_step(path, K.APPROVAL, add_months(vote_on, 3))
    member.refresh_from_db()
    assert (member.status, member.probationary_on, member.joined_on) == (
        "probationary",
        add_months(vote_on, 3),
        add_months(vote_on, 3),
    )


def test_introducers_are_two_different_full_members(county, rules, people, today):
    member = applicant(county.finance_branch, applied_on=add_months(today, -24))
    path = services.open_path(member)
    walk(path, people, until=K.CANDIDATE)
    on = add_months(today, -24 + 18) + D(days=5)
    with pytest.raises(ValidationError) as exc:
        services.record_step(path, K.INTRODUCERS, on, first_person=people[0], second_person=people[0])
    assert "不能是同一人" in message(exc)
    other = applicant(county.finance_branch, name="钱七", applied_on=add_months(today, -2))
    with pytest.raises(ValidationError) as exc:
        services.record_step(path, K.INTRODUCERS, on, first_person=people[0], second_person=other)
    assert "应为正式党员" in message(exc)


def test_short_training_needs_three_days_or_24_hours(county, rules, people, today):
    member = applicant(county.finance_branch, applied_on=add_months(today, -24))
    path = services.open_path(member)
    walk(path, people, until=K.POLITICAL_REVIEW)
    on = add_months(today, -24 + 18) + D(days=25)
    with pytest.raises(ValidationError) as exc:
        services.record_step(path, K.TRAINING, on, training_days=2, training_hours=16)
    assert "不少于3天" in message(exc)
    services.record_step(path, K.TRAINING, on, training_hours=24)


def test_on_time_outcome_makes_a_full_member_from_the_day_probation_ends(county, rules, people, today):
    applied = add_months(today, -36)
    member = applicant(county.finance_branch, applied_on=applied)
    path = services.open_path(member)
    walk(path, people, until=K.FULL_APPROVAL)
    member.refresh_from_db()
    path.refresh_from_db()
    approval_on = dict(timeline(applied))[K.APPROVAL]
    assert member.status == "full"
    assert member.full_on == add_months(approval_on, 12)
    assert path.status == PathStatus.COMPLETED


def test_extended_probation_delays_the_next_vote_and_then_ends_on_time(county, rules, people, today):
    applied = add_months(today, -44)
    member = applicant(county.finance_branch, applied_on=applied)
    path = services.open_path(member)
    walk(path, people, until=K.FULL_VOTE)
    dates = dict(timeline(applied))
    decided = add_months(dates[K.FULL_VOTE], 1)
    with pytest.raises(ValidationError) as exc:
        services.record_step(path, K.FULL_APPROVAL, decided, outcome="extended", extension_months=3)
    assert "6至12个月" in message(exc)
    services.record_step(path, K.FULL_APPROVAL, decided, outcome="extended", extension_months=6)
    member.refresh_from_db()
    assert member.status == "probationary"
    ends = add_months(dates[K.APPROVAL], 18)
    services.record_step(path, K.FULL_APPLICATION, ends - D(days=10))
    with pytest.raises(ValidationError) as exc:
        services.record_step(
            path, K.FULL_VOTE, ends - D(days=1), voters_expected=9, voters_present=9, votes_for=9
        )
    assert "届满后方可讨论转正" in message(exc)
    services.record_step(path, K.FULL_VOTE, ends, voters_expected=9, voters_present=9, votes_for=9)
    services.record_step(path, K.FULL_APPROVAL, ends + D(days=20), outcome="on_time")
    member.refresh_from_db()
    assert (member.status, member.full_on) == ("full", ends)


def test_cancelled_probation_takes_the_person_off_the_roster(county, rules, people, today):
    applied = add_months(today, -36)
    member = applicant(county.finance_branch, applied_on=applied)
    path = services.open_path(member)
    walk(path, people, until=K.FULL_VOTE)
    on = add_months(dict(timeline(applied))[K.FULL_VOTE], 1)
    services.record_step(path, K.FULL_APPROVAL, on, outcome="cancelled")
    member = Member.objects.get(pk=member.pk)
    path.refresh_from_db()
    assert path.status == PathStatus.CANCELLED
    assert (member.left_on, member.left_reason) == (on, "取消预备党员资格")
    with pytest.raises(ValidationError):
        services.record_step(path, K.REPORT, today)


def test_a_full_member_gets_no_path(county, rules):
    with pytest.raises(ValidationError) as exc:
        services.open_path(county.finance_members[1])
    assert "已是正式党员" in message(exc)
