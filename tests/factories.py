"""Factory-style test data: a small county that each test builds for its own story."""

from __future__ import annotations

import datetime
import itertools
import random

import factory

from partyedu.accounts import services as account_services
from partyedu.accounts.models import User
from partyedu.core.cn import citizen_id_checksum
from partyedu.members import services as member_services
from partyedu.members.models import Member
from partyedu.orgs import services as org_services
from partyedu.orgs.models import Organization, OrganizationKind

_serial = itertools.count(1)
_rng = random.Random(20261121)


def make_citizen_id(birth: datetime.date | None = None, gender: str = "male", region: str = "330782") -> str:
    birth = birth or datetime.date(1985, 6, 1)
    seq = next(_serial) % 500
    order = seq * 2 + (1 if gender == "male" else 0)
    first17 = f"{region}{birth:%Y%m%d}{order:03d}"
    return first17 + citizen_id_checksum(first17)


def make_mobile() -> str:
    return f"139{next(_serial):08d}"


def make_org(
    name: str, kind: str = OrganizationKind.BRANCH, parent: Organization | None = None, **extra
) -> Organization:
    return org_services.create_organization(name=name, kind=kind, parent=parent, **extra)


class MemberFactory(factory.Factory):
    """Goes through the roster service, so every test member passes the same validation as a real one."""

    class Meta:
        model = Member

    name = factory.Iterator(["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄勇", "周杰", "吴霞"])
    gender = "male"
    birth_date = factory.LazyFunction(
        lambda: datetime.date(1965 + _rng.randrange(20), 1 + _rng.randrange(12), 1 + _rng.randrange(28))
    )
    citizen_id = factory.LazyAttribute(lambda o: make_citizen_id(o.birth_date, o.gender))
    mobile = factory.LazyFunction(make_mobile)
    status = "full"
    probationary_on = datetime.date(2010, 7, 1)
    full_on = datetime.date(2011, 7, 1)
    organization = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return member_services.create_member(**kwargs)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        return model_class(**kwargs)


def make_user(
    username: str,
    *,
    role: str | None = None,
    org: Organization | None = None,
    member=None,
    password="pass-1234-word",
) -> User:
    user = account_services.create_user(username=username, password=password, member=member)
    if role:
        account_services.grant_role(user, org, role)
    return user
