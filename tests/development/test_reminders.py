"""Each morning the branch secretary is told which development steps are overdue or due within a week."""

import datetime

import pytest

from partyedu.development import services
from partyedu.development.tasks import send_development_reminders
from partyedu.notifications.models import Notification

from .conftest import applicant

pytestmark = pytest.mark.django_db
D = datetime.timedelta


def test_the_secretary_is_reminded_of_an_overdue_talk_once_a_day(county, rules, today):
    member = applicant(county.finance_branch, name="周九", applied_on=today - D(days=40))
    services.open_path(member)
    other = applicant(county.education_branch, name="吴十", applied_on=today - D(days=40))
    services.open_path(other)
    assert send_development_reminders.enqueue(on=today.isoformat()).return_value == 1
    note = Notification.objects.get(user=county.finance_secretary)
    assert note.title == "发展党员工作有1项已逾期"
    assert "周九：党组织派人谈话（已逾期" in note.body and "吴十" not in note.body
    assert send_development_reminders.enqueue(on=today.isoformat()).return_value == 0


def test_nothing_due_means_no_reminder(county, rules, today):
    member = applicant(county.finance_branch, name="郑一", applied_on=today - D(days=2))
    services.open_path(member)
    assert send_development_reminders.enqueue(on=today.isoformat()).return_value == 0
