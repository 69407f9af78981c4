"""The demo's 志愿服务 and 双报到 on the small demo county."""

import pytest
from django.db.models import Count

from partyedu.members.models import Member
from partyedu.volunteering.demo import seed_volunteering
from partyedu.volunteering.models import (
    CheckInKind,
    Community,
    CommunityCheckIn,
    RecordStatus,
    Theme,
    VolunteerActivity,
    VolunteerRecord,
)
from partyedu.volunteering.selectors import CULTIVATED

pytestmark = pytest.mark.django_db


def test_the_demo_county_has_a_year_of_volunteering_with_some_members_missing_their_checkin(demo_county):
    assert Community.objects.count() >= 15
    members = Member.objects.filter(left_on__isnull=True).count()
    registered = CommunityCheckIn.objects.filter(kind=CheckInKind.MEMBER).count()
    assert 0.6 * members < registered < members  # most, not all
    assert CommunityCheckIn.objects.filter(kind=CheckInKind.ORGANIZATION).exists()
    themes = set(VolunteerActivity.objects.values_list("theme", flat=True))
    assert {Theme.THEORY, Theme.CLEAN, Theme.POVERTY, Theme.ELDERLY, Theme.DISABLED} <= themes
    months = VolunteerActivity.objects.dates("starts_at", "month")
    assert len(months) >= 12
    statuses = dict(VolunteerRecord.objects.values_list("status").annotate(n=Count("pk")))
    assert (
        statuses.get(RecordStatus.CONFIRMED)
        and statuses.get(RecordStatus.PENDING)
        and statuses.get(RecordStatus.REJECTED)
    )
    confirmed = VolunteerRecord.objects.filter(status=RecordStatus.CONFIRMED)
    cultivated_share = confirmed.filter(member__status__in=CULTIVATED).count() / confirmed.count()
    cultivated_in_roll = Member.objects.filter(status__in=CULTIVATED).count() / Member.objects.count()
    assert cultivated_share > cultivated_in_roll  # the 志愿服务队 comes far more often than its share
    assert VolunteerRecord.objects.filter(activity__isnull=True).exists()  # self-reported services
    assert seed_volunteering(1) == 0  # once
