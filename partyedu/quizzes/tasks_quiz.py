"""Background work of the quizzes: hand in attempts whose time ran out (run it every minute or so by the
worker's scheduler; pages also close overdue attempts lazily when they are opened)."""

from django_tasks import task

from . import attempt_services


@task()
def expire_overdue_attempts() -> int:
    return attempt_services.expire_overdue()
