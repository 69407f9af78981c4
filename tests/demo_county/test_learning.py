"""The demo's library and study history: ~2,000 searchable materials with Chinese titles, and a year of study that
is uneven the way real members are (some a lot, many a little, some nothing), its 学时 in the ledger."""

from collections import Counter
from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from partyedu.hours.models import HoursEntry, HoursSource, MemberYearHours
from partyedu.hours.services import hours_from_seconds
from partyedu.learning import recommend_selectors
from partyedu.learning.demo import MATERIALS
from partyedu.learning.materials_selectors import LibraryFilter, library
from partyedu.learning.models import Material, MaterialCategory, MaterialKind, SearchToken, StudyRecord
from partyedu.members.models import Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db, demo_county):
    """The seeder runs seed_learning itself (after organisations, members, meetings and sites)."""
    return Material.objects.count() + StudyRecord.objects.count(), 0.0, (0, 0)


def test_the_demo_library_and_a_year_of_study(seeded, django_user_model):
    written, seconds, (last_material, last_record) = seeded
    ours = StudyRecord.objects.filter(pk__gt=last_record)
    records = ours.count()
    count = min(MATERIALS, max(200, Member.objects.count()))
    assert written == count + records

    # every kind and category, mostly for the whole county, ids in order of publication
    materials = Material.objects.filter(pk__gt=last_material)
    assert set(materials.values_list("kind", flat=True)) == set(MaterialKind.values)
    assert set(materials.values_list("category", flat=True)) == set(MaterialCategory.values)
    visibility = Counter(materials.values_list("visibility", flat=True))
    assert visibility["county"] > 0.7 * count and visibility["subtree"] > 0.05 * count
    assert materials.filter(title__startswith="《中国共产党简史》第").exists()
    assert materials.filter(title__startswith="学习贯彻").exists()
    assert materials.filter(title__contains="先进典型").exists()
    by_publication = list(materials.order_by("published_at", "pk").values_list("pk", flat=True))
    assert by_publication == sorted(by_publication)

    # indexed in bulk: a search finds them, as any member of the county
    assert SearchToken.objects.filter(material__in=materials).values("material").distinct().count() == count
    user = django_user_model.objects.filter(member__isnull=False, is_superuser=False).first()
    found = library(user, LibraryFilter(q="中国共产党简史"))
    assert found.total >= 5 and all("中国共产党简史" in str(h.title) for h in found.hits)

    # uneven study: some members nothing, many a little, a few a lot
    per_member = Counter(ours.values_list("member_id", flat=True))
    members = Member.objects.filter(left_on__isnull=True, status__in=("full", "probationary")).count()
    idle = members - len(per_member)
    assert 0.1 * members < idle < 0.35 * members
    assert sum(1 for n in per_member.values() if n <= 4) > sum(1 for n in per_member.values() if n >= 15) > 0
    completed = ours.filter(completed_at__isnull=False)
    assert 0.4 * records < completed.count() < records

    # 学时 for each completed record, keyed by the record, as the live heartbeat would
    entries = HoursEntry.objects.filter(source=HoursSource.STUDY, source_key__startswith="study:")
    assert entries.count() == completed.count()
    record = completed.order_by("pk").first()
    entry = entries.get(source_key=f"study:{record.pk}")
    assert entry.hours == hours_from_seconds(record.seconds) and entry.member_id == record.member_id
    yearly = MemberYearHours.objects.aggregate(s=Sum("study_hours"))["s"]
    ledger = HoursEntry.objects.filter(source=HoursSource.STUDY).aggregate(s=Sum("hours"))["s"]
    assert ledger > Decimal(0) and abs(yearly - ledger) < Decimal("0.01")  # SQLite sums decimals as floats

    # and a studying member's home has recommendations that skip what he completed
    busy = completed.values("member").annotate(n=Count("pk")).order_by("-n").first()["member"]
    member = Member.objects.get(pk=busy)
    top = recommend_selectors.recommendations_for(member, limit=20)
    assert len(top) == 20
    done = set(completed.filter(member=member).values_list("material_id", flat=True))
    assert not done & {r.material.pk for r in top}


def test_the_same_seed_gives_the_same_library(seeded):
    titles = list(
        Material.objects.filter(pk__gt=seeded[2][0]).order_by("pk").values_list("title", flat=True)[:50]
    )
    assert len(set(titles)) > 20
