"""Reflection routes. A reflection belongs to its writer and his branch: only he edits and submits it; his branch's
secretary (CHANGE_MEMBERS there) reviews it; workers who see the members of that branch read it. The reference
corpus and the settings are for admins (MANAGE_ORG); a setting names an organisation."""

from __future__ import annotations

from django.apps import apps

from tests.access_rules import Foreign, Own

OTHER_TITLE = "教育局党员的学习心得"


def other_reflection(c):
    from partyedu.reflections.models import Reflection

    r = Reflection.objects.filter(member=c.education_members[0]).first()
    if r is None:
        r = Reflection.objects.create(
            member=c.education_members[0],
            organization=c.education_branch,
            title=OTHER_TITLE,
            body="学习体会" * 200,
            status="submitted",
        )
    return {"pk": r.pk}


def other_draft(c):
    from partyedu.reflections.models import Reflection

    pk = other_reflection(c)["pk"]
    Reflection.objects.filter(pk=pk).update(status="draft")
    return {"pk": pk}


def other_reference(c):
    from partyedu.reflections.models import ReferenceFile

    ref = ReferenceFile.objects.first() or ReferenceFile.objects.create(name="范文.txt", document_count=0)
    return {"pk": ref.pk}


ROUTES = (
    {
        "reflections:mine": Own(must_not_show=(OTHER_TITLE,)),
        "reflections:create": Own(),
        "reflections:detail": Foreign(other_reflection),
        "reflections:edit": Foreign(
            other_draft, methods=("get", "post"), payload={"title": "被改", "body": "x"}
        ),
        "reflections:submit": Foreign(other_draft, methods=("post",)),
        "reflections:approve": Foreign(other_reflection, methods=("post",)),
        "reflections:return": Foreign(other_reflection, methods=("post",), payload={"comment": "退回"}),
        "reflections:queue": Own(must_not_show=(OTHER_TITLE, "王五")),
        # admins only: the branch secretary and the member are refused (tests/reflections/test_pages.py)
        "reflections:references": Foreign(lambda c: {}, methods=("get", "post")),
        "reflections:reference_delete": Foreign(other_reference, methods=("post",)),
        "reflections:settings": Foreign(lambda c: {}),
        "reflections:setting_edit": Foreign(
            lambda c: {"pk": c.education_branch.pk},
            methods=("get", "post"),
            payload={"min_reflection_chars": 1, "min_note_chars": 1, "block_percent": 99},
        ),
    }
    if apps.is_installed("partyedu.reflections")
    else {}
)
