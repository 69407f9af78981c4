"""Reading plan routes. An assigned plan belongs to the workers with CHANGE_MEMBERS on its organisation (the
education bureau here); a personal plan to its owner (王五 of the education branch); a member reads a plan only
when it applies to him. tests/plans/test_access.py checks the same rules for the owners' side."""

from __future__ import annotations

import datetime

from tests.access_rules import Foreign, Own


def education_plan(c):
    from partyedu.plans import services
    from partyedu.plans.models import ReadingPlan

    plan = ReadingPlan.objects.filter(organization=c.education).first()
    if plan is None:
        plan = services.create_plan(
            organization=c.education,
            title="县教育局2026年度必读书目",
            year=2026,
            deadline=datetime.date.today() + datetime.timedelta(days=30),
        )
        services.add_book_item(plan, title="教育强国建设规划纲要")
        services.publish(plan)
    return {"pk": plan.pk}


def education_book(c):
    from partyedu.plans.models import ReadingPlanItem

    return {"pk": ReadingPlanItem.objects.get(plan_id=education_plan(c)["pk"]).pk}


def wangwu_personal_plan(c):
    from partyedu.plans import services
    from partyedu.plans.models import ReadingPlan

    wang = c.education_members[0]
    plan = ReadingPlan.objects.filter(member=wang).first()
    if plan is None:
        plan = services.create_personal_plan(wang, title="王五的个人学习计划", year=2026)
        services.add_book_item(plan, title="红岩")
    return {"pk": plan.pk}


def wangwu_book(c):
    from partyedu.plans.models import ReadingPlanItem

    return {"pk": ReadingPlanItem.objects.get(plan_id=wangwu_personal_plan(c)["pk"]).pk}


OTHER_PLANS = ("县教育局2026年度必读书目", "王五的个人学习计划")

ROUTES = {
    "plans:list": Own(must_not_show=OTHER_PLANS),
    "plans:create": Own(methods=("get",)),
    "plans:detail": Foreign(education_plan),
    "plans:edit": Foreign(education_plan, methods=("get", "post"), payload={"title": "被改名", "year": 2026}),
    "plans:audience": Foreign(
        education_plan, methods=("get", "post"), payload={"action": "kind", "audience": "leaders"}
    ),
    "plans:items": Foreign(
        wangwu_personal_plan, methods=("get", "post"), payload={"kind": "book", "book_title": "x"}
    ),
    "plans:item_change": Foreign(education_book, methods=("post",), payload={"action": "remove"}),
    "plans:publish": Foreign(education_plan, methods=("post",)),
    "plans:sync": Foreign(education_plan, methods=("post",)),
    "plans:remind": Foreign(education_plan, methods=("post",)),
    "plans:progress": Foreign(education_plan),
    "plans:overdue_export": Foreign(education_plan, methods=("post",)),
    "plans:member_detail": Foreign(lambda c: {**education_plan(c), "member_pk": c.education_members[0].pk}),
    "plans:mine": Own(must_not_show=OTHER_PLANS),
    "plans:personal_create": Own(methods=("get",)),
    "plans:mine_detail": Foreign(wangwu_personal_plan),
    "plans:book_read": Foreign(education_book, methods=("post",), payload={"note": "替别人登记读完了"}),
}
