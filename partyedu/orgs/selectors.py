"""Reads of the organisation tree."""

from __future__ import annotations

from partyedu.accounts.access import Access, Capability

from .models import Organization


def visible_children(
    user, parent: Organization | None, *, include_dissolved: bool = False
) -> list[Organization]:
    access = Access.of(user)
    if parent is None:
        nodes = access.scope_roots(Capability.VIEW_ORG)
    else:
        qs = access.orgs(Capability.VIEW_ORG).filter(parent=parent)
        if not include_dissolved:
            qs = qs.filter(dissolved_on__isnull=True)
        nodes = list(qs.order_by("order", "name"))
    child_parents = set(
        Organization.objects.filter(parent__in=nodes, dissolved_on__isnull=True).values_list(
            "parent_id", flat=True
        )
    )
    for node in nodes:
        node.has_children = node.pk in child_parents
    return nodes


def groups_of(branch: Organization) -> list[Organization]:
    return list(
        Organization.objects.filter(parent=branch, kind="group", dissolved_on__isnull=True).order_by("order")
    )
