"""Demo data: a plausible county (or city) of agency party organisations and their members, plus demo accounts.

`plan_demo` builds the whole roster in memory from one ``random.Random(seed)`` and a fixed reference date, so a
seed gives the same county on any day and on any machine. `seed_demo` writes a plan in bulk into an empty database
(a county of ten thousand members in seconds) and creates the demo accounts through the account services.
"""

from __future__ import annotations

import datetime
import importlib
import itertools
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import transaction

from partyedu.accounts import services as account_services
from partyedu.accounts.models import Role, User
from partyedu.core.cn import citizen_id_checksum
from partyedu.members.models import Education, Member, MembershipPeriod, MemberStatus, years_before
from partyedu.orgs.models import Organization, OrganizationKind, path_segment

from . import data

# Ages, pipeline dates and "within the last year" are reckoned from this day rather than from today, so that a
# seed gives the same data whenever it is run. It must not lie after any day the demo is seeded on: the roster
# refuses dates in the future.
REFERENCE_DATE = datetime.date(2026, 7, 1)
COMMITTEE_ESTABLISHED_ON = datetime.date(1991, 7, 1)
# Printed with every seeding, on purpose: these accounts exist only in demo databases.
DEMO_PASSWORD = "partyedu2026"
DEMO_USERNAMES = ("admin", "dangwu", "shuji", "dangyuan")

K = OrganizationKind
S = MemberStatus


@dataclass(frozen=True)
class Scale:
    level: str  # 县 or 市: the prefix of every agency's name
    place: str
    members: int
    region_code: str
    towns: tuple[str, ...]
    agencies: int = 0  # the city fills up to this many with numbered units


SCALES = {
    "small": Scale("县", data.COUNTY_NAME, 200, data.COUNTY_REGION_CODE, tuple(data.COUNTY_TOWNS)),
    "county": Scale("县", data.COUNTY_NAME, 10_000, data.COUNTY_REGION_CODE, tuple(data.COUNTY_TOWNS)),
    "city": Scale("市", data.CITY_NAME, 50_000, data.CITY_REGION_CODE, tuple(data.CITY_URBAN_DISTRICTS), 600),
}


class SeedRefused(Exception):
    """The database is not empty; the message says so in Chinese."""


# ---------------------------------------------------------------------------------------------------------------
# The plan: plain data, no database
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class OrgPlan:
    name: str
    kind: str
    parent: int | None  # index into DemoPlan.orgs; parents always come first
    unit_name: str
    order: int
    depth: int
    established_on: datetime.date | None


@dataclass
class MemberPlan:
    fields: dict  # Member field values, without organization and group
    organization: int
    started_on: datetime.date
    group: int | None = None
    age: int = 0


@dataclass
class DemoPlan:
    scale: str
    seed: int
    place: str
    committee: int
    orgs: list[OrgPlan]
    members: list[MemberPlan]
    agencies: list[str]
    # Where the demo accounts sit: the 党务工作者's unit, the 支部书记's branch, and the members behind the logins.
    demo_unit: int = 0
    demo_branch: int = 0
    demo_org_admin: int = 0
    demo_secretary: int = 0
    demo_member: int = 0


@dataclass(frozen=True)
class _Agency:
    name: str
    profile: str
    size: str
    established_year: int | None
    sub_units: tuple[str, ...]


@dataclass
class _Slot:
    """A branch being filled: which posts its people hold, whether it is the retired cadres' branch."""

    org: int
    post_profile: str
    retiree: bool = False
    members: list[int] = field(default_factory=list)


_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """一 … 九十九 … 一百二十: the numbers in 第一党支部 or 第十五中学."""
    if not 0 < n < 1000:
        raise ValueError(n)
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    text = _DIGITS[hundreds] + "百"
    if rest == 0:
        return text
    if rest < 10:
        return text + "零" + _DIGITS[rest]
    return text + ("一" if rest < 20 else "") + chinese_numeral(rest)


def _years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _head_titles(unit: str) -> tuple[str, str]:
    for ending, titles in data.HEAD_TITLES:
        if unit.endswith(ending):
            return titles
    return data.HEAD_TITLES_DEFAULT


def _apportion(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), each share at least ``minimum``."""
    counts = [minimum] * len(weights)
    rest = max(0, total - minimum * len(weights))
    whole = sum(weights)
    shares = [rest * w / whole for w in weights]
    for i, share in enumerate(shares):
        counts[i] += int(share)
    leftover = rest - sum(int(s) for s in shares)
    by_fraction = sorted(range(len(weights)), key=lambda i: (-(shares[i] - int(shares[i])), i))
    for i in by_fraction[:leftover]:
        counts[i] += 1
    return counts


def _agencies(scale_name: str) -> list[_Agency]:
    scale = SCALES[scale_name]
    level = scale.level
    by_template = {spec.template: spec for spec in data.AGENCIES}

    def agency(
        spec: data.AgencySpec, size: str | None = None, town_subs_only: bool = False, **fmt
    ) -> _Agency:
        subs = data.SUB_UNITS.get(spec.template, [])
        if town_subs_only:
            subs = [s for s in subs if "{t}" in s]
        template = spec.city_template if level == "市" and spec.city_template else spec.template
        return _Agency(
            template.format(l=level, **fmt),
            spec.profile,
            size or spec.size,
            spec.established_year,
            tuple(subs),
        )

    if scale_name == "small":
        return [agency(by_template[template], size) for template, size in data.SMALL_AGENCIES]
    if scale_name == "county":
        return [agency(spec) for spec in data.AGENCIES]

    # A city's agencies have their second-tier units (二级机构) as agencies in their own right; only the offices
    # out in the districts stay branches of their agency.
    result = [agency(spec, town_subs_only=True) for spec in data.AGENCIES]
    for spec in data.AGENCIES:
        parent = spec.name(level)
        for sub in data.SUB_UNITS.get(spec.template, []):
            if "{t}" not in sub:
                result.append(_Agency(parent + sub, "institution", "xs", None, ()))
    result += [agency(spec) for spec in data.CITY_EXTRA_AGENCIES]
    for spec in data.CITY_DISTRICT_OFFICES:
        result += [agency(spec, t=district) for district in data.CITY_URBAN_DISTRICTS]
    numbered = [
        iter([agency(spec, n=chinese_numeral(n)) for n in range(first, last + 1)])
        for spec, first, last in data.CITY_NUMBERED_UNITS
    ]
    # Round the templates in turn, so that a city short of its count is not all middle schools.
    while numbered and len(result) < scale.agencies:
        for source in list(numbered):
            unit = next(source, None)
            if unit is None:
                numbered.remove(source)
            elif len(result) < scale.agencies:
                result.append(unit)
    return result


def _cumulative(pairs) -> tuple[list, list[float]]:
    values, weights = zip(*pairs, strict=True)
    return list(values), list(itertools.accumulate(weights))


_SURNAMES = _cumulative(data.SURNAMES)
_ETHNICITIES = _cumulative(data.ETHNICITIES)
_OTHER_REGIONS = _cumulative(data.OTHER_REGION_CODES)
_EDUCATION = {band: _cumulative(pairs) for band, pairs in data.EDUCATION_BY_AGE.items()}
# Among people still at work: most are full members, a few are at each earlier stage of the pipeline.
_STATUSES = _cumulative(
    [(S.FULL, 860), (S.PROBATIONARY, 35), (S.CANDIDATE, 25), (S.ACTIVIST, 35), (S.APPLICANT, 45)]
)
_STAGES = [S.APPLICANT, S.ACTIVIST, S.CANDIDATE, S.PROBATIONARY, S.FULL]
_STAGE_FIELDS = ["applied_on", "activist_on", "candidate_on", "probationary_on"]
_LOW_EDUCATION = {Education.SECONDARY, Education.HIGH_SCHOOL, Education.JUNIOR}


class _Planner:
    def __init__(self, scale_name: str, seed: int, today: datetime.date):
        self.scale_name = scale_name
        self.scale = SCALES[scale_name]
        self.seed = seed
        self.rng = random.Random(seed)
        self.today = today
        self.orgs: list[OrgPlan] = []
        self.members: list[MemberPlan] = []
        self._children: Counter = Counter()
        self._citizen_ids: set[str] = set()
        self._mobiles: set[str] = set()

    # --- organisations --------------------------------------------------------------------------------------

    def _org(self, name, kind, parent, unit_name, established_on) -> int:
        self._children[parent] += 1
        depth = 0 if parent is None else self.orgs[parent].depth + 1
        self.orgs.append(
            OrgPlan(name, kind, parent, unit_name, self._children[parent], depth, established_on)
        )
        return len(self.orgs) - 1

    def _floor(self, org: int | None) -> datetime.date | None:
        """The founding date of the nearest dated ancestor: nothing below can be older than it."""
        while org is not None:
            if self.orgs[org].established_on:
                return self.orgs[org].established_on
            org = self.orgs[org].parent
        return None

    def _day_between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        return first + datetime.timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def _founding(self, parent: int, chance: float, year: int | None = None) -> datetime.date | None:
        if year:
            return self._day_between(datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), self.today))
        if self.rng.random() >= chance:
            return None
        first = self._floor(parent) or COMMITTEE_ESTABLISHED_ON
        last = self.today - datetime.timedelta(days=365)
        return self._day_between(first, last) if first < last else None

    def _branch(self, name, parent, unit, post_profile, retiree=False, established_on=None) -> _Slot:
        if established_on is None:
            established_on = self._founding(parent, 0.5)
        return _Slot(self._org(name, K.BRANCH, parent, unit, established_on), post_profile, retiree)

    def _suffixes(self, agency: _Agency, n: int, direct: bool) -> list[tuple[str, str]]:
        """Names (after the unit's name, before 党支部) and post profiles of an agency's ``n`` branches."""
        rng = self.rng
        profile = agency.profile
        towns = iter(rng.sample(self.scale.towns, len(self.scale.towns)))
        pool = list(data.PROFILE_UNITS.get(profile, agency.sub_units))
        pool = [name.replace("{t}", next(towns)) if "{t}" in name else name for name in pool]
        if profile in data.PROFILE_UNITS:
            if n == 1 and direct:
                return [("", profile)]
            # Police, courts and tax offices keep a branch for their own offices; schools and hospitals do not.
            lead = [] if profile in {"school", "hospital"} else ["机关"]
            names = lead + rng.sample(pool, min(len(pool), n - len(lead)))
            names += [f"第{chinese_numeral(i)}" for i in range(len(names) + 1, n + 1)]
            return [(name, profile) for name in names]
        subs = rng.sample(pool, min(len(pool), n // 2)) if n > 1 else []
        own = n - len(subs)
        # "县纪委监委机关" already says 机关: its branch is 县纪委监委机关第一党支部, not …机关机关….
        prefix = "" if profile == "institution" or agency.name.endswith("机关") else "机关"
        names = [prefix] if own == 1 else [f"{prefix}第{chinese_numeral(i)}" for i in range(1, own + 1)]
        return [(name, profile) for name in names] + [(sub, "institution") for sub in subs]

    def _top(self, agency: _Agency, n: int) -> tuple[str | None, str]:
        """The kind and name of the agency's leading party body; no kind: its one branch sits under the 工委."""
        unit, profile = agency.name, agency.profile
        if profile == "organ":
            if n == 1:
                return None, ""
            organ = unit if unit.endswith("机关") else f"{unit}机关"
            return (K.GENERAL_BRANCH, f"{organ}党总支") if n <= 4 else (K.PARTY_COMMITTEE, f"{organ}党委")
        if profile in {"institution", "school", "hospital"}:
            if n == 1:
                return None, ""
            return (K.GENERAL_BRANCH, f"{unit}党总支") if n <= 3 else (K.PARTY_COMMITTEE, f"{unit}党委")
        if profile in {"police", "tax"} or (agency.size == "l" and self.rng.random() < 0.5):
            return K.PARTY_COMMITTEE, f"{unit}党委"
        return K.PARTY_LEADERSHIP_GROUP, f"{unit}党组"

    def _agency_orgs(self, agency: _Agency, committee: int) -> tuple[str | None, list[_Slot]]:
        rng = self.rng
        unit, profile, size = agency.name, agency.profile, agency.size
        founded = self._founding(committee, 0.65, agency.established_year)
        retiree = size in {"m", "l", "xl"} and rng.random() < 0.45
        retiree_name = data.RETIREE_BRANCH.get(profile, data.RETIREE_BRANCH_DEFAULT)
        slots: list[_Slot] = []
        if profile in data.DEPARTMENTS and (size == "xl" or (size == "l" and rng.random() < 0.5)):
            # Big schools, hospitals and police: 党委 → 党总支 per department → branches.
            kind = K.PARTY_COMMITTEE
            top = self._org(f"{unit}党委", kind, committee, unit, founded)
            departments = data.DEPARTMENTS[profile]
            count = rng.randint(2, 3) if size == "l" else rng.randint(3, len(departments))
            for i in sorted(rng.sample(range(len(departments)), count)):
                department, branch_names = departments[i]
                general = self._org(
                    f"{unit}{department}党总支", K.GENERAL_BRANCH, top, unit, self._founding(top, 0.5)
                )
                for name in branch_names[: rng.randint(2, len(branch_names))]:
                    slots.append(self._branch(f"{unit}{name}党支部", general, unit, profile))
            if profile == "police":
                taken = {name for name, _ in departments}
                direct = [s for s in self._suffixes(agency, rng.randint(3, 5), False) if s[0] not in taken]
                slots += [self._branch(f"{unit}{name}党支部", top, unit, post) for name, post in direct]
        else:
            n = rng.randint(*data.SIZE_BRANCHES[size])
            kind, top_name = self._top(agency, n)
            if kind is None:
                name, post = self._suffixes(agency, 1, True)[0]
                slots.append(
                    self._branch(f"{unit}{name}党支部", committee, unit, post, established_on=founded)
                )
                return None, slots
            top = self._org(top_name, kind, committee, unit, founded)
            names = self._suffixes(agency, max(1, n - retiree), False)
            slots += [self._branch(f"{unit}{name}党支部", top, unit, post) for name, post in names]
        if retiree:
            slots.append(self._branch(f"{unit}{retiree_name}党支部", top, unit, profile, retiree=True))
        return kind, slots

    # --- people ---------------------------------------------------------------------------------------------

    def _pick(self, cumulative):
        values, weights = cumulative
        return self.rng.choices(values, cum_weights=weights)[0]

    def _name(self, gender: str, birth: datetime.date) -> str:
        rng = self.rng
        era = "old" if birth.year < 1966 else "mid" if birth.year < 1986 else "young"
        if era == "old" and rng.random() < 0.2:
            return self._pick(_SURNAMES) + rng.choice(data.OLD_GIVEN_NAMES[gender])
        first, second = data.GIVEN_CHARS[(gender, era)]
        given = rng.choice(second)
        if rng.random() >= 0.3:
            given = rng.choice(first.replace(given, "")) + given
        return self._pick(_SURNAMES) + given

    def _citizen_id(self, birth: datetime.date, gender: str) -> str:
        rng = self.rng
        while True:
            region = self.scale.region_code if rng.random() < 0.72 else self._pick(_OTHER_REGIONS)
            # The 17th digit is odd for men and even for women.
            order = rng.randrange(1, 500) * 2 + (1 if gender == "male" else 0)
            first17 = f"{region}{birth:%Y%m%d}{order:03d}"
            citizen_id = first17 + citizen_id_checksum(first17)
            if citizen_id not in self._citizen_ids:
                self._citizen_ids.add(citizen_id)
                return citizen_id

    def _mobile(self) -> str:
        while True:
            mobile = self.rng.choice(data.MOBILE_PREFIXES) + f"{self.rng.randrange(100_000_000):08d}"
            if mobile not in self._mobiles:
                self._mobiles.add(mobile)
                return mobile

    def _pipeline(self, status: str, birth: datetime.date) -> dict:
        """Dates of every stage reached, none before the 18th birthday or after the reference day; an activist
        is a candidate no sooner than a year on, and a probationary member becomes full a year after joining."""
        rng, today = self.rng, self.today
        stage = _STAGES.index(status)
        anchor = min(stage, 3)  # a full member's path is fixed by the day he joined
        gaps = [rng.randint(60, 240), rng.randint(365, 760), rng.randint(60, 300)]
        earliest = _years_after(birth, 18) + datetime.timedelta(days=sum(gaps[:anchor]))
        if status == S.FULL:
            latest = years_before(today, 1)
            # Most join at university or in their first years at work; some later.
            roll = rng.random()
            youngest, oldest = (20, 23) if roll < 0.35 else (24, 33) if roll < 0.8 else (34, 45)
            join_age = rng.randint(youngest, oldest)
            wanted = _years_after(birth, join_age) + datetime.timedelta(days=rng.randrange(365))
        else:
            latest = today
            window = 700 if status == S.ACTIVIST else 364
            wanted = self._day_between(max(earliest, today - datetime.timedelta(days=window)), latest)
        day = min(max(wanted, earliest), latest)
        dates = {name: None for name in [*_STAGE_FIELDS, "full_on", "joined_on"]}
        dates[_STAGE_FIELDS[anchor]] = day
        for i in range(anchor - 1, -1, -1):
            day -= datetime.timedelta(days=gaps[i])
            dates[_STAGE_FIELDS[i]] = day
        if stage >= 3:
            dates["joined_on"] = dates["probationary_on"]
        if status == S.FULL:
            dates["full_on"] = _years_after(dates["probationary_on"], 1)
        return dates

    def _post(self, profile: str, age: int, retired: bool) -> str:
        if retired:
            return data.RETIRED_POST.get(profile, data.RETIRED_POST_DEFAULT)
        posts = data.POSTS[profile]
        rank = (age - 22) / 37 * (len(posts) - 1) + self.rng.gauss(0, 1.2)
        post = posts[min(max(round(rank), 0), len(posts) - 1)]
        # A county bureau's sections are 股, a city's are 科.
        return post.replace("股长", "科长") if self.scale.level == "市" else post

    def _member(self, agency: _Agency, slot: _Slot, force_full: bool) -> MemberPlan:
        rng, today = self.rng, self.today
        retired = slot.retiree or rng.random() < 0.055
        if retired:
            status, age = S.FULL, min(int(rng.triangular(60, 81, 63)), 80)
        else:
            status = S.FULL if force_full else self._pick(_STATUSES)
            if status == S.FULL:
                age = min(int(rng.triangular(24, 60, 41)), 59)
            else:
                age = min(int(rng.triangular(22, 41, 27)), 40)
        birth = years_before(today, age) - datetime.timedelta(days=rng.randrange(365))
        gender = (
            "male"
            if rng.random() < data.MALE_SHARE.get(agency.profile, data.MALE_SHARE_DEFAULT)
            else "female"
        )
        band = "retired" if retired else "young" if age < 35 else "middle" if age < 50 else "senior"
        dates = self._pipeline(status, birth)
        fields = {
            "name": self._name(gender, birth),
            "gender": gender,
            "ethnicity": self._pick(_ETHNICITIES),
            "birth_date": birth,
            "education": self._pick(_EDUCATION[band]),
            "citizen_id": self._citizen_id(birth, gender),
            "mobile": self._mobile(),
            "unit_name": agency.name,
            "post": self._post(slot.post_profile, age, retired),
            "is_leader": False,
            "status": status,
            **dates,
            "is_retired": retired,
            "is_mobile": rng.random() < 0.03,
            # the small county (for tests and a first look) has few old retirees: a few more of anyone are ill
            # or far away, so that 送学上门 has someone to visit there too
            "needs_home_delivery": (retired and age >= 70 and rng.random() < 0.5)
            or rng.random() < (0.03 if self.scale.members < 1000 else 0.005),
        }
        # On the roster of this branch since he came to work here (or retired into its retirees' branch), but
        # not before he applied to join, nor before the branch existed.
        if slot.retiree:
            arrived = _years_after(birth, 60)
        else:
            arrived = birth + datetime.timedelta(days=int(rng.uniform(21.5, 29) * 365.25))
        floor = self._floor(slot.org) or arrived
        started_on = min(max(arrived, dates["applied_on"], floor), today)
        return MemberPlan(fields, slot.org, started_on, age=age)

    def _appoint_leaders(self, agency: _Agency, kind: str | None, slots: list[_Slot]) -> None:
        rng = self.rng
        head, deputy = _head_titles(agency.name)
        deputies = {"xs": 1, "s": 2, "m": 3, "l": 4, "xl": 5}[agency.size]
        if kind == K.PARTY_COMMITTEE and agency.profile in {"school", "hospital"}:
            posts = ["党委书记", f"党委副书记、{head}"] + [f"党委委员、{deputy}"] * deputies
        else:
            chief, other = {
                K.PARTY_LEADERSHIP_GROUP: ("党组书记、", "党组成员、"),
                K.PARTY_COMMITTEE: ("党委书记、", "党委委员、"),
                K.GENERAL_BRANCH: ("党总支书记、", ""),
            }.get(kind, ("党支部书记、", ""))
            posts = [chief + head] + [other + deputy] * deputies

        def eligible(slot):
            people = [i for i in slot.members if self._can_lead(self.members[i])]
            rng.shuffle(people)
            return people

        working = [slot for slot in slots if not slot.retiree]
        # Leaders are enrolled in the organ's own branch, the first one; others only when it has too few.
        ordered = eligible(working[0]) + [i for slot in working[1:] for i in eligible(slot)]
        if not ordered:
            return
        chief_index = next((i for i in ordered if self.members[i].age >= 42), ordered[0])
        chosen = [chief_index] + [i for i in ordered if i != chief_index][: len(posts) - 1]
        for index, post in zip(chosen, posts, strict=False):
            fields = self.members[index].fields
            fields.update(post=post, is_leader=True, is_mobile=False)
            if fields["education"] in _LOW_EDUCATION:
                fields["education"] = Education.BACHELOR

    def _can_lead(self, member: MemberPlan) -> bool:
        f = member.fields
        return f["status"] == S.FULL and not f["is_retired"] and member.age >= 35

    def _form_groups(self, slot: _Slot, unit: str, always: bool = False) -> None:
        rng = self.rng
        size = len(slot.members)
        if not (always and size >= 6) and (size < 12 or rng.random() >= 0.35):
            return
        count = 2 if size < 24 else rng.randint(3, 4)
        groups = [
            self._org(f"第{chinese_numeral(i)}党小组", K.GROUP, slot.org, unit, self._founding(slot.org, 0.4))
            for i in range(1, count + 1)
        ]
        people = list(slot.members)
        rng.shuffle(people)
        for position, index in enumerate(people):
            if rng.random() < 0.93:
                member = self.members[index]
                member.group = groups[position % count]
                founded = self.orgs[member.group].established_on
                if founded and founded > member.started_on:
                    member.started_on = founded

    # --- the whole county -----------------------------------------------------------------------------------

    def plan(self) -> DemoPlan:
        rng, scale = self.rng, self.scale
        committee = self._org(
            f"{scale.place}直属机关工作委员会",
            K.WORKING_COMMITTEE,
            None,
            f"{scale.level}直机关工委",
            COMMITTEE_ESTABLISHED_ON,
        )
        agencies = _agencies(self.scale_name)
        built = [(agency, *self._agency_orgs(agency, committee)) for agency in agencies]
        # The demo accounts work in the finance bureau; its first branch always shows a 党小组.
        demo_slots = next(slots for agency, _, slots in built if agency.name == f"{scale.level}财政局")
        demo_branch = next(slot for slot in demo_slots if not slot.retiree)
        weights = [data.SIZE_WEIGHTS[agency.size] * rng.uniform(0.8, 1.25) for agency in agencies]
        for (agency, kind, slots), headcount in zip(built, _apportion(scale.members, weights), strict=True):
            branch_weights = [(0.7 if slot.retiree else 1.0) * rng.uniform(0.7, 1.3) for slot in slots]
            # A branch needs at least three full members (党章): the first three of each are.
            for slot, size in zip(slots, _apportion(headcount, branch_weights, minimum=3), strict=True):
                for i in range(size):
                    slot.members.append(len(self.members))
                    self.members.append(self._member(agency, slot, force_full=i < 3))
            self._appoint_leaders(agency, kind, slots)
            for slot in slots:
                self._form_groups(slot, agency.name, always=slot is demo_branch)
        plan = DemoPlan(
            self.scale_name,
            self.seed,
            scale.place,
            committee,
            self.orgs,
            self.members,
            [a.name for a in agencies],
        )
        self._choose_demo_people(plan, demo_slots)
        return plan

    def _choose_demo_people(self, plan: DemoPlan, slots: list[_Slot]) -> None:
        working = [slot for slot in slots if not slot.retiree]
        branch = working[0]
        taken: set[int] = set()

        def choose(candidates: list[int], low: int, high: int) -> int:
            def ordinary(i):
                f = self.members[i].fields
                return f["status"] == S.FULL and not f["is_leader"] and not f["is_retired"]

            # A small branch may have nobody of the right age; then anyone ordinary, then anyone at all.
            for test in (
                lambda i: ordinary(i) and low <= self.members[i].age <= high,
                ordinary,
                lambda i: True,
            ):
                found = next((i for i in candidates if i not in taken and test(i)), None)
                if found is not None:
                    taken.add(found)
                    return found
            raise AssertionError("demo branch has no members")

        plan.demo_unit = self.orgs[branch.org].parent
        plan.demo_branch = branch.org
        plan.demo_secretary = choose(branch.members, 35, 55)
        in_a_group = [i for i in branch.members if self.members[i].group is not None]
        plan.demo_member = choose(in_a_group + branch.members, 24, 45)
        elsewhere = [i for slot in working[1:] for i in slot.members]
        plan.demo_org_admin = choose(elsewhere + branch.members, 28, 50)


def plan_demo(scale: str, seed: int, *, today: datetime.date = REFERENCE_DATE) -> DemoPlan:
    """The whole demo county as plain data; the same arguments always give the same plan."""
    if scale not in SCALES:
        raise ValueError(f"未知规模：{scale}（可选 {'、'.join(SCALES)}）")
    return _Planner(scale, seed, today).plan()


# ---------------------------------------------------------------------------------------------------------------
# Writing a plan
# ---------------------------------------------------------------------------------------------------------------


class DemoLogin(NamedTuple):
    role_label: str
    username: str
    phone: str
    password: str


@dataclass
class SeedResult:
    scale: str
    seed: int
    place: str
    committee_name: str
    agencies: int
    organizations: int
    branches: int
    groups: int
    members: int
    members_by_status: dict[str, int]
    retired: int
    mobile: int
    needs_home_delivery: int
    membership_periods: int
    logins: list[DemoLogin]
    # username → the organisation the account's role is granted on
    login_scopes: dict[str, str]
    meetings: int = 0
    attendances: int = 0


def _write_organizations(plan: DemoPlan) -> list[Organization]:
    """Bulk-create the tree one depth at a time; a path needs the row's own id, so it is set in a second pass,
    exactly as `create_organization` does it."""
    created: list[Organization | None] = [None] * len(plan.orgs)
    depths = sorted({org.depth for org in plan.orgs})
    for depth in depths:
        indexes = [i for i, org in enumerate(plan.orgs) if org.depth == depth]
        level = []
        for i in indexes:
            org = plan.orgs[i]
            level.append(
                Organization(
                    name=org.name,
                    kind=org.kind,
                    parent=created[org.parent] if org.parent is not None else None,
                    unit_name=org.unit_name,
                    order=org.order,
                    established_on=org.established_on,
                    path=f"seed-{i}",  # unique until the real path is known
                    depth=depth,
                )
            )
        Organization.objects.bulk_create(level, batch_size=500)
        for i, obj in zip(indexes, level, strict=True):
            parent = plan.orgs[i].parent
            obj.path = (created[parent].path if parent is not None else "") + path_segment(obj.pk)
            created[i] = obj
        Organization.objects.bulk_update(level, ["path"], batch_size=500)
    return created


def _write_members(plan: DemoPlan, orgs: list[Organization]) -> list[Member]:
    members = []
    for item in plan.members:
        member = Member(
            **item.fields,
            organization=orgs[item.organization],
            group=orgs[item.group] if item.group is not None else None,
        )
        member.refresh_name_keys()  # bulk_create skips save(), which keeps them in step otherwise
        members.append(member)
    Member.objects.bulk_create(members, batch_size=1000)
    MembershipPeriod.objects.bulk_create(
        [
            MembershipPeriod(
                member=member,
                organization=member.organization,
                group=member.group,
                started_on=item.started_on,
                reason="新增",
            )
            for member, item in zip(members, plan.members, strict=True)
        ],
        batch_size=2000,
    )
    return members


def _create_accounts(plan: DemoPlan, orgs: list[Organization], members: list[Member]):
    committee, unit, branch = orgs[plan.committee], orgs[plan.demo_unit], orgs[plan.demo_branch]
    org_admin, secretary, member = (
        members[plan.demo_org_admin],
        members[plan.demo_secretary],
        members[plan.demo_member],
    )
    accounts = [
        ("admin", None, Role.COMMITTEE_ADMIN, committee),
        ("dangwu", org_admin, Role.ORG_ADMIN, unit),
        ("shuji", secretary, Role.SECRETARY, branch),
        ("dangyuan", member, Role.MEMBER, member.organization),
    ]
    logins, scopes = [], {}
    for username, person, role, scope in accounts:
        user = account_services.create_user(
            username=username,
            password=DEMO_PASSWORD,
            display_name="" if person else Role(role).label,
            phone=person.mobile if person else "",
            member=person,
        )
        account_services.grant_role(user, scope, role)
        logins.append(DemoLogin(Role(role).label, username, user.phone or "", DEMO_PASSWORD))
        scopes[username] = scope.name
    return logins, scopes


def demo_logins() -> list[DemoLogin]:
    """The demo accounts of an already seeded database, in the order `seed_demo` made them, for printing again.
    The password shown is the demo password; whoever changed his own will know it."""
    users = User.objects.filter(username__in=DEMO_USERNAMES).prefetch_related("role_assignments")
    by_name = {user.username: user for user in users}
    logins = []
    for username in DEMO_USERNAMES:
        user = by_name.get(username)
        if user is None:
            continue
        roles = [a.role for a in user.role_assignments.all() if a.revoked_at is None]
        label = Role(roles[0]).label if roles else ""
        logins.append(DemoLogin(label, username, user.phone or "", DEMO_PASSWORD))
    return logins


# What the demo county holds beyond its rolls, in the order the parts depend on each other (materials before the
# plans and the question bank that use them; every kind of activity before the points and 学时 credited from it;
# points and 学时 before the evaluation that weighs them).
_LATER_STEPS = [
    ("读书会", "partyedu.demo.reading.seed_reading_club"),
    ("红色教育基地", "partyedu.sites.demo.seed_sites"),
    ("师资库与党课", "partyedu.teachers.demo.seed_teachers"),
    ("学习资料与自学记录", "partyedu.learning.demo.seed_learning"),
    ("培训班与轮训", "partyedu.training.demo.seed_training"),
    ("读书计划", "partyedu.plans.demo.seed_plans"),
    ("题库", "partyedu.quizzes.demo.seed_question_bank"),
    ("每日一练与测试", "partyedu.quizzes.demo_quiz.seed_quizzes"),
    ("知识竞赛", "partyedu.competitions.demo.seed_competitions"),
    ("集中学习学时与送学上门", "partyedu.outreach.demo.seed_outreach"),
    ("志愿服务与双报到", "partyedu.volunteering.demo.seed_volunteering"),
    ("积分", "partyedu.points.demo.seed_points"),
    ("我为群众办实事与微心愿", "partyedu.practice.demo.seed_practice"),
    ("意见建议", "partyedu.opinions.demo.seed_opinions"),
    ("发展党员", "partyedu.development.demo.seed_development"),
    ("民主评议", "partyedu.evaluation.demo.seed_evaluation"),
    ("心得体会与查重", "partyedu.reflections.demo.seed_reflections"),
]


def seed_demo(scale: str = "county", seed: int = 1, progress=None, upto: str | None = None) -> SeedResult:
    """Fill an empty database with the demo county; refuses (SeedRefused) if any organisation exists.

    `upto` stops after the named part ("roster": the organisations, members and accounts only; else the last word
    of a step, e.g. "seed_teachers"), so that a test of one part seeds what it needs and no more."""
    if Organization.objects.exists():
        raise SeedRefused("数据库中已有党组织，演示数据只能写入空数据库。请使用一个新的数据库后再试。")
    clashing = list(User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True))
    if clashing:
        raise SeedRefused(
            f"演示账号用户名已被占用：{'、'.join(sorted(clashing))}。请使用一个新的数据库后再试。"
        )
    plan = plan_demo(scale, seed)
    with transaction.atomic():
        orgs = _write_organizations(plan)
        members = _write_members(plan, orgs)
        logins, scopes = _create_accounts(plan, orgs, members)
    from .life import seed_organisational_life

    life = None
    if upto != "roster":
        if progress:
            progress("组织生活（近一年的会议与出勤）")
        life = seed_organisational_life(seed)
        for label, step in _LATER_STEPS:
            if progress:
                progress(label)
            module, name = step.rsplit(".", 1)
            getattr(importlib.import_module(module), name)(seed)
            if upto == name:
                break
    kinds = Counter(org.kind for org in plan.orgs)
    statuses = Counter(item.fields["status"] for item in plan.members)
    return SeedResult(
        scale=scale,
        seed=seed,
        place=plan.place,
        committee_name=plan.orgs[plan.committee].name,
        agencies=len(plan.agencies),
        organizations=len(plan.orgs),
        branches=kinds[K.BRANCH],
        groups=kinds[K.GROUP],
        members=len(plan.members),
        members_by_status={status: statuses[status] for status in reversed(_STAGES)},
        retired=sum(item.fields["is_retired"] for item in plan.members),
        mobile=sum(item.fields["is_mobile"] for item in plan.members),
        needs_home_delivery=sum(item.fields["needs_home_delivery"] for item in plan.members),
        membership_periods=len(plan.members),
        logins=logins,
        login_scopes=scopes,
        meetings=life.meetings if life else 0,
        attendances=life.attendances if life else 0,
    )
