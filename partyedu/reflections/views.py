from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.orgs.models import Organization

from . import selectors, services
from .forms import ApproveForm, ReferenceForm, ReflectionForm, ReturnForm, SettingForm
from .models import ReferenceFile, Reflection, ReflectionSetting, ReflectionStatus

PAGE_SIZE = 30


def _errors_into(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _member(request):
    member = getattr(request.user, "member", None)
    if member is None:
        raise PermissionDenied("只有党员本人可以撰写心得体会")
    return member


def _readable(request, pk: int) -> Reflection:
    reflection = get_object_or_404(Reflection.objects.select_related("member", "organization"), pk=pk)
    if not selectors.can_read(request.user, reflection):
        raise Http404("没有找到该心得体会")
    return reflection


def _own(request, pk: int) -> Reflection:
    reflection = get_object_or_404(Reflection.objects.select_related("organization"), pk=pk)
    if not request.user.member_id or reflection.member_id != request.user.member_id:
        raise Http404("没有找到该心得体会")
    return reflection


def mine(request):
    member = _member(request)
    page = Paginator(selectors.mine(member), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reflections/mine.html",
        {"page": page, "setting": services.setting_for(member.organization)},
    )


def _prompt_choices(member):
    return selectors.material_choices(member) + selectors.meeting_choices(member)


def _edit(request, reflection: Reflection | None):
    member = _member(request)
    initial = {}
    if reflection is not None:
        initial = {
            "kind": reflection.kind,
            "title": reflection.title,
            "body": reflection.body,
            "prompt": f"{reflection.prompt_kind}:{reflection.prompt_id}" if reflection.prompt_kind else "",
        }
    elif request.GET.get("prompt"):
        initial["prompt"] = request.GET["prompt"]
    form = ReflectionForm(request.POST or None, initial=initial, prompt_choices=_prompt_choices(member))
    if request.method == "POST" and form.is_valid():
        kind, pk = form.prompt_parts()
        try:
            saved = services.save_draft(
                member,
                by=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                kind=form.cleaned_data["kind"],
                prompt_kind=kind,
                prompt_id=pk,
                reflection=reflection,
            )
            if "submit" in request.POST:
                services.submit(saved, by=request.user)
                messages.success(request, "已提交，查重结果如下")
                return redirect("reflections:detail", pk=saved.pk)
        except ValidationError as exc:
            _errors_into(form, exc)
            if reflection is None and "saved" in locals():
                reflection = saved
        else:
            messages.success(request, "草稿已保存")
            return redirect("reflections:edit", pk=saved.pk)
    return render(
        request,
        "reflections/edit.html",
        {"form": form, "reflection": reflection, "setting": services.setting_for(member.organization)},
    )


def create(request):
    return _edit(request, None)


def edit(request, pk: int):
    reflection = _own(request, pk)
    if reflection.status not in services.EDITABLE:
        return redirect("reflections:detail", pk=pk)
    return _edit(request, reflection)


@require_POST
def submit(request, pk: int):
    reflection = _own(request, pk)
    try:
        services.submit(reflection, by=request.user)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
        return redirect("reflections:edit", pk=pk)
    messages.success(request, "已提交，查重结果如下")
    return redirect("reflections:detail", pk=pk)


def detail(request, pk: int):
    reflection = _readable(request, pk)
    can_review = (
        services.can_review(request.user, reflection) and reflection.status == ReflectionStatus.SUBMITTED
    )
    return render(
        request,
        "reflections/detail.html",
        {
            "r": reflection,
            "report": selectors.report_for(request.user, reflection),
            "body_segments": selectors.body_segments(reflection),
            "is_own": reflection.member_id == request.user.member_id,
            "can_review": can_review,
            "approve_form": ApproveForm(),
            "return_form": ReturnForm(),
        },
    )


def _reviewable(request, pk: int) -> Reflection:
    reflection = _readable(request, pk)
    if not services.can_review(request.user, reflection):
        raise PermissionDenied("只有该党员所在支部的书记可以审核")
    return reflection


@require_POST
def approve(request, pk: int):
    reflection = _reviewable(request, pk)
    form = ApproveForm(request.POST)
    form.is_valid()
    try:
        services.approve(reflection, by=request.user, comment=form.cleaned_data.get("comment", ""))
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(
            request, "已审核通过" + ("（重复率超过阈值，不计积分）" if reflection.blocked else "")
        )
    return redirect("reflections:queue")


@require_POST
def return_(request, pk: int):
    reflection = _reviewable(request, pk)
    form = ReturnForm(request.POST)
    try:
        services.return_(reflection, by=request.user, comment=request.POST.get("comment", ""))
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
        return redirect("reflections:detail", pk=pk)
    del form
    messages.success(request, "已退回")
    return redirect("reflections:queue")


def queue(request):
    access = Access.of(request.user)
    access.require(C.CHANGE_MEMBERS)
    status = request.GET.get("status", ReflectionStatus.SUBMITTED)
    if status not in ReflectionStatus.values and status != "":
        status = ReflectionStatus.SUBMITTED
    qs = selectors.review_queue(request.user, status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reflections/queue.html",
        {
            "page": page,
            "status": status,
            "statuses": [("", "全部"), *ReflectionStatus.choices[1:]],
            "query": f"status={status}",
        },
    )


def references(request):
    access = Access.of(request.user)
    access.require(C.MANAGE_ORG)
    form = ReferenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            ref = services.upload_reference(name=upload.name, data=upload.read(), by=request.user)
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, f"已加入范文库：{ref.document_count} 篇")
            return redirect("reflections:references")
    page = Paginator(selectors.references(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reflections/references.html", {"form": form, "page": page})


@require_POST
def reference_delete(request, pk: int):
    Access.of(request.user).require(C.MANAGE_ORG)
    ref = get_object_or_404(ReferenceFile, pk=pk)
    services.delete_reference(ref, by=request.user)
    messages.success(request, "已从范文库删除")
    return redirect("reflections:references")


def settings_index(request):
    access = Access.of(request.user)
    access.require(C.MANAGE_ORG)
    roots = access.scope_roots(C.MANAGE_ORG)
    rows = ReflectionSetting.objects.filter(access.org_q(C.MANAGE_ORG, "organization__path")).select_related(
        "organization"
    )
    return render(
        request,
        "reflections/settings_index.html",
        {"roots": roots, "rows": rows.order_by("organization__path")},
    )


def setting_edit(request, pk: int):
    org = get_object_or_404(Organization, pk=pk)
    Access.of(request.user).require_org(org, C.MANAGE_ORG)
    current = services.setting_for(org)
    instance = ReflectionSetting.objects.filter(organization=org).first()
    initial = {k: current[k] for k in ("min_reflection_chars", "min_note_chars", "block_percent")}
    form = SettingForm(request.POST or None, instance=instance, initial=None if instance else initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_setting(org, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, "设置已保存，本组织及下级组织适用")
            return redirect("reflections:settings")
    return render(request, "reflections/setting_edit.html", {"form": form, "org": org, "current": current})
