"""Reading club routes: another unit's plan (the education bureau's, published), its months, sections and
shared texts are not for the finance branch's secretary or members."""

import datetime

from tests.access_rules import Foreign, Own


def _plan(c):
    from partyedu.readingclub import services
    from partyedu.readingclub.models import ReadingClubPlan

    plan = ReadingClubPlan.objects.filter(organization=c.education).first()
    if plan is None:
        plan = services.create_plan(
            organization=c.education,
            year=datetime.date.today().year,
            title="教育局读书会计划",
            months=[{"theme": f"主题{n}", "cohost": c.education_branch} for n in range(1, 13)],
        )
        services.publish_plan(plan)
    return plan


def other_plan(c):
    return {"pk": _plan(c).pk}


def other_month(c):
    return {"pk": _plan(c).months.get(month=1).pk}


def other_section(c):
    from partyedu.readingclub import services

    month = _plan(c).months.get(month=1)
    return {"pk": services.add_section(month, kind="theory", title="学习党章").pk}


def other_text(c):
    from partyedu.readingclub import services

    month = _plan(c).months.get(month=1)
    return {"pk": services.submit_text(month, title="心得", body="正文", member=c.education_members[0]).pk}


ROUTES = {
    "readingclub:plans": Own(must_not_show=("教育局读书会计划", "县教育局")),
    "readingclub:plan_create": Own(methods=("get", "post")),
    "readingclub:plan_detail": Foreign(other_plan),
    "readingclub:plan_edit": Foreign(other_plan, methods=("get", "post"), payload={"title": "被改名"}),
    "readingclub:plan_publish": Foreign(other_plan, methods=("post",)),
    "readingclub:plan_archive": Foreign(other_plan, methods=("post",)),
    "readingclub:month": Foreign(other_month),
    "readingclub:month_activity_plan": Foreign(
        other_month, methods=("post",), payload={"activity_plan": "x"}
    ),
    "readingclub:month_review": Foreign(other_month, methods=("post",), payload={"decision": "approve"}),
    "readingclub:month_meeting": Foreign(other_month, methods=("post",), payload={"action": "unlink"}),
    "readingclub:section_add": Foreign(
        other_month, methods=("post",), payload={"kind": "theory", "title": "x"}
    ),
    "readingclub:section_delete": Foreign(other_section, methods=("post",)),
    "readingclub:text_add": Foreign(other_month, methods=("post",), payload={"title": "x", "body": "y"}),
    "readingclub:text_delete": Foreign(other_text, methods=("post",)),
}
