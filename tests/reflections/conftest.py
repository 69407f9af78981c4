import pytest

from partyedu.reflections import services
from tests.factories import make_user


@pytest.fixture
def rc(county):
    """The county with the minimum length lowered for short test texts, and an education member with an account."""
    services.save_setting(
        county.committee,
        by=county.committee_admin,
        min_reflection_chars=100,
        min_note_chars=20,
        block_percent=40,
    )
    county.education_member_user = make_user(
        "wangwu", role="member", org=county.education_branch, member=county.education_members[0]
    )
    county.finance_member2_user = make_user(
        "lisi", role="member", org=county.finance_branch, member=county.finance_members[1]
    )
    return county


def write(user, title, body, *, kind="reflection", submit=True, **prompt):
    r = services.save_draft(user.member, by=user, title=title, body=body, kind=kind, **prompt)
    if submit:
        r = services.submit(r, by=user)
    return r
