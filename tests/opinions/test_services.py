"""意见建议: recorded, assigned, replied, closed; reply rate and reply time per organisation, read from rows."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partyedu.notifications.models import Notification
from partyedu.opinions import selectors, services
from partyedu.opinions.models import Opinion, OpinionStatus

pytestmark = pytest.mark.django_db
D = datetime.date


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def opinion(org, received_on, *, replied_on=None, due_on=None):
    op = services.record_opinion(
        org, channel="forum", content="建议增加便民服务窗口", received_on=received_on
    )
    if due_on:
        Opinion.objects.filter(pk=op.pk).update(due_on=due_on, status=OpinionStatus.ASSIGNED)
    if replied_on:
        services.reply(op, text="已增设窗口", at=at(replied_on))
    return op


def test_an_opinion_is_assigned_replied_and_closed(county):
    zhang = county.finance_members[0]
    user = county.finance_member_user
    op = services.record_opinion(
        county.finance_branch,
        channel="visit",
        content="小区门口的路灯坏了半个月，晚上出行不便。",
        received_on=timezone.localdate(),
        giver_name="刘大爷",
        giver_contact="13812345678",
        by=county.finance_secretary,
    )
    assert op.status == OpinionStatus.RECEIVED and len(op.receipt_code) == 8
    with pytest.raises(ValidationError, match="先答复"):
        services.close(op)
    due = timezone.localdate() + datetime.timedelta(days=7)
    services.assign(op, assignee_org=county.finance_branch, assignee_member=zhang, due_on=due)
    op.refresh_from_db()
    assert op.status == OpinionStatus.ASSIGNED and op.due_on == due
    assert Notification.objects.filter(user=user, url__endswith=f"/opinions/{op.pk}/").exists()
    assert selectors.may_handle(user, op) and not selectors.may_see_contact(user, op)
    assert selectors.may_see_contact(county.finance_secretary, op)
    assert not selectors.may_see_contact(county.education_admin, op)
    services.reply(op, text="已联系供电所，路灯于次日修复。", by=user)
    first = Opinion.objects.get(pk=op.pk).replied_at
    services.reply(op, text="已联系供电所，路灯已于次日修复，感谢监督。", by=user)
    op.refresh_from_db()
    assert op.replied_at == first  # rewording the reply does not reset the reply time
    with pytest.raises(ValidationError, match="已答复"):
        services.assign(op, assignee_org=county.finance_branch, due_on=due)
    services.close(op, note="群众满意")
    op.refresh_from_db()
    assert op.status == OpinionStatus.CLOSED and op.closed_at
    with pytest.raises(ValidationError, match="已办结"):
        services.reply(op, text="再答复")


def test_a_member_of_another_branch_cannot_be_the_assignee(county):
    op = opinion(county.finance_branch, timezone.localdate())
    with pytest.raises(ValidationError, match="承办人"):
        services.assign(
            op,
            assignee_org=county.finance_branch,
            assignee_member=county.education_members[0],
            due_on=timezone.localdate(),
        )


def test_reply_rate_and_reply_time_per_organisation_come_from_the_rows(county):
    today = D(2026, 6, 30)
    # finance branch: 4 received in H1: replied after 2 and 6 days, one overdue, one not yet due
    opinion(county.finance_branch, D(2026, 3, 1), replied_on=D(2026, 3, 3), due_on=D(2026, 3, 10))
    opinion(county.finance_branch, D(2026, 4, 1), replied_on=D(2026, 4, 7), due_on=D(2026, 4, 5))
    opinion(county.finance_branch, D(2026, 5, 1), due_on=D(2026, 5, 15))
    opinion(county.finance_branch, D(2026, 6, 20), due_on=D(2026, 7, 5))
    # education: one replied the same day; one received before the period (not counted)
    opinion(county.education_branch, D(2026, 2, 1), replied_on=D(2026, 2, 1))
    opinion(county.education_branch, D(2025, 12, 1))
    ids = [county.finance_branch.pk, county.finance.pk, county.education.pk, county.committee.pk]
    stats = selectors.reply_stats(ids, D(2026, 1, 1), D(2026, 6, 30), today=today)
    finance = stats[county.finance_branch.pk]
    assert finance == {
        "received": 4,
        "replied": 2,
        "reply_rate": 50.0,
        "avg_reply_days": 4.0,
        "on_time": 1,
        "overdue": 1,
    }
    assert stats[county.finance.pk] == finance  # the unit's subtree is its branch
    assert stats[county.education.pk] == {
        "received": 1,
        "replied": 1,
        "reply_rate": 100.0,
        "avg_reply_days": 0.0,
        "on_time": 1,
        "overdue": 0,
    }
    assert stats[county.committee.pk]["received"] == 5 and stats[county.committee.pk]["reply_rate"] == 60.0
    empty = selectors.reply_stats([county.finance.pk], D(2020, 1, 1), D(2020, 12, 31))
    assert (
        empty[county.finance.pk]["reply_rate"] is None and empty[county.finance.pk]["avg_reply_days"] is None
    )


@pytest.mark.parametrize(
    "content, message",
    [("", "至少"), ("好", "至少"), ("长" * 2001, "2000"), ("  \x00\x00  ", "至少")],
)
def test_bad_content_is_refused_and_nothing_is_stored(county, content, message):
    with pytest.raises(ValidationError, match=message):
        services.record_opinion(
            county.finance_branch, channel="letter", content=content, received_on=D(2026, 1, 5)
        )
    assert not Opinion.objects.exists()


def test_a_future_receipt_date_and_an_unknown_channel_are_refused(county):
    with pytest.raises(ValidationError, match="晚于今天"):
        services.record_opinion(
            county.finance_branch,
            channel="letter",
            content="建议延长办事大厅午间服务时间",
            received_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    with pytest.raises(ValidationError, match="渠道"):
        services.record_opinion(
            county.finance_branch,
            channel="pigeon",
            content="建议延长办事大厅午间服务时间",
            received_on=D(2026, 1, 5),
        )
