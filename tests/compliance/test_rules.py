"""Rules: the 工委's to set, versioned by date, readable by every worker."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partyedu.compliance import services
from partyedu.compliance.models import ComplianceRule
from partyedu.compliance.selectors import can_edit_rules
from partyedu.meetings.models import MeetingKind

D = datetime.date
RULES = reverse("compliance:rules")


def theme_day_rule():
    return ComplianceRule.objects.get(meeting_kind=MeetingKind.THEME_DAY, valid_to__isnull=True)


def test_the_defaults_are_there():
    labels = {r.label for r in ComplianceRule.objects.all()}
    assert labels == {
        "党支部支部党员大会每季度≥1次",
        "党支部支委会每月≥1次",
        "党小组党小组会每月≥1次",
        "党支部主题党日每月≥1次",
        "党支部组织生活会每年≥1次",
        "党支部党课每季度≥1次",
        "党支部现场教学每年≥2次",
        "单位党委/党组中心组学习（列席旁听）每年≥1次",
    }


def test_only_a_committee_admin_edits_rules(county):
    assert can_edit_rules(county.committee_admin)
    assert not can_edit_rules(county.education_admin)  # a unit's party worker manages his unit, not the rules
    assert not can_edit_rules(county.finance_secretary)
    assert not can_edit_rules(county.finance_member_user)


def test_a_committee_admin_revises_a_rule_from_a_date_and_both_versions_are_listed(county, client):
    client.force_login(county.committee_admin)
    rule = theme_day_rule()
    response = client.post(
        reverse("compliance:rule_edit", args=[rule.pk]),
        {
            "action": "revise",
            "period": "month",
            "min_count": 2,
            "valid_from": "2026-12-01",
            "basis": "县委要求",
        },
    )
    assert response.status_code == 302
    versions = list(ComplianceRule.objects.filter(series=rule.series).order_by("valid_from"))
    assert [(v.min_count, v.valid_from, v.valid_to) for v in versions] == [
        (1, D(2019, 1, 1), D(2026, 12, 1)),
        (2, D(2026, 12, 1), None),
    ]
    html = client.get(RULES).content.decode()
    assert "每月≥2次" in html and "待生效" in html and "现行" in html
    # the closed version cannot be edited any more
    assert reverse("compliance:rule_edit", args=[versions[0].pk]) not in html


def test_a_revision_dated_before_the_current_version_is_refused_in_chinese(county, client):
    client.force_login(county.committee_admin)
    rule = theme_day_rule()
    response = client.post(
        reverse("compliance:rule_edit", args=[rule.pk]),
        {"action": "revise", "period": "month", "min_count": 1, "valid_from": "2018-01-01"},
    )
    assert response.status_code == 200
    assert "生效日期不能早于现行版本的生效日期" in response.content.decode()
    assert ComplianceRule.objects.filter(series=rule.series).count() == 1


def test_a_rule_is_stopped_from_a_date(county, client):
    client.force_login(county.committee_admin)
    rule = theme_day_rule()
    response = client.post(
        reverse("compliance:rule_edit", args=[rule.pk]), {"action": "retire", "on": "2027-01-01"}
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.valid_to == D(2027, 1, 1)


def test_a_committee_admin_adds_a_rule_for_the_county(county, client):
    client.force_login(county.committee_admin)
    response = client.post(
        reverse("compliance:rule_create"),
        {
            "applies_to": "branch",
            "meeting_kind": "micro_lecture",
            "period": "quarter",
            "min_count": 1,
            "scope": county.committee.pk,
            "valid_from": "2027-01-01",
            "basis": "党课大家讲",
        },
    )
    assert response.status_code == 302, response.content.decode()
    rule = ComplianceRule.objects.get(meeting_kind="micro_lecture")
    assert rule.scope == county.committee and rule.created_by == county.committee_admin


def test_a_rule_a_kind_of_organisation_cannot_keep_is_refused():
    with pytest.raises(ValidationError, match="党小组不召开理论学习中心组学习"):
        services.create_rule(
            applies_to="group",
            meeting_kind="center_group_study",
            min_count=1,
            period="year",
            valid_from=D(2027, 1, 1),
        )
    with pytest.raises(ValidationError, match="至多 10 次"):
        services.create_rule(
            applies_to="branch",
            meeting_kind="theme_day",
            min_count=11,
            period="month",
            valid_from=D(2027, 1, 1),
        )


@pytest.mark.parametrize("who", ["finance_secretary", "education_admin"])
def test_workers_read_the_rules_but_do_not_change_them(county, client, who):
    client.force_login(getattr(county, who))
    rule = theme_day_rule()
    response = client.get(RULES)
    assert response.status_code == 200
    assert "主题党日" in response.content.decode()
    assert reverse("compliance:rule_edit", args=[rule.pk]) not in response.content.decode()
    assert client.get(reverse("compliance:rule_create")).status_code == 403
    edit = reverse("compliance:rule_edit", args=[rule.pk])
    assert client.post(edit, {"action": "retire", "on": "2027-01-01"}).status_code == 403
    rule.refresh_from_db()
    assert rule.valid_to is None


def test_a_member_does_not_see_the_rules_page(county, client):
    client.force_login(county.finance_member_user)
    assert client.get(RULES).status_code == 403
