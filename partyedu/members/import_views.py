"""Roster import (upload → report → commit or discard) and roster export pages. The work is in importing.py and
exporting.py; these views check who may do what and choose what to render."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partyedu.accounts.access import Access, Capability

from . import exporting, importing
from .models import RosterExport, RosterExportStatus, RosterImport, RosterImportStatus

ERROR_TABLE_LIMIT = 500
PREVIEW_LIMIT = 100
# A running job whose record has not moved for this long has most likely lost its worker.
STALLED_AFTER = datetime.timedelta(minutes=10)


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label="花名册文件（.xlsx）",
        widget=forms.FileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    layout: importing.Layout | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.ROSTER_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(f"文件不能超过 {limit // (1024 * 1024)} MB，请拆分后分批导入。")
        name = upload.name.lower()
        if name.endswith(".xls"):
            raise ValidationError(
                "不支持旧版 Excel（.xls）文件，请在 Excel 或 WPS 中“另存为” .xlsx 格式后再上传。"
            )
        if name.endswith(".csv"):
            raise ValidationError("不支持 CSV 文件，请在 Excel 或 WPS 中打开后“另存为” .xlsx 格式再上传。")
        if not name.endswith(".xlsx"):
            raise ValidationError("只能上传 Excel 工作簿（.xlsx）文件。")
        try:
            self.layout = importing.inspect_upload(upload)
        except importing.ImportFileError as exc:
            raise ValidationError(str(exc)) from None
        return upload


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exporting.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _stalled(record) -> bool:
    return record.is_running and record.updated_at < timezone.now() - STALLED_AFTER


# --- import -----------------------------------------------------------------------------------------------
def _own_import(request, pk: int) -> RosterImport:
    """Only the uploader (or a superuser) sees an import: it holds other people's ID numbers."""
    Access.of(request.user).require(Capability.IMPORT_ROSTER)
    qs = RosterImport.objects.defer("report")  # loaded only when the page shows it, not on every poll
    if not request.user.is_superuser:
        qs = qs.filter(uploaded_by=request.user)
    return get_object_or_404(qs, pk=pk)


@require_http_methods(["GET", "POST"])
def upload(request):
    Access.of(request.user).require(Capability.IMPORT_ROSTER)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        imp = importing.create_import(request.user, form.cleaned_data["file"], form.layout)
        importing.start_validation(imp, form.layout.estimated_rows)
        return redirect("members:import_report", imp.pk)
    recent = RosterImport.objects.filter(uploaded_by=request.user).defer("report")[:10]
    return render(
        request,
        "members/import_upload.html",
        {
            "form": form,
            "recent": recent,
            "max_mb": settings.ROSTER_IMPORT_MAX_BYTES // (1024 * 1024),
        },
    )


@require_GET
def template(request):
    Access.of(request.user).require(Capability.IMPORT_ROSTER)
    return _xlsx_response(exporting.build_template(request.user), "党员花名册导入模板.xlsx")


@require_GET
def report(request, pk: int):
    imp = _own_import(request, pk)
    context = {"imp": imp, "stalled": _stalled(imp), "Status": RosterImportStatus}
    if imp.status == RosterImportStatus.IMPORTING:
        context["done"], context["total"] = importing.commit_progress(imp)
    else:
        context["done"], context["total"] = imp.processed_rows, imp.total_rows
    if not imp.is_running:
        rows = imp.report
        bad = [r for r in rows if r["errors"]]
        good = [r for r in rows if not r["errors"]]
        context.update(
            bad_rows=bad[:ERROR_TABLE_LIMIT],
            bad_more=max(len(bad) - ERROR_TABLE_LIMIT, 0),
            good_rows=good[:PREVIEW_LIMIT],
            good_more=max(len(good) - PREVIEW_LIMIT, 0),
        )
    # The page polls itself while a job runs; a poll gets just the status block, which stops polling once done.
    template_name = "members/import_report.html"
    if request.htmx and request.htmx.target == "import-body":
        template_name += "#body"
    return render(request, template_name, context)


@require_GET
def error_report(request, pk: int):
    imp = _own_import(request, pk)
    if (
        imp.invalid_rows == 0
        or not imp.file
        or imp.status in {RosterImportStatus.VALIDATING, RosterImportStatus.DISCARDED}
    ):
        raise Http404("没有错误报告")
    try:
        content = exporting.build_error_report(imp)
    except importing.ImportFileError as exc:
        messages.error(request, str(exc))
        return redirect("members:import_report", imp.pk)
    stem = imp.original_name.rsplit(".", 1)[0] or "花名册"
    return _xlsx_response(content, f"{stem}_错误报告.xlsx")


@require_POST
def commit(request, pk: int):
    imp = _own_import(request, pk)
    if not importing.start_commit(imp):
        messages.warning(request, "这次导入已处理过或没有可导入的数据。")
    return redirect("members:import_report", imp.pk)


@require_POST
def discard(request, pk: int):
    imp = _own_import(request, pk)
    if importing.discard_import(imp):
        messages.success(request, f"已放弃导入“{imp.original_name}”，没有导入任何数据。")
        return redirect("members:import")
    messages.warning(request, "这次导入已无法放弃。")
    return redirect("members:import_report", imp.pk)


# --- export -----------------------------------------------------------------------------------------------
def _own_export(request, pk: int) -> RosterExport:
    return get_object_or_404(RosterExport, pk=pk, requested_by=request.user)


@require_POST
def export_start(request):
    Access.of(request.user).require(Capability.VIEW_MEMBERS)
    query = request.GET.copy()
    query.pop("page", None)
    export = exporting.request_export(request.user, query.urlencode())
    return redirect("members:export_status", export.pk)


@require_GET
def export_status(request, pk: int):
    export = _own_export(request, pk)
    template_name = "members/export_status.html"
    if request.htmx and request.htmx.target == "export-body":
        template_name += "#body"
    return render(request, template_name, {"export": export, "stalled": _stalled(export)})


@require_GET
def export_download(request, pk: int):
    export = _own_export(request, pk)
    if export.status != RosterExportStatus.DONE or not export.file:
        raise Http404("导出文件尚未生成")
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=exporting.export_filename(export),
        content_type=exporting.XLSX_CONTENT_TYPE,
    )
