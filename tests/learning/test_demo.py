"""The demo's library and study history: ~2,000 searchable materials with Chinese titles, and a year of study that
is uneven the way real members are (some a lot, many a little, some nothing), its 学时 in the ledger."""

import pytest

from partyedu.learning.demo import MATERIALS, seed_learning
from partyedu.learning.models import Material, StudyRecord
from partyedu.members.models import Member

pytestmark = pytest.mark.django_db


def test_seed_learning_counts_what_it_wrote_and_scales_with_the_county(county):
    written = seed_learning(2)
    assert written == Material.objects.count() + StudyRecord.objects.count()
    assert Material.objects.count() == min(MATERIALS, max(200, Member.objects.count())) == 200
    assert seed_learning(2) == 0  # never twice
