"""Every write on reading plans: one function per use case, each in a transaction, Chinese messages on refusal."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.core.cn import normalize_text
from partyedu.learning.models import Material
from partyedu.orgs.models import Organization

from .audience import audience_members
from .models import (
    AudienceKind,
    BookReading,
    PlanAssignment,
    PlanStatus,
    ReadingPlan,
    ReadingPlanItem,
)

MAX_ITEMS = 100


def _text(value: str) -> str:
    """Free text as written: Chinese punctuation kept (NFKC would turn ，into ,), whitespace collapsed."""
    return " ".join((value or "").split())


# --- who may -------------------------------------------------------------------------------------------------
def can_manage(user, plan: ReadingPlan) -> bool:
    """An assigned plan belongs to the workers with CHANGE_MEMBERS on its organisation; a personal plan to its
    owner alone."""
    if plan.is_personal:
        return bool(user and getattr(user, "member_id", None) == plan.member_id)
    return Access.of(user).can_org(C.CHANGE_MEMBERS, plan.organization)


def _require_manage(user, plan: ReadingPlan) -> None:
    if user is not None and not can_manage(user, plan):
        raise PermissionDenied("您没有权限修改该读书计划")


def material_fits(plan: ReadingPlan, material: Material) -> bool:
    """Every member the plan can reach may read the material: its visible subtree holds the plan's."""
    anchor = plan.member.organization if plan.is_personal else plan.organization
    return anchor.path.startswith(material.visible_path)


# --- plans ---------------------------------------------------------------------------------------------------
def _clean_plan(plan: ReadingPlan) -> None:
    errors = {}
    plan.title = normalize_text(plan.title)
    if not plan.title:
        errors["title"] = "请填写计划名称"
    if not plan.year or not 2000 <= plan.year <= 2100:
        errors["year"] = "请填写正确的年度"
    if not plan.is_personal:
        if plan.audience not in AudienceKind.values:
            errors["audience"] = "请选择学习对象"
        if plan.deadline is None:
            errors["deadline"] = "请填写完成期限"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_plan(
    *,
    organization: Organization,
    title: str,
    year: int,
    deadline: datetime.date | None,
    description: str = "",
    audience: str = AudienceKind.SUBTREE,
    by=None,
) -> ReadingPlan:
    if by is not None:
        Access.of(by).require_org(organization, C.CHANGE_MEMBERS)
    plan = ReadingPlan(
        organization=organization,
        title=title,
        description=description.strip(),
        year=year,
        deadline=deadline,
        audience=audience,
        created_by=by,
    )
    _clean_plan(plan)
    plan.save()
    return plan


PLAN_FIELDS = ("title", "description", "year", "deadline", "audience")


@transaction.atomic
def update_plan(plan: ReadingPlan, *, by=None, **changes) -> ReadingPlan:
    _require_manage(by, plan)
    plan = ReadingPlan.objects.select_for_update().get(pk=plan.pk)
    for name, value in changes.items():
        if name not in PLAN_FIELDS:
            raise ValueError(name)
        if plan.is_personal and name == "audience":
            continue
        setattr(plan, name, value.strip() if name == "description" else value)
    _clean_plan(plan)
    plan.save()
    if plan.status == PlanStatus.PUBLISHED and "audience" in changes:
        sync_assignments(plan)
    return plan


@transaction.atomic
def set_picked(plan: ReadingPlan, members, *, by=None) -> ReadingPlan:
    """The hand-picked audience: only current members of the plan organisation's subtree are taken."""
    _require_manage(by, plan)
    if plan.is_personal:
        raise ValidationError("个人学习计划没有学习对象名单")
    from partyedu.members.models import Member

    ids = [m.pk for m in members]
    allowed = Member.objects.current().in_subtree(plan.organization).filter(pk__in=ids)
    if by is not None:
        allowed = allowed.filter(pk__in=Access.of(by).members(C.CHANGE_MEMBERS).values("pk"))
    found = list(allowed)
    if len(found) != len(set(ids)):
        raise ValidationError("只能指定本组织及下级组织的在册党员")
    plan.picked.set(found)
    plan.audience = AudienceKind.PICKED
    plan.save(update_fields=["audience"])
    if plan.status == PlanStatus.PUBLISHED:
        sync_assignments(plan)
    return plan


@transaction.atomic
def create_personal_plan(
    member, *, title: str, year: int, deadline: datetime.date | None = None, description: str = "", by=None
) -> ReadingPlan:
    """个人学习计划: in force at once, its owner its only reader."""
    if by is not None and getattr(by, "member_id", None) != member.pk:
        raise PermissionDenied("只能为本人制定个人学习计划")
    if member.left_on is not None:
        raise ValidationError("该党员已不在册")
    plan = ReadingPlan(
        member=member,
        title=title,
        description=description.strip(),
        year=year,
        deadline=deadline,
        audience="",
        status=PlanStatus.PUBLISHED,
        published_at=timezone.now(),
        created_by=by,
    )
    _clean_plan(plan)
    plan.save()
    PlanAssignment.objects.create(plan=plan, member=member, assigned_on=timezone.localdate())
    return plan


# --- items ---------------------------------------------------------------------------------------------------
def _next_order(plan: ReadingPlan) -> int:
    count = plan.items.count()
    if count >= MAX_ITEMS:
        raise ValidationError(f"一个计划最多 {MAX_ITEMS} 项")
    return (plan.items.aggregate(m=Max("order"))["m"] or 0) + 1


def _check_item_deadline(plan: ReadingPlan, deadline: datetime.date | None) -> None:
    if deadline and plan.deadline and deadline > plan.deadline:
        raise ValidationError({"deadline": "本项期限不能晚于计划的完成期限"})


@transaction.atomic
def add_material_item(
    plan: ReadingPlan,
    material: Material,
    *,
    required: bool = True,
    deadline: datetime.date | None = None,
    note: str = "",
    by=None,
) -> ReadingPlanItem:
    _require_manage(by, plan)
    if not material_fits(plan, material):
        who = "您" if plan.is_personal else "学习对象中的部分党员"
        raise ValidationError({"material": f"“{material.title}”的可见范围不包含{who}，不能列入本计划"})
    if plan.items.filter(material=material).exists():
        raise ValidationError({"material": f"“{material.title}”已在计划中"})
    _check_item_deadline(plan, deadline)
    return ReadingPlanItem.objects.create(
        plan=plan,
        order=_next_order(plan),
        material=material,
        required=required,
        deadline=deadline,
        note=_text(note)[:200],
    )


@transaction.atomic
def add_book_item(
    plan: ReadingPlan,
    *,
    title: str,
    author: str = "",
    required: bool = True,
    deadline: datetime.date | None = None,
    note: str = "",
    by=None,
) -> ReadingPlanItem:
    _require_manage(by, plan)
    title = normalize_text(title).strip("《》 ")
    if not title:
        raise ValidationError({"book_title": "请填写书名"})
    if plan.items.filter(book_title=title, book_author=normalize_text(author)).exists():
        raise ValidationError({"book_title": f"《{title}》已在计划中"})
    _check_item_deadline(plan, deadline)
    return ReadingPlanItem.objects.create(
        plan=plan,
        order=_next_order(plan),
        book_title=title[:120],
        book_author=normalize_text(author)[:80],
        required=required,
        deadline=deadline,
        note=_text(note)[:200],
    )


@transaction.atomic
def remove_item(item: ReadingPlanItem, *, by=None) -> None:
    _require_manage(by, item.plan)
    if item.readings.exists():
        raise ValidationError("已有党员登记读完此书，不能删除；可改为选读")
    item.delete()


@transaction.atomic
def set_item_required(item: ReadingPlanItem, required: bool, *, by=None) -> ReadingPlanItem:
    _require_manage(by, item.plan)
    item.required = required
    item.save(update_fields=["required"])
    return item


@transaction.atomic
def move_item(item: ReadingPlanItem, up: bool, *, by=None) -> None:
    _require_manage(by, item.plan)
    items = list(item.plan.items.select_for_update().order_by("order", "pk"))
    i = next(n for n, it in enumerate(items) if it.pk == item.pk)
    j = i - 1 if up else i + 1
    if not 0 <= j < len(items):
        return
    items[i], items[j] = items[j], items[i]
    for n, it in enumerate(items, start=1):
        it.order = n
    ReadingPlanItem.objects.bulk_update(items, ["order"])


# --- publishing and the audience ------------------------------------------------------------------------------
@dataclass(frozen=True)
class SyncResult:
    added: int
    left: int
    returned: int

    def __str__(self) -> str:
        return f"新增 {self.added} 人，移出 {self.left} 人，恢复 {self.returned} 人"


@transaction.atomic
def sync_assignments(plan: ReadingPlan, today: datetime.date | None = None, *, by=None) -> SyncResult:
    """Bring the assignment rows in line with the audience rule today: newcomers (transferred in, newly a
    leader) get the plan; those no longer in the audience keep their row and readings but leave the counts."""
    _require_manage(by, plan)
    if plan.status != PlanStatus.PUBLISHED:
        raise ValidationError("计划尚未发布")
    today = today or timezone.localdate()
    wanted = set(audience_members(plan, today).values_list("pk", flat=True))
    existing = dict(PlanAssignment.objects.filter(plan=plan).values_list("member_id", "left_on"))
    new = wanted - existing.keys()
    PlanAssignment.objects.bulk_create(
        [PlanAssignment(plan=plan, member_id=pk, assigned_on=today) for pk in sorted(new)],
        batch_size=1000,
        ignore_conflicts=True,
    )
    gone = [pk for pk, left in existing.items() if left is None and pk not in wanted]
    back = [pk for pk, left in existing.items() if left is not None and pk in wanted]
    if gone:
        PlanAssignment.objects.filter(plan=plan, member_id__in=gone).update(left_on=today)
    if back:
        PlanAssignment.objects.filter(plan=plan, member_id__in=back).update(left_on=None)
    plan.synced_at = timezone.now()
    plan.save(update_fields=["synced_at"])
    return SyncResult(len(new), len(gone), len(back))


@transaction.atomic
def publish(plan: ReadingPlan, *, by=None, today: datetime.date | None = None) -> SyncResult:
    """Put the plan in force and give it to its audience. Publishing again only re-syncs: never a duplicate."""
    _require_manage(by, plan)
    ReadingPlan.objects.select_for_update().filter(pk=plan.pk).first()
    plan.refresh_from_db(fields=["status", "published_at"])
    if plan.status == PlanStatus.CLOSED:
        raise ValidationError("计划已结束")
    if not plan.items.exists():
        raise ValidationError("请先添加学习内容")
    if plan.status == PlanStatus.DRAFT:
        plan.status = PlanStatus.PUBLISHED
        plan.published_at = timezone.now()
        plan.save(update_fields=["status", "published_at"])
    return sync_assignments(plan, today)


@transaction.atomic
def close_plan(plan: ReadingPlan, *, by=None) -> ReadingPlan:
    _require_manage(by, plan)
    plan.status = PlanStatus.CLOSED
    plan.save(update_fields=["status"])
    return plan


# --- members' own readings -----------------------------------------------------------------------------------
@transaction.atomic
def mark_book_read(
    item: ReadingPlanItem, member, *, note: str, on: datetime.date | None = None, by=None
) -> BookReading:
    """A member says he has read a paper book of a plan that applies to him, in a few words of his own."""
    if by is not None and getattr(by, "member_id", None) != member.pk:
        raise PermissionDenied("只能登记本人的读书情况")
    if not item.is_book:
        raise ValidationError("资料库中的资料按实际学习时长自动记录完成，无需登记")
    if not PlanAssignment.objects.filter(plan_id=item.plan_id, member=member, left_on__isnull=True).exists():
        raise PermissionDenied("该读书计划不适用于您")
    note = _text(note)
    if len(note) < 5:
        raise ValidationError({"note": "请用一两句话写下读书心得（至少5个字）"})
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"read_on": "读完日期不能晚于今天"})
    reading, _ = BookReading.objects.update_or_create(
        item=item, member=member, defaults={"note": note[:300], "read_on": on}
    )
    return reading


@transaction.atomic
def unmark_book_read(item: ReadingPlanItem, member, *, by=None) -> None:
    if by is not None and getattr(by, "member_id", None) != member.pk:
        raise PermissionDenied("只能修改本人的读书情况")
    BookReading.objects.filter(item=item, member=member).delete()


# --- reminders -----------------------------------------------------------------------------------------------
def request_reminder(plan: ReadingPlan, *, by=None) -> None:
    """提醒未完成人员: hand the work to the task worker (immediate under tests)."""
    _require_manage(by, plan)
    if plan.status != PlanStatus.PUBLISHED:
        raise ValidationError("计划尚未发布")
    from .tasks import remind_overdue_plans

    remind_overdue_plans.enqueue(plan_id=plan.pk, manual=True)
