"""A member's organisational life earns points through the meetings services, once per meeting, and the
ledger follows every change of the record by compensating entries."""

import datetime

from django.utils import timezone

from partyedu.meetings import services as meetings
from partyedu.points.models import EntryKind, PointsEntry, PointsTotal


def lecture(county, kind="party_lecture"):
    now = timezone.now()
    return meetings.create_meeting(
        organization=county.finance_branch,
        kind=kind,
        theme="学习党的二十届四中全会精神",
        starts_at=now - datetime.timedelta(minutes=10),
        ends_at=now + datetime.timedelta(minutes=80),
        place="三楼会议室",
        by=county.finance_secretary,
    )


def total(member):
    row = PointsTotal.objects.filter(member=member, period=str(timezone.localdate().year)).first()
    return row.total if row else 0


def test_attending_earns_points_once_with_its_reason(county):
    meeting = lecture(county)
    zhang = county.finance_members[0]
    meetings.sign_in(meeting, zhang)
    meetings.sign_in(meeting, zhang)  # a second scan
    entry = PointsEntry.objects.get(member=zhang)
    assert entry.points == 2 and "参加党课" in entry.reason and entry.rule.name == "参加三会一课等组织生活"
    assert total(zhang) == 2


def test_absence_without_leave_costs_points_only_once_held_and_a_correction_restores(county):
    meeting = lecture(county, kind="branch_assembly")
    li = county.finance_members[1]
    meetings.mark_attendance(meeting, li, "absent", by=county.finance_secretary)
    assert total(li) == 0  # not held yet
    meetings.mark_held(meeting, by=county.finance_secretary)
    assert total(li) == -2
    meetings.mark_attendance(meeting, li, "leave", reason="出差", by=county.finance_secretary)
    assert total(li) == 0
    meetings.mark_attendance(meeting, li, "present", by=county.finance_secretary)
    assert total(li) == 2
    meetings.mark_attendance(meeting, li, "absent", by=county.finance_secretary)
    meetings.mark_attendance(meeting, li, "present", by=county.finance_secretary)
    assert total(li) == 2
    kinds = list(PointsEntry.objects.filter(member=li).order_by("pk").values_list("kind", flat=True))
    assert kinds.count(EntryKind.CREDIT) == 2  # one attended, one absent: every other row is a correction
    from partyedu.points.services import check_totals

    assert check_totals() == []
