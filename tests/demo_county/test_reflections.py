"""The demo's reflections: mixed statuses, some flagged as copies of others and of the 范文, the index filled."""

import pytest

from partyedu.reflections import services
from partyedu.reflections.demo import seed_reflections
from partyedu.reflections.models import IndexBand, IndexedText, Reflection, ReflectionStatus

pytestmark = pytest.mark.django_db


def test_seed_reflections_on_the_small_county(demo_county):
    assert seed_reflections(1) == 0  # and never twice
    assert Reflection.objects.count() > 50
    statuses = set(Reflection.objects.values_list("status", flat=True))
    assert statuses == set(ReflectionStatus.values)
    copies = Reflection.objects.filter(blocked=True)
    assert copies.exists()
    assert Reflection.objects.filter(report__icontains="reference:").exists()
    originals = Reflection.objects.exclude(status="draft").filter(blocked=False).count()
    assert originals > copies.count() * 3
    submitted = Reflection.objects.exclude(status="draft").count()
    assert IndexedText.objects.filter(reflection__isnull=False).count() == submitted
    assert IndexBand.objects.count() > submitted * 50
    # the index written in bulk is the one the submit path reads
    copy = copies.filter(report__icontains="reflection:").first()
    source_pk = int(copy.report[0]["key"].split(":")[1])
    found = {t.reflection_id for t in services.candidates(copy.body)}
    assert source_pk in found
