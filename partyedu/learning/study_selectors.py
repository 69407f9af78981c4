"""Reads of study records: a member's own, and an organisation's subtree for its workers."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from partyedu.accounts.access import Access, Capability
from partyedu.orgs.models import Organization

from . import materials_selectors, study
from .models import Material, StudyRecord


def visible_material(user, pk: int) -> Material:
    """The material if this user may read it (the library decides); Http404 otherwise."""
    return materials_selectors.visible_material(Access.of(user), pk)


def record_of(member, material: Material) -> StudyRecord | None:
    if member is None:
        return None
    return StudyRecord.objects.filter(member=member, material=material).first()


def my_records(member):
    return (
        StudyRecord.objects.filter(member=member)
        .select_related("material")
        .order_by("-last_studied_at", "-pk")
    )


@dataclass(frozen=True)
class MyTotals:
    materials: int
    completed: int
    seconds: int

    @property
    def time_display(self) -> str:
        return study.format_duration(self.seconds)


def my_totals(member) -> MyTotals:
    row = StudyRecord.objects.filter(member=member).aggregate(
        materials=Count("pk"), completed=Count("completed_at"), seconds=Sum("seconds")
    )
    return MyTotals(row["materials"], row["completed"], row["seconds"] or 0)


@dataclass
class OrgStudyRow:
    org: Organization
    members: int = 0
    records: int = 0
    completed: int = 0
    seconds: int = 0

    @property
    def time_display(self) -> str:
        return study.format_duration(self.seconds)


def org_study_rows(user) -> tuple[list[OrgStudyRow], OrgStudyRow | None]:
    """One row per organisation the worker may see, with the study of its own members; two queries in all."""
    access = Access.of(user)
    orgs = list(access.orgs(Capability.VIEW_MEMBERS).filter(dissolved_on__isnull=True).order_by("path"))
    rows = {org.pk: OrgStudyRow(org) for org in orgs}
    figures = (
        StudyRecord.objects.filter(access.org_q(Capability.VIEW_MEMBERS, "member__organization__path"))
        .values("member__organization")
        .annotate(
            members=Count("member", distinct=True),
            records=Count("pk"),
            completed=Count("completed_at"),
            seconds=Sum("seconds"),
        )
    )
    for f in figures:
        row = rows.get(f["member__organization"])
        if row is not None:
            row.members, row.records = f["members"], f["records"]
            row.completed, row.seconds = f["completed"], f["seconds"] or 0
    result = list(rows.values())
    if not result:
        return [], None
    total = OrgStudyRow(result[0].org)
    for row in result:
        total.members += row.members
        total.records += row.records
        total.completed += row.completed
        total.seconds += row.seconds
    return result, total


def org_member_rows(org: Organization):
    """The members of one organisation (its own, not its children's) with their study totals."""
    from partyedu.members.models import Member

    return (
        Member.objects.filter(organization=org)
        .annotate(
            study_materials=Count("study_records"),
            study_completed=Count("study_records", filter=Q(study_records__completed_at__isnull=False)),
            study_seconds=Sum("study_records__seconds"),
        )
        .order_by("name", "pk")
    )
