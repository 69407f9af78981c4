"""The organisation tree: 工委 → 党委/党组 → 党总支 → 党支部 → 党小组, of any depth.

The tree is a materialised path of fixed-width digit segments (one per ancestor's id), so that a subtree is one
range scan on an indexed column on both SQLite and PostgreSQL, whatever the database's collation: for digit-only
strings every collation orders as the C locale does, which LIKE-prefix plans cannot promise.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

SEGMENT = 8  # digits per level: ids up to 99,999,999


class OrganizationKind(models.TextChoices):
    WORKING_COMMITTEE = "working_committee", "机关工委"
    PARTY_COMMITTEE = "party_committee", "党委"
    PARTY_LEADERSHIP_GROUP = "party_leadership_group", "党组"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"
    GROUP = "group", "党小组"


# Which kinds may sit directly under which: a 党小组 only inside a branch, a branch never above a 党总支.
ALLOWED_CHILDREN = {
    OrganizationKind.WORKING_COMMITTEE: {
        OrganizationKind.WORKING_COMMITTEE,
        OrganizationKind.PARTY_COMMITTEE,
        OrganizationKind.PARTY_LEADERSHIP_GROUP,
        OrganizationKind.GENERAL_BRANCH,
        OrganizationKind.BRANCH,
    },
    OrganizationKind.PARTY_COMMITTEE: {
        OrganizationKind.PARTY_COMMITTEE,
        OrganizationKind.GENERAL_BRANCH,
        OrganizationKind.BRANCH,
    },
    OrganizationKind.PARTY_LEADERSHIP_GROUP: {
        OrganizationKind.GENERAL_BRANCH,
        OrganizationKind.BRANCH,
    },
    OrganizationKind.GENERAL_BRANCH: {OrganizationKind.BRANCH},
    OrganizationKind.BRANCH: {OrganizationKind.GROUP},
    OrganizationKind.GROUP: set(),
}

# Members are enrolled in a branch; a 党总支 or 党委 may also hold members directly (small units do this).
MEMBER_HOLDING_KINDS = {
    OrganizationKind.BRANCH,
    OrganizationKind.GENERAL_BRANCH,
    OrganizationKind.PARTY_COMMITTEE,
    OrganizationKind.PARTY_LEADERSHIP_GROUP,
}


def path_segment(pk: int) -> str:
    return f"{pk:0{SEGMENT}d}"


def path_successor(path: str) -> str:
    """The smallest digit string of the same length greater than every string that starts with ``path``."""
    return f"{int(path) + 1:0{len(path)}d}"


def subtree_q(path: str, field: str = "path") -> Q:
    return Q(**{f"{field}__gte": path, f"{field}__lt": path_successor(path)})


class OrganizationQuerySet(models.QuerySet):
    def subtree(self, root: Organization, include_root: bool = True) -> OrganizationQuerySet:
        qs = self.filter(subtree_q(root.path))
        return qs if include_root else qs.exclude(pk=root.pk)

    def active(self, on=None) -> OrganizationQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on)).filter(
            Q(established_on__isnull=True) | Q(established_on__lte=on)
        )

    def tree_order(self) -> OrganizationQuerySet:
        return self.order_by("depth", "order", "name")


class Organization(models.Model):
    name = models.CharField("名称", max_length=120)
    kind = models.CharField("类型", max_length=32, choices=OrganizationKind.choices)
    unit_name = models.CharField("所属单位", max_length=120, blank=True)
    code = models.CharField("组织编码", max_length=40, unique=True, null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    order = models.PositiveIntegerField("排序", default=0)
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    established_on = models.DateField("成立日期", null=True, blank=True)
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = "党组织"
        verbose_name_plural = "党组织"
        ordering = ["path"]
        indexes = [models.Index(fields=["parent", "order"], name="org_parent_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(established_on__isnull=True)
                | Q(dissolved_on__gte=models.F("established_on")),
                name="org_dissolved_after_established",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_dissolved(self) -> bool:
        return self.dissolved_on is not None and self.dissolved_on <= timezone.localdate()

    @property
    def ancestor_paths(self) -> list[str]:
        return [self.path[: i + SEGMENT] for i in range(0, len(self.path) - SEGMENT, SEGMENT)]

    def ancestors(self) -> OrganizationQuerySet:
        return Organization.objects.filter(path__in=self.ancestor_paths).order_by("depth")

    def is_in_subtree_of(self, other: Organization) -> bool:
        return self.path.startswith(other.path)

    @property
    def holds_members(self) -> bool:
        return self.kind in MEMBER_HOLDING_KINDS


class OrganizationMove(models.Model):
    """A subtree moved to another parent: the tree changes, the record of where it was stays."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="moves")
    from_parent = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", null=True)
    to_parent = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    from_path = models.CharField(max_length=255)
    moved_at = models.DateTimeField(default=timezone.now)
    moved_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("原因", max_length=200, blank=True)

    class Meta:
        ordering = ["-moved_at"]

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.from_path} → {self.to_parent_id}"
