"""A year of organisational life for the demo county, with the gaps real counties have.

Most branches hold what the rules ask, some skip months, a few barely meet; most members come, some take leave,
a handful drift away (three absences in a row, six months without life) so that the compliance board has
something true to show. Written in bulk for speed, with every counter and statistic computed exactly as the
meetings services keep them (tests compare the two).
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from partyedu.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceRole,
    AttendanceStatus,
    CommitteeBody,
    CommitteeMember,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MemberLifeStats,
    SignInMethod,
)
from partyedu.members.models import Member
from partyedu.orgs.models import Organization, OrganizationKind

MK = MeetingKind
BRANCH_LIFE = {
    MK.BRANCH_ASSEMBLY,
    MK.BRANCH_COMMITTEE,
    MK.PARTY_LECTURE,
    MK.THEME_DAY,
    MK.LIFE_MEETING,
    MK.SITE_VISIT,
    MK.MICRO_LECTURE,
    MK.GROUP_MEETING,
}

THEME_DAY_THEMES = [
    "新春走访慰问困难群众",
    "学雷锋志愿服务",
    "重温入党誓词",
    "学习新修订的党章党规",
    "“我为群众办实事”进社区",
    "庆祝建党节·讲党史故事",
    "廉政警示教育",
    "走进红色教育基地",
    "国庆献礼·传承红色基因",
    "学习贯彻全会精神",
    "法治宣传进机关",
    "年终总结·对照检查",
]
LECTURE_THEMES = [
    "学习贯彻党的创新理论",
    "从党史中汲取奋进力量",
    "弘扬伟大建党精神",
    "以党建引领业务工作高质量发展",
]
CENTER_GROUP_FIRST_AGENDA = [
    "传达学习习近平总书记重要讲话精神",
    "学习习近平新时代中国特色社会主义思想专题",
    "学习党的二十届全会精神",
    "学习《中国共产党纪律处分条例》",
]
SITES = ["县革命烈士纪念馆", "红军长征纪念园", "县党史陈列馆", "廉政教育基地", "老区革命旧址群"]
LEAVE_REASONS = ["出差", "病假", "外出培训", "值班", "事假", "下乡督导", "参加县里会议"]
POSITIONS = ["书记", "副书记", "组织委员", "宣传委员", "纪检委员"]


@dataclass
class LifeResult:
    meetings: int
    attendances: int
    committee_seats: int


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


def _workday(rng: random.Random, year: int, month: int, first: int = 1, last: int = 28) -> datetime.date:
    for _ in range(20):
        day = datetime.date(year, month, rng.randint(first, last))
        if day.weekday() < 5:
            return day
    return datetime.date(year, month, first)


def _months(start: datetime.date, end: datetime.date):
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


class _LifePlanner:
    def __init__(self, seed: int, today: datetime.date):
        self.rng = random.Random(seed * 7919 + 17)
        self.today = today
        self.start = (
            datetime.date(today.year - 1, today.month, 1)
            if today.month < 12
            else datetime.date(today.year, 1, 1)
        )
        self.meetings: list[Meeting] = []
        self.agenda: list[list[tuple[str, bool, str]]] = []
        self.rows: list[list[tuple[int, str, str, str, datetime.datetime | None, str, bool]]] = []

    def plan(self):
        rng = self.rng
        orgs = list(Organization.objects.filter(dissolved_on__isnull=True).order_by("path"))
        members = list(
            Member.objects.filter(left_on__isnull=True, periods__ended_on__isnull=True).values_list(
                "pk",
                "organization_id",
                "group_id",
                "is_leader",
                "is_retired",
                "is_mobile",
                "needs_home_delivery",
                "periods__started_on",
                "name",
            )
        )
        by_org: dict[int, list] = defaultdict(list)
        by_group: dict[int, list] = defaultdict(list)
        self.propensity = {}
        for pk, org_id, group_id, leader, retired, mobile, home, started_on, name in members:
            by_org[org_id].append((pk, started_on, leader, name))
            if group_id:
                by_group[group_id].append((pk, started_on, leader, name))
            p = 0.93
            if retired:
                p = 0.6
            if mobile:
                p = 0.35
            if home:
                p = 0.2
            if rng.random() < 0.012:
                p = 0.04  # drifting away: the board should find them
            self.propensity[pk] = p
        self.leaders = {pk for pk, _o, _g, leader, *_ in members if leader}
        seats: list[CommitteeMember] = []
        self.seats_of: dict[int, list] = {}
        for org in orgs:
            if org.kind == OrganizationKind.BRANCH and by_org[org.pk]:
                people = by_org[org.pk]
                size = 5 if len(people) >= 15 else 3 if len(people) >= 7 else 1
                chosen = sorted(people, key=lambda p: (not p[2], p[0]))[:size]
                self.seats_of[org.pk] = chosen
                for position, person in zip(POSITIONS, chosen, strict=False):
                    seats.append(
                        CommitteeMember(
                            organization=org,
                            body=CommitteeBody.BRANCH_COMMITTEE,
                            member_id=person[0],
                            position=position,
                            started_on=min(person[1], self.start),
                        )
                    )
        units = [
            o
            for o in orgs
            if o.kind in {OrganizationKind.PARTY_COMMITTEE, OrganizationKind.PARTY_LEADERSHIP_GROUP}
        ]
        unit_people: dict[int, list] = defaultdict(list)
        paths = {o.pk: o.path for o in orgs}
        unit_by_prefix = {u.path: u for u in units}
        for org in orgs:
            for length in range(len(org.path) - 8, 0, -8):
                unit = unit_by_prefix.get(org.path[:length])
                if unit:
                    unit_people[unit.pk].extend(by_org[org.pk])
                    break
            if org.pk in {u.pk for u in units}:
                unit_people[org.pk].extend(by_org[org.pk])
        for unit in units:
            people = sorted(unit_people[unit.pk], key=lambda p: (not p[2], p[0]))[: rng.randint(5, 9)]
            self.seats_of[-unit.pk] = people
            for n, person in enumerate(people):
                seats.append(
                    CommitteeMember(
                        organization=unit,
                        body=CommitteeBody.CENTER_GROUP,
                        member_id=person[0],
                        position="组长" if n == 0 else "成员",
                        started_on=min(person[1], self.start),
                    )
                )
        committee = next((o for o in orgs if o.kind == OrganizationKind.WORKING_COMMITTEE), None)
        observers = []
        if committee:
            own_branch = next(
                (o for o in orgs if o.parent_id == committee.pk and o.kind == OrganizationKind.BRANCH), None
            )
            observers = [p[0] for p in by_org.get(own_branch.pk, [])[:4]] if own_branch else []
        del paths

        for org in orgs:
            quality = rng.random()
            skip = 0.03 if quality < 0.78 else 0.25 if quality < 0.95 else 0.6
            if org.kind == OrganizationKind.BRANCH and by_org[org.pk]:
                self._branch_year(org, by_org[org.pk], skip)
            elif org.kind == OrganizationKind.GROUP and by_group[org.pk]:
                self._group_year(org, by_group[org.pk], skip)
            elif org in units and self.seats_of.get(-org.pk):
                self._center_group_year(org, self.seats_of[-org.pk], skip, observers)
        return seats

    def _add(
        self, org, kind, theme, day, hour, place, people, agenda, host=None, planned=False, observers=()
    ):
        rng = self.rng
        starts = _at(day, hour, rng.choice([0, 0, 30]))
        ends = starts + datetime.timedelta(
            minutes=rng.choice([60, 90, 120]) if kind != MK.SITE_VISIT else 180
        )
        expected = [p for p in people if p[1] <= day]
        if not expected:
            return
        host_pk = host if host else expected[0][0]
        recorder_pk = expected[min(1, len(expected) - 1)][0]
        meeting = Meeting(
            organization=org,
            kind=kind,
            theme=theme,
            starts_at=starts,
            ends_at=ends,
            held_on=day,
            place=place,
            host_id=host_pk,
            recorder_id=recorder_pk,
            status=MeetingStatus.PLANNED if planned else MeetingStatus.HELD,
            notice=f"定于{day.month}月{day.day}日{starts.astimezone(timezone.get_default_timezone()).strftime('%H:%M')}在{place}召开{MK(kind).label}，请准时参加。",
        )
        rows = []
        present = leave = absent = 0
        for pk, _started, _leader, _name in expected:
            if planned:
                rows.append((pk, AttendanceRole.ATTENDEE, AttendanceStatus.ABSENT, "", None, "", False))
                continue
            if rng.random() < self.propensity[pk]:
                at = starts - datetime.timedelta(minutes=rng.randint(0, 15))
                method = SignInMethod.QR if rng.random() < 0.85 else SignInMethod.MANUAL
                dual = pk in self.leaders and kind in BRANCH_LIFE
                rows.append((pk, AttendanceRole.ATTENDEE, AttendanceStatus.PRESENT, "", at, method, dual))
                present += 1
            elif rng.random() < 0.45:
                rows.append(
                    (
                        pk,
                        AttendanceRole.ATTENDEE,
                        AttendanceStatus.LEAVE,
                        rng.choice(LEAVE_REASONS),
                        None,
                        "",
                        False,
                    )
                )
                leave += 1
            else:
                rows.append((pk, AttendanceRole.ATTENDEE, AttendanceStatus.ABSENT, "", None, "", False))
                absent += 1
        for pk in observers:
            rows.append(
                (
                    pk,
                    AttendanceRole.OBSERVER,
                    AttendanceStatus.PRESENT,
                    "",
                    starts - datetime.timedelta(minutes=5),
                    SignInMethod.QR,
                    False,
                )
            )
        meeting.expected_count = len(expected)
        meeting.present_count, meeting.leave_count = present, leave
        meeting.absent_count = len(expected) if planned else absent
        meeting.observer_count = len(observers)
        if not planned:
            names = "、".join(p[3] for p in expected[:3])
            items = "".join(f"<li>{title}</li>" for title, _first, _speaker in agenda)
            meeting.minutes = (
                f"<p>会议由{expected[0][3]}主持，应到{len(expected)}人，实到{present}人，请假{leave}人。</p>"
                f"<p>会议议程：</p><ol>{items}</ol>"
                f"<p>{names}等同志结合工作实际作了交流发言。会议要求，全体党员要把学习成果转化为推动工作的实际成效。</p>"
            )
        self.meetings.append(meeting)
        self.agenda.append(agenda)
        self.rows.append(rows)

    def _held(self, skip: float) -> bool:
        return self.rng.random() >= skip

    def _branch_year(self, org, people, skip):
        rng, today = self.rng, self.today
        seats = self.seats_of.get(org.pk, [])
        place = f"{org.unit_name or org.name}会议室"
        for year, month in _months(self.start, today):
            last = 28 if (year, month) != (today.year, today.month) else max(1, today.day - 1)
            if (year, month) == (today.year, today.month) and today.day < 6:
                continue
            if len(seats) >= 3 and self._held(skip):
                day = _workday(rng, year, month, 1, min(10, last))
                self._add(
                    org,
                    MK.BRANCH_COMMITTEE,
                    f"{month}月支委会：研究部署本月党建工作",
                    day,
                    9,
                    place,
                    seats,
                    [("研究本月党建工作安排", False, seats[0][3])],
                )
            if self._held(skip):
                day = _workday(rng, year, month, 1, last)
                self._add(
                    org,
                    MK.THEME_DAY,
                    THEME_DAY_THEMES[month - 1],
                    day,
                    15,
                    place if month not in (4, 9) else rng.choice(SITES),
                    people,
                    [(THEME_DAY_THEMES[month - 1], False, "")],
                )
            if month in (3, 6, 9, 12) and self._held(skip):
                day = _workday(rng, year, month, 1, last)
                self._add(
                    org,
                    MK.BRANCH_ASSEMBLY,
                    f"{year}年第{(month - 1) // 3 + 1}季度党员大会",
                    day,
                    16,
                    place,
                    people,
                    [("通报本季度党建工作", False, ""), ("讨论党费收缴和发展党员工作", False, "")],
                )
            if month in (2, 5, 8, 11) and self._held(skip):
                day = _workday(rng, year, month, 1, last)
                title = rng.choice(LECTURE_THEMES)
                self._add(
                    org,
                    MK.PARTY_LECTURE,
                    f"书记讲党课：{title}",
                    day,
                    15,
                    place,
                    people,
                    [(title, False, people[0][3])],
                )
            if month == 1 and self._held(skip):
                day = _workday(rng, year, month, 10, min(28, last))
                self._add(
                    org,
                    MK.LIFE_MEETING,
                    f"{year - 1}年度组织生活会",
                    day,
                    14,
                    place,
                    people,
                    [("通报上年度民主评议党员情况", False, ""), ("开展批评和自我批评", False, "")],
                )
            if month in (4, 10) and self._held(skip * 1.5):
                day = _workday(rng, year, month, 1, last)
                site = rng.choice(SITES)
                self._add(
                    org,
                    MK.SITE_VISIT,
                    f"赴{site}开展现场教学",
                    day,
                    9,
                    site,
                    people,
                    [(f"参观{site}", False, "")],
                )
            if rng.random() < 0.08:
                day = _workday(rng, year, month, 1, last)
                speaker = rng.choice(people)
                self._add(
                    org,
                    MK.MICRO_LECTURE,
                    "党课大家讲·微党课",
                    day,
                    16,
                    place,
                    people,
                    [("微党课", False, speaker[3])],
                )
        # the next two weeks: a planned meeting with its notice
        if rng.random() < 0.5:
            day = today + datetime.timedelta(days=rng.randint(1, 14))
            if day.weekday() < 5:
                self._add(
                    org,
                    MK.THEME_DAY,
                    "学习贯彻全会精神专题党日",
                    day,
                    15,
                    place,
                    people,
                    [("学习全会公报", True, "")],
                    planned=True,
                )

    def _group_year(self, org, people, skip):
        rng, today = self.rng, self.today
        for year, month in _months(self.start, today):
            if (year, month) == (today.year, today.month) and today.day < 12:
                continue
            if self._held(skip):
                last = 28 if (year, month) != (today.year, today.month) else max(1, today.day - 1)
                day = (
                    _workday(rng, year, month, 5, last) if last >= 5 else _workday(rng, year, month, 1, last)
                )
                self._add(
                    org,
                    MK.GROUP_MEETING,
                    f"{month}月党小组学习",
                    day,
                    16,
                    "办公室",
                    people,
                    [("集中学习", False, "")],
                )

    def _center_group_year(self, org, seats, skip, observers):
        rng, today = self.rng, self.today
        observed_month = rng.choice(range(3, 12)) if rng.random() < 0.75 else None
        for year, month in _months(self.start, today):
            if (year, month) == (today.year, today.month) and today.day < 12:
                continue
            if self._held(skip / 2):
                last = 28 if (year, month) != (today.year, today.month) else max(1, today.day - 1)
                day = _workday(rng, year, month, 1, last)
                first = rng.choice(CENTER_GROUP_FIRST_AGENDA)
                self._add(
                    org,
                    MK.CENTER_GROUP_STUDY,
                    f"{year}年第{month}次理论学习中心组学习",
                    day,
                    9,
                    f"{org.unit_name}会议室",
                    seats,
                    [(first, True, seats[0][3]), ("结合分管工作交流研讨", False, "")],
                    observers=observers[:1] if month == observed_month and observers else (),
                )


def seed_organisational_life(seed: int, today: datetime.date | None = None) -> LifeResult:
    today = today or timezone.localdate()
    planner = _LifePlanner(seed, today)
    with transaction.atomic():
        seats = planner.plan()
        CommitteeMember.objects.bulk_create(seats, batch_size=2000)
        Meeting.objects.bulk_create(planner.meetings, batch_size=500)
        AgendaItem.objects.bulk_create(
            (
                AgendaItem(meeting=m, order=n, title=title, is_first_agenda=first, speaker=speaker)
                for m, items in zip(planner.meetings, planner.agenda, strict=True)
                for n, (title, first, speaker) in enumerate(items, start=1)
            ),
            batch_size=2000,
        )
        attendances = _insert_attendance(planner)
        _write_life_stats(planner)
    return LifeResult(meetings=len(planner.meetings), attendances=attendances, committee_seats=len(seats))


def _insert_attendance(planner: _LifePlanner) -> int:
    """A year of a county is some 300,000 attendance rows: one executemany instead of model instances and
    thousands of small INSERTs (SQLite's variable limit) takes the seeder from minutes to seconds."""
    table = Attendance._meta.db_table
    columns = [
        "meeting_id",
        "member_id",
        "role",
        "status",
        "leave_reason",
        "checked_in_at",
        "method",
        "dual_life",
        "updated_at",
    ]
    # The same text the ORM would store for a datetime on this database (naive UTC on SQLite).
    adapt = connection.ops.adapt_datetimefield_value
    now = adapt(timezone.now())
    params = [
        (m.pk, pk, role, status, reason, adapt(at) if at else None, method, dual, now)
        for m, rows in zip(planner.meetings, planner.rows, strict=True)
        for pk, role, status, reason, at, method, dual in rows
    ]
    quote = connection.ops.quote_name
    sql = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        for start in range(0, len(params), 20000):
            cursor.executemany(sql, params[start : start + 20000])
    return len(params)


def _write_life_stats(planner: _LifePlanner) -> None:
    """The same figures as meetings.services.refresh_life_stats, from the plan in memory."""
    # ordered as refresh_life_stats orders them: day, start, then meeting id for meetings at the same moment
    history: dict[int, list[tuple[datetime.date, datetime.datetime, int, str]]] = defaultdict(list)
    for meeting, rows in zip(planner.meetings, planner.rows, strict=True):
        if meeting.status != MeetingStatus.HELD:
            continue
        for pk, role, status, *_ in rows:
            if role == AttendanceRole.ATTENDEE:
                history[pk].append((meeting.held_on, meeting.starts_at, meeting.pk, status))
    present: dict[int, datetime.date] = {}
    for meeting, rows in zip(planner.meetings, planner.rows, strict=True):
        if meeting.status == MeetingStatus.HELD:
            for pk, _role, status, *_ in rows:
                if status == AttendanceStatus.PRESENT and (
                    pk not in present or present[pk] < meeting.held_on
                ):
                    present[pk] = meeting.held_on
    now = timezone.now()
    stats = []
    for pk, items in history.items():
        items.sort(reverse=True)
        streak = 0
        for _day, _start, _pk, status in items:
            if status == AttendanceStatus.ABSENT:
                streak += 1
            elif status == AttendanceStatus.PRESENT:
                break
        stats.append(
            MemberLifeStats(
                member_id=pk,
                last_present_on=present.get(pk),
                last_expected_on=items[0][0],
                consecutive_absences=streak,
                updated_at=now,
            )
        )
    MemberLifeStats.objects.bulk_create(stats, batch_size=2000)
