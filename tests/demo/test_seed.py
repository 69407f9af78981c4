"""A developer seeds a fictional county to try the platform on; the roster it makes must pass the roster's own
rules, come out the same for the same seed, and let the printed demo accounts log in."""

import datetime
import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Q

from partyedu.accounts.models import RoleAssignment, User
from partyedu.core.cn import (
    birth_date_from_citizen_id,
    gender_from_citizen_id,
    validate_citizen_id,
    validate_mobile,
)
from partyedu.demo.seeding import (
    DEMO_PASSWORD,
    REFERENCE_DATE,
    chinese_numeral,
    demo_logins,
    plan_demo,
    seed_demo,
)
from partyedu.members.models import Member, MembershipPeriod
from partyedu.members.services import pipeline_errors
from partyedu.orgs.models import ALLOWED_CHILDREN, SEGMENT, Organization, OrganizationKind, path_segment

from ..factories import make_org

PIPELINE_FIELDS = [
    "status",
    "birth_date",
    "applied_on",
    "activist_on",
    "candidate_on",
    "probationary_on",
    "full_on",
]


@pytest.fixture
def small_county(db):
    return seed_demo("small", 7, upto="roster")  # the roster is what these tests read


class _Undo(Exception):
    pass


def _seed_and_forget(seed: int) -> list[tuple]:
    """Seed, read the roster back, and roll it all away again, as if into a fresh database."""
    roster = []
    try:
        with transaction.atomic():
            seed_demo("small", seed, upto="roster")
            roster = list(
                Member.objects.order_by("citizen_id").values_list(
                    "name", "citizen_id", "mobile", "organization__name"
                )
            )
            raise _Undo
    except _Undo:
        pass
    return roster


def test_the_small_scale_makes_one_working_committee_with_a_few_units_branches_and_members(small_county):
    committee = Organization.objects.get(kind=OrganizationKind.WORKING_COMMITTEE)
    assert committee.name == "青山县直属机关工作委员会" and committee.parent is None
    assert small_county.committee_name == committee.name
    assert small_county.agencies == 6
    assert small_county.members == Member.objects.count() == 200
    assert small_county.organizations == Organization.objects.count()
    assert (
        10 <= Organization.objects.filter(kind=OrganizationKind.BRANCH).count() == small_county.branches <= 22
    )
    assert set(Member.objects.values_list("unit_name", flat=True)) <= set(
        Organization.objects.values_list("unit_name", flat=True)
    )
    # Everyone sits in an organisation that may hold members, and a 党小组 only of his own branch.
    for member in Member.objects.select_related("organization", "group"):
        assert member.organization.holds_members
        assert member.group is None or member.group.parent_id == member.organization_id


def test_the_same_seed_gives_the_same_county_and_another_seed_a_different_one(db):
    first = _seed_and_forget(7)
    assert not Organization.objects.exists()
    assert first == _seed_and_forget(7)
    assert first != _seed_and_forget(8)
    assert len(first) == 200


def test_the_plan_draws_only_on_its_own_seed_not_on_global_randomness():
    import random

    random.seed(1)
    one = plan_demo("small", 3)
    random.seed(2)
    other = plan_demo("small", 3)
    assert [m.fields for m in one.members] == [m.fields for m in other.members]
    assert [(o.name, o.parent, o.established_on) for o in one.orgs] == [
        (o.name, o.parent, o.established_on) for o in other.orgs
    ]


def test_every_citizen_id_is_valid_unique_and_agrees_with_birth_date_and_gender(small_county):
    rows = list(Member.objects.values("citizen_id", "birth_date", "gender", "mobile"))
    assert len({r["citizen_id"] for r in rows}) == len(rows)
    assert len({r["mobile"] for r in rows}) == len(rows)
    for row in rows:
        assert validate_citizen_id(row["citizen_id"]) == row["citizen_id"]
        assert birth_date_from_citizen_id(row["citizen_id"]) == row["birth_date"]
        assert gender_from_citizen_id(row["citizen_id"]) == row["gender"]
        assert validate_mobile(row["mobile"]) == row["mobile"]


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # born on 29 February
        return day.replace(year=day.year + years, day=28)


def test_ages_and_pipeline_dates_pass_the_rosters_own_rules(small_county):
    today = REFERENCE_DATE
    for member in Member.objects.all():
        data = {field: getattr(member, field) for field in PIPELINE_FIELDS}
        assert pipeline_errors(data) == {}, (member.name, data)
        assert 22 <= member.age(today) <= 80
        if member.is_retired:
            assert member.age(today) >= 60
        adult = _years_later(member.birth_date, 18)
        assert member.applied_on and member.applied_on >= adult
        if member.status in {"probationary", "full"}:
            assert member.joined_on == member.probationary_on
        else:
            assert member.joined_on is None
        if member.status == "full":
            assert member.full_on == _years_later(member.probationary_on, 1)
        if member.candidate_on:
            assert (member.candidate_on - member.activist_on).days >= 365


def test_the_roster_looks_like_an_agencys_with_its_stages_and_its_people_at_risk(db):
    plan = plan_demo("county", 1)
    statuses = {m.fields["status"] for m in plan.members}
    assert statuses == {"applicant", "activist", "candidate", "probationary", "full"}
    count = len(plan.members)
    assert count == 10_000 and 110 <= len(plan.agencies) <= 130
    branches = sum(org.kind == OrganizationKind.BRANCH for org in plan.orgs)
    assert 380 <= branches <= 520
    share = lambda flag: sum(m.fields[flag] for m in plan.members) / count  # noqa: E731
    assert 0.06 < share("is_retired") < 0.14
    assert 0.01 < share("is_mobile") < 0.05
    assert 0.01 < share("needs_home_delivery") < 0.04
    assert 0.8 < sum(m.fields["status"] == "full" for m in plan.members) / count < 0.95
    assert sum(m.fields["education"] in {"bachelor", "postgraduate"} for m in plan.members) / count > 0.6
    assert any(m.group is not None for m in plan.members)
    assert any(m.fields["name"].startswith("欧阳") for m in plan.members)


def test_every_member_has_exactly_one_open_membership_period_where_he_is(small_county):
    members = Member.objects.annotate(open=Count("periods", filter=Q(periods__ended_on__isnull=True)))
    assert all(m.open == 1 for m in members)
    for period in MembershipPeriod.objects.select_related("member"):
        assert period.organization_id == period.member.organization_id
        assert period.group_id == period.member.group_id
        assert period.member.applied_on <= period.started_on <= REFERENCE_DATE


def test_the_tree_paths_are_the_ones_create_organization_would_have_written(small_county):
    orgs = {org.pk: org for org in Organization.objects.all()}
    for org in orgs.values():
        parent = orgs.get(org.parent_id)
        assert org.path == (parent.path if parent else "") + path_segment(org.pk)
        assert org.depth == len(org.path) // SEGMENT - 1
        if parent:
            assert org.kind in ALLOWED_CHILDREN[OrganizationKind(parent.kind)]
            assert org.is_in_subtree_of(parent)
            assert (
                not parent.established_on
                or not org.established_on
                or org.established_on >= parent.established_on
            )
    committee = Organization.objects.get(kind=OrganizationKind.WORKING_COMMITTEE)
    assert Organization.objects.subtree(committee).count() == len(orgs)
    assert Organization.objects.filter(kind=OrganizationKind.GROUP).exists()


def test_the_demo_logins_authenticate_and_carry_their_roles(small_county):
    assert [(role, username) for role, username, _, _ in small_county.logins] == [
        ("工委管理员", "admin"),
        ("党务工作者", "dangwu"),
        ("支部书记", "shuji"),
        ("党员", "dangyuan"),
    ]
    for _, username, phone, password in small_county.logins:
        assert password == DEMO_PASSWORD
        assert authenticate(username=username, password=password).username == username
        if phone:
            assert authenticate(username=phone, password=password).username == username

    def role_of(username):
        return RoleAssignment.objects.select_related("organization").get(user__username=username)

    admin = role_of("admin")
    assert admin.role == "committee_admin" and admin.organization.kind == OrganizationKind.WORKING_COMMITTEE
    secretary, member = User.objects.get(username="shuji"), User.objects.get(username="dangyuan")
    assert (
        role_of("shuji").role == "secretary"
        and role_of("shuji").organization == secretary.member.organization
    )
    assert (
        role_of("dangyuan").role == "member"
        and role_of("dangyuan").organization == member.member.organization
    )
    assert member.phone == member.member.mobile and not member.member.is_leader
    dangwu = role_of("dangwu")
    assert dangwu.role == "org_admin" and dangwu.organization.kind in {
        "party_committee",
        "party_leadership_group",
    }
    assert secretary.member.organization.is_in_subtree_of(dangwu.organization)


def test_a_second_run_of_the_demo_can_print_the_same_logins_without_seeding_again(small_county):
    assert demo_logins() == small_county.logins


def test_the_command_prints_the_counts_and_logins_in_chinese(db):
    out = io.StringIO()
    call_command("seed", "--scale", "small", "--seed", "2", stdout=out)
    text = out.getvalue()
    assert "青山县直属机关工作委员会" in text and "人员 200 名" in text
    assert "用户名 dangyuan" in text and DEMO_PASSWORD in text


def test_seeding_refuses_a_database_that_already_has_organisations(db):
    make_org("某县直属机关工作委员会", OrganizationKind.WORKING_COMMITTEE)
    with pytest.raises(CommandError, match="已有党组织"):
        call_command("seed", "--scale", "small", stdout=io.StringIO())
    assert Member.objects.count() == 0


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1, "一"),
        (10, "十"),
        (15, "十五"),
        (20, "二十"),
        (99, "九十九"),
        (100, "一百"),
        (105, "一百零五"),
        (115, "一百一十五"),
        (120, "一百二十"),
    ],
)
def test_units_are_numbered_in_chinese(number, text):
    assert chinese_numeral(number) == text
