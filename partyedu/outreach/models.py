"""不让一个党员掉队: 送学上门 records for members who cannot come (old, ill, far away), and the left-behind list
(selectors.py) that finds who needs one.

A delivery is never deleted: it earned 学时, and the ledger must be traceable to it. Voiding keeps the record,
marked void with the reason, and withdraws its 学时 (a correction row in the hours ledger).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils import timezone


class HomeDelivery(models.Model):
    member = models.ForeignKey(
        "members.Member", verbose_name="党员", on_delete=models.PROTECT, related_name="home_deliveries"
    )
    # The member's organisation on the day: whose worker went, and whose list it shows in after a transfer.
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name="党组织", on_delete=models.PROTECT, related_name="home_deliveries"
    )
    delivered_on = models.DateField("送学日期")
    materials = models.ManyToManyField(
        "learning.Material", verbose_name="带去的学习资料", blank=True, related_name="home_deliveries"
    )
    items = models.CharField(
        "其他学习资料", max_length=300, blank=True, help_text="如：党员教育读本、学习光盘"
    )
    summary = models.TextField("学习内容")
    delivered_by = models.ForeignKey(
        "accounts.User", verbose_name="登记人", on_delete=models.PROTECT, related_name="home_deliveries"
    )
    companions = models.CharField("同去人员", max_length=200, blank=True)
    minutes = models.PositiveSmallIntegerField("时长（分钟）")
    hours = models.DecimalField("计入学时", max_digits=5, decimal_places=2, default=Decimal("0"))
    feedback = models.TextField("党员反馈", blank=True)
    # Filled only when the member is not flagged 需送学上门 on the roster: why he was visited anyway.
    override_reason = models.CharField("特殊情况说明", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    voided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    void_reason = models.CharField("作废原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "送学上门记录"
        verbose_name_plural = "送学上门记录"
        ordering = ["-delivered_on", "-pk"]
        indexes = [
            models.Index(fields=["organization", "delivered_on"], name="delivery_org_day"),
            models.Index(fields=["member", "delivered_on"], name="delivery_member_day"),
        ]

    def __str__(self) -> str:
        return f"{self.delivered_on} 送学上门：{self.member_id}"

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None

    @property
    def hours_key(self) -> str:
        return f"home_delivery:{self.pk}"

    @property
    def title(self) -> str:
        return f"送学上门：{self.summary[:60]}"
