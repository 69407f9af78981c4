"""Materials library routes: the education bureau's material published for its own subtree is not for the finance
branch's secretary or members (not listed, 404 on its page and file, no editing)."""

from tests.access_rules import Foreign, Own


def other_material(c):
    from partyedu.learning import materials_services as services
    from partyedu.learning.models import Material

    material = Material.objects.filter(publisher=c.education).first() or services.create_material(
        publisher=c.education, title="教育局内部学习资料", category="business", body="<p>内部</p>"
    )
    return {"pk": material.pk}


ROUTES = {
    "learning:materials": Own(must_not_show=("教育局内部学习资料",)),
    "learning:material_create": Own(methods=("get", "post")),
    "learning:material_detail": Foreign(other_material),
    "learning:material_edit": Foreign(other_material, methods=("get", "post"), payload={"title": "被改名"}),
    "learning:material_file": Foreign(other_material),
}
