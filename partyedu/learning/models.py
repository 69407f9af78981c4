from .models_materials import *  # noqa

# study models (below), appended by the study feature
from django.db import models  # noqa: E402
from django.utils import timezone  # noqa: E402


# --- study sessions and verified study time (学习记录) ---------------------------------------------------------
class StudySession(models.Model):
    """One page load of a material by a member: the tab that sends heartbeats, named by a token it draws."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="study_sessions")
    material = models.ForeignKey("learning.Material", on_delete=models.CASCADE, related_name="study_sessions")
    token = models.CharField(max_length=64)
    started_at = models.DateTimeField(default=timezone.now)
    last_beat_at = models.DateTimeField(default=timezone.now)
    beats = models.PositiveIntegerField(default=0)
    user_agent = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "学习会话"
        verbose_name_plural = "学习会话"
        constraints = [
            models.UniqueConstraint(fields=["member", "material", "token"], name="studysession_member_token")
        ]

    def __str__(self) -> str:
        return f"{self.member_id}/{self.material_id}/{self.token[:8]}"


class StudyCredit(models.Model):
    """One credited interval: append-only, so every figure on a StudyRecord traces back to these rows.

    `slot` is the member's time slot (seconds since the epoch // heartbeat interval): unique per member, it is
    what keeps two tabs or two devices from being credited for the same moment.
    """

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="study_credits")
    material = models.ForeignKey("learning.Material", on_delete=models.CASCADE, related_name="study_credits")
    session = models.ForeignKey(StudySession, on_delete=models.CASCADE, related_name="credits")
    slot = models.BigIntegerField()
    credited_at = models.DateTimeField()
    seconds = models.PositiveIntegerField()
    # media only: the newly watched parts [[start, end], ...] in media seconds, and the playback rate
    ranges = models.JSONField(default=list, blank=True)
    watched_seconds = models.FloatField(default=0)
    rate = models.FloatField(default=1)

    class Meta:
        verbose_name = "学习时长记入"
        verbose_name_plural = "学习时长记入"
        constraints = [models.UniqueConstraint(fields=["member", "slot"], name="studycredit_member_slot")]
        indexes = [models.Index(fields=["member", "-credited_at"], name="studycredit_member_at")]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.credited_at:%Y-%m-%d %H:%M:%S} +{self.seconds}s"


class StudyRecord(models.Model):
    """A member's study of one material: the sum of its StudyCredit rows and whether its rule is met."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="study_records")
    material = models.ForeignKey("learning.Material", on_delete=models.CASCADE, related_name="study_records")
    seconds = models.PositiveIntegerField("已学习（秒）", default=0)
    watched_ranges = models.JSONField(default=list, blank=True)
    watched_fraction = models.FloatField("观看比例", default=0)
    first_studied_at = models.DateTimeField(default=timezone.now)
    last_studied_at = models.DateTimeField(default=timezone.now, db_index=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "学习记录"
        verbose_name_plural = "学习记录"
        constraints = [
            models.UniqueConstraint(fields=["member", "material"], name="studyrecord_member_material")
        ]

    def __str__(self) -> str:
        return f"{self.member_id}/{self.material_id}: {self.seconds}s"
