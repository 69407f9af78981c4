"""Every write of 意见建议: recording (by a worker, or by a resident through an organisation's QR link),
assigning, replying, closing; the organisation's 意见箱 link."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from partyedu.core.ratelimit import count_in_window

from .models import Channel, Opinion, OpinionBox, OpinionStatus, new_token

MAX_CONTENT = 2000
MIN_CONTENT = 5
DEFAULT_DUE_DAYS = 15
# The public form: at most this many submissions per address per window (a fixed window in the cache, shared by
# every server process when the cache is Redis).
PUBLIC_LIMIT = 5
PUBLIC_WINDOW = 600


class RateLimited(Exception):
    pass


def _clean_text(value: str, *, field: str, label: str, max_length: int) -> str:
    text = (value or "").replace("\x00", "").strip()
    if len(text) > max_length:
        raise ValidationError({field: f"{label}不能超过{max_length}字"})
    return text


def _clean_content(content: str) -> str:
    content = _clean_text(content, field="content", label="意见建议内容", max_length=MAX_CONTENT)
    if len(content) < MIN_CONTENT:
        raise ValidationError({"content": f"请填写意见建议内容（至少{MIN_CONTENT}个字）"})
    return content


@transaction.atomic
def record_opinion(
    organization,
    *,
    channel: str,
    content: str,
    received_on: datetime.date,
    giver_name: str = "",
    giver_contact: str = "",
    by=None,
) -> Opinion:
    """A worker records a suggestion collected at a 座谈会, on a 走访, by letter..."""
    if channel not in Channel.values:
        raise ValidationError({"channel": "请选择收集渠道"})
    if received_on is None:
        raise ValidationError({"received_on": "请填写收到日期"})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "收到日期不能晚于今天"})
    return _create(
        organization,
        channel=channel,
        content=_clean_content(content),
        received_on=received_on,
        giver_name=_clean_text(giver_name, field="giver_name", label="提出人", max_length=50),
        giver_contact=_clean_text(giver_contact, field="giver_contact", label="联系方式", max_length=60),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )


def _create(organization, **fields) -> Opinion:
    for _ in range(5):  # a receipt code clash is astronomically rare; draw again if it happens
        try:
            with transaction.atomic():
                return Opinion.objects.create(organization=organization, **fields)
        except IntegrityError:
            fields.pop("receipt_code", None)
            continue
    raise ValidationError("提交失败，请重试")


def check_public_rate(address: str) -> None:
    key = f"partyedu:opinions:rl:{address}:{int(timezone.now().timestamp() // PUBLIC_WINDOW)}"
    if count_in_window(key, PUBLIC_WINDOW) > PUBLIC_LIMIT:
        raise RateLimited("提交过于频繁，请稍后再试")


def box_for_token(token: str) -> OpinionBox | None:
    if not token or len(token) > 24:
        return None
    return OpinionBox.objects.select_related("organization").filter(token=token, active=True).first()


@transaction.atomic
def submit_public(token: str, *, content: str, giver_name: str = "", giver_contact: str = "") -> Opinion:
    """A resident submits through the QR link: no account; name and contact optional."""
    box = box_for_token(token)
    if box is None or box.organization.dissolved_on is not None:
        raise ValidationError("该意见箱不存在或已停用")
    return _create(
        box.organization,
        channel=Channel.QR,
        content=_clean_content(content),
        received_on=timezone.localdate(),
        giver_name=_clean_text(giver_name, field="giver_name", label="姓名", max_length=50),
        giver_contact=_clean_text(giver_contact, field="giver_contact", label="联系方式", max_length=60),
    )


@transaction.atomic
def open_box(organization) -> OpinionBox:
    box, _ = OpinionBox.objects.get_or_create(organization=organization)
    if not box.active:
        box.active = True
        box.save(update_fields=["active"])
    return box


@transaction.atomic
def renew_box_token(organization) -> OpinionBox:
    """A new link; codes printed with the old one stop working."""
    box = open_box(organization)
    box.token = new_token()
    box.save(update_fields=["token"])
    return box


@transaction.atomic
def assign(
    opinion: Opinion, *, assignee_org, assignee_member=None, due_on: datetime.date, by=None
) -> Opinion:
    opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
    if opinion.status in (OpinionStatus.REPLIED, OpinionStatus.CLOSED):
        raise ValidationError("该意见建议已答复，不能再交办")
    if assignee_org is None:
        raise ValidationError({"assignee_org": "请选择承办组织"})
    if due_on is None:
        raise ValidationError({"due_on": "请填写答复期限"})
    if due_on < opinion.received_on:
        raise ValidationError({"due_on": "答复期限不能早于收到日期"})
    if assignee_member is not None and not assignee_member.organization.path.startswith(assignee_org.path):
        raise ValidationError({"assignee_member": "承办人须是承办组织的党员"})
    opinion.assignee_org = assignee_org
    opinion.assignee_member = assignee_member
    opinion.due_on = due_on
    opinion.assigned_at = timezone.now()
    opinion.status = OpinionStatus.ASSIGNED
    opinion.save()
    _tell_assignee(opinion)
    return opinion


def _tell_assignee(opinion: Opinion) -> None:
    from django.urls import reverse

    from partyedu.accounts.models import User
    from partyedu.notifications.services import notify

    if opinion.assignee_member_id is None:
        return
    for user in User.objects.filter(member_id=opinion.assignee_member_id, is_active=True):
        notify(
            user,
            title=f"请在{opinion.due_on:%m月%d日}前答复一条意见建议",
            body=opinion.content[:100],
            url=reverse("opinions:detail", args=[opinion.pk]),
            dedupe_key=f"opinion-assigned:{opinion.pk}:{opinion.assignee_member_id}",
        )


@transaction.atomic
def reply(opinion: Opinion, *, text: str, by=None, at: datetime.datetime | None = None) -> Opinion:
    opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
    if opinion.status == OpinionStatus.CLOSED:
        raise ValidationError("该意见建议已办结")
    text = _clean_text(text, field="reply", label="答复内容", max_length=MAX_CONTENT)
    if len(text) < 2:
        raise ValidationError({"reply": "请填写答复内容"})
    at = at or timezone.now()
    if timezone.localdate(at) < opinion.received_on:
        raise ValidationError({"reply": "答复时间不能早于收到日期"})
    first = opinion.replied_at is None
    opinion.reply = text
    if first:
        # Reply time is measured to the first reply; correcting its wording later does not reset the clock.
        opinion.replied_at = at
    opinion.replied_by = by if getattr(by, "is_authenticated", False) else opinion.replied_by
    opinion.status = OpinionStatus.REPLIED
    opinion.save()
    return opinion


@transaction.atomic
def close(opinion: Opinion, *, note: str = "", by=None) -> Opinion:
    opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
    if opinion.replied_at is None:
        raise ValidationError("请先答复，再办结")
    opinion.status = OpinionStatus.CLOSED
    opinion.closed_at = timezone.now()
    opinion.close_note = (note or "").strip()[:200]
    opinion.save()
    return opinion
