"""The points pages as their users meet them: a member reads why he has each point, a secretary awards and
corrects with a reason, the 工委 decides who sees which ranking."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from partyedu.points import services
from partyedu.points.models import EntryKind, EventKind, PointsEntry, RankingVisibility
from tests.factories import MemberFactory


@pytest.fixture(autouse=True)
def rules(county):
    services.install_default_rules()


def attended(member, n=1, key="a"):
    for i in range(n):
        services.award(
            member, EventKind.MEETING_ATTENDED, source_key=f"{key}:{i}", reason=f"参加主题党日（第{i + 1}次）"
        )


def test_a_member_reads_every_entry_with_its_reason_and_rule(client, county, django_assert_max_num_queries):
    zhang = county.finance_members[0]
    attended(zhang, 30)
    client.force_login(county.finance_member_user)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("points:mine")).content.decode()
    assert "参加主题党日（第30次）" in page and "参加三会一课等组织生活" in page
    assert 'id="points-year">60<' in page
    assert "本支部" in page  # his branch rank is shown by default


def test_a_secretary_awards_and_corrects_with_a_reason(client, county):
    zhang = county.finance_members[0]
    client.force_login(county.finance_secretary)
    today = timezone.localdate()
    response = client.post(
        reverse("points:manual", args=[zhang.pk]),
        {
            "member_id": zhang.pk,
            "direction": "manual_award",
            "points": "5",
            "occurred_on": today,
            "reason": "抗洪抢险表现突出",
        },
    )
    assert response.status_code == 302
    entry = PointsEntry.objects.get(member=zhang)
    assert entry.points == 5 and entry.operator == county.finance_secretary
    response = client.post(
        reverse("points:correct", args=[entry.pk]), {"new_points": "3", "reason": "按规定应为3分"}
    )
    assert response.status_code == 302
    fix = PointsEntry.objects.get(member=zhang, kind=EntryKind.CORRECTION)
    assert fix.points == Decimal("-2") and fix.reason == "按规定应为3分"
    entry.refresh_from_db()
    assert entry.points == 5  # the original stays as it was
    too_much = client.post(
        reverse("points:manual", args=[zhang.pk]),
        {
            "member_id": zhang.pk,
            "direction": "manual_award",
            "points": "50",
            "occurred_on": today,
            "reason": "x",
        },
    )
    assert "单次分值" in too_much.content.decode()


def test_rankings_follow_the_committee_setting(client, county, django_assert_max_num_queries):
    for i in range(20):
        attended(
            MemberFactory.create(organization=county.finance_branch, name=f"党员{i}"), i % 5 + 1, key=f"m{i}"
        )
    attended(county.education_members[0], 9, key="w")
    client.force_login(county.finance_member_user)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("points:rankings")).content.decode()
    assert "党员排名" in page and "王五" not in page and "组织排名" not in page
    RankingVisibility.objects.create(root=county.committee, member_sees_branch=False)
    page = client.get(reverse("points:rankings")).content.decode()
    assert "未开放积分排名" in page and "党员0" not in page
    client.force_login(county.committee_admin)
    client.post(reverse("points:visibility"), {"member_sees_county": "on", "member_sees_org_ranking": "on"})
    client.force_login(county.finance_member_user)
    page = client.get(reverse("points:rankings")).content.decode()
    assert "全县" in page and "组织排名" in page


def test_only_the_committee_admin_changes_rules_and_history_stays(client, county):
    from partyedu.points.models import PointsRule

    rule = PointsRule.objects.get(event_kind=EventKind.MEETING_ATTENDED)
    zhang = county.finance_members[0]
    attended(zhang)
    client.force_login(county.finance_secretary)
    assert client.post(reverse("points:rule_revise", args=[rule.pk]), {}).status_code == 403
    client.force_login(county.committee_admin)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("points:rule_revise", args=[rule.pk]),
        {"name": rule.name, "mode": "fixed", "points": "3", "valid_from": tomorrow},
    )
    assert response.status_code == 302
    assert PointsRule.objects.filter(series=rule.series).count() == 2
    assert PointsEntry.objects.get(member=zhang).points == 2


def _units(county, n, start=0):
    from partyedu.orgs.models import OrganizationKind
    from tests.factories import make_org

    for i in range(start, start + n):
        unit = make_org(f"县第{i}局党组", OrganizationKind.PARTY_LEADERSHIP_GROUP, county.committee)
        branch = make_org(f"县第{i}局机关党支部", OrganizationKind.BRANCH, unit)
        for j in range(2):
            attended(MemberFactory.create(organization=branch, name=f"局{i}党员{j}"), j + 1, key=f"u{i}:{j}")


@pytest.mark.parametrize("window", ["year", "quarter", "month"])
def test_the_admins_rankings_page_costs_the_same_for_more_organisations(client, county, window):
    """The organisation ranking reads the kept organisation totals: more units, not more queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from partyedu.points import selectors
    from partyedu.points.selectors import current_periods

    period = current_periods()[window]
    _units(county, 2)
    client.force_login(county.committee_admin)
    url = reverse("points:rankings")

    def count(by):
        # head counts cold each time: the comparison is of the queries, not of the cache
        selectors.HEAD_COUNT_KEY = f"test-heads:{uuid.uuid4().hex}"
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url, {"window": window, "period": period, "by": by})
        assert page.status_code == 200
        return len(queries.captured_queries), page.content.decode()

    few, page = count("average")
    assert "县第1局党组" in page and "组织排名" in page and "计分时所在的组织" in page
    _units(county, 6, start=2)
    many, page = count("average")
    assert "县第7局党组" in page and many == few
    assert count("participation")[0] == few
