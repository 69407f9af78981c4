from partyedu.compliance.models import ComplianceRule
from partyedu.compliance.services import install_default_rules

from ..access_rules import Foreign, Own


def other_branch(c):
    return {"pk": c.education_branch.pk}


def a_rule(c):
    install_default_rules()
    return {"pk": ComplianceRule.objects.order_by("pk").first().pk}


def other_branch_cell(c):
    return {**other_branch(c), "rule": a_rule(c)["pk"]}


ROUTES = {
    "compliance:board": Own(must_not_show=("王五", "赵六", "县教育局")),
    "compliance:missed": Foreign(other_branch),
    "compliance:cell": Foreign(other_branch_cell),
    "compliance:meetings": Foreign(other_branch),
    "compliance:absences": Foreign(other_branch),
    "compliance:inactive": Foreign(other_branch),
    "compliance:rules": Own(),
    "compliance:rule_create": Own(methods=("get", "post")),
    # the rules are the 工委's: a branch's secretary or member may neither open the form nor post it
    "compliance:rule_edit": Foreign(
        a_rule, methods=("get", "post"), payload={"action": "retire", "on": "2030-01-01"}
    ),
}
