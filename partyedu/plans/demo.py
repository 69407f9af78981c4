"""Demo reading plans: the county's 必读书目, the leaders' and the youth's plans, some unit and branch plans (one of
them past its deadline, so the overdue list has names), and personal plans; written in bulk.

Items come from the seeded library when it has materials visible to the plan's audience, otherwise paper books.
Library items are done by verified study only, which the learning demo records; here only paper books are marked
read, by a share of each audience, with a short note.
"""

from __future__ import annotations

import datetime
import random

from django.db import connection, transaction
from django.utils import timezone

from partyedu.learning.models import Material
from partyedu.members.models import Member
from partyedu.orgs.models import Organization, OrganizationKind

from .audience import audience_members
from .models import AudienceKind, BookReading, PlanAssignment, PlanStatus, ReadingPlan, ReadingPlanItem

BOOKS = [
    ("习近平著作选读（第一卷）", "习近平"),
    ("习近平著作选读（第二卷）", "习近平"),
    ("习近平新时代中国特色社会主义思想的世界观和方法论专题摘编", "中共中央党史和文献研究院"),
    ("中国共产党简史", "本书编写组"),
    ("中华人民共和国简史", "本书编写组"),
    ("改革开放简史", "本书编写组"),
    ("社会主义发展简史", "本书编写组"),
    ("之江新语", "习近平"),
    ("习近平的七年知青岁月", "中央党校采访实录编辑室"),
    ("红星照耀中国", "埃德加·斯诺"),
    ("红岩", "罗广斌、杨益言"),
    ("苦难辉煌", "金一南"),
    ("中国共产党章程", ""),
    ("中国共产党纪律处分条例", ""),
]
NOTES = [
    "通读全书，重点学习了关于党的建设的论述，结合岗位写了学习笔记。",
    "读完后在支部学习会上作了交流发言，体会是要把学习成果转化为工作实效。",
    "对照书中要求查找了自身不足，制定了整改措施。",
    "认真学习了相关章节，深刻感悟到初心使命的分量。",
    "利用业余时间读完，摘抄了二十余条重要论述。",
    "读后更加坚定了理想信念，增强了“四个意识”。",
]


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20000):
            cursor.executemany(sql, rows[start : start + 20000])


def _materials_for(org: Organization, limit: int, rng: random.Random, categories=()) -> list[int]:
    """Up to `limit` materials every member of `org`'s subtree may read (visible at or above it)."""
    qs = Material.objects.filter(visible_path__in=[*org.ancestor_paths, org.path])
    if categories:
        qs = qs.filter(category__in=categories)
    ids = list(qs.order_by("-published_at", "-pk").values_list("pk", flat=True)[: limit * 4])
    rng.shuffle(ids)
    return ids[:limit]


@transaction.atomic
def seed_plans(seed: int, today: datetime.date | None = None) -> int:
    """Write the demo plans; returns the number of rows written (0 when plans exist: never twice)."""
    if ReadingPlan.objects.exists():
        return 0
    from partyedu.accounts.models import User

    today = today or timezone.localdate()
    rng = random.Random(seed * 53 + 11)
    roots = list(
        Organization.objects.filter(parent__isnull=True, kind=OrganizationKind.WORKING_COMMITTEE).order_by(
            "pk"
        )
    )
    if not roots:
        return 0
    root = roots[0]
    year = today.year
    year_end = datetime.date(year, 12, 31)
    now = timezone.now()

    # (plan, material ids, books) — plans first, then items, assignments and readings in bulk.
    specs: list[tuple[ReadingPlan, list[int], list[tuple[str, str]]]] = []

    def assigned(org, title, audience, deadline, description, materials, books):
        plan = ReadingPlan(
            organization=org,
            title=title,
            description=description,
            year=year,
            deadline=deadline,
            audience=audience,
            status=PlanStatus.PUBLISHED,
            published_at=now,
            synced_at=now,
        )
        specs.append((plan, materials, books))

    assigned(
        root,
        f"{year}年度党员必读书目",
        AudienceKind.SUBTREE,
        year_end,
        "全县机关党员年内完成必读书目学习；资料库中的内容按实际学习时长记录，纸质图书读完后在“我的读书计划”中登记心得。",
        _materials_for(root, 4, rng, ("theory", "party_history")),
        BOOKS[0:1] + BOOKS[3:4],
    )
    assigned(
        root,
        f"{year}年领导干部学习计划",
        AudienceKind.LEADERS,
        year_end,
        "发挥“关键少数”领学促学作用，领导干部带头读原著、学原文、悟原理。",
        _materials_for(root, 3, rng, ("theory", "policy")),
        [BOOKS[2], BOOKS[7]],
    )
    assigned(
        root,
        f"{year}年青年党员理论学习计划",
        AudienceKind.YOUTH,
        min(year_end, today + datetime.timedelta(days=45)),
        "青年干部主动学：集体学习、线上研讨、导师教学。",
        _materials_for(root, 2, rng, ("party_history", "exemplars")),
        [BOOKS[8], BOOKS[9]],
    )
    units = list(
        Organization.objects.filter(
            kind__in=[OrganizationKind.PARTY_COMMITTEE, OrganizationKind.PARTY_LEADERSHIP_GROUP],
            dissolved_on__isnull=True,
        ).order_by("pk")
    )
    for i, unit in enumerate(rng.sample(units, min(6, len(units)))):
        past = i % 3 == 0  # some unit plans already past their deadline: the overdue lists have names
        deadline = today - datetime.timedelta(days=rng.randint(5, 40)) if past else year_end
        assigned(
            unit,
            f"{unit.unit_name or unit.name}{year}年党员学习计划",
            AudienceKind.SUBTREE,
            deadline,
            "结合本单位业务，按季度完成规定篇目学习。",
            _materials_for(unit, 3, rng),
            [rng.choice(BOOKS[3:7])],
        )
    branches = list(
        Organization.objects.filter(kind=OrganizationKind.BRANCH, dissolved_on__isnull=True).values_list(
            "pk", flat=True
        )
    )
    # the demo secretary's branch always has one, so logging in as him shows a plan
    shuji = User.objects.filter(username="shuji").first()
    picked_branches = set(rng.sample(branches, min(5, len(branches))))
    if shuji is not None:
        picked_branches |= {
            a.organization_id
            for a in shuji.role_assignments.filter(
                revoked_at__isnull=True, organization__kind=OrganizationKind.BRANCH
            )
        }
    for branch in Organization.objects.filter(pk__in=picked_branches).order_by("pk"):
        assigned(
            branch,
            f"{branch.name}第四季度学习计划",
            AudienceKind.SUBTREE,
            min(year_end, today + datetime.timedelta(days=rng.randint(-10, 40))),
            "支部集中学习与个人自学相结合。",
            _materials_for(branch, 2, rng),
            [rng.choice(BOOKS[9:12])],
        )

    # personal plans: a few dozen members, and the demo member
    owners = list(Member.objects.filter(left_on__isnull=True).order_by("pk").values_list("pk", flat=True))
    chosen = set(rng.sample(owners, min(40, len(owners))))
    dangyuan = User.objects.filter(username="dangyuan").values_list("member_id", flat=True).first()
    if dangyuan:
        chosen.add(dangyuan)
    personal: list[tuple[ReadingPlan, list[int], list[tuple[str, str]]]] = []
    by_pk = Member.objects.select_related("organization").in_bulk(sorted(chosen))
    for pk in sorted(chosen):
        member = by_pk[pk]
        plan = ReadingPlan(
            member=member,
            title=f"{member.name}的{year}年个人学习计划",
            year=year,
            deadline=min(year_end, today + datetime.timedelta(days=rng.randint(20, 90))),
            audience="",
            status=PlanStatus.PUBLISHED,
            published_at=now,
        )
        personal.append((plan, _materials_for(member.organization, 1, rng), rng.sample(BOOKS, 2)))

    all_specs = specs + personal
    plans = ReadingPlan.objects.bulk_create([p for p, _, _ in all_specs])
    items: list[ReadingPlanItem] = []
    for plan, materials, books in all_specs:
        order = 0
        for material_id in materials:
            order += 1
            items.append(ReadingPlanItem(plan=plan, order=order, material_id=material_id, required=True))
        if not materials and not plan.is_personal:
            books = books + rng.sample([b for b in BOOKS if b not in books], 2)
        for title, author in books:
            order += 1
            items.append(
                ReadingPlanItem(
                    plan=plan,
                    order=order,
                    book_title=title,
                    book_author=author,
                    required=order <= 4,
                    note="读完后写一段心得体会" if order == 1 else "",
                )
            )
    ReadingPlanItem.objects.bulk_create(items, batch_size=1000)

    # Tens of thousands of assignment and reading rows: executemany, not model instances (see demo/life.py).
    day = connection.ops.adapt_datefield_value(today)
    assignments: list[tuple] = []
    members_of: dict[int, list[int]] = {}
    for plan in plans:
        ids = list(audience_members(plan, today).values_list("pk", flat=True))
        members_of[plan.pk] = ids
        assignments += [(plan.pk, m, day) for m in ids]
    _insert(PlanAssignment, ["plan_id", "member_id", "assigned_on"], assignments)

    readings: list[tuple] = []
    created = connection.ops.adapt_datetimefield_value(now)
    adapt_day = connection.ops.adapt_datefield_value
    for plan in plans:
        share = 0.35 if plan.deadline and plan.deadline >= today else 0.7
        start = min(today, plan.deadline or today) - datetime.timedelta(days=60)
        span = (today - start).days
        books = [i for i in items if i.plan_id == plan.pk and i.material_id is None]
        for member_id in members_of[plan.pk]:
            # the diligent read every book; the others one now and then
            diligent = rng.random() < share
            for item in books:
                if diligent or rng.random() < 0.25:
                    read_on = adapt_day(start + datetime.timedelta(days=rng.randint(0, span)))
                    readings.append((item.pk, member_id, read_on, rng.choice(NOTES), created))
    _insert(BookReading, ["item_id", "member_id", "read_on", "note", "created_at"], readings)
    return len(plans) + len(items) + len(assignments) + len(readings)
