"""A branch keeps its 实事清单: an item is planned, worked on over months (the timeline), finished with a result
that credits the responsible members, or cancelled with a reason (which takes a finished item's credit back)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from partyedu.points.models import PointsEntry
from partyedu.practice import selectors, services
from partyedu.practice.models import Feedback, ItemStatus, ServiceItem

from ..conftest import login

pytestmark = pytest.mark.django_db


def net_points(member) -> int:
    return sum(e.points for e in PointsEntry.objects.filter(member=member, event_kind="service_item_done"))


def test_an_item_is_worked_on_over_time_and_finished_crediting_its_responsible_members(
    county, rules, make_item
):
    item = make_item()
    zhang, li, zeng = county.finance_members
    today = timezone.localdate()
    services.add_progress(item, "走访登记需要上门认证的老人38名", on=today - datetime.timedelta(days=20))
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_PROGRESS  # the first progress note starts the work
    services.add_progress(item, "完成第一批20名老人的上门认证", on=today - datetime.timedelta(days=5))
    assert [n.text[:4] for n in item.progress.all()] == ["走访登记", "完成第一"]

    services.complete_item(item, result_summary="38名老人全部完成医保认证，建立季度上门机制。")
    item.refresh_from_db()
    assert (item.status, item.done_on) == (ItemStatus.DONE, today)
    assert net_points(zhang) == net_points(li) == 5 and net_points(zeng) == 0

    with pytest.raises(ValidationError, match="已办结"):
        services.complete_item(item, result_summary="再办结一次")
    assert net_points(zhang) == 5  # once per item and member

    services.cancel_item(item, reason="经核实该事项与人社局项目重复")
    assert net_points(zhang) == net_points(li) == 0


def test_completing_needs_a_result_and_a_sensible_date(county, rules, make_item):
    item = make_item()
    with pytest.raises(ValidationError, match="办结成效"):
        services.complete_item(item, result_summary="  ")
    with pytest.raises(ValidationError, match="晚于今天"):
        services.complete_item(
            item, result_summary="完成", done_on=timezone.localdate() + datetime.timedelta(days=1)
        )
    with pytest.raises(ValidationError, match="取消原因"):
        services.cancel_item(item, reason="")
    assert ServiceItem.objects.get(pk=item.pk).status == ItemStatus.PLANNED


def test_changing_the_responsible_of_a_done_item_moves_the_credit(county, rules, make_item):
    zhang, li, zeng = county.finance_members
    item = make_item(responsible=[zhang])
    services.complete_item(item, result_summary="已办结")
    services.update_item(item, responsible=[zeng])
    assert (net_points(zhang), net_points(zeng)) == (0, 5)


def test_a_responsible_member_must_belong_to_the_organisation(county, make_item):
    with pytest.raises(ValidationError, match="王五不在"):
        make_item(responsible=[county.education_members[0]])


def test_the_worker_adds_an_item_typing_the_responsible_names(county, client):
    login(client, county.finance_secretary)
    today = timezone.localdate()
    data = {
        "organization": county.finance_branch.pk,
        "list_kind": "project",
        "title": "帮助小微企业申报留抵退税",
        "category": "enterprise",
        "responsible_names": "张三、李四",
        "beneficiaries": "辖区小微企业",
        "beneficiary_count": "12",
        "starts_on": today.isoformat(),
        "deadline": (today + datetime.timedelta(days=60)).isoformat(),
        "description": "",
        "plan": "一对一辅导申报",
    }
    response = client.post(reverse("practice:create"), data)
    item = ServiceItem.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("practice:item", args=[item.pk])
    assert sorted(m.name for m in item.responsible.all()) == ["张三", "李四"]

    data["responsible_names"] = "张三、王五"
    response = client.post(reverse("practice:create"), data)
    assert response.status_code == 200
    assert "没有找到“王五”" in response.content.decode()  # another unit's member, nothing saved
    data["deadline"] = (today - datetime.timedelta(days=1)).isoformat()
    response = client.post(reverse("practice:create"), data)
    assert "完成时限不能早于开始日期" in response.content.decode()
    assert ServiceItem.objects.count() == 1


def test_two_members_of_the_same_name_are_told_apart_by_their_branch(county):
    from partyedu.practice.forms import resolve_names
    from tests.factories import MemberFactory, make_org

    other = make_org("县财政局第二党支部", "branch", county.finance)
    MemberFactory.create(organization=other, name="张三")
    with pytest.raises(Exception, match="同名党员"):
        resolve_names("张三", county.finance)
    assert [m.organization for m in resolve_names("张三（第二）", county.finance)] == [other]


def test_the_list_highlights_overdue_and_unrated_items_with_a_fixed_number_of_queries(
    county, make_item, client, django_assert_max_num_queries
):
    overdue = make_item("老旧小区加装电梯协调", due=-3)
    done_unrated = make_item("社区图书角建设")
    services.complete_item(done_unrated, result_summary="图书角已投入使用")
    rated = make_item("路灯维修")
    services.complete_item(rated, result_summary="修复路灯12盏")
    Feedback.objects.create(item=rated, satisfaction="satisfied")
    Feedback.objects.create(item=rated, satisfaction="unsatisfied")
    for n in range(8):
        make_item(f"普通事项{n}")
    login(client, county.finance_secretary)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("practice:list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('class="pr-overdue"') == 1 and body.count('class="pr-unrated"') == 1
    assert "50.0%" in body  # one satisfied of two

    response = client.get(reverse("practice:list"), {"flag": "overdue"})
    assert list(response.context["page"]) == [overdue]
    response = client.get(reverse("practice:list"), {"flag": "unrated"})
    assert list(response.context["page"]) == [done_unrated]
    response = client.get(reverse("practice:list"), {"status": "done", "category": "public_service"})
    assert set(response.context["page"]) == {done_unrated, rated}


def test_the_summary_is_in_tree_order_not_ranked_by_count(county, make_item, client):
    from tests.factories import make_org

    second = make_org("县财政局第二党支部", "branch", county.finance)
    for n in range(3):
        make_item(f"二支部事项{n}", org=second, responsible=[])
    make_item("一支部事项", due=-1)
    login(client, county.committee_admin)
    response = client.get(reverse("practice:summary"), {"org": county.finance.pk})
    rows = response.context["rows"]
    assert [org for org, _ in rows] == [county.finance_branch, second]  # the order of the tree
    assert [n["items"] for _, n in rows] == [1, 3] and rows[0][1]["overdue"] == 1
    assert response.context["total"]["items"] == 4


def test_selectors_decorate_uses_the_annotations(county, make_item, django_assert_num_queries):
    make_item(due=-1)
    items = list(selectors.filtered_items(county.committee_admin))
    with django_assert_num_queries(0):
        selectors.decorate(items)
    assert items[0].overdue and items[0].rate is None


def test_list_pages_of_one_branch_do_not_show_another_units_items_and_wishes(county, client):
    from tests.access_routes.practice import OTHER, education_item, education_wish

    education_item(county)
    education_wish(county)
    login(client, county.committee_admin)
    assert "教育局送教下乡" in client.get(reverse("practice:list")).content.decode()  # the check can fail
    for user in (county.finance_secretary, county.finance_member_user):
        login(client, user)
        for name in ("practice:list", "practice:wishes", "practice:mine", "practice:summary"):
            response = client.get(reverse(name))
            body = response.content.decode()
            assert response.status_code in (200, 403), name
            assert not any(text in body for text in OTHER), (name, user)


def test_the_item_page_shows_the_timeline_with_follow_ups_after_completion(county, make_item, client):
    item = make_item()
    today = timezone.localdate()
    services.add_progress(item, "完成第一批上门认证", on=today - datetime.timedelta(days=9))
    services.complete_item(item, result_summary="全部完成", done_on=today - datetime.timedelta(days=5))
    services.add_progress(item, "季度回访：新增两名老人已上门认证", on=today)
    login(client, county.finance_secretary)
    body = client.get(reverse("practice:item", args=[item.pk])).content.decode()
    timeline = body[body.index('class="pr-timeline"') :]
    positions = [timeline.index(t) for t in ("事项启动", "完成第一批", "办结", "季度回访")]
    assert positions == sorted(positions)
    assert "记录回访" in body  # a done item keeps its mechanism going
