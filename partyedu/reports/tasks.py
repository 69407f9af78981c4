"""Background work for generated documents: run by the worker in production, inline under the test backend.

The argument is the report's id only; the task re-reads the row and does nothing unless it is still queued, so a
task delivered twice builds the file once."""

from django_tasks import task

from . import services


@task()
def build_report(report_id: int) -> None:
    services.run_report(report_id)
