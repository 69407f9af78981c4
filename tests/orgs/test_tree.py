import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partyedu.members import services as member_services
from partyedu.orgs import services
from partyedu.orgs.models import Organization, OrganizationKind, OrganizationMove

from ..factories import make_org


def test_subtree_is_one_range_query_that_finds_every_descendant_and_nothing_else(
    county, django_assert_num_queries
):
    with django_assert_num_queries(1):
        names = set(Organization.objects.subtree(county.education).values_list("name", flat=True))
    assert names == {"县教育局党委", "县教育局机关第一党支部", "第一党小组"}


def test_a_sibling_whose_id_shares_a_prefix_is_not_in_the_subtree(county):
    # ids 1 and 10..19 share a decimal prefix; the fixed-width path must keep them apart
    orgs = [make_org(f"支部{i}", OrganizationKind.BRANCH, county.finance) for i in range(12)]
    for org in orgs:
        others = set(Organization.objects.subtree(org).values_list("pk", flat=True))
        assert others == {org.pk}


def test_moving_a_unit_moves_its_whole_subtree_and_records_where_it_was(county):
    old_path = county.education_branch.path
    services.move_organization(county.education_branch, county.finance, reason="机构改革")
    branch = Organization.objects.get(pk=county.education_branch.pk)
    group = Organization.objects.get(pk=county.education_group.pk)
    assert branch.parent_id == county.finance.pk
    assert branch.path.startswith(county.finance.path) and group.path.startswith(branch.path)
    assert group.depth == branch.depth + 1
    assert set(Organization.objects.subtree(county.finance).values_list("pk", flat=True)) >= {
        branch.pk,
        group.pk,
    }
    assert not Organization.objects.subtree(county.education).filter(pk=group.pk).exists()
    move = OrganizationMove.objects.get(organization=branch)
    assert (
        move.from_parent_id == county.education.pk
        and move.from_path == old_path
        and move.reason == "机构改革"
    )


def test_an_organisation_cannot_move_under_its_own_descendant(county):
    with pytest.raises(ValidationError, match="自己或它的下级"):
        services.move_organization(county.education, county.education_branch)


def test_kinds_nest_as_the_party_constitution_has_them(county):
    with pytest.raises(ValidationError, match="党小组下不能设立党支部"):
        make_org("错误支部", OrganizationKind.BRANCH, county.education_group)
    with pytest.raises(ValidationError, match="顶级"):
        make_org("孤立支部", OrganizationKind.BRANCH, None)


def test_dissolving_keeps_the_record_and_refuses_while_members_remain(county):
    with pytest.raises(ValidationError, match="还有党员"):
        services.dissolve_organization(county.finance_branch, on=timezone.localdate())
    target = make_org("县财政局第二党支部", OrganizationKind.BRANCH, county.finance)
    for m in county.finance_members:
        member_services.transfer_member(m, target)
    services.dissolve_organization(county.finance_branch, on=timezone.localdate())
    branch = Organization.objects.get(pk=county.finance_branch.pk)
    assert branch.is_dissolved and branch.dissolved_on == timezone.localdate()
    assert branch.membership_periods.count() == 3  # history still points at it
    with pytest.raises(ValidationError, match="已撤销"):
        make_org("新党小组", OrganizationKind.GROUP, branch)


def test_a_party_group_whose_members_are_still_in_it_cannot_be_dissolved(county):
    member = county.education_members[0]
    member_services.update_member(member, group=county.education_group)
    with pytest.raises(ValidationError, match="还有党员"):
        services.dissolve_organization(county.education_group, on=timezone.localdate())
    member_services.update_member(member, group=None)
    services.dissolve_organization(county.education_group, on=timezone.localdate())


def test_a_branch_cannot_be_dissolved_on_a_day_before_its_last_members_left(county):
    """Members transferred out today were still in the branch last year: dissolving it as of last year would put
    them in an organisation that no longer existed."""
    target = make_org("县财政局第二党支部", OrganizationKind.BRANCH, county.finance)
    for m in county.finance_members:
        member_services.transfer_member(m, target)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="不能早于最后一名党员转出"):
        services.dissolve_organization(county.finance_branch, on=today - datetime.timedelta(days=365))
    services.dissolve_organization(county.finance_branch, on=today)
