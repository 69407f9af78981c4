"""Study time routes: the education bureau's own material cannot be clocked (or its clock read) by the finance
branch's people, and the study overview of the finance branch shows no one from the education bureau."""

from tests.access_rules import Foreign, Own


def other_material(c):
    from partyedu.learning import materials_services as services
    from partyedu.learning.models import Material

    material = Material.objects.filter(publisher=c.education).first() or services.create_material(
        publisher=c.education, title="教育局内部学习资料", category="business", body="<p>内部</p>"
    )
    return {"pk": material.pk}


def other_branch(c):
    return {"pk": c.education_branch.pk}


ROUTES = {
    "learning:study_heartbeat": Foreign(other_material, methods=("get", "post"), payload={"token": "tab"}),
    "learning:study_mine": Own(must_not_show=("教育局内部学习资料",)),
    "learning:study_orgs": Own(must_not_show=("县教育局", "王五")),
    "learning:study_org_members": Foreign(other_branch),
}
