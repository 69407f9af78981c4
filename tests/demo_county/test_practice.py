"""The demo county's 实事清单 and 微心愿: every state, timelines, feedback, and the points of finished work."""

import pytest
from django.db.models import Count
from django.utils import timezone

from partyedu.points.models import PointsEntry
from partyedu.practice import selectors
from partyedu.practice.demo import seed_practice
from partyedu.practice.models import Feedback, ItemStatus, ServiceItem, Wish, WishStatus

pytestmark = pytest.mark.django_db


def test_the_small_demo_county_gets_items_and_wishes_in_every_state(demo_county):
    today = timezone.localdate()
    assert set(ServiceItem.objects.values_list("status", flat=True)) == set(ItemStatus.values)
    assert set(Wish.objects.values_list("status", flat=True)) == set(WishStatus.values)
    assert ServiceItem.objects.filter(status__in=("planned", "in_progress"), deadline__lt=today).exists()
    unrated = ServiceItem.objects.filter(status="done").annotate(n=Count("feedback")).filter(n=0)
    assert unrated.exists()
    satisfied = Feedback.objects.filter(satisfaction="satisfied").count()
    assert satisfied > Feedback.objects.filter(satisfaction="unsatisfied").count() > 0
    done = ServiceItem.objects.filter(status="done").exclude(responsible=None).first()
    assert done.progress.count() >= 2 and done.result_summary
    assert PointsEntry.objects.filter(event_kind="service_item_done").exists()
    for wish in Wish.objects.exclude(claimed_by=None).select_related(
        "claimed_by__organization", "organization"
    ):
        assert wish.claimed_by.organization.path.startswith(wish.organization.path)
    member = done.responsible.first()
    assert any(r["title"] == done.title for r in selectors.member_practice_record(member))
    assert seed_practice(1) == 0  # once
