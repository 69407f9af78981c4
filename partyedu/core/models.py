from django.db import models


class ScheduledRun(models.Model):
    """One run of a recurring job (`core.schedule`), by key: a unique row makes "enqueue once per day (or slot)"
    hold across several worker processes."""

    key = models.CharField(max_length=80, unique=True)
    enqueued_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
