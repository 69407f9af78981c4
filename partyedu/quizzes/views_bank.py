"""Question bank pages (workers), item analysis, mastery. The rules are in selectors_bank (who sees which bank),
bank_services and import_services (writes), analysis (statistics); these views choose what to render."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.orgs.models import Organization
from partyedu.reports import services as report_services

from . import analysis, bank_services, exporting, import_services, selectors_bank
from .forms_bank import BankFilterForm, ImportCommitForm, ImportUploadForm, QuestionForm
from .models import (
    AttemptItem,
    Question,
    QuestionImport,
    QuestionImportStatus,
    QuestionStatus,
    Quiz,
)

PAGE_SIZE = 50
ERROR_TABLE_LIMIT = 500
PREVIEW_LIMIT = 100
STALLED_AFTER = datetime.timedelta(minutes=10)


def _require_worker(request) -> Access:
    access = Access.of(request.user)
    if not access.is_worker:
        raise PermissionDenied("题库仅供党务工作者使用")
    return access


def _question(request, pk: int, *, manage: bool = False) -> Question:
    _require_worker(request)
    question = get_object_or_404(
        selectors_bank.visible_questions(request.user).select_related("current", "owner"), pk=pk
    )
    if manage and not selectors_bank.can_manage_bank(request.user, question.owner):
        raise PermissionDenied("只有该题库所属组织的管理员可以修改题目")
    return question


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _filters(request) -> tuple[BankFilterForm, selectors_bank.BankFilter]:
    form = BankFilterForm(request.GET or None, owners=selectors_bank.bank_orgs(request.user))
    flt = selectors_bank.BankFilter()
    if form.is_valid():
        d = form.cleaned_data
        flt = selectors_bank.BankFilter(
            owner=d["owner"].pk if d.get("owner") else None,
            qtype=d.get("qtype") or "",
            topic=d["topic"].pk if d.get("topic") else None,
            difficulty=d.get("difficulty"),
            status=d.get("status") or "",
            q=d.get("q") or "",
        )
    return form, flt


def _export_filters(form: BankFilterForm) -> dict:
    """The filters the list shows, as the hidden fields of its export form (the values it was filtered by)."""
    if not form.is_bound or not form.is_valid():
        return {}
    d = form.cleaned_data
    values = {
        "owner": d["owner"].pk if d.get("owner") else "",
        "qtype": d.get("qtype") or "",
        "topic": d["topic"].pk if d.get("topic") else "",
        "difficulty": d.get("difficulty") or "",
        "status": d.get("status") or "",
        "q": d.get("q") or "",
    }
    return {k: v for k, v in values.items() if v != ""}


# --- the bank ---------------------------------------------------------------------------------------------
@require_GET
def bank(request):
    _require_worker(request)
    form, flt = _filters(request)
    qs = selectors_bank.bank_list(request.user, flt)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "quizzes/bank/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_manage": selectors_bank.manageable_banks(request.user).exists(),
            "export_filters": _export_filters(form),
        },
    )


@require_POST
def export(request):
    """Queue the bank, with the list's filters, as a file built in the background (reports app)."""
    access = _require_worker(request)
    params = {name: request.POST.get(name, "").strip() for name in exporting.BANK_FILTERS}
    query = urlencode({k: v for k, v in params.items() if v})
    back = reverse("quizzes:bank") + (f"?{query}" if query else "")
    kind = exporting.BANK_KINDS.get(request.POST.get("format") or "xlsx")
    try:
        if kind is None:
            raise ValidationError("请选择导出格式")
        report = report_services.request_report(request.user, kind, _export_org(access, params), params)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(back)
    messages.success(request, f"已提交生成“{report.kind_label}”，完成后可在下方下载。")
    return redirect("reports:list")


def _export_org(access: Access, params: dict):
    """The report's organisation: the bank filtered on (the kind checks the worker reads it), else the worker's
    own scope (the banks he reads are those of his subtree and its ancestors)."""
    owner = params["owner"]
    if owner:
        if not owner.isdigit():
            raise ValidationError({"owner": "请选择正确的题库"})
        org = Organization.objects.filter(pk=int(owner)).first()
        if org is None:
            raise Http404("没有找到该题库")
        return org
    roots = access.scope_roots(C.CHANGE_MEMBERS)
    if not roots:
        raise PermissionDenied("您没有可查看的题库")
    return roots[0]


@require_http_methods(["GET", "POST"])
def question_create(request):
    _require_worker(request)
    owners = selectors_bank.manageable_banks(request.user)
    if not owners.exists():
        raise PermissionDenied("您没有可管理的题库")
    form = QuestionForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        try:
            question = bank_services.create_question(
                form.cleaned_data["owner"],
                topics=list(form.cleaned_data["topics"]),
                publish=form.cleaned_data["publish"],
                by=request.user,
                **form.question_fields(),
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, "题目已保存。")
            return redirect("quizzes:question", question.pk)
    return render(request, "quizzes/bank/form.html", {"form": form, "question": None})


@require_http_methods(["GET", "POST"])
def question_edit(request, pk: int):
    question = _question(request, pk, manage=True)
    form = QuestionForm(request.POST or None, question=question)
    if request.method == "POST" and form.is_valid():
        before = question.current_id
        try:
            version = bank_services.revise_question(
                question, by=request.user, topics=list(form.cleaned_data["topics"]), **form.question_fields()
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            if version.pk != before:
                messages.success(request, f"已保存为第 {version.number} 版；此前的答卷仍保留原来的题目内容。")
            else:
                messages.success(request, "题目已保存。")
            return redirect("quizzes:question", question.pk)
    return render(request, "quizzes/bank/form.html", {"form": form, "question": question})


@require_GET
def question_detail(request, pk: int):
    question = _question(request, pk)
    stats = analysis.question_statistics(question, _scoped_items(request))
    return render(
        request,
        "quizzes/bank/detail.html",
        {
            "q": question,
            "v": question.current,
            "topics": list(question.topics.all()),
            "version_count": question.versions.count(),
            "can_manage": selectors_bank.can_manage_bank(request.user, question.owner),
            "stats": stats,
            "Status": QuestionStatus,
        },
    )


@require_GET
def question_history(request, pk: int):
    question = _question(request, pk)
    versions = list(question.versions.select_related("created_by").order_by("-number"))
    return render(request, "quizzes/bank/history.html", {"q": question, "versions": versions})


@require_POST
def question_status(request, pk: int):
    question = _question(request, pk, manage=True)
    status = request.POST.get("status", "")
    try:
        bank_services.set_status(question, status, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request, f"题目已{QuestionStatus(status).label}。" if status != "draft" else "已改回草稿。"
        )
    return redirect("quizzes:question", question.pk)


# --- import -----------------------------------------------------------------------------------------------
def _own_import(request, pk: int) -> QuestionImport:
    _require_worker(request)
    qs = QuestionImport.objects.select_related("owner").defer("report")
    if not request.user.is_superuser:
        qs = qs.filter(uploaded_by=request.user)
    return get_object_or_404(qs, pk=pk)


def _stalled(imp) -> bool:
    return imp.is_running and imp.updated_at < timezone.now() - STALLED_AFTER


@require_http_methods(["GET", "POST"])
def import_upload(request):
    _require_worker(request)
    owners = selectors_bank.manageable_banks(request.user)
    if not owners.exists():
        raise PermissionDenied("您没有可管理的题库")
    form = ImportUploadForm(request.POST or None, request.FILES or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        try:
            imp = import_services.create_import(
                request.user, form.cleaned_data["owner"], form.cleaned_data["file"]
            )
        except import_services.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            import_services.start_validation(imp)
            return redirect("quizzes:import_report", imp.pk)
    recent = (
        QuestionImport.objects.filter(uploaded_by=request.user).select_related("owner").defer("report")[:10]
    )
    return render(request, "quizzes/bank/import_upload.html", {"form": form, "recent": recent})


@require_GET
def import_template(request):
    _require_worker(request)
    return _download(import_services.build_template(), "试题导入模板.xlsx", import_services.XLSX_CONTENT_TYPE)


@require_GET
def import_report(request, pk: int):
    imp = _own_import(request, pk)
    context = {
        "imp": imp,
        "stalled": _stalled(imp),
        "Status": QuestionImportStatus,
        "form": ImportCommitForm(),
    }
    if not imp.is_running:
        rows = QuestionImport.objects.values_list("report", flat=True).get(pk=imp.pk)
        bad = [r for r in rows if r["errors"]]
        dup = [r for r in rows if not r["errors"] and r.get("duplicate")]
        good = [r for r in rows if not r["errors"] and not r.get("duplicate")]
        context.update(
            bad_rows=bad[:ERROR_TABLE_LIMIT],
            bad_more=max(len(bad) - ERROR_TABLE_LIMIT, 0),
            dup_rows=dup[:ERROR_TABLE_LIMIT],
            good_rows=good[:PREVIEW_LIMIT],
            good_more=max(len(good) - PREVIEW_LIMIT, 0),
            warned=any(r["warnings"] for r in rows),
        )
    template_name = "quizzes/bank/import_report.html"
    if getattr(request, "htmx", None) and request.htmx.target == "import-body":
        template_name += "#body"
    return render(request, template_name, context)


@require_GET
def import_errors(request, pk: int):
    imp = _own_import(request, pk)
    if imp.status in {QuestionImportStatus.VALIDATING, QuestionImportStatus.DISCARDED}:
        raise Http404("没有错误报告")
    imp = QuestionImport.objects.get(pk=imp.pk)
    stem = imp.original_name.rsplit(".", 1)[0] or "题库"
    return _download(
        import_services.build_error_report(imp), f"{stem}_错误报告.xlsx", import_services.XLSX_CONTENT_TYPE
    )


@require_POST
def import_commit(request, pk: int):
    imp = _own_import(request, pk)
    if not selectors_bank.can_manage_bank(request.user, imp.owner):
        raise PermissionDenied("您没有管理该题库的权限")
    form = ImportCommitForm(request.POST)
    form.is_valid()
    options = form.cleaned_data if form.is_valid() else {"skip_duplicates": True, "publish": False}
    if not import_services.start_commit(
        imp, skip_duplicates=options.get("skip_duplicates", True), publish=options.get("publish", False)
    ):
        messages.warning(request, "这次导入已处理过或没有可导入的题目。")
    return redirect("quizzes:import_report", imp.pk)


@require_POST
def import_discard(request, pk: int):
    imp = _own_import(request, pk)
    if import_services.discard_import(imp):
        messages.success(request, f"已放弃导入“{imp.original_name}”，没有导入任何题目。")
        return redirect("quizzes:import")
    messages.warning(request, "这次导入已无法放弃。")
    return redirect("quizzes:import_report", imp.pk)


# --- analysis ---------------------------------------------------------------------------------------------
def _scoped_items(request):
    """Attempt items of the members whose results the user may read."""
    return AttemptItem.objects.filter(Access.of(request.user).member_q(C.VIEW_MEMBERS, "member__"))


@require_GET
def quiz_stats(request, pk: int):
    quiz = get_object_or_404(Quiz.objects.select_related("owner"), pk=pk)
    Access.of(request.user).require_org(quiz.owner, C.VIEW_MEMBERS)
    summary = analysis.quiz_statistics(quiz)
    return render(request, "quizzes/bank/quiz_stats.html", {"quiz": quiz, "summary": summary})


@require_GET
def my_weak_topics(request):
    member = getattr(request.user, "member", None)
    rates = selectors_bank.member_mastery(member) if member is not None else []
    weak = selectors_bank.weak_topics(member, limit=3) if member is not None else []
    return render(
        request,
        "quizzes/bank/weak_topics.html",
        {
            "member": member,
            "rates": rates,
            "weak_ids": {t[0] for t in weak},
            "weak": [
                {"id": tid, "name": name, "percent": round(rate * 100, 1), "answered": n}
                for tid, name, rate, n in weak
            ],
            "min_answered": selectors_bank.MIN_ANSWERED,
            "window": selectors_bank.MASTERY_WINDOW_DAYS,
        },
    )


@require_GET
def org_mastery(request):
    access = Access.of(request.user)
    orgs = selectors_bank.mastery_orgs(request.user)
    roots = access.scope_roots(C.VIEW_MEMBERS)
    if not roots:
        raise PermissionDenied("只有党务工作者可以查看组织的专题掌握情况")
    org = roots[0]
    if request.GET.get("org", "").isdigit():
        org = get_object_or_404(orgs, pk=int(request.GET["org"]))
    table = selectors_bank.org_mastery(org)
    rows = [(child, [cells.get(tid) for tid, _ in table.topics]) for child, cells in table.rows]
    return render(
        request,
        "quizzes/bank/mastery.html",
        {
            "org": org,
            "orgs": orgs[:500],
            "table": table,
            "rows": rows,
            "total": [table.total.get(tid) for tid, _ in table.topics],
            "window": selectors_bank.MASTERY_WINDOW_DAYS,
        },
    )
