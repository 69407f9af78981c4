"""Every write of 我为群众办实事 and 微心愿. Access is checked by the views; these functions keep the invariants
(states, one claim per wish, one response per link, points credited once and revoked when undone)."""

from __future__ import annotations

import datetime
import hashlib
import io
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from partyedu.meetings.services import ATTACHMENT_TYPES, sniff_type
from partyedu.notifications.services import notify
from partyedu.points import services as points
from partyedu.points.models import EventKind

from .models import (
    OPEN_STATUSES,
    Evidence,
    EvidenceKind,
    Feedback,
    FeedbackToken,
    ItemStatus,
    ProgressNote,
    Satisfaction,
    ServiceItem,
    Wish,
    WishStatus,
)

EVIDENCE_TYPES = ("jpg", "png", "pdf", "docx")
PHOTO_TYPES = ("jpg", "png")
MAX_TOKENS = 100


def evidence_limit() -> int:
    return getattr(settings, "PRACTICE_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)


# --- service items ------------------------------------------------------------------------------------------
ITEM_FIELDS = (
    "list_kind",
    "title",
    "description",
    "plan",
    "category",
    "beneficiaries",
    "beneficiary_count",
    "starts_on",
    "deadline",
)


def _lock(obj):
    """Lock the row and bring the caller's instance up to date, so that he sees what the service did."""
    type(obj).objects.select_for_update().filter(pk=obj.pk).values_list("pk", flat=True).first()
    obj.refresh_from_db()
    return obj


def _check_dates(starts_on, deadline) -> None:
    if starts_on and deadline and deadline < starts_on:
        raise ValidationError({"deadline": "完成时限不能早于开始日期"})


def _check_responsible(organization, responsible) -> None:
    for member in responsible:
        if not member.organization.path.startswith(organization.path):
            raise ValidationError({"responsible": f"{member.name}不在{organization.name}及其下级组织中"})


@transaction.atomic
def create_item(organization, *, responsible=(), by=None, **fields) -> ServiceItem:
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    if not (fields.get("title") or "").strip():
        raise ValidationError({"title": "请填写事项名称"})
    _check_dates(fields.get("starts_on"), fields.get("deadline"))
    _check_responsible(organization, responsible)
    item = ServiceItem.objects.create(organization=organization, created_by=by, **fields)
    item.responsible.set(responsible)
    return item


@transaction.atomic
def update_item(item: ServiceItem, *, responsible=None, by=None, **fields) -> ServiceItem:
    item = _lock(item)
    if item.status == ItemStatus.CANCELLED:
        raise ValidationError("已取消的事项不能修改")
    for name, value in fields.items():
        if name not in ITEM_FIELDS:
            raise TypeError(name)
        setattr(item, name, value)
    _check_dates(item.starts_on, item.deadline)
    item.save()
    if responsible is not None:
        _check_responsible(item.organization, responsible)
        before = set(item.responsible.values_list("pk", flat=True))
        after = {m.pk for m in responsible}
        if item.status == ItemStatus.DONE and before != after:
            # the credit follows the people who did the work: new ones are credited, removed ones revoked
            for member in responsible:
                if member.pk not in before:
                    _credit(item, member)
            for member in item.responsible.filter(pk__in=before - after):
                points.revoke(
                    member, source_key=_item_key(item, member), reason=f"不再是“{item.title}”的责任人"
                )
        item.responsible.set(responsible)
    return item


@transaction.atomic
def start_item(item: ServiceItem, *, by=None) -> ServiceItem:
    updated = ServiceItem.objects.filter(pk=item.pk, status=ItemStatus.PLANNED).update(
        status=ItemStatus.IN_PROGRESS, updated_at=timezone.now()
    )
    if not updated:
        raise ValidationError("只有计划中的事项可以开始推进")
    item.refresh_from_db()
    return item


@transaction.atomic
def add_progress(item: ServiceItem, text: str, *, on: datetime.date | None = None, by=None) -> ProgressNote:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写进展情况"})
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": "进展日期不能晚于今天"})
    if item.status == ItemStatus.CANCELLED:
        raise ValidationError("已取消的事项不能再记录进展")
    # a first progress note means the work has begun
    ServiceItem.objects.filter(pk=item.pk, status=ItemStatus.PLANNED).update(status=ItemStatus.IN_PROGRESS)
    return ProgressNote.objects.create(item=item, on=on, text=text[:5000], author=by)


def _item_key(item: ServiceItem, member) -> str:
    return f"practice:item:{item.pk}:member:{member.pk}"


def _credit(item: ServiceItem, member) -> None:
    occurred = timezone.make_aware(datetime.datetime.combine(item.done_on, datetime.time(12)))
    points.award(
        member,
        EventKind.SERVICE_ITEM_DONE,
        source_key=_item_key(item, member),
        reason=f"办实事办结：{item.title}"[:200],
        occurred_at=min(occurred, timezone.now()),
    )


@transaction.atomic
def complete_item(
    item: ServiceItem, *, result_summary: str, done_on: datetime.date | None = None, by=None
) -> ServiceItem:
    """办结: the result is written down and every responsible member is credited (once per item and member)."""
    item = _lock(item)
    if item.status not in OPEN_STATUSES:
        raise ValidationError(f"该事项{item.get_status_display()}，不能办结")
    summary = (result_summary or "").strip()
    if not summary:
        raise ValidationError({"result_summary": "请填写办结成效"})
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": "办结日期不能晚于今天"})
    if done_on < item.starts_on:
        raise ValidationError({"done_on": "办结日期不能早于开始日期"})
    item.status, item.done_on, item.result_summary = ItemStatus.DONE, done_on, summary[:5000]
    item.save(update_fields=["status", "done_on", "result_summary", "updated_at"])
    for member in item.responsible.all():
        _credit(item, member)
    return item


@transaction.atomic
def cancel_item(item: ServiceItem, *, reason: str, by=None) -> ServiceItem:
    """Cancelling needs a reason; a done item's credits are taken back."""
    item = _lock(item)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写取消原因"})
    if item.status == ItemStatus.CANCELLED:
        raise ValidationError("该事项已经取消")
    was_done = item.status == ItemStatus.DONE
    item.status, item.cancel_reason = ItemStatus.CANCELLED, reason[:200]
    item.save(update_fields=["status", "cancel_reason", "updated_at"])
    if was_done:
        for member in item.responsible.all():
            points.revoke(
                member,
                source_key=_item_key(item, member),
                reason=f"办实事事项已取消：{reason}"[:200],
                operator=by,
            )
    return item


# --- evidence -----------------------------------------------------------------------------------------------
@transaction.atomic
def add_evidence(upload, *, item: ServiceItem | None = None, wish: Wish | None = None, caption="", by=None):
    """A photo (jpg/png) or document (pdf/docx), typed by its content, not by its name."""
    if (item is None) == (wish is None):
        raise TypeError("evidence belongs to an item or a wish")
    limit = evidence_limit()
    if upload.size > limit:
        raise ValidationError(f"文件“{upload.name}”超过 {limit // (1024 * 1024)} MB，请压缩后再上传")
    upload.seek(0)
    data = upload.read()
    kind = sniff_type(data[:16], io.BytesIO(data))
    if kind not in EVIDENCE_TYPES:
        raise ValidationError(f"文件“{upload.name}”不是照片（JPG/PNG）、PDF 或 Word（docx），不能上传")
    upload.seek(0)
    evidence = Evidence(
        item=item,
        wish=wish,
        kind=EvidenceKind.PHOTO if kind in PHOTO_TYPES else EvidenceKind.DOCUMENT,
        content_type=ATTACHMENT_TYPES[kind][0],
        original_name=(upload.name or f"evidence.{kind}")[-200:],
        size=upload.size,
        caption=(caption or "").strip()[:120],
        uploaded_by=by,
    )
    owner = f"item-{item.pk}" if item else f"wish-{wish.pk}"
    evidence.file.save(f"{owner}.{kind}", upload, save=False)
    evidence.save()
    return evidence


# --- feedback of the people served --------------------------------------------------------------------------
def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_feedback_tokens(item: ServiceItem, count: int) -> list[str]:
    """One-time links for the people served. The raw tokens are returned once, for the printed QR sheet."""
    if item.status not in (ItemStatus.IN_PROGRESS, ItemStatus.DONE):
        raise ValidationError("只有推进中或已办结的事项可以请群众评价")
    if not 1 <= count <= MAX_TOKENS:
        raise ValidationError(f"每次可生成1到{MAX_TOKENS}个评价码")
    raws = [secrets.token_urlsafe(18) for _ in range(count)]
    FeedbackToken.objects.bulk_create(FeedbackToken(item=item, token_hash=_hash(raw)) for raw in raws)
    return raws


def token_for(raw: str) -> FeedbackToken | None:
    if not raw or len(raw) > 100:
        return None
    return FeedbackToken.objects.select_related("item__organization").filter(token_hash=_hash(raw)).first()


@transaction.atomic
def submit_feedback(raw: str, *, satisfaction: str, comment: str = "") -> Feedback:
    """A resident answers through his link, once. The response keeps nothing that leads back to the link."""
    token = token_for(raw)
    if token is None:
        raise ValidationError("评价码无效")
    if satisfaction not in Satisfaction.values:
        raise ValidationError("请选择满意程度")
    if token.item.status == ItemStatus.CANCELLED:
        raise ValidationError("该事项已取消，不再接受评价")
    claimed = FeedbackToken.objects.filter(pk=token.pk, used=False).update(used=True)
    if not claimed:
        raise ValidationError("该评价码已经使用过，每个评价码只能评价一次")
    return Feedback.objects.create(
        item_id=token.item_id, satisfaction=satisfaction, comment=(comment or "").strip()[:300]
    )


# --- wishes -------------------------------------------------------------------------------------------------
WISH_FIELDS = ("title", "text", "category", "budget", "resident_name", "community", "resident_phone")


@transaction.atomic
def post_wish(organization, *, by=None, **fields) -> Wish:
    unknown = set(fields) - set(WISH_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    for name, label in (("title", "心愿"), ("resident_name", "群众姓名"), ("community", "所在社区（村）")):
        if not (fields.get(name) or "").strip():
            raise ValidationError({name: f"请填写{label}"})
    if fields.get("budget") is not None and fields["budget"] < 0:
        raise ValidationError({"budget": "预计金额不能为负数"})
    return Wish.objects.create(organization=organization, posted_by=by, **fields)


def can_claim(wish: Wish, member) -> bool:
    """A wish is published to the members of its organisation's subtree."""
    return (
        member is not None
        and member.left_on is None
        and member.organization.path.startswith(wish.organization.path)
    )


@transaction.atomic
def claim_wish(wish: Wish, member) -> Wish:
    """One member claims it. Two claims at the same moment: the conditional update lets exactly one through."""
    if not can_claim(wish, member):
        raise ValidationError("该心愿不在您所在组织的认领范围内")
    won = Wish.objects.filter(pk=wish.pk, status=WishStatus.OPEN, claimed_by__isnull=True).update(
        status=WishStatus.CLAIMED, claimed_by=member, claimed_at=timezone.now()
    )
    if not won:
        current = Wish.objects.filter(pk=wish.pk).values_list("status", "claimed_by_id").first()
        if current and current[1] == member.pk:
            raise ValidationError("您已认领该心愿")
        if current and current[0] == WishStatus.WITHDRAWN:
            raise ValidationError("该心愿已撤回")
        raise ValidationError("来晚了一步：该心愿已被其他党员认领")
    wish.refresh_from_db()
    return wish


@transaction.atomic
def release_wish(wish: Wish, member) -> Wish:
    """The claimer gives it back before fulfilling it, so that someone else can take it."""
    released = Wish.objects.filter(pk=wish.pk, status=WishStatus.CLAIMED, claimed_by=member).update(
        status=WishStatus.OPEN, claimed_by=None, claimed_at=None, return_reason=""
    )
    if not released:
        raise ValidationError("只能放弃自己认领且尚未完成的心愿")
    wish.refresh_from_db()
    return wish


@transaction.atomic
def fulfil_wish(wish: Wish, member, *, note: str, photo=None, by=None) -> Wish:
    wish = _lock(wish)
    if wish.claimed_by_id != member.pk or wish.status != WishStatus.CLAIMED:
        raise ValidationError("只能为自己认领的心愿提交完成情况")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "请填写完成情况"})
    if photo is not None:
        add_evidence(photo, wish=wish, by=by)
    elif not wish.evidence.exists():
        raise ValidationError({"photo": "请上传一张照片或凭证"})
    wish.status, wish.fulfil_note, wish.fulfilled_at = WishStatus.FULFILLED, note[:2000], timezone.now()
    wish.save(update_fields=["status", "fulfil_note", "fulfilled_at"])
    if wish.posted_by_id:
        notify(
            wish.posted_by,
            title=f"微心愿“{wish.title}”已由{member.name}完成，请确认"[:200],
            url=reverse("practice:wish", args=[wish.pk]),
        )
    return wish


def _wish_key(wish: Wish) -> str:
    return f"practice:wish:{wish.pk}"


@transaction.atomic
def confirm_wish(wish: Wish, *, by=None) -> Wish:
    wish = _lock(wish)
    if wish.status != WishStatus.FULFILLED:
        raise ValidationError("只有待确认的心愿可以确认完成")
    wish.status, wish.confirmed_at, wish.confirmed_by = WishStatus.CONFIRMED, timezone.now(), by
    wish.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    points.award(
        wish.claimed_by,
        EventKind.WISH_FULFILLED,
        source_key=_wish_key(wish),
        reason=f"认领微心愿：{wish.title}"[:200],
        occurred_at=wish.fulfilled_at,
        operator=by,
    )
    return wish


@transaction.atomic
def return_wish(wish: Wish, *, reason: str, by=None) -> Wish:
    """The worker sends a fulfilment back to the claimer (the photo does not show the wish fulfilled...)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写退回原因"})
    updated = Wish.objects.filter(pk=wish.pk, status=WishStatus.FULFILLED).update(
        status=WishStatus.CLAIMED, return_reason=reason[:200], fulfilled_at=None
    )
    if not updated:
        raise ValidationError("只有待确认的心愿可以退回")
    wish.refresh_from_db()
    account = getattr(wish.claimed_by, "user", None)
    if account is not None:
        notify(
            account,
            title=f"您认领的微心愿“{wish.title}”被退回：{reason}"[:200],
            url=reverse("practice:my_wish", args=[wish.pk]),
        )
    return wish


@transaction.atomic
def withdraw_wish(wish: Wish, *, reason: str, by=None) -> Wish:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写撤回原因"})
    wish = _lock(wish)
    if wish.status in (WishStatus.CONFIRMED, WishStatus.WITHDRAWN):
        raise ValidationError(f"该心愿{wish.get_status_display()}，不能撤回")
    wish.status, wish.withdraw_reason = WishStatus.WITHDRAWN, reason[:200]
    wish.save(update_fields=["status", "withdraw_reason"])
    return wish
