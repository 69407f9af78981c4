"""Background work of the question bank (see partyedu/members/tasks.py): ids only; each task re-reads its
record and does nothing unless the record is still waiting for it."""

from django_tasks import task

from . import import_services


@task()
def validate_question_import(import_id: int) -> None:
    import_services.validate_import(import_id)


@task()
def commit_question_import(import_id: int) -> None:
    import_services.commit_import(import_id)
