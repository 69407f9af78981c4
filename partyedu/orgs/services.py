"""Every write to the organisation tree."""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q, Value
from django.db.models.functions import Concat, Substr

from .models import (
    ALLOWED_CHILDREN,
    SEGMENT,
    Organization,
    OrganizationKind,
    OrganizationMove,
    path_segment,
    subtree_q,
)


def _check_child_kind(parent: Organization | None, kind: str) -> None:
    if parent is None:
        if kind != OrganizationKind.WORKING_COMMITTEE:
            raise ValidationError("只有机关工委可以作为顶级组织")
        return
    if kind not in ALLOWED_CHILDREN[OrganizationKind(parent.kind)]:
        raise ValidationError(
            f"{OrganizationKind(parent.kind).label}下不能设立{OrganizationKind(kind).label}",
        )
    if parent.is_dissolved:
        raise ValidationError(f"上级组织“{parent.name}”已撤销")


@transaction.atomic
def create_organization(
    *,
    name: str,
    kind: str,
    parent: Organization | None,
    unit_name: str = "",
    code: str | None = None,
    order: int | None = None,
    established_on: datetime.date | None = None,
) -> Organization:
    name = name.strip()
    if not name:
        raise ValidationError("组织名称不能为空")
    _check_child_kind(parent, kind)
    if order is None:
        last = (
            Organization.objects.filter(parent=parent)
            .order_by("-order")
            .values_list("order", flat=True)
            .first()
        )
        order = (last or 0) + 1
    if not unit_name and parent is not None and kind in {OrganizationKind.BRANCH, OrganizationKind.GROUP}:
        unit_name = parent.unit_name
    org = Organization(
        name=name,
        kind=kind,
        parent=parent,
        unit_name=unit_name.strip(),
        code=(code or "").strip() or None,
        order=order,
        established_on=established_on,
        # The path needs the id; a unique placeholder keeps the constraint satisfied until the second write.
        path=f"new-{uuid.uuid4().hex}",
    )
    org.full_clean(exclude=["path"])
    org.save()
    org.path = (parent.path if parent else "") + path_segment(org.pk)
    org.depth = len(org.path) // SEGMENT - 1
    org.save(update_fields=["path", "depth"])
    return org


@transaction.atomic
def update_organization(org: Organization, **fields) -> Organization:
    allowed = {"name", "unit_name", "code", "order", "established_on"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"cannot update {unknown} here")
    for key, value in fields.items():
        setattr(org, key, value.strip() if isinstance(value, str) else value)
    if org.code == "":
        org.code = None
    org.full_clean()
    org.save()
    return org


@transaction.atomic
def move_organization(
    org: Organization, new_parent: Organization, *, by=None, reason: str = ""
) -> Organization:
    org = Organization.objects.select_for_update().get(pk=org.pk)
    new_parent = Organization.objects.get(pk=new_parent.pk)
    if new_parent.path.startswith(org.path):
        raise ValidationError("不能把组织移动到它自己或它的下级组织之下")
    if org.parent_id == new_parent.pk:
        raise ValidationError("该组织已经在这个上级组织之下")
    _check_child_kind(new_parent, org.kind)
    old_path, old_parent_id = org.path, org.parent_id
    new_path = new_parent.path + path_segment(org.pk)
    depth_delta = (len(new_path) - len(old_path)) // SEGMENT
    Organization.objects.filter(subtree_q(old_path)).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_delta,
    )
    Organization.objects.filter(pk=org.pk).update(parent=new_parent)
    OrganizationMove.objects.create(
        organization=org,
        from_parent_id=old_parent_id,
        to_parent=new_parent,
        from_path=old_path,
        moved_by=by,
        reason=reason,
    )
    org.refresh_from_db()
    return org


@transaction.atomic
def dissolve_organization(org: Organization, *, on: datetime.date) -> Organization:
    """Mark an organisation dissolved. Nothing is deleted: its meetings and members' history still point to it."""
    from partyedu.members.models import MembershipPeriod
    from partyedu.members.selectors import current_member_count

    org = Organization.objects.select_for_update().get(pk=org.pk)
    if org.dissolved_on:
        raise ValidationError("该组织已撤销")
    if org.established_on and on < org.established_on:
        raise ValidationError("撤销日期不能早于成立日期")
    live_children = Organization.objects.filter(parent=org).active(on=on)
    if live_children.exists():
        raise ValidationError("请先撤销或移出下级组织：" + "、".join(c.name for c in live_children[:5]))
    if current_member_count(org) > 0:
        raise ValidationError("该组织还有党员，请先办理组织关系转接")
    # Every period here is closed now; dissolving before the last one ended would leave members in the history
    # (and in the expected attendees of that time's meetings) of an organisation that no longer existed.
    last_left = MembershipPeriod.objects.filter(Q(organization=org) | Q(group=org)).aggregate(
        Max("ended_on")
    )["ended_on__max"]
    if last_left and on < last_left:
        raise ValidationError(f"撤销日期不能早于最后一名党员转出该组织的日期（{last_left:%Y-%m-%d}）")
    org.dissolved_on = on
    org.save(update_fields=["dissolved_on", "updated_at"])
    return org
