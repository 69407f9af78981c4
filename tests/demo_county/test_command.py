"""`partyedu demo` (the README's first command) seeds an empty database once and prints the logins; run again on
the seeded database it prints them without seeding twice."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from partyedu.members.models import Member
from partyedu.orgs.models import Organization

pytestmark = pytest.mark.django_db


def test_demo_seeds_an_empty_database_once_and_prints_the_logins(demo_county):
    text = demo_county.output
    assert "数据库为空，正在生成示范数据（small）" in text
    assert "演示账号（密码均为 partyedu2026）" in text and "工委管理员：用户名 admin" in text
    orgs, members = Organization.objects.count(), Member.objects.count()
    assert orgs > 10 and members > 100
    assert f"{orgs} 个党组织，{members} 名党员" in text
    assert authenticate(username="admin", password="partyedu2026") is not None

    again = io.StringIO()
    call_command("demo", "--no-server", "--scale", "small", stdout=again)
    assert "正在生成示范数据" not in again.getvalue() and "用户名 admin" in again.getvalue()
    assert (Organization.objects.count(), Member.objects.count()) == (orgs, members)
