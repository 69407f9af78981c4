"""The question bank (Excel or JSON, in the import layout, so it can be imported again) and a quiz's results as
files built in the background by the reports app and downloaded by the worker who asked for them."""

from __future__ import annotations

import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from partyedu.accounts.access import Access
from partyedu.learning.models import Topic
from partyedu.reports import params as report_params
from partyedu.reports.registry import Progress, ReportKind, register

from . import import_services, quiz_services, selectors_bank
from . import selectors_quiz as sel
from .models import Difficulty, QuestionStatus, QuestionType, Quiz

QUESTION_BANK_XLSX = "question_bank_xlsx"
QUESTION_BANK_JSON = "question_bank_json"
QUIZ_RESULTS = "quiz_results"
BANK_KINDS = {"xlsx": QUESTION_BANK_XLSX, "json": QUESTION_BANK_JSON}
# The bank list's filters, as the list page's BankFilterForm names them.
BANK_FILTERS = ("owner", "qtype", "topic", "difficulty", "status", "q")
Q_MAX_LENGTH = 100
CHUNK = 500


# --- cleaning the bank list's filters ----------------------------------------------------------------------------
def clean_bank_filters(params: dict, organization) -> dict:
    """The bank list's filters as plain JSON values. 题库 (owner) is empty for every bank the worker reads, else
    the report's own organisation."""
    owner = report_params.integer(params, "owner", "请选择正确的题库")
    if owner is not None and owner != organization.pk:
        raise ValidationError({"owner": "筛选的题库与导出的题库不一致"})
    topic = report_params.integer(params, "topic", "请选择正确的专题")
    if topic is not None and not Topic.objects.filter(pk=topic).exists():
        raise ValidationError({"topic": "请选择正确的专题"})
    difficulty = report_params.integer(params, "difficulty", "请选择正确的难度")
    if difficulty is not None and difficulty not in Difficulty.values:
        raise ValidationError({"difficulty": "请选择正确的难度"})
    q = report_params.text(params, "q")
    if len(q) > Q_MAX_LENGTH:
        raise ValidationError({"q": f"题干关键词不能超过{Q_MAX_LENGTH}个字"})
    return {
        "owner": owner,
        "qtype": report_params.choice(params, "qtype", QuestionType.values, "请选择正确的题型"),
        "topic": topic,
        "difficulty": difficulty,
        "status": report_params.choice(params, "status", QuestionStatus.values, "请选择正确的题目状态"),
        "q": q,
    }


def authorize_bank(user, organization, params: dict) -> dict:
    """The bank list's own check (党务工作者 only; the organisation one whose bank he reads: his subtree or one of
    its ancestors), then the list's filters."""
    if not Access.of(user).is_worker:
        raise PermissionDenied("题库仅供党务工作者使用")
    if not selectors_bank.bank_orgs(user).filter(pk=organization.pk).exists():
        raise Http404("没有找到该题库")
    return clean_bank_filters(params, organization)


def _bank_questions(report):
    """The list's own query for the requester, with his rights of now, in the export's order (by number)."""
    p = report.params
    user = report.requested_by
    if not Access.of(user).is_worker or (
        p.get("owner") and not selectors_bank.bank_orgs(user).filter(pk=p["owner"]).exists()
    ):
        raise ValidationError("申请人已没有查看这些题目的权限")
    flt = selectors_bank.BankFilter(
        owner=p.get("owner"),
        qtype=p.get("qtype") or "",
        topic=p.get("topic"),
        difficulty=p.get("difficulty"),
        status=p.get("status") or "",
        q=p.get("q") or "",
    )
    return import_services.export_queryset(selectors_bank.bank_list(user, flt))


def _as_it_goes(qs, progress: Progress):
    """The questions a chunk at a time (current version and topics fetched per chunk, no query per row)."""
    total = qs.count()
    for done, question in enumerate(qs.iterator(chunk_size=CHUNK), start=1):
        yield question
        if done % CHUNK == 0:
            progress(done, total)


def build_bank_xlsx(report, progress: Progress) -> bytes:
    return import_services.export_xlsx(_as_it_goes(_bank_questions(report), progress))


def build_bank_json(report, progress: Progress) -> bytes:
    return import_services.export_json(_as_it_goes(_bank_questions(report), progress))


def _bank_filename(extension: str):
    def filename(report) -> str:
        return f"题库导出_{timezone.localdate(report.created_at):%Y%m%d}.{extension}"

    return filename


# --- a quiz's results ----------------------------------------------------------------------------------------
def duration_text(seconds) -> str:
    if seconds is None:
        return ""
    return f"{seconds // 60}分{seconds % 60:02d}秒"


def _quiz(params: dict) -> Quiz:
    pk = report_params.integer(params, "quiz", "请选择测试")
    if pk is None:
        raise ValidationError({"quiz": "请选择测试"})
    quiz = (
        Quiz.objects.select_related("owner", "scope")
        .filter(kind__in=quiz_services.ORGANISED_KINDS, pk=pk)
        .first()
    )
    if quiz is None:
        raise Http404("没有找到该测试")
    return quiz


def authorize_results(user, organization, params: dict) -> dict:
    """The results page's own check: 404 outside the user's view, 403 when he may not organise the quiz; the
    report's organisation is the quiz's owner."""
    quiz = quiz_services.require_manage(user, _quiz(params))
    if quiz.owner_id != organization.pk:
        raise ValidationError({"quiz": "测试与所选党组织不一致"})
    return {"quiz": quiz.pk}


def build_results(report, progress: Progress) -> bytes:
    """成绩 (the best finished attempt per member) and 未参加: the results page's selectors, no query per row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    quiz = Quiz.objects.select_related("owner", "scope").filter(pk=report.params.get("quiz")).first()
    if quiz is None:
        raise ValidationError("该测试已不存在")
    if not quiz_services.can_manage(report.requested_by, quiz):
        raise ValidationError("申请人已没有管理该测试的权限")
    rows = sel.results(quiz)
    not_taken = sel.not_taken(quiz)
    total = len(rows) + not_taken.count()
    done = 0

    def step():
        nonlocal done
        done += 1
        if done % CHUNK == 0:
            progress(done, total)

    wb = Workbook()
    ws = wb.active
    ws.title = "成绩"
    ws.append(
        [
            "序号",
            "姓名",
            "所在党组织",
            "最高得分",
            "满分",
            "得分率",
            "是否及格",
            "用时",
            "作答次数",
            "交卷时间",
        ]
    )
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for n, row in enumerate(rows, start=1):
        best = row.best
        ws.append(
            [
                n,
                row.member.name,
                row.member.organization.name,
                float(best.score),
                float(best.max_score),
                f"{best.percent:.0f}%",
                "及格" if best.passed else "不及格",
                duration_text(best.duration_seconds),
                row.attempts,
                timezone.localtime(best.submitted_at).strftime("%Y-%m-%d %H:%M") if best.submitted_at else "",
            ]
        )
        step()
    missing = wb.create_sheet("未参加")
    missing.append(["序号", "姓名", "所在党组织"])
    for n, member in enumerate(not_taken.iterator(chunk_size=2000), start=1):
        missing.append([n, member.name, member.organization.name])
        step()
    for sheet in (ws, missing):
        sheet.column_dimensions["B"].width = 12
        sheet.column_dimensions["C"].width = 36
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def results_filename(report) -> str:
    title = Quiz.objects.filter(pk=report.params.get("quiz")).values_list("title", flat=True).first()
    return f"{title or '测试'}成绩.xlsx"


def register_kinds() -> None:
    register(
        ReportKind(
            code=QUESTION_BANK_XLSX,
            label="题库导出（Excel）",
            extension="xlsx",
            build=build_bank_xlsx,
            filename=_bank_filename("xlsx"),
            authorize=authorize_bank,
            description="题库列表中筛选出的题目，按导入模板的格式，可再导入",
        )
    )
    register(
        ReportKind(
            code=QUESTION_BANK_JSON,
            label="题库导出（JSON）",
            extension="json",
            build=build_bank_json,
            filename=_bank_filename("json"),
            authorize=authorize_bank,
            description="题库列表中筛选出的题目（JSON），可再导入",
        )
    )
    register(
        ReportKind(
            code=QUIZ_RESULTS,
            label="测试成绩（Excel）",
            extension="xlsx",
            build=build_results,
            filename=results_filename,
            authorize=authorize_results,
            description="每人最好的一次成绩与未参加人员",
        )
    )
