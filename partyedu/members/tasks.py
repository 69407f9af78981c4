"""Background work for the roster: run by `manage.py db_worker` in production, inline under the test backend.

Arguments are ids only (task arguments must be JSON); each task re-reads its record and does nothing if the
record is no longer waiting for it, so a task delivered twice is harmless. Failures are recorded on the record
itself, in Chinese, for the page that polls it.
"""

from django_tasks import task

from . import exporting, importing


@task()
def validate_roster_import(import_id: int) -> None:
    importing.validate_import(import_id)


@task()
def commit_roster_import(import_id: int) -> None:
    importing.commit_import(import_id)


@task()
def build_roster_export(export_id: int) -> None:
    exporting.build_export(export_id)
