"""发展党员 routes. A path is its member's and his branch's: the education bureau's applicant is another branch's
person for the finance branch's secretary and member. The interval rules are the 工委's: only a committee admin
edits them."""

from __future__ import annotations

import datetime

from tests.access_rules import Foreign, Own

OTHER_APPLICANT = "孙八"


def education_applicant(c):
    from partyedu.development import services
    from partyedu.development.models import DevelopmentPath
    from partyedu.members.models import Member
    from tests.factories import MemberFactory

    member = Member.objects.filter(name=OTHER_APPLICANT).first()
    if member is None:
        member = MemberFactory.create(
            organization=c.education_branch,
            name=OTHER_APPLICANT,
            status="applicant",
            applied_on=datetime.date.today() - datetime.timedelta(days=50),
            probationary_on=None,
            full_on=None,
        )
    if not DevelopmentPath.objects.filter(member=member).exists():
        services.open_path(member)
    return {"pk": member.pk}


def current_rule(c):
    from partyedu.development import services
    from partyedu.development.models import IntervalRule

    services.install_default_rules()
    return {"pk": IntervalRule.objects.filter(valid_to__isnull=True).order_by("pk").first().pk}


ROUTES = {
    "development:board": Own(must_not_show=(OTHER_APPLICANT, "县教育局")),
    "development:calendar": Own(must_not_show=(OTHER_APPLICANT,)),
    "development:calendar_month": Own(must_not_show=(OTHER_APPLICANT,)),
    "development:calendar_xlsx": Own(methods=("post",)),
    "development:rules": Own(),
    "development:mine": Own(must_not_show=(OTHER_APPLICANT,)),
    "development:person": Foreign(education_applicant),
    "development:open": Foreign(education_applicant, methods=("post",), payload={"applied_on": "2026-01-01"}),
    "development:record": Foreign(
        education_applicant, methods=("post",), payload={"kind": "talk", "on": "2026-01-02"}
    ),
    "development:record_docx": Foreign(education_applicant),
    "development:rule_edit": Foreign(
        current_rule,
        methods=("get", "post"),
        payload={"label": "被改", "min_months": "1", "valid_from": "2026-01-01"},
    ),
}
