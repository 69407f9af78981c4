"""Generated documents: the requester's list (polled while something is being built), the request form and
the download. Who may have which document is decided by each kind's `authorize` in the registry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from . import registry, selectors, services
from .forms import ReportRequestForm
from .models import GeneratedReport, ReportStatus


@require_GET
def report_list(request):
    reports = selectors.reports_of(request.user)
    stalled = {r.pk for r in reports if services.is_stalled(r)}
    context = {
        "reports": reports,
        "stalled": stalled,
        "polling": any(r.is_running and r.pk not in stalled for r in reports),
        "has_form_kinds": bool(registry.form_kinds()),
    }
    template = "reports/list.html"
    if request.htmx and request.htmx.target == "report-rows":
        template += "#rows"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def report_request(request):
    form = ReportRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.request_report(
                request.user, data["kind"], data["organization"], {"year": data["year"]}
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                f"已提交生成“{data['organization'].name}{data['year']}年{report.kind_label}”，完成后可在下方下载。",
            )
            return redirect("reports:list")
    return render(
        request,
        "reports/request.html",
        {"form": form, "no_orgs": not form.fields["organization"].queryset.exists()},
    )


@require_GET
def download(request, pk: int):
    # Only the requester: the file was built with his rights at the time he asked.
    report = get_object_or_404(GeneratedReport, pk=pk, requested_by=request.user)
    if report.status != ReportStatus.DONE or not report.file:
        raise Http404("文件尚未生成")
    try:
        content_type = registry.get(report.kind).content_type
    except KeyError:
        content_type = "application/octet-stream"
    return FileResponse(
        report.file.open("rb"), as_attachment=True, filename=report.filename, content_type=content_type
    )
