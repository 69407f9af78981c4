"""不让一个党员掉队 routes: the left-behind list and the delivery list of an organisation are for workers of its
subtree; a member's deliveries for those who may see him (and himself); recording or voiding one for the workers
who keep his roster entry."""

from __future__ import annotations

import datetime

from tests.access_rules import Foreign, Own


def other_member(c):
    return {"pk": c.education_members[0].pk}


def other_org(c):
    return {"pk": c.education_branch.pk}


def other_delivery(c):
    from partyedu.members.models import Member
    from partyedu.outreach.models import HomeDelivery

    member = c.education_members[0]
    Member.objects.filter(pk=member.pk).update(needs_home_delivery=True)
    delivery = HomeDelivery.objects.filter(member=member).first()
    if delivery is None:
        delivery = HomeDelivery.objects.create(
            member=member,
            organization=c.education_branch,
            delivered_on=datetime.date.today(),
            summary="学习党的二十大精神",
            items="党员教育读本",
            delivered_by=c.education_admin,
            minutes=90,
            hours=2,
        )
    return {"pk": delivery.pk}


ROUTES = {
    "outreach:index": Own(),
    "outreach:left_behind": Foreign(other_org),
    "outreach:deliveries": Foreign(other_org),
    "outreach:member_deliveries": Foreign(other_member),
    "outreach:delivery_new": Foreign(
        other_member,
        methods=("get", "post"),
        payload={
            "delivered_on": datetime.date.today().isoformat(),
            "minutes": "60",
            "summary": "渗透",
            "items": "x",
            "override_reason": "x",
        },
    ),
    "outreach:delivery": Foreign(other_delivery),
    "outreach:delivery_void": Foreign(other_delivery, methods=("post",), payload={"reason": "x"}),
}
