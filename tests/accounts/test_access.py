"""Who sees what: the rules of partyedu.accounts.access, told as the county's people would."""

from partyedu.accounts.access import Access, Capability
from partyedu.accounts.services import grant_role, revoke_role


def names(qs):
    return sorted(qs.values_list("name", flat=True))


def test_the_committee_admin_sees_the_whole_county(county):
    access = Access(county.committee_admin)
    assert names(access.members()) == sorted(["张三", "李四", "曾小明", "王五", "赵六"])
    assert access.can_org(Capability.MANAGE_ORG, county.education_group)


def test_a_branch_secretary_sees_only_his_branch(county):
    access = Access(county.finance_secretary)
    assert names(access.members()) == sorted(["张三", "李四", "曾小明"])
    assert not access.can_member(Capability.VIEW_MEMBERS, county.education_members[0])
    assert not access.can_org(Capability.VIEW_ORG, county.education_branch)
    assert not access.can_org(Capability.MANAGE_ORG, county.finance_branch)
    assert not access.has(Capability.IMPORT_ROSTER)


def test_a_unit_party_worker_sees_his_units_branches_and_groups(county):
    access = Access(county.education_admin)
    assert names(access.members()) == ["王五", "赵六"]
    assert access.can_org(Capability.MANAGE_ORG, county.education_group)
    assert not access.can_org(Capability.VIEW_ORG, county.finance)


def test_an_ordinary_member_sees_his_own_record_with_his_full_id_and_nobody_elses(county):
    access = Access(county.finance_member_user)
    me = county.finance_members[0]
    assert names(access.members()) == ["张三"]
    assert access.can_member(Capability.VIEW_FULL_ID, me)
    assert not access.can_member(Capability.VIEW_MEMBERS, county.finance_members[1])
    assert not access.can_member(Capability.CHANGE_MEMBERS, me)
    assert not access.is_worker


def test_a_revoked_role_grants_nothing(county):
    assignment = county.finance_secretary.role_assignments.get()
    revoke_role(assignment)
    assert names(Access(county.finance_secretary).members()) == []


def test_nested_roles_do_not_duplicate_rows(county):
    grant_role(county.education_admin, county.education_branch, "secretary")
    assert names(Access(county.education_admin).members()) == ["王五", "赵六"]
    assert Access(county.education_admin)._paths[Capability.VIEW_MEMBERS] == [county.education.path]
