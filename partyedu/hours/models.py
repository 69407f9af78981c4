"""学时: every member's training hours, as an append-only ledger written by the modules where learning happened.

A class session attended, a 党课 heard, a material completed, materials brought home: each calls
services.credit() once with a key naming its source. A correction (an attendance changed from present to absent)
is a further row with the negative difference, never an edit, so every yearly figure can be traced to its rows.
MemberYearHours is the running sum per member and year, kept by the same service, so that 32/56-学时 checks and
the left-behind list over a city read one row per member instead of summing the ledger.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils import timezone

# 《中国共产党党员教育管理工作条例》: every member at least 32 学时 a year; members of primary-level party
# committees and of branch committees at least 56.
STATUTORY_HOURS = Decimal("32")
COMMITTEE_HOURS = Decimal("56")


class HoursSource(models.TextChoices):
    CLASS = "class", "培训班"
    MEETING = "meeting", "党课与集中学习"
    STUDY = "study", "自学"
    HOME_DELIVERY = "home_delivery", "送学上门"


class HoursEntry(models.Model):
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="hours_entries")
    year = models.PositiveSmallIntegerField("年度")
    occurred_on = models.DateField("日期")
    source = models.CharField("来源", max_length=20, choices=HoursSource.choices)
    # Names the thing that earned the hours, e.g. "meeting:12", "class:3:session:7", "study:record:55".
    source_key = models.CharField(max_length=80)
    hours = models.DecimalField("学时", max_digits=6, decimal_places=2)
    title = models.CharField("内容", max_length=200)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        indexes = [
            models.Index(fields=["source_key", "member"], name="hours_key_member"),
            models.Index(fields=["member", "year", "occurred_on"], name="hours_member_year"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.title} {self.hours}"


class MemberYearHours(models.Model):
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="year_hours")
    year = models.PositiveSmallIntegerField()
    total = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0"))
    class_hours = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0"))
    meeting_hours = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0"))
    study_hours = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0"))
    home_delivery_hours = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0"))
    # The last day anything of learning happened for this member (credited study time, a learning meeting
    # attended, a class session, a home delivery): the left-behind list's "nothing for N days".
    last_learning_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="one_hours_row_per_member_year")
        ]
        indexes = [models.Index(fields=["year", "total"], name="hours_year_total")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.year} {self.total}"


SOURCE_FIELD = {
    HoursSource.CLASS: "class_hours",
    HoursSource.MEETING: "meeting_hours",
    HoursSource.STUDY: "study_hours",
    HoursSource.HOME_DELIVERY: "home_delivery_hours",
}
