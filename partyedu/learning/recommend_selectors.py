"""Reads behind recommendations: a member's profile (two queries) and the ranked materials (one query, however large
the library), each with the reasons it was chosen. The rules live in recommend.py."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from partyedu.members.models import YOUTH_MAX_AGE, Member
from partyedu.orgs.models import Organization

from . import recommend
from .models import Material, StudyRecord

HOME_COUNT = 5
PAGE_SIZE = 20


@dataclass
class Recommendation:
    material: Material
    reasons: list[str]
    score: int


def _year_start(today: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(today.year, 1, 1))


def profile_of(member: Member, today: datetime.date | None = None) -> recommend.Profile:
    today = today or timezone.localdate()
    org = member.organization
    # the branch's own name, then its unit's and upwards ("县财政局机关党支部", "县财政局党组")
    names = [org.name] + list(
        Organization.objects.filter(path__in=org.ancestor_paths)
        .order_by("-depth")
        .values_list("name", flat=True)
    )
    job, words = recommend.job_words(member.post, *names)
    completed = dict.fromkeys(recommend.C.values, 0)
    for row in (
        StudyRecord.objects.filter(member=member, completed_at__gte=_year_start(today))
        .values("material__category")
        .annotate(n=Count("pk"))
    ):
        completed[row["material__category"]] = row["n"]
    return recommend.Profile(
        is_leader=member.is_leader,
        is_youth=member.age(today) <= YOUTH_MAX_AGE,
        job=job,
        job_words=words,
        completed=completed,
        weak_topics=recommend.weak_topics(member),
    )


def ranked(member: Member, profile: recommend.Profile, now: datetime.datetime | None = None) -> QuerySet:
    """Visible, not yet completed materials for the member, best first, annotated with what the reasons need."""
    now = now or timezone.now()
    org = member.organization
    points = recommend.category_points(profile)
    mine = StudyRecord.objects.filter(member=member, material=OuterRef("pk"))
    job_q = Q(pk__in=[])
    for word in profile.job_words:
        job_q |= Q(title__contains=word) | Q(tags__contains=word)
    job_q &= Q(category=recommend.C.BUSINESS)
    weak = list(profile.weak_topics)
    qs = (
        Material.objects.filter(visible_path__in=[*org.ancestor_paths, org.path])
        .filter(~Exists(mine.filter(completed_at__isnull=False)))
        .annotate(
            in_progress=Exists(mine),
            job_match=Case(When(job_q, then=Value(True)), default=Value(False), output_field=BooleanField()),
            is_new=Case(
                When(published_at__gte=now - datetime.timedelta(days=recommend.NEW_DAYS), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            is_recent=Case(
                When(
                    published_at__gte=now - datetime.timedelta(days=recommend.RECENT_DAYS), then=Value(True)
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
            weak_topic=Exists(
                Material.topics.through.objects.filter(material_id=OuterRef("pk"), topic_id__in=weak)
            )
            if weak
            else Value(False, output_field=BooleanField()),
        )
    )
    category_score = Case(
        *[When(category=c, then=Value(p)) for c, p in points.items() if p],
        default=Value(0),
        output_field=IntegerField(),
    )

    def bonus(flag: str, p: int):
        return Case(When(**{flag: True}, then=Value(p)), default=Value(0), output_field=IntegerField())

    score = (
        category_score
        + bonus("job_match", recommend.JOB_POINTS)
        + bonus("in_progress", recommend.IN_PROGRESS_POINTS)
        + Case(
            When(is_new=True, then=Value(recommend.NEW_POINTS)),
            When(is_recent=True, then=Value(recommend.RECENT_POINTS)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )
    if weak:
        score = score + bonus("weak_topic", recommend.WEAK_TOPIC_POINTS)
    return (
        qs.annotate(score=score)
        .select_related("publisher")
        .defer("body", "body_text")
        .order_by("-score", "-published_at", "-pk")
    )


def explain(
    materials, profile: recommend.Profile, topic_names: dict[int, list[str]] | None = None
) -> list[Recommendation]:
    topic_names = topic_names or {}
    return [
        Recommendation(
            m,
            recommend.reasons(
                profile,
                category=m.category,
                job_match=m.job_match,
                is_new=m.is_new,
                is_recent=m.is_recent,
                in_progress=m.in_progress,
                weak_topic_names=topic_names.get(m.pk, []),
            ),
            m.score,
        )
        for m in materials
    ]


def _weak_topic_names(materials, profile: recommend.Profile) -> dict[int, list[str]]:
    """material id → names of its weak topics, one query for the page (none while no topic is weak)."""
    if not profile.weak_topics or not materials:
        return {}
    out: dict[int, list[str]] = {}
    for material_id, topic_id in Material.topics.through.objects.filter(
        material_id__in=[m.pk for m in materials], topic_id__in=list(profile.weak_topics)
    ).values_list("material_id", "topic_id"):
        out.setdefault(material_id, []).append(profile.weak_topics[topic_id])
    return out


def recommendations_for(member: Member | None, limit: int = HOME_COUNT) -> list[Recommendation]:
    """The member home's list: the top `limit` recommendations with their reasons (four queries in all)."""
    if member is None:
        return []
    profile = profile_of(member)
    materials = list(ranked(member, profile)[:limit])
    return explain(materials, profile, _weak_topic_names(materials, profile))


def recommendation_page(member: Member, page_number) -> tuple[object, list[Recommendation]]:
    """One page of the "更多推荐" list: the Paginator page and its recommendations."""
    from django.core.paginator import Paginator

    profile = profile_of(member)
    page = Paginator(ranked(member, profile), PAGE_SIZE).get_page(page_number)
    materials = list(page.object_list)
    return page, explain(materials, profile, _weak_topic_names(materials, profile))
