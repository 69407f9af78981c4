"""The demo's campaign on the small demo county: last year's, some branches still deciding."""

import pytest
from django.utils import timezone

from partyedu.evaluation.demo import seed_evaluation
from partyedu.evaluation.models import Campaign, Participant

pytestmark = pytest.mark.django_db


def test_the_demo_county_has_last_years_campaign_partly_decided(demo_county):
    campaign = Campaign.objects.get()
    assert campaign.year == timezone.localdate().year - 1
    assert Participant.objects.filter(
        campaign=campaign, final_grade=""
    ).exists()  # some branches still deciding
    assert Participant.objects.filter(campaign=campaign).exclude(final_grade="").exists()
    assert seed_evaluation(1) == 0  # once
