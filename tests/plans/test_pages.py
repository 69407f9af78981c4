"""The pages: a worker builds, publishes and follows a plan; a member reads his plans on the phone."""

import pytest
from django.urls import reverse

from partyedu.notifications.models import Notification
from partyedu.plans import services
from partyedu.plans.models import PlanAssignment, ReadingPlan, ReadingPlanItem
from tests.factories import MemberFactory, make_user

from .conftest import complete, days

pytestmark = pytest.mark.django_db


def test_a_secretary_builds_and_publishes_a_branch_plan(county, client, county_material, finance_material):
    client.force_login(county.finance_secretary)
    response = client.post(
        reverse("plans:create"),
        {
            "organization": county.finance_branch.pk,
            "title": "财政局机关党支部第四季度学习计划",
            "year": 2026,
            "deadline": days(20).isoformat(),
            "audience": "subtree",
        },
    )
    plan = ReadingPlan.objects.get(title="财政局机关党支部第四季度学习计划")
    assert response.status_code == 302
    page = client.get(reverse("plans:items", args=[plan.pk]), {"q": "廉政"})
    assert f'name="material" value="{finance_material.pk}"' in page.content.decode()
    client.post(
        reverse("plans:items", args=[plan.pk]),
        {"kind": "material", "material": finance_material.pk, "required": "1"},
    )
    client.post(
        reverse("plans:items", args=[plan.pk]),
        {"kind": "book", "book_title": "《之江新语》", "book_author": "习近平", "required": "0"},
    )
    assert [i.title for i in plan.items.order_by("order")] == ["财政系统廉政教育读本", "《之江新语》"]
    client.post(reverse("plans:publish", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == "published"
    assert PlanAssignment.objects.filter(plan=plan).count() == 3
    detail = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "之江新语" in detail and "已发布" in detail


def test_a_material_the_audience_cannot_see_is_refused(county, client, finance_material):
    client.force_login(county.committee_admin)
    plan = services.create_plan(
        organization=county.committee,
        title="全县计划",
        year=2026,
        deadline=days(9),
        by=county.committee_admin,
    )
    client.post(
        reverse("plans:items", args=[plan.pk]),
        {"kind": "material", "material": finance_material.pk, "required": "1"},
    )
    assert not plan.items.exists()


def test_the_progress_page_shows_organisations_and_members(county, client, county_plan, county_material):
    complete(county.finance_members[0], county_material)
    county_plan.deadline = days(-1)
    county_plan.save()
    client.force_login(county.committee_admin)
    body = client.get(reverse("plans:progress", args=[county_plan.pk])).content.decode()
    assert "县财政局党组" in body and "县教育局党委" in body
    body = client.get(
        reverse("plans:progress", args=[county_plan.pk]), {"org": county.finance.pk, "show": "overdue"}
    ).content.decode()
    assert "李四" in body and "王五" not in body


def test_reminding_unfinished_members_notifies_each_once_a_day(county, client, county_plan, county_material):
    complete(county.finance_members[0], county_material)
    wang_user = make_user(
        "wangwu", role="member", org=county.education_branch, member=county.education_members[0]
    )
    client.force_login(county.committee_admin)
    client.post(reverse("plans:remind", args=[county_plan.pk]))
    client.post(reverse("plans:remind", args=[county_plan.pk]))
    assert Notification.objects.filter(user=county.finance_member_user).count() == 1
    assert Notification.objects.filter(user=wang_user).count() == 1
    note = Notification.objects.get(user=wang_user)
    assert note.url == reverse("plans:mine_detail", args=[county_plan.pk])


def test_the_daily_reminder_alerts_only_overdue_members_once_per_missed_deadline(
    county, county_plan, county_material
):
    from partyedu.plans.tasks import remind_overdue_plans

    complete(county.finance_members[0], county_material)
    li_user = make_user("lisi", role="member", org=county.finance_branch, member=county.finance_members[1])
    assert remind_overdue_plans.call() == 0  # not due yet
    county_plan.deadline = days(0)
    county_plan.save()
    assert remind_overdue_plans.call() == 0  # due today: not overdue
    county_plan.deadline = days(-1)
    county_plan.save()
    assert remind_overdue_plans.call() == 2  # 张三 (the book) and 李四; others have no account
    assert remind_overdue_plans.call() == 0
    assert "习近平著作选读" in Notification.objects.get(user=county.finance_member_user).body
    assert Notification.objects.filter(user=li_user).count() == 1


def test_a_member_reads_his_plans_and_marks_a_book_read(county, client, county_plan):
    client.force_login(county.finance_member_user)
    body = client.get(reverse("plans:mine")).content.decode()
    assert "2026年度党员必读书目" in body
    book = county_plan.items.get(material=None)
    client.post(reverse("plans:book_read", args=[book.pk]), {"note": "读完第一卷，体会很深"})
    body = client.get(reverse("plans:mine_detail", args=[county_plan.pk])).content.decode()
    assert "读完第一卷，体会很深" in body and "1/2" in body
    assert 'href="/learning/materials/' in body  # the library item links to its page, where study is credited


def test_a_draft_is_not_shown_to_members(county, client):
    plan = services.create_plan(organization=county.finance, title="草稿计划", year=2026, deadline=days(3))
    services.add_book_item(plan, title="草稿书")
    client.force_login(county.finance_member_user)
    assert "草稿计划" not in client.get(reverse("plans:mine")).content.decode()
    assert client.get(reverse("plans:mine_detail", args=[plan.pk])).status_code == 404


def test_a_member_makes_a_personal_plan_with_a_library_material_and_a_book(county, client, county_material):
    client.force_login(county.finance_member_user)
    response = client.post(
        reverse("plans:personal_create"),
        {"title": "我的党史学习计划", "year": 2026, "deadline": days(60).isoformat()},
    )
    plan = ReadingPlan.objects.get(title="我的党史学习计划")
    assert response["Location"] == reverse("plans:items", args=[plan.pk])
    page = client.get(reverse("plans:items", args=[plan.pk]), {"q": "简史"}).content.decode()
    assert f'name="material" value="{county_material.pk}"' in page
    client.post(
        reverse("plans:items", args=[plan.pk]),
        {
            "kind": "material",
            "material": county_material.pk,
            "required": "1",
            "deadline": days(10).isoformat(),
        },
    )
    client.post(
        reverse("plans:items", args=[plan.pk]),
        {"kind": "book", "book_title": "红星照耀中国", "required": "1"},
    )
    assert plan.items.count() == 2
    assert plan.items.get(material=county_material).deadline == days(10)
    complete(county.finance_members[0], county_material)
    body = client.get(reverse("plans:mine_detail", args=[plan.pk])).content.decode()
    assert "1/2" in body and "红星照耀中国" in body


def test_members_see_only_their_own_plans(county, client, county_plan):
    wang = county.education_members[0]
    theirs = services.create_personal_plan(wang, title="王五的计划", year=2026)
    edu = services.create_plan(organization=county.education, title="教育局计划", year=2026, deadline=days(3))
    services.add_book_item(edu, title="教育学")
    services.publish(edu)
    client.force_login(county.finance_member_user)
    body = client.get(reverse("plans:mine")).content.decode()
    assert "王五的计划" not in body and "教育局计划" not in body
    for plan in (theirs, edu):
        assert client.get(reverse("plans:mine_detail", args=[plan.pk])).status_code == 404
        assert client.get(reverse("plans:items", args=[plan.pk])).status_code == 404
    # a plain member manages no assigned plan
    assert client.get(reverse("plans:list")).status_code == 403
    assert client.get(reverse("plans:detail", args=[county_plan.pk])).status_code == 404


def test_another_branchs_secretary_gets_404_and_changes_nothing(county, client):
    plan = services.create_plan(
        organization=county.education_branch, title="教育支部计划", year=2026, deadline=days(3)
    )
    item = services.add_book_item(plan, title="教育学")
    client.force_login(county.finance_secretary)
    for name in (
        "plans:detail",
        "plans:progress",
        "plans:audience",
        "plans:items",
        "plans:edit",
    ):
        assert client.get(reverse(name, args=[plan.pk])).status_code == 404, name
    assert client.post(reverse("plans:publish", args=[plan.pk])).status_code == 404
    assert client.post(reverse("plans:overdue_export", args=[plan.pk])).status_code == 404
    assert client.post(reverse("plans:item_change", args=[item.pk]), {"action": "remove"}).status_code == 404
    plan.refresh_from_db()
    assert plan.status == "draft" and ReadingPlanItem.objects.filter(pk=item.pk).exists()
    assert "教育支部计划" not in client.get(reverse("plans:list")).content.decode()


def test_a_branch_secretary_cannot_drill_into_another_branch_of_a_plan_he_manages(county, client):
    """The finance secretary's own plan: ?org= naming the education branch falls back to his plan's root."""
    plan = services.create_plan(
        organization=county.finance_branch, title="支部计划", year=2026, deadline=days(3)
    )
    services.add_book_item(plan, title="党章")
    services.publish(plan)
    client.force_login(county.finance_secretary)
    body = client.get(
        reverse("plans:progress", args=[plan.pk]), {"org": county.education_branch.pk}
    ).content.decode()
    assert "县财政局机关党支部" in body and "县教育局" not in body


def _big_county(county, county_plan, n=30):
    for i in range(n):
        MemberFactory.create(
            organization=county.finance_branch if i % 2 else county.education_branch, name=f"党员{i}"
        )
    services.sync_assignments(county_plan)
    for i in range(8):
        plan = services.create_plan(
            organization=county.finance, title=f"计划{i}", year=2026, deadline=days(i - 4)
        )
        services.add_book_item(plan, title=f"书{i}")
        services.publish(plan)


def test_list_and_progress_pages_do_not_query_per_row(
    county, client, county_plan, django_assert_max_num_queries
):
    _big_county(county, county_plan)
    client.force_login(county.committee_admin)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("plans:list")).status_code == 200
    with django_assert_max_num_queries(16):
        body = client.get(reverse("plans:progress", args=[county_plan.pk])).content.decode()
    assert "党员29" in body
    with django_assert_max_num_queries(12):
        assert client.get(reverse("plans:mine_detail", args=[county_plan.pk])).status_code == 404  # no member
    client.force_login(county.finance_member_user)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("plans:mine_detail", args=[county_plan.pk])).status_code == 200


def test_a_branch_secretary_follows_the_county_plan_for_his_own_branch_only(county, client, county_plan):
    client.force_login(county.finance_secretary)
    listing = client.get(reverse("plans:list")).content.decode()
    assert "2026年度党员必读书目" in listing
    url = reverse("plans:progress", args=[county_plan.pk])
    body = client.get(url).content.decode()
    assert "张三" in body and "王五" not in body
    assert "提醒未完成人员" not in body
    body = client.get(url, {"org": county.education_branch.pk}).content.decode()
    assert "王五" not in body
    assert client.get(reverse("plans:detail", args=[county_plan.pk])).status_code == 404
    assert client.post(reverse("plans:remind", args=[county_plan.pk])).status_code == 404
    assert client.post(reverse("plans:sync", args=[county_plan.pk])).status_code == 404


def test_my_plans_page_does_not_query_per_plan(county, client, county_plan, django_assert_max_num_queries):
    zhang = county.finance_members[0]
    for i in range(6):
        plan = services.create_personal_plan(zhang, title=f"个人计划{i}", year=2026)
        services.add_book_item(plan, title=f"书{i}")
    client.force_login(county.finance_member_user)
    with django_assert_max_num_queries(12):
        body = client.get(reverse("plans:mine")).content.decode()
    assert "个人计划5" in body and "2026年度党员必读书目" in body


def test_a_worker_opens_one_members_items_but_not_a_member_outside_his_scope(county, client, county_plan):
    book = county_plan.items.get(material=None)
    services.mark_book_read(book, county.finance_members[0], note="读完第一卷，做了摘抄")
    client.force_login(county.finance_secretary)
    url = reverse("plans:member_detail", args=[county_plan.pk, county.finance_members[0].pk])
    assert "读完第一卷，做了摘抄" in client.get(url).content.decode()
    other = reverse("plans:member_detail", args=[county_plan.pk, county.education_members[0].pk])
    assert client.get(other).status_code == 404
    client.force_login(county.committee_admin)
    assert client.get(other).status_code == 200
