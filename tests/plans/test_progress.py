"""Progress counts only what happened: verified study of library items, books the member says he read;
overdue from the day after the deadline; figures per member and per organisation."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from partyedu.learning.models import StudyRecord
from partyedu.members.services import transfer_member
from partyedu.plans import services
from partyedu.plans.models import PlanAssignment
from partyedu.plans.selectors import Progress, member_progress

from .conftest import complete, days, today

pytestmark = pytest.mark.django_db


def items(plan):
    return list(plan.items.order_by("order"))


def test_a_library_item_is_done_only_when_verified_study_completed_it(county, county_plan, county_material):
    zhang = county.finance_members[0]
    StudyRecord.objects.create(member=zhang, material=county_material, seconds=120)  # started, not completed
    status = member_progress(county_plan, zhang)
    assert [s.done for s in status.items] == [False, False]
    complete(zhang, county_material)
    status = member_progress(county_plan, zhang)
    assert [s.done for s in status.items] == [True, False]
    assert (status.done_required, status.required, status.finished) == (1, 2, False)


def test_a_book_item_is_done_when_the_member_marks_it_read_with_a_note(county, county_plan, county_material):
    zhang = county.finance_members[0]
    book = items(county_plan)[1]
    with pytest.raises(ValidationError):
        services.mark_book_read(book, zhang, note="读了", by=county.finance_member_user)
    services.mark_book_read(book, zhang, note="深刻理解了新时代的历史方位", by=county.finance_member_user)
    complete(zhang, county_material)
    status = member_progress(county_plan, zhang)
    assert status.finished and status.percent == 100
    assert status.items[1].reading.note == "深刻理解了新时代的历史方位"


def test_nobody_marks_a_book_for_someone_else_nor_a_library_item_by_hand(county, county_plan):
    material_item, book = items(county_plan)
    li = county.finance_members[1]
    with pytest.raises(PermissionDenied):
        services.mark_book_read(book, li, note="替别人登记一下", by=county.finance_member_user)
    with pytest.raises(ValidationError):
        services.mark_book_read(material_item, county.finance_members[0], note="资料不能手工登记", by=None)


def test_a_member_outside_the_plan_cannot_mark_its_book(county):
    plan = services.create_plan(
        organization=county.education,
        title="教育局计划",
        year=2026,
        deadline=days(5),
        by=county.committee_admin,
    )
    book = services.add_book_item(plan, title="教育强国", by=county.committee_admin)
    services.publish(plan, by=county.committee_admin)
    with pytest.raises(PermissionDenied):
        services.mark_book_read(book, county.finance_members[0], note="不是我的计划", by=None)


@pytest.mark.parametrize(("offset", "overdue"), [(0, False), (-1, True), (1, False)])
def test_overdue_starts_the_day_after_the_deadline(county, county_plan, offset, overdue):
    county_plan.deadline = days(offset)
    county_plan.save()
    zhang = county.finance_members[0]
    assert member_progress(county_plan, zhang).overdue is overdue
    progress = Progress(county_plan, today())
    assert progress.totals().overdue == (5 if overdue else 0)


def test_a_per_item_deadline_makes_only_that_item_overdue(county, county_plan, county_material):
    material_item, book = items(county_plan)
    material_item.deadline = days(-1)
    material_item.save()
    zhang, li = county.finance_members[:2]
    complete(zhang, county_material)
    assert member_progress(county_plan, zhang).overdue is False
    status = member_progress(county_plan, li)
    assert status.overdue is True
    assert [s.overdue for s in status.items] == [True, False]
    progress = Progress(county_plan, today())
    assert progress.overdue_items_of([zhang.pk, li.pk]) == {zhang.pk: [], li.pk: [material_item]}


def test_optional_items_do_not_count_towards_finishing(county, county_plan, county_material):
    _, book = items(county_plan)
    services.set_item_required(book, False, by=county.committee_admin)
    zhang = county.finance_members[0]
    complete(zhang, county_material)
    assert member_progress(county_plan, zhang).finished


def test_figures_per_organisation_add_up_over_child_organisations(county, county_plan, county_material):
    """Finance: 张三 finished, 李四 half, 曾小明 nothing; education: 王五 finished. Deadline passed."""
    zhang, li, _ = county.finance_members
    wang = county.education_members[0]
    _, book = items(county_plan)
    for m in (zhang, wang):
        complete(m, county_material)
        services.mark_book_read(book, m, note="认真读完，写了笔记")
    complete(li, county_material)
    county_plan.deadline = days(-1)
    county_plan.save()
    progress = Progress(county_plan, today())
    rows = {r.label: (r.assigned, r.finished, r.overdue) for r in progress.by_child(county.committee)}
    assert rows == {"县财政局党组": (3, 1, 2), "县教育局党委": (2, 1, 1)}
    assert [(r.assigned, r.finished, r.overdue) for r in progress.by_child(county.finance)] == [(3, 1, 2)]
    total = progress.totals()
    assert (total.assigned, total.finished, total.overdue, total.percent) == (5, 2, 3, 40)
    assert {a.member.name for a in progress.member_rows(county.committee, "overdue")} == {
        "李四",
        "曾小明",
        "赵六",
    }
    assert {a.member.name for a in progress.member_rows(county.finance, "finished")} == {"张三"}


def test_members_of_the_organisation_itself_get_their_own_row(county, county_plan):
    from tests.factories import MemberFactory

    MemberFactory.create(organization=county.education, name="党委直属党员")
    services.sync_assignments(county_plan, by=county.committee_admin)
    rows = {r.label: r.assigned for r in Progress(county_plan, today()).by_child(county.education)}
    assert rows == {"县教育局党委（本级）": 1, "县教育局机关第一党支部": 2}
    # a branch's 党小组 get no row: members are enrolled in the branch
    assert [r.label for r in Progress(county_plan, today()).by_child(county.education_branch)] == [
        "县教育局机关第一党支部（本级）"
    ]


def test_a_member_transferred_out_keeps_his_readings_but_leaves_the_counts(
    county, county_plan, county_material
):
    plan = services.create_plan(
        organization=county.finance,
        title="财政局计划",
        year=2026,
        deadline=days(5),
        by=county.committee_admin,
    )
    book = services.add_book_item(plan, title="预算法释义", by=county.committee_admin)
    services.publish(plan, by=county.committee_admin)
    li = county.finance_members[1]
    services.mark_book_read(book, li, note="读完并做了摘录")
    transfer_member(li, county.education_branch)
    progress = Progress(plan, today())
    assert progress.totals(county.finance).assigned == 2  # at once, before any re-sync
    services.sync_assignments(plan, by=county.committee_admin)
    assert progress.totals().assigned == 2
    assert PlanAssignment.objects.get(plan=plan, member=li).left_on is not None
    assert book.readings.filter(member=li).exists()


def test_only_materials_visible_to_the_whole_audience_may_be_listed(county, finance_material):
    county_wide = services.create_plan(
        organization=county.committee,
        title="全县计划",
        year=2026,
        deadline=days(5),
        by=county.committee_admin,
    )
    with pytest.raises(ValidationError):
        services.add_material_item(county_wide, finance_material, by=county.committee_admin)
    finance_plan = services.create_plan(
        organization=county.finance_branch,
        title="支部计划",
        year=2026,
        deadline=days(5),
        by=county.finance_secretary,
    )
    item = services.add_material_item(finance_plan, finance_material, by=county.finance_secretary)
    assert item.material == finance_material
    with pytest.raises(ValidationError):
        services.add_material_item(finance_plan, finance_material, by=county.finance_secretary)


def test_an_item_deadline_cannot_be_later_than_the_plan(county, county_plan):
    with pytest.raises(ValidationError):
        services.add_book_item(
            county_plan, title="晚到的书", deadline=county_plan.deadline + datetime.timedelta(days=1), by=None
        )


def test_a_personal_plan_takes_only_materials_its_owner_may_read(county, finance_material):
    zhang, wang = county.finance_members[0], county.education_members[0]
    mine = services.create_personal_plan(zhang, title="张三的计划", year=2026)
    assert services.add_material_item(mine, finance_material).material == finance_material
    theirs = services.create_personal_plan(wang, title="王五的计划", year=2026)
    with pytest.raises(ValidationError):
        services.add_material_item(theirs, finance_material)
    with pytest.raises(PermissionDenied):
        services.add_book_item(theirs, title="别人的书", by=county.finance_member_user)
