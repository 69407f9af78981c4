"""民主评议 routes: a campaign over the education bureau is out of reach of the finance branch's people (its
page, its participants, its exports and secretary review); members act only on their own participation.
The outside raters' page /evaluation/r/<token>/ is public (no login): it names nothing but a one-time link."""

import datetime

from tests.access_rules import Foreign, Own, Public


def education_campaign(c):
    from django.utils import timezone

    from partyedu.evaluation import services
    from partyedu.evaluation.models import Campaign

    campaign = Campaign.objects.filter(root=c.education).first()
    if campaign is None:
        today = timezone.localdate()
        campaign = services.create_campaign(
            c.education,
            year=today.year,
            title="教育局民主评议",
            opens_on=today - datetime.timedelta(days=1),
            closes_on=today + datetime.timedelta(days=10),
        )
    return campaign


def other_campaign(c):
    return {"pk": education_campaign(c).pk}


def other_branch(c):
    return {"pk": education_campaign(c).pk, "branch": c.education_branch.pk}


def other_participant(c):
    return {"pk": education_campaign(c).participants.order_by("pk").first().pk}


def other_pair(c):
    first, second = education_campaign(c).participants.order_by("pk")[:2]
    return {"pk": first.pk, "ratee": second.pk}


OTHER = ("王五", "赵六", "教育局民主评议")

ROUTES = {
    "evaluation:list": Own(must_not_show=OTHER),
    "evaluation:create": Own(methods=("get",)),
    "evaluation:campaign": Foreign(other_campaign),
    "evaluation:suggest": Foreign(other_campaign, methods=("post",)),
    "evaluation:close": Foreign(other_campaign, methods=("post",)),
    "evaluation:export": Foreign(other_branch, methods=("post",)),
    "evaluation:review": Foreign(other_branch),
    "evaluation:review_rate": Foreign(other_branch, methods=("post",), payload={"score": "10"}),
    "evaluation:review_docx": Foreign(other_branch),
    "evaluation:participant": Foreign(other_participant),
    "evaluation:assess": Foreign(other_participant, methods=("post",), payload={"org_score": "1"}),
    "evaluation:decide": Foreign(
        other_participant, methods=("post",), payload={"grade": "unqualified", "note": "x"}
    ),
    "evaluation:tokens": Foreign(
        other_participant, methods=("post",), payload={"count": "2", "rater_kind": "masses"}
    ),
    "evaluation:scorecard": Own(must_not_show=("县教育局",)),
    "evaluation:mine": Own(must_not_show=OTHER),
    "evaluation:my": Foreign(other_participant),
    "evaluation:my_self": Foreign(other_participant, methods=("post",), payload={"self_grade": "excellent"}),
    "evaluation:my_rate": Foreign(other_pair, methods=("post",), payload={"grade": "unqualified"}),
    "evaluation:rate": Public(),
}
