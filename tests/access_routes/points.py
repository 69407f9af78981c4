"""Points routes: the education bureau's members and entries are out of reach of the finance branch's people;
rules, settings and anomalies are for workers (and changing them for the committee admin)."""

import datetime

from tests.access_rules import Foreign, Own


def other_member(c):
    return {"pk": c.education_members[0].pk}


def other_entry(c):
    from partyedu.points import services
    from partyedu.points.models import EventKind, PointsEntry

    wang = c.education_members[0]
    services.install_default_rules()
    services.award(wang, EventKind.MEETING_ATTENDED, source_key="access:1", reason="教育局党课")
    return {"pk": PointsEntry.objects.filter(member=wang).first().pk}


def a_rule(c):
    from partyedu.points import services
    from partyedu.points.models import PointsRule

    services.install_default_rules()
    return {"pk": PointsRule.objects.filter(valid_to__isnull=True).first().pk}


ROUTES = {
    "points:mine": Own(must_not_show=("王五", "赵六")),
    "points:member": Foreign(other_member),
    "points:manual": Foreign(other_member, methods=("get", "post"), payload={"points": "5", "reason": "x"}),
    "points:correct": Foreign(
        other_entry, methods=("get", "post"), payload={"new_points": "0", "reason": "x"}
    ),
    "points:rankings": Own(must_not_show=("王五", "赵六")),
    "points:rules": Own(),
    "points:rule_create": Own(methods=("post",)),
    "points:rule_revise": Foreign(
        a_rule, methods=("get", "post"), payload={"valid_from": str(datetime.date.today())}
    ),
    "points:rule_retire": Foreign(a_rule, methods=("post",)),
    "points:visibility": Own(methods=("get", "post")),
    "points:anomalies": Own(must_not_show=("王五", "赵六")),
}
