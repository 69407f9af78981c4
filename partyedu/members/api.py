"""Roster routes of the JSON API: the roster page's filters, the roster service's validation, Access's rules."""

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from partyedu.accounts.access import Access, Capability
from partyedu.core.cn import mask_citizen_id
from partyedu.core.pagination import Pagination
from partyedu.orgs.models import Organization, OrganizationKind

from . import services
from .models import Education, Gender, Member, MemberStatus
from .selectors import AGE_BANDS, FLAGS, SORTS, RosterFilter, roster

router = Router(tags=["党员"])

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200  # a client asking for more gets this many: one request must not read the whole county

StatusCode = Literal[tuple(MemberStatus.values)]
GenderCode = Literal[tuple(Gender.values)]
EducationCode = Literal[tuple(Education.values)]
AgeBand = Literal[tuple(AGE_BANDS)]
Flag = Literal[tuple(FLAGS)]
Sort = Literal[tuple(SORTS)]


# --- output -----------------------------------------------------------------------------------------------
class OrgRef(Schema):
    id: int
    name: str


class MemberOut(Schema):
    id: int
    name: str
    gender: GenderCode
    gender_label: str
    ethnicity: str
    birth_date: datetime.date
    age: int
    education: str
    education_label: str
    citizen_id: str = Field(description="无权查看完整号码时为打码后的号码，如 110105********123X")
    citizen_id_masked: bool
    mobile: str
    unit_name: str
    post: str
    is_leader: bool
    status: StatusCode
    status_label: str
    applied_on: datetime.date | None
    activist_on: datetime.date | None
    candidate_on: datetime.date | None
    probationary_on: datetime.date | None
    full_on: datetime.date | None
    joined_on: datetime.date | None
    is_retired: bool
    is_mobile: bool
    needs_home_delivery: bool
    organization: OrgRef
    group: OrgRef | None
    left_on: datetime.date | None
    left_reason: str

    @staticmethod
    def resolve_gender_label(member: Member) -> str:
        return member.get_gender_display()

    @staticmethod
    def resolve_education_label(member: Member) -> str:
        return member.get_education_display() if member.education else ""

    @staticmethod
    def resolve_status_label(member: Member) -> str:
        return member.get_status_display()

    @staticmethod
    def resolve_citizen_id(member: Member, context) -> str:
        return member.citizen_id if _shows_full_id(member, context) else mask_citizen_id(member.citizen_id)

    @staticmethod
    def resolve_citizen_id_masked(member: Member, context) -> bool:
        return not _shows_full_id(member, context)


def _shows_full_id(member: Member, context) -> bool:
    # Access holds the caller's roles in memory and the member's organisation is select_related: no query per row.
    return Access.of(context["request"].user).can_member(Capability.VIEW_FULL_ID, member)


# --- input ------------------------------------------------------------------------------------------------
class RosterQuery(Schema):
    q: str = Field("", description="姓名、拼音或首字母、身份证号、手机号")
    org: int | None = Field(None, description="党组织 id（含下级组织）")
    status: StatusCode | None = None
    age_band: AgeBand | None = None
    flags: list[Flag] = Field([], description="可重复：?flags=is_leader&flags=is_mobile")
    include_left: bool = False
    sort: Sort = "name"


class MemberFields(Schema):
    """What may be written; `None` on an optional text field means "clear it"."""

    # A misspelt field is refused rather than silently ignored: a PATCH that changes nothing must not say 200.
    model_config = ConfigDict(extra="forbid")

    gender: GenderCode | None = Field(None, description="留空则按身份证号")
    ethnicity: str | None = Field("汉族", max_length=20)
    birth_date: datetime.date | None = Field(None, description="留空则按身份证号")
    education: EducationCode | None = None
    mobile: str | None = Field(None, max_length=20)
    unit_name: str | None = Field(None, max_length=120)
    post: str | None = Field(None, max_length=80)
    is_leader: bool = False
    status: StatusCode = MemberStatus.FULL.value
    applied_on: datetime.date | None = None
    activist_on: datetime.date | None = None
    candidate_on: datetime.date | None = None
    probationary_on: datetime.date | None = None
    full_on: datetime.date | None = None
    joined_on: datetime.date | None = None
    is_retired: bool = False
    is_mobile: bool = False
    needs_home_delivery: bool = False
    group: int | None = Field(None, description="党小组 id")


class MemberCreateIn(MemberFields):
    name: str = Field(max_length=50)
    citizen_id: str = Field(max_length=30)
    organization: int = Field(description="所在党组织 id")


class MemberPatchIn(MemberFields):
    """Only the fields sent are changed. Sending another `organization` is a transfer and is recorded as one."""

    name: str | None = Field(None, max_length=50)
    citizen_id: str | None = Field(None, max_length=30)
    organization: int | None = None
    is_leader: bool | None = None
    status: StatusCode | None = None
    is_retired: bool | None = None
    is_mobile: bool | None = None
    needs_home_delivery: bool | None = None


# The model stores "" rather than NULL for these.
BLANK_TEXT = {"gender", "ethnicity", "education", "mobile", "unit_name", "post", "name", "citizen_id"}


# --- helpers ----------------------------------------------------------------------------------------------
def _visible_member(request, pk: int, cap: Capability = Capability.VIEW_MEMBERS) -> Member:
    member = Member.objects.select_related("organization", "group").filter(pk=pk).first()
    if member is None:
        raise Http404("没有找到该党员")
    return Access.of(request.user).require_member(member, cap)


def _target_org(access: Access, pk: int) -> Organization:
    """The organisation a member is put into: unknown and not-visible look alike, visible but not ours is 403."""
    org = access.orgs(Capability.VIEW_ORG).filter(pk=pk).first()
    if org is None:
        raise ValidationError({"organization": "没有找到该党组织"})
    if not access.can_org(Capability.CHANGE_MEMBERS, org):
        raise PermissionDenied("您没有权限管理该组织的党员")
    return org


def _target_group(access: Access, pk: int | None) -> Organization | None:
    if pk is None:
        return None
    group = access.orgs(Capability.VIEW_ORG).filter(pk=pk, kind=OrganizationKind.GROUP).first()
    if group is None:
        raise ValidationError({"group": "没有找到该党小组"})
    return group


def _service_fields(access: Access, data: dict) -> dict:
    data = {key: ("" if value is None and key in BLANK_TEXT else value) for key, value in data.items()}
    if "organization" in data:
        if data["organization"] is None:
            raise ValidationError({"organization": "所在党组织不能为空"})
        data["organization"] = _target_org(access, data["organization"])
    if "group" in data:
        data["group"] = _target_group(access, data["group"])
    for flag in ("is_leader", "is_retired", "is_mobile", "needs_home_delivery", "status"):
        if flag in data and data[flag] is None:
            raise ValidationError({flag: "此项不能为空"})
    return data


# --- routes -----------------------------------------------------------------------------------------------
@router.get("", response=list[MemberOut], url_name="member_list", summary="花名册")
@paginate(Pagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def member_list(request, filters: Query[RosterQuery]):
    access = Access.of(request.user)
    access.require(Capability.VIEW_MEMBERS)
    org = None
    if filters.org is not None:
        org = access.orgs(Capability.VIEW_MEMBERS).filter(pk=filters.org).first()
        if org is None:
            raise ValidationError({"org": "没有找到该党组织"})
    f = RosterFilter(
        q=filters.q,
        org=org,
        status=filters.status or "",
        age_band=filters.age_band or "",
        flags=tuple(filters.flags),
        include_left=filters.include_left,
        sort=filters.sort,
    )
    return roster(request.user, f)


@router.get("/{int:member_id}", response=MemberOut, url_name="member_detail", summary="党员详情")
def member_detail(request, member_id: int):
    return _visible_member(request, member_id)


@router.post("", response={201: MemberOut}, url_name="member_create", summary="新增党员")
def member_create(request, payload: MemberCreateIn):
    access = Access.of(request.user)
    access.require(Capability.CHANGE_MEMBERS)
    data = _service_fields(access, payload.model_dump())
    member = services.create_member(by=request.user, **data)
    return Status(201, member)


@router.patch("/{int:member_id}", response=MemberOut, url_name="member_update", summary="修改党员信息")
def member_update(request, member_id: int, payload: MemberPatchIn):
    member = _visible_member(request, member_id, Capability.CHANGE_MEMBERS)
    data = _service_fields(Access.of(request.user), payload.model_dump(exclude_unset=True))
    if "organization" in data and "group" not in data and data["organization"].pk != member.organization_id:
        # The old 党小组 belongs to the old branch; moving branch without naming a group leaves the member ungrouped.
        data["group"] = None
    if data:
        member = services.update_member(member, by=request.user, **data)
    return member
