"""意见建议 routes: an opinion received by the education branch, and its 意见箱, are out of reach of the
finance branch's people. /opinions/p/ (the QR form and the receipt lookup) is public: it names only a random
token or receipt code."""

from __future__ import annotations

import datetime

from tests.access_rules import Foreign, Own, Public


def other_opinion(c):
    from partyedu.opinions import services
    from partyedu.opinions.models import Opinion

    opinion = Opinion.objects.filter(organization=c.education_branch).first()
    if opinion is None:
        opinion = services.record_opinion(
            c.education_branch,
            channel="visit",
            content="教育局门前路灯不亮，希望尽快维修",
            received_on=datetime.date.today(),
            giver_contact="13900000000",
        )
    return {"pk": opinion.pk}


def other_org(c):
    return {"org": c.education_branch.pk}


OTHER = ("教育局门前路灯", "县教育局")

ROUTES = {
    "opinions:list": Own(must_not_show=OTHER),
    "opinions:create": Own(),
    "opinions:detail": Foreign(other_opinion),
    "opinions:assign": Foreign(other_opinion, methods=("post",), payload={"due_on": "2030-01-01"}),
    "opinions:reply": Foreign(other_opinion, methods=("post",), payload={"reply": "已处理"}),
    "opinions:close": Foreign(other_opinion, methods=("post",)),
    "opinions:stats": Own(must_not_show=("县教育局",)),
    "opinions:stats_export": Own(methods=("post",)),
    "opinions:box": Foreign(other_org),
    "opinions:box_renew": Foreign(other_org, methods=("post",)),
    "opinions:public_lookup": Public(),
    "opinions:public_receipt": Public(),
    "opinions:public_submit": Public(),
}
