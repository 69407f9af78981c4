"""Organisation routes of the JSON API: thin; services write, Access decides who sees what."""

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from partyedu.accounts.access import Access, Capability
from partyedu.core.pagination import Pagination
from partyedu.members.selectors import member_counts_by_org

from . import services
from .models import SEGMENT, Organization, OrganizationKind

router = Router(tags=["党组织"])

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200  # a client asking for more gets this many: one request must not read the whole county

KindCode = Literal[tuple(OrganizationKind.values)]


class OrgOut(Schema):
    id: int
    name: str
    kind: KindCode
    kind_label: str = Field(description="类型的中文名称")
    unit_name: str
    code: str | None
    parent_id: int | None
    order: int
    depth: int
    established_on: datetime.date | None
    dissolved_on: datetime.date | None
    is_dissolved: bool

    @staticmethod
    def resolve_kind_label(org: Organization) -> str:
        return org.get_kind_display()


class OrgDetailOut(OrgOut):
    ancestor_ids: list[int] = Field(description="上级组织 id，从最顶层到直接上级")
    member_count: int = Field(description="本组织及下级组织的在册人员数")

    @staticmethod
    def resolve_ancestor_ids(org: Organization) -> list[int]:
        # The materialised path is the ancestors' ids, one fixed-width segment each: no query needed.
        return [int(org.path[i : i + SEGMENT]) for i in range(0, len(org.path) - SEGMENT, SEGMENT)]


class OrgFilters(Schema):
    parent: int | None = Field(None, description="只列出该组织的直接下级")
    kind: KindCode | None = None
    q: str = Field("", description="名称包含")
    include_dissolved: bool = False


class OrgCreateIn(Schema):
    # A misspelt field is refused rather than silently ignored.
    model_config = ConfigDict(extra="forbid")

    parent: int = Field(description="上级组织 id")
    name: str = Field(max_length=120)
    kind: KindCode
    unit_name: str = Field("", max_length=120)
    code: str | None = Field(None, max_length=40)
    established_on: datetime.date | None = None


class OrgPatchIn(Schema):
    # A misspelt field is refused rather than silently ignored: a PATCH that changes nothing must not say 200.
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, max_length=120)
    unit_name: str | None = Field(None, max_length=120)
    code: str | None = Field(None, max_length=40)
    order: int | None = Field(None, ge=0)
    established_on: datetime.date | None = None


def _visible_org(request, pk: int, cap: Capability = Capability.VIEW_ORG) -> Organization:
    org = Organization.objects.filter(pk=pk).first()
    if org is None:
        raise Http404("没有找到该组织")
    return Access.of(request.user).require_org(org, cap)


@router.get("", response=list[OrgOut], url_name="org_list", summary="党组织列表")
@paginate(Pagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def org_list(request, filters: Query[OrgFilters]):
    qs = Access.of(request.user).orgs(Capability.VIEW_ORG)
    if filters.parent is not None:
        qs = qs.filter(parent_id=filters.parent)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.q.strip():
        qs = qs.filter(name__contains=filters.q.strip())
    if not filters.include_dissolved:
        # A dissolution dated in the future has not happened yet.
        qs = qs.filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=timezone.localdate()))
    # Tree order: each organisation right after its parent, as on the tree page.
    return qs.order_by("path")


@router.get("/{int:org_id}", response=OrgDetailOut, url_name="org_detail", summary="党组织详情")
def org_detail(request, org_id: int):
    org = _visible_org(request, org_id)
    org.member_count = member_counts_by_org([org])[org.pk]
    return org


@router.post("", response={201: OrgDetailOut}, url_name="org_create", summary="新建下级组织")
def org_create(request, payload: OrgCreateIn):
    access = Access.of(request.user)
    parent = access.orgs(Capability.VIEW_ORG).filter(pk=payload.parent).first()
    if parent is None:
        # Same answer for "no such organisation" and "not yours to see": we do not confirm others' records.
        raise ValidationError({"parent": "没有找到该上级组织"})
    if not access.can_org(Capability.MANAGE_ORG, parent):
        raise PermissionDenied("您没有权限在该组织下设立下级组织")
    org = services.create_organization(
        name=payload.name,
        kind=payload.kind,
        parent=parent,
        unit_name=payload.unit_name,
        code=payload.code,
        established_on=payload.established_on,
    )
    org.member_count = 0
    return Status(201, org)


@router.patch("/{int:org_id}", response=OrgDetailOut, url_name="org_update", summary="修改党组织信息")
def org_update(request, org_id: int, payload: OrgPatchIn):
    org = _visible_org(request, org_id, Capability.MANAGE_ORG)
    fields = payload.model_dump(exclude_unset=True)
    for required in ("name", "order"):
        if required in fields and fields[required] is None:
            raise ValidationError({required: "此项不能为空"})
    fields = {key: ("" if value is None and key == "unit_name" else value) for key, value in fields.items()}
    if fields:
        org = services.update_organization(org, **fields)
    org.member_count = member_counts_by_org([org])[org.pk]
    return org
