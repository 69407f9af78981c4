"""The demo's campaign: last year's, with self-assessments, peer and mass ratings, suggestions and decisions."""

import pytest
from django.utils import timezone

from partyedu.evaluation.demo import seed_evaluation
from partyedu.evaluation.models import Campaign, MassResponse, Participant, PeerRating
from partyedu.evaluation.services import excellent_places

pytestmark = pytest.mark.django_db


def test_seed_evaluation_runs_one_campaign_within_the_rules(county):
    assert seed_evaluation(1) > 0
    campaign = Campaign.objects.get()
    people = Participant.objects.filter(campaign=campaign)
    assert people.exists() and PeerRating.objects.exists()
    assert all(p.suggestion_note for p in people)
    assert MassResponse.objects.filter(campaign=campaign).count() >= 0
    for branch_id in set(people.values_list("branch_id", flat=True)):
        graded = people.filter(branch_id=branch_id, graded=True)
        assert graded.filter(final_grade="excellent").count() <= excellent_places(
            graded.count(), campaign.excellent_quota
        )
    assert seed_evaluation(1) == 0  # once


def test_seed_evaluation_on_the_small_demo_county_is_quick():
    import time

    from partyedu.demo.seeding import seed_demo

    seed_demo("small", seed=1, upto="seed_evaluation")
    Campaign.objects.all().delete()  # the seeder may already run it; time our own run
    began = time.monotonic()
    written = seed_evaluation(1)
    assert time.monotonic() - began < 10
    campaign = Campaign.objects.get()
    assert written > 0 and campaign.year == timezone.localdate().year - 1
    assert Participant.objects.filter(
        campaign=campaign, final_grade=""
    ).exists()  # some branches still deciding
    assert Participant.objects.filter(campaign=campaign).exclude(final_grade="").exists()
