"""Reading club pages: the plans, a plan's twelve months as a board, and a month with its activity plan, review,
session, sections and shared texts. Who may do what is in permissions.py; every write goes through services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partyedu.reports import services as report_services

from . import permissions as perms
from . import services
from .archive import ARCHIVE
from .forms import (
    ActivityPlanForm,
    MeetingCreateForm,
    MeetingLinkForm,
    PlanForm,
    ReviewForm,
    SectionForm,
    SharedTextForm,
)
from .models import (
    SECTION_ORDER,
    MonthStatus,
    ReadingClubMonth,
    ReadingClubPlan,
    ReadingClubSection,
    SharedText,
)


def _errors_into(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _refused(request, month: ReadingClubMonth, exc: ValidationError, form, **forms):
    """A field's error goes back into its form; a refusal about the state of the month (already approved, not
    published …) is a message above the page, since the form it came from may no longer be shown."""
    if hasattr(exc, "error_dict"):
        _errors_into(form, exc)
        return _month_page(request, month, **forms)
    messages.error(request, "；".join(exc.messages))
    return redirect("readingclub:month", month.pk)


# --- plans ---------------------------------------------------------------------------------------------------
@require_GET
def plan_list(request):
    plans = (
        perms.visible_plans(request.user)
        .select_related("organization")
        .annotate(
            approved=Count("months", filter=Q(months__status=MonthStatus.APPROVED)),
            sessions=Count("months", filter=Q(months__meeting__isnull=False)),
        )
        .order_by("-year", "organization__path")
    )
    return render(
        request,
        "readingclub/plan_list.html",
        {"plans": plans, "can_create": perms.plan_owner_choices(request.user).exists()},
    )


def _plan(request, pk: int, *, edit: bool = False) -> ReadingClubPlan:
    plan = get_object_or_404(ReadingClubPlan.objects.select_related("organization"), pk=pk)
    return perms.require_plan(request.user, plan, edit=edit)


def _rotate(form: PlanForm, organization, year: int) -> PlanForm:
    """The same form with the co-hosts filled in turn (not saved: the worker looks and then saves)."""
    data = form.data.copy()
    for n, org in enumerate(services.rotation(organization, year), start=1):
        data[f"cohost_{n}"] = str(org.pk)
    return type(form)(data, organization=organization, with_year="year" in form.fields)


@require_http_methods(["GET", "POST"])
def plan_create(request):
    owners = list(perms.plan_owner_choices(request.user))
    perms.require(bool(owners), "只有党组织的书记、党务工作者可以制订读书会计划")
    chosen = request.POST.get("organization") or request.GET.get("org")
    organization = next((o for o in owners if str(o.pk) == chosen), None) if chosen else owners[0]
    if organization is None:
        raise Http404("没有找到该党组织")
    form = PlanForm(request.POST or None, organization=organization)
    if request.method == "POST" and "rotate" in request.POST:
        year = request.POST.get("year", "")
        form = _rotate(form, organization, int(year) if year.isdigit() else form.fields["year"].initial)
        messages.info(request, "已按顺序填入各月协办单位，请检查后保存。")
    elif request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(
                organization=organization,
                year=form.cleaned_data["year"],
                title=form.cleaned_data["title"],
                months=form.months(),
                by=request.user,
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, f"已制订“{plan.title}”，确认无误后请发布。")
            return redirect("readingclub:plan_detail", plan.pk)
    return render(
        request,
        "readingclub/plan_form.html",
        {"form": form, "organization": organization, "owners": owners, "title": "制订读书会年度计划"},
    )


@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    plan = _plan(request, pk, edit=True)
    months = list(plan.months.order_by("month"))
    initial = {"title": plan.title}
    for m in months:
        initial[f"theme_{m.month}"] = m.theme
        initial[f"cohost_{m.month}"] = str(m.cohost_id or "")
    form = PlanForm(request.POST or None, organization=plan.organization, with_year=False, initial=initial)
    if request.method == "POST" and "rotate" in request.POST:
        form = _rotate(form, plan.organization, plan.year)
        messages.info(request, "已按顺序填入各月协办单位，请检查后保存。")
    elif request.method == "POST" and form.is_valid():
        try:
            services.update_plan(
                plan, title=form.cleaned_data["title"], months=form.months(), by=request.user
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, "年度计划已保存。")
            return redirect("readingclub:plan_detail", plan.pk)
    return render(
        request,
        "readingclub/plan_form.html",
        {"form": form, "organization": plan.organization, "plan": plan, "title": f"修改“{plan.title}”"},
    )


@require_GET
def plan_detail(request, pk: int):
    plan = _plan(request, pk)
    months = list(
        plan.months.select_related("cohost", "meeting")
        .annotate(
            section_count=Count("sections", distinct=True), text_count=Count("shared_texts", distinct=True)
        )
        .order_by("month")
    )
    return render(
        request,
        "readingclub/plan_detail.html",
        {
            "plan": plan,
            "months": months,
            "can_edit": perms.can_edit_plan(request.user, plan),
            "approved": sum(1 for m in months if m.status == MonthStatus.APPROVED),
        },
    )


@require_POST
def plan_publish(request, pk: int):
    plan = _plan(request, pk, edit=True)
    try:
        services.publish_plan(plan, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "年度计划已发布，各协办单位可以提交活动方案。")
    return redirect("readingclub:plan_detail", plan.pk)


@require_POST
def plan_archive(request, pk: int):
    plan = _plan(request, pk, edit=True)
    report_services.request_report(request.user, ARCHIVE, plan.organization, {"plan": plan.pk})
    messages.success(request, f"已提交生成“{plan.year}年读书会年度文集”，完成后在此下载。")
    return redirect("reports:list")


# --- a month -------------------------------------------------------------------------------------------------
def _month(request, pk: int) -> ReadingClubMonth:
    month = get_object_or_404(
        ReadingClubMonth.objects.select_related(
            "plan__organization", "cohost", "meeting", "submitted_by", "approved_by", "returned_by"
        ),
        pk=pk,
    )
    perms.require_plan(request.user, month.plan)
    return month


def _month_page(request, month: ReadingClubMonth, **forms):
    user = request.user
    plan = month.plan
    can_edit = perms.can_edit_plan(user, plan)
    can_submit = perms.can_submit_activity_plan(user, month) and plan.is_published
    can_record = perms.can_record(user, month)
    own_member = perms.own_member_in(user, plan)
    can_share = plan.is_published and (can_record or own_member is not None)
    sections = sorted(month.sections.all(), key=lambda s: (SECTION_ORDER.get(s.kind, 99), s.created_at, s.pk))
    texts = list(month.shared_texts.select_related("member", "submitted_by").order_by("submitted_at", "pk"))
    context = {
        "plan": plan,
        "month": month,
        "sections": sections,
        "texts": texts,
        "can_edit": can_edit,
        "can_submit": can_submit and month.status != MonthStatus.APPROVED,
        "can_review": can_edit and month.status == MonthStatus.SUBMITTED,
        "can_record": can_record,
        "can_share": can_share,
        "user_id": user.pk,
        "siblings": {
            "previous": plan.months.filter(month=month.month - 1).values_list("pk", flat=True).first(),
            "next": plan.months.filter(month=month.month + 1).values_list("pk", flat=True).first(),
        },
    }
    if context["can_submit"]:
        context["activity_form"] = forms.get("activity_form") or ActivityPlanForm(
            initial={"activity_plan": month.activity_plan}
        )
    if context["can_review"]:
        context["review_form"] = forms.get("review_form") or ReviewForm()
    if can_edit and month.meeting_id is None:
        context["link_form"] = forms.get("link_form") or MeetingLinkForm(
            queryset=services.linkable_meetings(month)
        )
        context["create_meeting_form"] = forms.get("create_meeting_form") or MeetingCreateForm()
    if can_record:
        context["section_form"] = forms.get("section_form") or SectionForm()
    if can_share:
        context["text_form"] = forms.get("text_form") or SharedTextForm(for_others=can_record)
    if month.meeting_id:
        try:
            context["meeting_url"] = reverse("meetings:detail", args=[month.meeting_id])
        except Exception:  # the meetings pages are optional for this page
            context["meeting_url"] = ""
    return render(request, "readingclub/month_detail.html", context)


@require_GET
def month_detail(request, pk: int):
    return _month_page(request, _month(request, pk))


@require_POST
def month_activity_plan(request, pk: int):
    month = _month(request, pk)
    perms.require(
        perms.can_submit_activity_plan(request.user, month), "只有本月协办单位的党务工作者可以提交活动方案"
    )
    form = ActivityPlanForm(request.POST)
    if form.is_valid():
        try:
            services.submit_activity_plan(month, form.cleaned_data["activity_plan"], by=request.user)
        except ValidationError as exc:
            return _refused(request, month, exc, form, activity_form=form)
        messages.success(request, "活动方案已提交，等待主办党组织审核。")
        return redirect("readingclub:month", month.pk)
    return _month_page(request, month, activity_form=form)


@require_POST
def month_review(request, pk: int):
    month = _month(request, pk)
    perms.require(perms.can_edit_plan(request.user, month.plan), "只有主办党组织的党务工作者可以审核活动方案")
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                services.approve_activity_plan(month, by=request.user)
                messages.success(request, "活动方案已审定。")
            else:
                services.return_activity_plan(month, form.cleaned_data["comment"], by=request.user)
                messages.success(request, "活动方案已退回协办单位修改。")
        except ValidationError as exc:
            return _refused(request, month, exc, form, review_form=form)
        return redirect("readingclub:month", month.pk)
    return _month_page(request, month, review_form=form)


@require_POST
def month_meeting(request, pk: int):
    """Link the session's meeting: an existing 读书会 meeting, a new one, or none (unlink)."""
    month = _month(request, pk)
    perms.require(perms.can_edit_plan(request.user, month.plan), "只有主办党组织的党务工作者可以关联活动记录")
    action = request.POST.get("action")
    if action == "unlink":
        services.link_meeting(month, None, by=request.user)
        messages.success(request, "已取消关联活动记录。")
        return redirect("readingclub:month", month.pk)
    if action == "create":
        form = MeetingCreateForm(request.POST)
        if form.is_valid():
            try:
                services.create_session_meeting(month, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                return _refused(request, month, exc, form, create_meeting_form=form)
            messages.success(request, "已创建本期活动，可在活动页面签到、记录会议。")
            return redirect("readingclub:month", month.pk)
        return _month_page(request, month, create_meeting_form=form)
    form = MeetingLinkForm(request.POST, queryset=services.linkable_meetings(month))
    if form.is_valid():
        try:
            services.link_meeting(month, form.cleaned_data["meeting"], by=request.user)
        except ValidationError as exc:
            return _refused(request, month, exc, form, link_form=form)
        messages.success(request, "已关联活动记录。")
        return redirect("readingclub:month", month.pk)
    return _month_page(request, month, link_form=form)


@require_POST
def section_add(request, pk: int):
    month = _month(request, pk)
    perms.require(perms.can_record(request.user, month), "只有主办或协办单位的党务工作者可以记录活动板块")
    form = SectionForm(request.POST)
    if form.is_valid():
        services.add_section(month, by=request.user, **form.cleaned_data)
        messages.success(request, "已添加活动板块。")
        return redirect("readingclub:month", month.pk)
    return _month_page(request, month, section_form=form)


@require_POST
def section_delete(request, pk: int):
    section = get_object_or_404(ReadingClubSection, pk=pk)
    month = _month(request, section.month_id)
    perms.require(perms.can_record(request.user, month))
    services.delete_section(section, by=request.user)
    messages.success(request, "已删除活动板块。")
    return redirect("readingclub:month", month.pk)


@require_POST
def text_add(request, pk: int):
    month = _month(request, pk)
    can_record = perms.can_record(request.user, month)
    own = perms.own_member_in(request.user, month.plan)
    perms.require(can_record or own is not None, "只有本读书会范围内的党员可以提交交流文稿")
    form = SharedTextForm(request.POST, for_others=can_record)
    if form.is_valid():
        author_name = form.cleaned_data.get("author_name", "")
        # A worker entering a text for someone else names him; a member (or a worker leaving it blank) is
        # the author himself.
        member = None if author_name else own
        try:
            if member is None and not author_name:
                raise ValidationError({"author_name": "请填写作者姓名"})
            services.submit_text(
                month,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                member=member,
                author_name=author_name,
                by=request.user,
            )
        except ValidationError as exc:
            return _refused(request, month, exc, form, text_form=form)
        messages.success(request, "交流文稿已提交。")
        return redirect("readingclub:month", month.pk)
    return _month_page(request, month, text_form=form)


@require_POST
def text_delete(request, pk: int):
    text = get_object_or_404(SharedText, pk=pk)
    month = _month(request, text.month_id)
    perms.require(text.submitted_by_id == request.user.pk or perms.can_record(request.user, month))
    services.delete_text(text, by=request.user)
    messages.success(request, "已删除交流文稿。")
    return redirect("readingclub:month", month.pk)
