"""学时 as an append-only ledger: each source credits once under its key, corrections are further rows, the
yearly sums follow, and the meetings and study modules credit (and withdraw) by themselves."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from partyedu.hours import selectors
from partyedu.hours import services as ledger
from partyedu.hours.models import COMMITTEE_HOURS, STATUTORY_HOURS, HoursEntry, HoursSource, MemberYearHours
from partyedu.meetings import services as meetings
from partyedu.meetings.models import CommitteeBody, CommitteeMember

pytestmark = pytest.mark.django_db
D = Decimal
DAY = datetime.date(2026, 3, 10)


def year_row(member, year=2026) -> MemberYearHours:
    return MemberYearHours.objects.get(member=member, year=year)


def give(member, key="class:1:session:1", hours="3", on=DAY, source=HoursSource.CLASS, **kw):
    return ledger.credit(member, source=source, key=key, hours=hours, on=on, title="集中轮训第一讲", **kw)


# --- the ledger ---------------------------------------------------------------------------------------------
def test_crediting_the_same_thing_twice_writes_one_row(county):
    zhang = county.finance_members[0]
    assert give(zhang) is not None
    assert give(zhang) is None
    assert HoursEntry.objects.filter(member=zhang).count() == 1
    row = year_row(zhang)
    assert (row.total, row.class_hours, row.last_learning_on) == (D("3"), D("3"), DAY)


def test_a_changed_figure_is_a_correction_row_and_the_first_row_is_never_edited(county):
    zhang = county.finance_members[0]
    first = give(zhang, hours="3")
    correction = give(zhang, hours="2", on=DAY + datetime.timedelta(days=5))
    first.refresh_from_db()
    assert first.hours == D("3")
    assert (correction.hours, correction.note) == (D("-1"), "更正")
    # a correction belongs to the day (and year) of what it corrects
    assert correction.occurred_on == DAY
    assert year_row(zhang).total == D("2")
    assert sum(e.hours for e in selectors.entries_of(zhang.pk, 2026)) == D("2")


def test_a_correction_of_last_years_hours_counts_in_last_year(county):
    zhang = county.finance_members[0]
    give(zhang, hours="4", on=datetime.date(2025, 12, 30))
    give(zhang, hours="1", on=datetime.date(2026, 1, 5))
    assert year_row(zhang, 2025).total == D("1")
    assert not MemberYearHours.objects.filter(member=zhang, year=2026, total__gt=0).exists()


def test_withdrawing_brings_the_net_to_zero_and_keeps_every_row(county):
    zhang = county.finance_members[0]
    give(zhang, hours="3")
    entry = ledger.withdraw(zhang, source=HoursSource.CLASS, key="class:1:session:1", on=DAY, title="撤销")
    assert (entry.hours, entry.note) == (D("-3"), "撤销")
    assert HoursEntry.objects.filter(member=zhang).count() == 2
    row = year_row(zhang)
    assert (row.total, row.class_hours) == (D("0"), D("0"))
    assert (
        ledger.withdraw(zhang, source=HoursSource.CLASS, key="class:1:session:1", on=DAY, title="x") is None
    )


def test_negative_hours_are_refused(county):
    with pytest.raises(ValueError):
        give(county.finance_members[0], hours="-1")


def test_yearly_sums_are_kept_by_source(county):
    zhang = county.finance_members[0]
    give(zhang, key="class:1", hours="3")
    give(zhang, key="meeting:1", hours="1.5", source=HoursSource.MEETING)
    give(zhang, key="study:1", hours="0.25", source=HoursSource.STUDY)
    give(zhang, key="home_delivery:1", hours="2", source=HoursSource.HOME_DELIVERY)
    row = year_row(zhang)
    assert (row.class_hours, row.meeting_hours, row.study_hours, row.home_delivery_hours) == (
        D("3"),
        D("1.5"),
        D("0.25"),
        D("2"),
    )
    assert row.total == D("6.75")


def test_last_learning_day_only_moves_forward(county):
    zhang = county.finance_members[0]
    give(zhang, key="a", on=DAY)
    give(zhang, key="b", on=DAY - datetime.timedelta(days=30))
    assert year_row(zhang).last_learning_on == DAY


def test_bulk_credit_and_rebuild_give_the_same_sums_as_credit(county):
    zhang, li = county.finance_members[:2]
    rows = [
        ("class:1", HoursSource.CLASS, "3", DAY),
        ("meeting:9", HoursSource.MEETING, "1.5", DAY + datetime.timedelta(days=3)),
        ("study:4", HoursSource.STUDY, "0.33", DAY - datetime.timedelta(days=3)),
        ("meeting:8", HoursSource.MEETING, "2", datetime.date(2025, 11, 1)),
    ]
    for key, source, h, on in rows:
        ledger.credit(zhang, source=source, key=key, hours=h, on=on, title=key)
    n = ledger.bulk_credit(
        [
            {"member_id": li.pk, "source": source, "key": key, "hours": h, "on": on, "title": key}
            for key, source, h, on in rows
        ]
    )
    assert n == 4
    fields = ["year", "total", "class_hours", "meeting_hours", "study_hours", "last_learning_on"]
    one = list(MemberYearHours.objects.filter(member=zhang).order_by("year").values_list(*fields))
    other = list(MemberYearHours.objects.filter(member=li).order_by("year").values_list(*fields))
    assert one == other
    # rebuilding from the ledger changes nothing; a row that drifted is put right
    MemberYearHours.objects.filter(member=zhang, year=2026).update(total=D("99"))
    ledger.rebuild_year_hours({(zhang.pk, 2026), (li.pk, 2026)})
    again = list(MemberYearHours.objects.filter(member=zhang).order_by("year").values_list(*fields))
    assert again == other
    # and credit() goes on from bulk-written keys idempotently
    assert ledger.credit(li, source=HoursSource.CLASS, key="class:1", hours="3", on=DAY, title="x") is None


# --- meetings credit their attendees -------------------------------------------------------------------------
def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


@pytest.fixture
def lecture_day():
    # today: the county's members joined their branch today, and a meeting expects who belonged on its day
    return timezone.localdate()


def lecture(county, day, minutes=45, kind="party_lecture", held=True):
    return meetings.create_meeting(
        organization=county.finance_branch,
        kind=kind,
        theme="学习党的二十大精神",
        starts_at=_at(day, 9),
        ends_at=_at(day, 9) + datetime.timedelta(minutes=minutes),
        held=held,
        by=county.finance_secretary,
    )


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(45, "1"), (60, "1.5"), (50, "1"), (90, "2"), (100, "2"), (112, "2.5"), (10, "0.5"), (600, "8")],
)
def test_meeting_hours_are_its_length_in_half_hours_units(county, lecture_day, minutes, expected):
    # 45 minutes to the 学时, rounded to the nearest half 学时, at least half and at most a working day
    meeting = lecture(county, lecture_day, minutes=minutes)
    assert ledger.hours_of_meeting(meeting) == D(expected)


def test_signing_in_to_a_lecture_credits_its_length(county, lecture_day):
    zhang = county.finance_members[0]
    meeting = lecture(county, lecture_day, minutes=90)
    meetings.mark_attendance(meeting, zhang, "present", by=county.finance_secretary)
    row = year_row(zhang, lecture_day.year)
    assert (row.meeting_hours, row.last_learning_on) == (D("2"), lecture_day)
    entry = HoursEntry.objects.get(member=zhang)
    assert (entry.source_key, entry.title) == (f"meeting:{meeting.pk}", "党课：学习党的二十大精神")
    # signing in twice changes nothing
    meetings.mark_attendance(meeting, zhang, "present", by=county.finance_secretary)
    assert HoursEntry.objects.filter(member=zhang).count() == 1


def test_changing_attendance_to_absent_withdraws_the_hours(county, lecture_day):
    zhang = county.finance_members[0]
    meeting = lecture(county, lecture_day)
    meetings.mark_attendance(meeting, zhang, "present")
    meetings.mark_attendance(meeting, zhang, "absent")
    assert year_row(zhang, lecture_day.year).total == D("0")
    assert list(HoursEntry.objects.filter(member=zhang).order_by("pk").values_list("hours", flat=True)) == [
        D("1"),
        D("-1"),
    ]


def test_retiming_a_lecture_corrects_its_hours(county, lecture_day):
    zhang = county.finance_members[0]
    meeting = lecture(county, lecture_day)
    meetings.mark_attendance(meeting, zhang, "present")
    meetings.update_meeting(meeting, ends_at=meeting.starts_at + datetime.timedelta(minutes=135))
    assert year_row(zhang, lecture_day.year).total == D("3")


def test_cancelling_a_lecture_withdraws_the_hours_of_early_sign_ins(county):
    zhang = county.finance_members[0]
    now = timezone.now()
    meeting = meetings.create_meeting(
        organization=county.finance_branch,
        kind="party_lecture",
        theme="专题党课",
        starts_at=now - datetime.timedelta(minutes=5),
        ends_at=now + datetime.timedelta(minutes=40),
    )
    meetings.sign_in(meeting, zhang, method="qr")
    assert year_row(zhang, timezone.localdate().year).total == D("1")
    meetings.cancel_meeting(meeting, reason="改期")
    assert year_row(zhang, timezone.localdate().year).total == D("0")


def test_a_branch_committee_meeting_credits_nothing(county, lecture_day):
    zhang = county.finance_members[0]
    CommitteeMember.objects.create(
        organization=county.finance_branch,
        body=CommitteeBody.BRANCH_COMMITTEE,
        member=zhang,
        started_on=lecture_day - datetime.timedelta(days=100),
    )
    meeting = lecture(county, lecture_day, minutes=120, kind="branch_committee")
    meetings.mark_attendance(meeting, zhang, "present")
    assert not HoursEntry.objects.filter(member=zhang).exists()


# --- study --------------------------------------------------------------------------------------------------
def test_completing_a_material_credits_its_verified_time(county):
    from partyedu.learning.materials_services import create_material
    from partyedu.learning.study_services import record_heartbeat

    zhang = county.finance_members[0]
    article = create_material(
        publisher=county.finance, title="学习党章", category="theory", body="<p>党章</p>", reading_minutes=10
    )
    t0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    for i in range(40):  # 15 s each: complete at 480 s (80 % of 10 minutes)
        beat = record_heartbeat(zhang, article, token="tab", now=t0 + datetime.timedelta(seconds=15 * i))
        if beat.just_completed:
            break
    assert beat.just_completed
    entry = HoursEntry.objects.get(member=zhang, source=HoursSource.STUDY)
    assert entry.hours == ledger.hours_from_seconds(beat.record.seconds) == D("0.18")  # 480 s / 2700 s
    assert entry.title == "自学：学习党章"
    row = year_row(zhang)
    assert (row.study_hours, row.last_learning_on) == (D("0.18"), datetime.date(2026, 3, 2))


# --- the statutory minimum ------------------------------------------------------------------------------------
def test_committee_members_need_56_hours_and_others_32_in_a_year_they_sat(county):
    zhang, li = county.finance_members[:2]
    CommitteeMember.objects.create(
        organization=county.finance_branch,
        body=CommitteeBody.BRANCH_COMMITTEE,
        member=zhang,
        started_on=datetime.date(2024, 3, 1),
        ended_on=datetime.date(2025, 1, 1),
    )
    # a seat on the center group is not a seat on a branch committee
    CommitteeMember.objects.create(
        organization=county.finance,
        body=CommitteeBody.CENTER_GROUP,
        member=li,
        started_on=datetime.date(2020, 1, 1),
    )
    assert selectors.required_hours(zhang.pk, 2024) == COMMITTEE_HOURS == D("56")
    assert selectors.required_hours(zhang.pk, 2025) == COMMITTEE_HOURS  # sat on 1 January
    assert selectors.required_hours(zhang.pk, 2026) == STATUTORY_HOURS == D("32")
    assert selectors.required_hours(zhang.pk, 2023) == STATUTORY_HOURS
    assert selectors.required_hours(li.pk, 2026) == STATUTORY_HOURS


def test_expected_hours_so_far_are_pro_rata(county):
    assert selectors.expected_by(2026, D("32"), datetime.date(2026, 12, 31)) == D("32")
    assert selectors.expected_by(2026, D("36.5"), datetime.date(2026, 1, 10)) == D("1")
    assert selectors.expected_by(2025, D("32"), datetime.date(2026, 1, 1)) == D("32")
    assert selectors.expected_by(2027, D("32"), datetime.date(2026, 1, 1)) == D("0")
