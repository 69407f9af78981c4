"""Every write to generated documents: a request (checked by its kind's rules, then queued) and the
background run that builds the file."""

from __future__ import annotations

import datetime
import logging
import re

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from . import registry
from .models import GeneratedReport, ReportStatus

logger = logging.getLogger(__name__)

# A queued or running report whose row has not moved for this long has most likely lost its worker.
STALLED_AFTER = datetime.timedelta(minutes=10)
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def request_report(user, kind: str, organization, params: dict | None = None) -> GeneratedReport:
    """Queue a document for `user`. The kind's own `authorize` decides whether he may have it (raises 404/403
    or ValidationError) and cleans the parameters."""
    try:
        entry = registry.get(kind)
    except KeyError:
        raise ValidationError({"kind": "不支持的文件类型"}) from None
    cleaned = entry.authorize(user, organization, dict(params or {}))
    report = GeneratedReport.objects.create(
        kind=kind, organization=organization, params=cleaned, requested_by=user
    )
    from .tasks import build_report

    build_report.enqueue(report.pk)
    report.refresh_from_db()
    return report


def _progress_updater(report_id: int):
    last = {"percent": -1}

    def progress(done: int, total: int) -> None:
        percent = min(99, int(done * 100 / total)) if total else 0
        if percent != last["percent"]:
            last["percent"] = percent
            GeneratedReport.objects.filter(pk=report_id).update(progress=percent, updated_at=timezone.now())

    return progress


def run_report(report_id: int) -> None:
    """Build the file of a queued report. Runs in the worker; failures end on the row, in Chinese."""
    claimed = GeneratedReport.objects.filter(pk=report_id, status=ReportStatus.QUEUED).update(
        status=ReportStatus.RUNNING, progress=0, updated_at=timezone.now()
    )
    if not claimed:
        return  # already built, or delivered twice
    report = GeneratedReport.objects.select_related("organization", "requested_by").get(pk=report_id)
    message = ""
    try:
        entry = registry.get(report.kind)
        content = entry.build(report, _progress_updater(report.pk))
        name = safe_filename(entry.filename(report), entry.extension)
    except ValidationError as exc:
        message = "；".join(exc.messages)
    except Exception:
        logger.exception("report %s (%s) failed", report.pk, report.kind)
        message = "生成时出现意外错误，请稍后重试，如仍有问题请联系系统管理员。"
    if message:
        GeneratedReport.objects.filter(pk=report.pk).update(
            status=ReportStatus.FAILED,
            message=message[:500],
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        return
    report.file.save(name, ContentFile(content), save=False)
    report.filename = name
    report.status = ReportStatus.DONE
    report.progress = 100
    report.finished_at = timezone.now()
    report.save()


def safe_filename(name: str, extension: str) -> str:
    stem = _UNSAFE.sub("_", name).strip("._") or "文件"
    if stem.lower().endswith(f".{extension}"):
        stem = stem[: -len(extension) - 1]
    return f"{stem[:150]}.{extension}"


def is_stalled(report: GeneratedReport, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return report.is_running and report.updated_at < now - STALLED_AFTER
