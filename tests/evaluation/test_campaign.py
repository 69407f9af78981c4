"""民主评议: self, peers, the masses and the organisation combine into a suggested grade that explains itself; the
优秀 quota holds; 预备党员 take part without a grade; a mass rating cannot be traced back to its link."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from partyedu.evaluation import services
from partyedu.evaluation.models import Grade, MassResponse, MassToken, Participant
from partyedu.hours.services import credit
from tests.factories import MemberFactory

SUMMARY = "一年来，本人认真学习党的创新理论，按时参加三会一课，积极参加志愿服务，完成本职工作任务，" * 2


@pytest.fixture
def campaign(county):
    today = timezone.localdate()
    extra = [MemberFactory.create(organization=county.finance_branch, name=f"财政{i}") for i in range(3)]
    MemberFactory.create(
        organization=county.finance_branch, name="预备党员甲", status="probationary", full_on=None
    )
    c = services.create_campaign(
        county.finance,
        year=today.year,
        title=f"{today.year}年度民主评议党员",
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=10),
    )
    c.extra = extra
    return c


def part(campaign, member):
    return Participant.objects.get(campaign=campaign, member=member)


def test_everyone_takes_part_but_probationary_members_are_not_graded(campaign, county):
    assert campaign.participants.count() == 7
    probationary = campaign.participants.get(member__name="预备党员甲")
    assert probationary.graded is False
    services.suggest_grades(campaign)
    probationary.refresh_from_db()
    assert probationary.suggested_grade == "" and "不评定等次" in probationary.suggestion_note
    with pytest.raises(ValidationError):
        services.decide(probationary, grade=Grade.QUALIFIED)


def test_a_mass_rating_is_one_per_link_and_keeps_nothing_of_the_link(campaign, county):
    zhang = part(campaign, county.finance_members[0])
    raw = services.issue_mass_tokens(zhang, 2, rater_kind="recipient")
    services.submit_mass_rating(raw[0], grade=Grade.EXCELLENT, comment="办事热情")
    with pytest.raises(ValidationError, match="已经使用过"):
        services.submit_mass_rating(raw[0], grade=Grade.UNQUALIFIED)
    with pytest.raises(ValidationError):
        services.submit_mass_rating("not-a-token", grade=Grade.QUALIFIED)
    # nothing stored leads from a response to its link: no reference, no time, a random key
    fields = {f.name: f for f in MassResponse._meta.get_fields()}
    assert not any(getattr(f, "related_model", None) is MassToken for f in fields.values())
    assert not any(isinstance(f, models.DateTimeField | models.DateField) for f in fields.values())
    assert isinstance(MassResponse._meta.pk, models.UUIDField)
    assert not any(
        isinstance(f, models.DateTimeField) and f.name != "issued_at" for f in MassToken._meta.get_fields()
    )
    assert MassToken.objects.filter(token_hash=raw[0]).count() == 0  # only a hash is kept


def test_peer_ratings_stay_inside_the_branch(campaign, county):
    zhang, li = part(campaign, county.finance_members[0]), part(campaign, county.finance_members[1])
    services.rate_peer(zhang, li, Grade.EXCELLENT)
    services.rate_peer(zhang, li, Grade.QUALIFIED)  # changed, not doubled
    assert li.peer_ratings.count() == 1
    with pytest.raises(ValidationError):
        services.rate_peer(zhang, zhang, Grade.EXCELLENT)


def test_the_quota_of_excellent_holds_in_suggestions_and_decisions(campaign, county):
    graded = list(campaign.participants.filter(graded=True))
    assert len(graded) == 6  # quota: floor(6 / 3) = 2
    for p in graded:
        credit(p.member, source="class", key="class:1", hours=32, on=timezone.localdate(), title="全员轮训")
        services.submit_self_assessment(p, grade=Grade.EXCELLENT, summary=SUMMARY)
        services.assess(p, score=98)
        for other in graded:
            if other != p:
                services.rate_peer(other, p, Grade.EXCELLENT)
    services.suggest_grades(campaign)
    suggested = [p.suggested_grade for p in campaign.participants.filter(graded=True)]
    assert suggested.count(Grade.EXCELLENT) == 2
    over = campaign.participants.filter(graded=True, suggested_grade=Grade.QUALIFIED).first()
    assert "超出优秀名额" in over.suggestion_note
    firsts = list(campaign.participants.filter(suggested_grade=Grade.EXCELLENT))
    for p in firsts:
        services.decide(p, grade=Grade.EXCELLENT)
    with pytest.raises(ValidationError, match="优秀名额"):
        services.decide(over, grade=Grade.EXCELLENT, note="表现突出")
    with pytest.raises(ValidationError, match="说明理由"):
        services.decide(over, grade=Grade.BASIC)


def test_the_suggestion_shows_each_part_and_its_weight(campaign, county):
    zhang = part(campaign, county.finance_members[0])
    services.submit_self_assessment(zhang, grade=Grade.QUALIFIED, summary=SUMMARY)
    services.assess(zhang, score=70)
    services.suggest_grades(campaign)
    zhang.refresh_from_db()
    assert {"self", "org", "hours"} <= set(zhang.components)
    assert "points" not in zhang.components  # nobody has points yet: no information, its weight is shared out
    assert zhang.components["self"] == {"score": "80", "raw": "合格", "weight": 10, "label": "个人自评"}
    assert "综合得分" in zhang.suggestion_note
