"""The demo's campaign: last year's, with self-assessments, peer and mass ratings, suggestions and decisions."""

import pytest

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
