import pytest

from partyedu.orgs.models import OrganizationKind

from .factories import MemberFactory, make_org, make_user

PASSWORD = "pass-1234-word"


@pytest.fixture
def county(db):
    """A small county: 工委 → two units (党委, 党组) → branches → one 党小组; members in each branch."""
    committee = make_org(
        "示范县直属机关工作委员会", OrganizationKind.WORKING_COMMITTEE, unit_name="县直机关工委", code="WC"
    )
    finance = make_org(
        "县财政局党组", OrganizationKind.PARTY_LEADERSHIP_GROUP, committee, unit_name="县财政局"
    )
    education = make_org("县教育局党委", OrganizationKind.PARTY_COMMITTEE, committee, unit_name="县教育局")
    finance_branch = make_org("县财政局机关党支部", OrganizationKind.BRANCH, finance)
    education_branch = make_org("县教育局机关第一党支部", OrganizationKind.BRANCH, education)
    education_group = make_org("第一党小组", OrganizationKind.GROUP, education_branch)

    class County:
        pass

    c = County()
    c.committee, c.finance, c.education = committee, finance, education
    c.finance_branch, c.education_branch, c.education_group = (
        finance_branch,
        education_branch,
        education_group,
    )
    c.finance_members = [
        MemberFactory.create(organization=finance_branch, name=n) for n in ["张三", "李四", "曾小明"]
    ]
    c.education_members = [
        MemberFactory.create(organization=education_branch, name=n) for n in ["王五", "赵六"]
    ]
    c.committee_admin = make_user("gongwei", role="committee_admin", org=committee)
    c.finance_secretary = make_user("caizheng_shuji", role="secretary", org=finance_branch)
    c.education_admin = make_user("jiaoyu_dangwu", role="org_admin", org=education)
    c.finance_member_user = make_user(
        "zhangsan", role="member", org=finance_branch, member=c.finance_members[0]
    )
    return c


def login(client, user):
    client.force_login(user)
    return client
