"""Who a class enrols: by criteria for each target kind, and by hand within the organiser's subtree."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from partyedu.accounts.models import Role
from partyedu.meetings.models import CommitteeBody, CommitteeMember
from partyedu.members.models import Member
from partyedu.training import services
from partyedu.training.models import Enrolment, EnrolmentStatus
from tests.factories import MemberFactory, make_user

from .conftest import make_class

pytestmark = pytest.mark.django_db


def enrolled_names(cls):
    return sorted(
        Enrolment.objects.filter(training_class=cls)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .values_list("member__name", flat=True)
    )


def activist(org, name, status="activist"):
    return MemberFactory.create(
        organization=org,
        name=name,
        status=status,
        applied_on=datetime.date(2024, 3, 1),
        activist_on=datetime.date(2024, 9, 1),
        candidate_on=datetime.date(2025, 9, 1) if status == "candidate" else None,
        probationary_on=None,
        full_on=None,
    )


def test_rotation_enrols_full_and_probationary_members_of_the_target_subtree_only(county):
    activist(county.finance_branch, "孙积极")
    left = MemberFactory.create(organization=county.finance_branch, name="钱离开")
    Member.objects.filter(pk=left.pk).update(left_on=datetime.date(2026, 1, 1), left_reason="调离")
    cls = make_class(county, target=county.finance)

    assert services.enrol_by_criteria(cls) == 3
    assert enrolled_names(cls) == sorted(["张三", "李四", "曾小明"])


def test_enrolling_by_criteria_again_adds_nobody_twice_and_keeps_withdrawals(county, rotation_class):
    assert services.enrol_by_criteria(rotation_class) == 5
    gone = Enrolment.objects.get(training_class=rotation_class, member=county.education_members[0])
    services.withdraw_enrolment(gone)
    MemberFactory.create(organization=county.education_branch, name="新同志")

    assert services.enrol_by_criteria(rotation_class) == 1
    assert Enrolment.objects.filter(training_class=rotation_class).count() == 6
    gone.refresh_from_db()
    assert gone.status == EnrolmentStatus.WITHDRAWN


def test_activists_class_takes_activists_and_candidates(county):
    activist(county.finance_branch, "孙积极")
    activist(county.education_branch, "周发展", status="candidate")
    cls = make_class(county, kind="activists", title="入党积极分子培训班")

    services.enrol_by_criteria(cls)

    assert enrolled_names(cls) == sorted(["孙积极", "周发展"])


def test_secretaries_class_takes_committee_secretaries_and_secretary_accounts(county):
    lisi, zeng = county.finance_members[1], county.finance_members[2]
    wangwu, zhaoliu = county.education_members
    today = datetime.date(2025, 1, 1)
    seat = dict(organization=county.finance_branch, body=CommitteeBody.BRANCH_COMMITTEE, started_on=today)
    CommitteeMember.objects.create(member=lisi, position="书记", **seat)
    CommitteeMember.objects.create(member=zeng, position="组织委员", **seat)
    CommitteeMember.objects.create(
        member=zhaoliu,
        organization=county.education_branch,
        body=CommitteeBody.BRANCH_COMMITTEE,
        position="书记",
        started_on=today,
        ended_on=datetime.date(2025, 6, 30),
    )
    make_user("wangwu", role=Role.SECRETARY, org=county.education_branch, member=wangwu)
    cls = make_class(county, kind="secretaries", title="支部书记示范培训班")

    services.enrol_by_criteria(cls)

    assert enrolled_names(cls) == sorted(["李四", "王五"])


def test_party_workers_class_takes_members_with_worker_roles(county):
    make_user("lisi", role=Role.ORG_ADMIN, org=county.finance, member=county.finance_members[1])
    make_user("wangwu", role=Role.SECRETARY, org=county.education_branch, member=county.education_members[0])
    make_user("zhaoliu", role=Role.MEMBER, org=county.education_branch, member=county.education_members[1])
    cls = make_class(county, kind="party_workers", title="党务干部培训班")

    services.enrol_by_criteria(cls)

    assert enrolled_names(cls) == sorted(["李四", "王五"])


def test_custom_classes_are_enrolled_by_hand(county):
    cls = make_class(county, kind="custom", title="青年党员专题班")
    with pytest.raises(ValidationError):
        services.enrol_by_criteria(cls)
    services.enrol_member(cls, county.finance_members[0], by=county.committee_admin)
    assert enrolled_names(cls) == ["张三"]


def test_capacity_is_enforced(county):
    cls = make_class(county, capacity=4)
    with pytest.raises(ValidationError, match="超过人数上限"):
        services.enrol_by_criteria(cls)
    assert not Enrolment.objects.filter(training_class=cls).exists()


def test_adding_by_hand_outside_the_organisers_subtree_is_refused(county, finance_class):
    with pytest.raises(ValidationError, match="主办组织"):
        services.enrol_member(finance_class, county.education_members[0])
    with pytest.raises(PermissionDenied):
        services.enrol_member(finance_class, county.education_members[0], by=county.finance_secretary)
    assert not Enrolment.objects.filter(training_class=finance_class).exists()

    services.enrol_member(finance_class, county.finance_members[1], by=county.finance_secretary)
    services.enrol_member(finance_class, county.finance_members[1], by=county.finance_secretary)
    assert enrolled_names(finance_class) == ["李四"]


def test_a_withdrawn_member_added_by_hand_is_enrolled_again(county, finance_class):
    e = services.enrol_member(finance_class, county.finance_members[1])
    services.withdraw_enrolment(e)
    again = services.enrol_member(finance_class, county.finance_members[1])
    assert again.pk == e.pk and again.status == EnrolmentStatus.ENROLLED


def test_a_class_cannot_target_outside_its_organiser(county):
    with pytest.raises(ValidationError):
        make_class(
            county, organiser=county.finance_branch, target=county.education, by=county.finance_secretary
        )
    with pytest.raises(PermissionDenied):
        make_class(county, organiser=county.education, by=county.finance_secretary)


def test_rotation_enrolment_exists_marks_members_of_this_years_rotation(county, rotation_class):
    from partyedu.training.selectors import rotation_enrolment_exists

    services.enrol_member(rotation_class, county.finance_members[0])
    withdrawn = services.enrol_member(rotation_class, county.finance_members[1])
    services.withdraw_enrolment(withdrawn)
    year = rotation_class.year
    flagged = set(Member.objects.filter(rotation_enrolment_exists(year)).values_list("name", flat=True))
    assert flagged == {"张三"}
    assert not Member.objects.filter(rotation_enrolment_exists(year - 1)).exists()
