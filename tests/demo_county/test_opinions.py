"""The demo's 意见建议: every state, some overdue, QR boxes for the units."""

import pytest
from django.utils import timezone

from partyedu.opinions.demo import seed_opinions
from partyedu.opinions.models import Opinion, OpinionBox, OpinionStatus

pytestmark = pytest.mark.django_db


def test_the_demo_county_has_opinions_in_every_state(demo_county):
    assert OpinionBox.objects.exists()
    assert set(Opinion.objects.values_list("status", flat=True)) == set(OpinionStatus.values)
    today = timezone.localdate()
    assert Opinion.objects.filter(replied_at__isnull=True, due_on__lt=today).exists()  # overdue
    assert (
        Opinion.objects.filter(channel="qr").exists() and Opinion.objects.exclude(giver_contact="").exists()
    )
    assert seed_opinions(1) == 0
