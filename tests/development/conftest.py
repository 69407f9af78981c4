import datetime

import pytest
from django.utils import timezone

from partyedu.development import services
from partyedu.development.dates import add_months
from partyedu.development.models import StepKind as K
from tests.factories import MemberFactory

D = datetime.timedelta


def applicant(org, name="李四", applied_on=None, **extra):
    return MemberFactory.create(
        organization=org,
        name=name,
        status="applicant",
        applied_on=applied_on,
        probationary_on=None,
        full_on=None,
        joined_on=None,
        **extra,
    )


def timeline(applied_on: datetime.date) -> list[tuple[str, datetime.date]]:
    """A path that keeps every default rule, one step after another (about 34 months in all)."""
    activist = add_months(applied_on, 6)
    candidate = add_months(activist, 12)
    vote = add_months(candidate, 2)
    approval = add_months(vote, 1)
    full_vote = add_months(approval, 12)
    return [
        (K.TALK, applied_on + D(days=20)),
        (K.ACTIVIST, activist),
        (K.CONTACTS, activist + D(days=3)),
        (K.REVIEW, add_months(activist, 6)),
        (K.CANDIDATE, candidate),
        (K.INTRODUCERS, candidate + D(days=5)),
        (K.POLITICAL_REVIEW, candidate + D(days=15)),
        (K.TRAINING, candidate + D(days=25)),
        (K.COMMITTEE_REVIEW, add_months(candidate, 1)),
        (K.PRE_REVIEW, add_months(candidate, 1) + D(days=7)),
        (K.VOLUNTEER_FORM, add_months(candidate, 1) + D(days=14)),
        (K.BRANCH_VOTE, vote),
        (K.SUPERIOR_TALK, vote + D(days=10)),
        (K.APPROVAL, approval),
        (K.OATH, approval + D(days=5)),
        (K.FULL_APPLICATION, add_months(approval, 11) + D(days=20)),
        (K.FULL_VOTE, full_vote),
        (K.FULL_APPROVAL, add_months(full_vote, 1)),
    ]


def details(kind, people):
    if kind in (K.CONTACTS, K.INTRODUCERS):
        return {"first_person": people[0], "second_person": people[1]}
    if kind in (K.BRANCH_VOTE, K.FULL_VOTE):
        return {"voters_expected": 10, "voters_present": 9, "votes_for": 9}
    if kind == K.TRAINING:
        return {"training_days": 3}
    if kind == K.FULL_APPROVAL:
        return {"outcome": "on_time"}
    return {}


def walk(path, people, *, until, applied_on=None):
    """Record the timeline's steps up to and including `until`."""
    applied_on = applied_on or path.steps.get(kind=K.APPLICATION).on
    for kind, on in timeline(applied_on):
        services.record_step(path, kind, on, **details(kind, people))
        if kind == until:
            return


@pytest.fixture
def rules(db):
    services.install_default_rules()


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def people(county):
    """Two full members of the finance branch who may be contacts and introducers."""
    return county.finance_members[1], county.finance_members[2]


@pytest.fixture
def pipeline(county, rules, people, today):
    """Finance branch: six people at different stages; education branch: one applicant of its own."""
    made = []
    for n, (name, months, until) in enumerate(
        [
            ("甲一", 1, None),
            ("乙二", 8, K.TALK),
            ("丙三", 15, K.REVIEW),
            ("丁四", 20, K.CANDIDATE),
            ("戊五", 25, K.SUPERIOR_TALK),
            ("己六", 30, K.OATH),
        ]
    ):
        member = applicant(
            county.finance_branch, name=name, applied_on=add_months(today, -months) - D(days=n)
        )
        path = services.open_path(member)
        if until:
            walk(path, people, until=until)
        made.append(member)
    other = applicant(county.education_branch, name="孙八", applied_on=today - D(days=50))
    services.open_path(other)
    return made
