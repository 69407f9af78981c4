"""学时 routes. A member reads his own year (hours:mine); a worker reads the years of the members and the
statistics of the organisations in his subtree; another branch's member or organisation is a 404."""

from __future__ import annotations

from tests.access_rules import Foreign, Own


def other_member(c):
    return {"pk": c.education_members[0].pk}


def other_org(c):
    return {"pk": c.education_branch.pk}


ROUTES = {
    "hours:mine": Own(must_not_show=("王五", "赵六")),
    "hours:member": Foreign(other_member),
    "hours:stats_index": Own(),
    "hours:stats": Foreign(other_org),
    "hours:export": Foreign(other_org, methods=("post",), payload={"year": "2026"}),
}
