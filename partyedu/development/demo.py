"""Demo data: a 发展党员 path for every applicant, activist, candidate and probationary member of the county, dated
from the roster's own stage dates, with the half-yearly reviews and quarterly 思想汇报 that fall due before today.

Some paths are left behind on purpose, so the calendar has something to show: talks not held a month after the
application, reviews skipped, 转正 not yet discussed when the probation is over. Among those whose probation is
over, three had it extended and one had it cancelled. Every step obeys the default interval rules (the demo test
replays them); the steps are written in bulk, and the few changes of a member go through members.services.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from partyedu.members import services as member_services
from partyedu.members.models import Member, MemberStatus

from .dates import add_months
from .models import DevelopmentPath, DevelopmentStep, Outcome, PathStatus, StepKind
from .services import install_default_rules

K = StepKind
D = datetime.timedelta
PIPELINE = (MemberStatus.APPLICANT, MemberStatus.ACTIVIST, MemberStatus.CANDIDATE, MemberStatus.PROBATIONARY)
CANDIDATE_STEPS = [
    K.INTRODUCERS,
    K.POLITICAL_REVIEW,
    K.TRAINING,
    K.COMMITTEE_REVIEW,
    K.PRE_REVIEW,
    K.VOLUNTEER_FORM,
]
NOTES = {
    K.TALK: ["了解入党动机，谈话人：支部组织委员", "介绍党的基本知识，鼓励其积极向党组织靠拢"],
    K.REVIEW: ["思想积极要求进步，工作认真负责", "学习主动，参加志愿服务表现突出", "需进一步加强理论学习"],
    K.PROBATION_REVIEW: ["按时参加组织生活，发挥先锋模范作用", "工作踏实，群众评价较好"],
    K.POLITICAL_REVIEW: ["经函调和查阅档案，政治审查合格"],
    K.COMMITTEE_REVIEW: ["支委会审查认为具备发展条件，报上级党委预审"],
    K.PRE_REVIEW: ["上级党委预审合格，同意发放入党志愿书"],
    K.SUPERIOR_TALK: ["上级党委组织员谈话，进一步了解入党动机"],
    K.OATH: ["在支部主题党日面向党旗宣誓"],
}


def seed_development(seed: int = 1, today: datetime.date | None = None) -> int:
    if DevelopmentPath.objects.exists():
        return 0
    install_default_rules()
    today = today or timezone.localdate()
    rng = random.Random(f"development:{seed}")
    members = list(
        Member.objects.filter(left_on__isnull=True, status__in=PIPELINE)
        .exclude(applied_on__isnull=True)
        .order_by("pk")
    )
    if not members:
        return 0
    full_by_org: dict[int, list[int]] = defaultdict(list)
    for pk, org_id in (
        Member.objects.filter(left_on__isnull=True, status=MemberStatus.FULL)
        .order_by("pk")
        .values_list("pk", "organization_id")
    ):
        full_by_org[org_id].append(pk)
    trainings = _completed_trainings([m.pk for m in members])
    # The roster's planner keeps an applicant no less than two months before he is made an activist; the county's
    # rule asks six. Such applications are moved earlier, through the roster's own service.
    with transaction.atomic():
        for member in members:
            changes = {}
            if member.candidate_on and member.candidate_on < add_months(member.activist_on, 12):
                changes["activist_on"] = add_months(member.candidate_on, -12)  # 365 days across a 29 February
            activist_on = changes.get("activist_on", member.activist_on)
            if activist_on and member.applied_on > add_months(activist_on, -6):
                changes["applied_on"] = add_months(activist_on, -6) - D(days=rng.randint(0, 40))
            if changes:
                member_services.update_member(member, **changes)
        _enough_probations_over(members, rng, today)
        writer = _Writer(rng, today, full_by_org, trainings)
        for member in members:
            writer.path(member)
        written = writer.flush()
        ended = sorted(writer.probation_over, key=lambda item: item[0].pk)
        rng.shuffle(ended)
        for n, (member, path, approval) in enumerate(ended[:4]):
            written += writer.outcome(member, path, approval, cancel=(n == 3))
    return written


def _enough_probations_over(members, rng, today, wanted: int = 4) -> None:
    """Outcomes need probations that are over; a small county may have too few. The earliest probationary members
    are then moved back in time as a whole (every stage date by the same days, so the gaps stay), through the
    roster's service."""
    probationary = sorted(
        (m for m in members if m.status == MemberStatus.PROBATIONARY), key=lambda m: (m.probationary_on, m.pk)
    )
    over = [m for m in probationary if add_months(m.probationary_on, 12) + D(days=45) <= today]
    for member in probationary[len(over) : wanted]:
        target = add_months(today, -14) - D(days=rng.randint(0, 60))
        shift = member.probationary_on - target
        fields = ("applied_on", "activist_on", "candidate_on", "probationary_on", "joined_on")
        changes = {f: getattr(member, f) - shift for f in fields if getattr(member, f)}
        member_services.update_member(member, **changes)


def _completed_trainings(member_ids) -> dict[int, object]:
    from partyedu.training.models import Enrolment, EnrolmentStatus

    return {
        e.member_id: e
        for e in Enrolment.objects.filter(member_id__in=member_ids, status=EnrolmentStatus.COMPLETED)
        .select_related("training_class")
        .order_by("pk")
    }


class _Writer:
    def __init__(self, rng, today, full_by_org, trainings):
        self.rng, self.today = rng, today
        self.full_by_org, self.trainings = full_by_org, trainings
        self.paths: list[tuple[DevelopmentPath, list[DevelopmentStep]]] = []
        self.probation_over: list[tuple[Member, DevelopmentPath, datetime.date]] = []

    def note(self, kind) -> str:
        return self.rng.choice(NOTES[kind]) if kind in NOTES else ""

    def people(self, member) -> tuple[int | None, int | None]:
        pool = self.full_by_org.get(member.organization_id) or []
        if len(pool) < 2:
            return None, None
        first, second = self.rng.sample(pool, 2)
        return first, second

    def path(self, member: Member) -> None:
        rng, today = self.rng, self.today
        path = DevelopmentPath(member=member, status=PathStatus.OPEN)
        steps: list[DevelopmentStep] = []

        def add(kind, on, **extra):
            steps.append(DevelopmentStep(kind=kind, on=on, note=extra.pop("note", self.note(kind)), **extra))

        applied = member.applied_on
        add(K.APPLICATION, applied, note="")
        talk = applied + D(days=rng.randint(7, 28))
        # One applicant in six is still waiting for his talk.
        if member.status == MemberStatus.APPLICANT and rng.random() < 1 / 6:
            self.paths.append((path, steps))
            return
        if talk > today:
            self.paths.append((path, steps))
            return
        add(K.TALK, talk)
        if not member.activist_on:
            self.paths.append((path, steps))
            return
        activist = member.activist_on
        add(K.ACTIVIST, activist, note="经党员推荐、支委会研究，报上级党委备案")
        first, second = self.people(member)
        if first:
            add(
                K.CONTACTS,
                min(activist + D(days=rng.randint(3, 15)), today),
                first_person_id=first,
                second_person_id=second,
            )
        end_of_cultivation = today
        vote = None
        if member.probationary_on:
            approval = member.probationary_on
            room = (approval - member.candidate_on).days
            vote = approval - D(days=min(rng.randint(15, 75), max(room - 20, 1)))
            end_of_cultivation = vote
        # half-yearly reviews: one in five activists has missed his last one
        review = add_months(activist, 6)
        skip_last = member.status == MemberStatus.ACTIVIST and rng.random() < 0.2
        reviews = []
        while review <= min(today, end_of_cultivation):
            reviews.append(review)
            review = add_months(review, 6)
        if skip_last and reviews:
            reviews.pop()
        for day in reviews:
            add(K.REVIEW, day)
        # quarterly 思想汇报 until the last quarter ended
        report = add_months(activist, 3)
        last_quarter_end = datetime.date(today.year, (today.month - 1) // 3 * 3 + 1, 1) - D(days=1)
        while report <= last_quarter_end:
            add(K.REPORT, report - D(days=rng.randint(0, 20)), note="")
            report = add_months(report, 3)
        if not member.candidate_on:
            self.paths.append((path, steps))
            return
        candidate = member.candidate_on
        add(
            K.CANDIDATE,
            candidate,
            note="听取党小组、培养联系人、党员和群众意见，支委会讨论同意，报上级党委备案",
        )
        limit = vote or today
        span = max((limit - candidate).days, 7)
        # A candidate not yet voted on has gone part of the way: the steps whose day has come.
        for n, kind in enumerate(CANDIDATE_STEPS, start=1):
            day = candidate + D(days=span * n // (len(CANDIDATE_STEPS) + 1))
            if day > limit or (vote is None and rng.random() < 0.15):
                break
            extra = {}
            if kind == K.INTRODUCERS:
                first, second = self.people(member)
                if not first:
                    break
                extra = {"first_person_id": first, "second_person_id": second}
            if kind == K.TRAINING:
                enrolment = self.trainings.get(member.pk)
                if enrolment and enrolment.training_class.ends_on <= day:
                    extra = {"training_enrolment_id": enrolment.pk}
                else:
                    extra = {"training_days": 3, "training_hours": 24}
            add(kind, day, **extra)
        if vote is None:
            self.paths.append((path, steps))
            return
        expected = max(3, len(self.full_by_org.get(member.organization_id, [])))
        present = expected - rng.randint(0, expected // 4)
        votes_for = max(present - rng.randint(0, 1), expected // 2 + 1)
        votes_for = min(votes_for, present)
        add(K.BRANCH_VOTE, vote, voters_expected=expected, voters_present=present, votes_for=votes_for)
        add(K.SUPERIOR_TALK, vote + D(days=(approval - vote).days // 2))
        add(K.APPROVAL, approval, note="经上级党委审批，接收为中共预备党员")
        oath = approval + D(days=rng.randint(0, 7))
        if oath <= today:
            add(K.OATH, oath)
        review = add_months(approval, 3)
        while review <= today:
            add(K.PROBATION_REVIEW, review)
            review = add_months(review, 3)
        ends = add_months(approval, 12)
        if ends <= today:
            self.probation_over.append((member, path, approval))
        self.paths.append((path, steps))

    def flush(self) -> int:
        DevelopmentPath.objects.bulk_create([p for p, _ in self.paths], batch_size=500)
        rows = []
        for path, steps in self.paths:
            for step in steps:
                step.path = path
                rows.append(step)
        DevelopmentStep.objects.bulk_create(rows, batch_size=1000)
        return len(self.paths) + len(rows)

    def outcome(self, member, path, approval, *, cancel: bool) -> int:
        """A probation that is over: discussed and decided. Extended for three, cancelled for one."""
        rng, today = self.rng, self.today
        ends = add_months(approval, 12)
        vote = ends + D(days=rng.randint(0, 10))
        decided = vote + D(days=rng.randint(10, 30))
        if decided > today:
            return 0
        expected = max(3, len(self.full_by_org.get(member.organization_id, [])))
        steps = [
            DevelopmentStep(path=path, kind=K.FULL_APPLICATION, on=ends - D(days=rng.randint(5, 20))),
            DevelopmentStep(
                path=path,
                kind=K.FULL_VOTE,
                on=vote,
                voters_expected=expected,
                voters_present=expected,
                votes_for=expected // 2 + 1,
                note="部分党员认为其发挥作用不够明显" if not cancel else "经教育仍不具备党员条件",
            ),
        ]
        if cancel:
            steps.append(
                DevelopmentStep(path=path, kind=K.FULL_APPROVAL, on=decided, outcome=Outcome.CANCELLED)
            )
            DevelopmentPath.objects.filter(pk=path.pk).update(status=PathStatus.CANCELLED, closed_on=decided)
            # nothing is recorded on a path after it was closed
            DevelopmentStep.objects.filter(path=path, on__gt=decided).delete()
            member_services.record_leaving(member, on=decided, reason="取消预备党员资格")
        else:
            months = rng.choice([6, 6, 12])
            steps.append(
                DevelopmentStep(
                    path=path,
                    kind=K.FULL_APPROVAL,
                    on=decided,
                    outcome=Outcome.EXTENDED,
                    extension_months=months,
                )
            )
            DevelopmentPath.objects.filter(pk=path.pk).update(extension_months=months)
        DevelopmentStep.objects.bulk_create(steps)
        return len(steps)
