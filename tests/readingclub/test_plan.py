"""The 读书会 plan: made at year end for the next year, twelve themes at once, co-hosts in rotation."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partyedu.readingclub import services
from partyedu.readingclub.models import PlanStatus, ReadingClubPlan

from ..factories import make_org
from .conftest import THEMES, YEAR, months_for


def plan_post(org, year=YEAR, **extra):
    data = {"organization": org.pk, "year": year, "title": ""}
    for n, theme in enumerate(THEMES, start=1):
        data[f"theme_{n}"] = theme
        data[f"cohost_{n}"] = ""
    data.update(extra)
    return data


def test_the_party_worker_fills_twelve_themes_and_lets_the_cohosts_rotate(client, club):
    client.force_login(club.education_admin)
    page = client.get(reverse("readingclub:plan_create"))
    assert page.status_code == 200 and "按顺序轮流安排" in page.content.decode()

    rotated = client.post(reverse("readingclub:plan_create"), plan_post(club.education, rotate="1"))
    assert rotated.status_code == 200 and not ReadingClubPlan.objects.exists()  # shown, not saved
    form = rotated.context["form"]
    assert [form[f"cohost_{n}"].value() for n in range(1, 5)] == [
        str(club.education_branch.pk),
        str(club.second_branch.pk),
        str(club.education_branch.pk),
        str(club.second_branch.pk),
    ]

    data = {k: v for k, v in form.data.items() if k != "rotate"}
    response = client.post(reverse("readingclub:plan_create"), data)
    plan = ReadingClubPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "readingclub:plan_detail", args=[plan.pk]
    )
    assert plan.title == f"{YEAR}年度读书会计划" and plan.status == PlanStatus.DRAFT
    months = list(plan.months.order_by("month"))
    assert [m.theme for m in months] == THEMES
    assert [m.cohost for m in months] == [club.education_branch, club.second_branch] * 6


def test_a_plan_with_a_missing_theme_is_refused_in_chinese(client, club):
    client.force_login(club.education_admin)
    response = client.post(
        reverse("readingclub:plan_create"), plan_post(club.education, theme_3="", theme_7="")
    )
    assert response.status_code == 200
    assert "请填写第 3、7 月的主题" in response.content.decode()
    assert not ReadingClubPlan.objects.exists()


def test_one_plan_per_organisation_and_year(club, plan):
    with pytest.raises(ValidationError) as exc:
        services.create_plan(
            organization=club.education, year=YEAR, title="重复", months=months_for(None, [None] * 12)
        )
    assert "已经存在" in str(exc.value)


def test_the_rotation_goes_on_after_last_years_december_host(club, plan):
    # 2025's December went to the second branch, so 2026 starts with the first; with a third branch it goes on.
    third = make_org("县教育局机关第三党支部", "branch", club.education)
    hosts = services.rotation(club.education, YEAR + 1)
    assert hosts[:4] == [third, club.education_branch, club.second_branch, third]


def test_the_working_committee_rotates_among_its_units(county):
    hosts = services.rotation(county.committee, YEAR)
    assert hosts[:3] == [county.finance, county.education, county.finance]


def test_a_cohost_outside_the_subtree_is_refused(club):
    with pytest.raises(ValidationError) as exc:
        services.create_plan(
            organization=club.education,
            year=YEAR,
            title="",
            months=months_for(None, [club.finance_branch] + [None] * 11),
        )
    assert "不在本组织下属范围内" in str(exc.value)


def test_a_plan_is_published_only_when_every_month_has_a_cohost(club):
    plan = services.create_plan(
        organization=club.education,
        year=YEAR,
        title="",
        months=months_for(None, [club.second_branch] * 11 + [None]),
    )
    with pytest.raises(ValidationError) as exc:
        services.publish_plan(plan)
    assert "第 12 月尚未安排协办单位" in str(exc.value)


def test_a_draft_is_seen_only_by_its_editors_and_a_published_plan_by_the_whole_subtree(client, club):
    plan = services.create_plan(
        organization=club.education, year=YEAR, title="", months=months_for(None, [club.second_branch] * 12)
    )
    url = reverse("readingclub:plan_detail", args=[plan.pk])
    for user, status in [
        (club.education_admin, 200),
        (club.committee_admin, 200),
        (club.first_secretary, 404),  # a draft is still being made: the co-hosts see it once published
        (club.wangwu, 404),
        (club.finance_secretary, 404),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == status, user
    services.publish_plan(plan)
    for user, status in [(club.wangwu, 200), (club.finance_member_user, 404), (club.finance_secretary, 404)]:
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(club.wangwu)
    assert plan.title in client.get(reverse("readingclub:plans")).content.decode()
    client.force_login(club.finance_secretary)
    assert plan.title not in client.get(reverse("readingclub:plans")).content.decode()


def test_only_the_owners_workers_edit_or_publish(client, club, plan):
    client.force_login(club.first_secretary)
    assert client.get(reverse("readingclub:plan_edit", args=[plan.pk])).status_code == 403
    assert client.post(reverse("readingclub:plan_archive", args=[plan.pk])).status_code == 403
    client.force_login(club.wangwu)
    assert client.post(reverse("readingclub:plan_publish", args=[plan.pk])).status_code == 403


def test_the_board_shows_the_twelve_months_with_their_status(client, club, plan):
    month = plan.months.get(month=1)
    services.submit_activity_plan(month, "1月活动方案", by=club.first_secretary)
    client.force_login(club.education_admin)
    page = client.get(reverse("readingclub:plan_detail", args=[plan.pk])).content.decode()
    for n, theme in enumerate(THEMES, start=1):
        assert f"第{n}期 · {n}月" in page and theme in page
    assert page.count("方案待审核") == 1 and page.count("未提交方案") == 11


def test_the_cohosts_can_be_changed_until_they_submit(club, plan):
    services.submit_activity_plan(plan.months.get(month=1), "方案", by=club.first_secretary)
    months = [{"theme": m.theme, "cohost": m.cohost} for m in plan.months.order_by("month")]
    months[0]["cohost"], months[1]["cohost"] = club.second_branch, club.education_branch
    with pytest.raises(ValidationError) as exc:
        services.update_plan(plan, title=plan.title, months=months)
    assert "第 1 月的协办单位已提交活动方案" in str(exc.value)
    months[0]["cohost"] = club.education_branch
    services.update_plan(plan, title="改名", months=months)
    assert plan.months.get(month=2).cohost == club.education_branch


def test_the_plan_list_costs_the_same_queries_for_1_or_6_plans(client, club, plan):
    client.force_login(club.committee_admin)
    client.get(reverse("readingclub:plans"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("readingclub:plans"))
    for year in range(YEAR - 5, YEAR):
        services.create_plan(
            organization=club.education,
            year=year,
            title="",
            months=months_for(None, [club.second_branch] * 12),
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("readingclub:plans"))
    assert len(response.context["plans"]) == 6
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_plan_cannot_be_made_for_an_organisation_outside_ones_scope(client, club):
    client.force_login(club.first_secretary)
    response = client.post(reverse("readingclub:plan_create"), plan_post(club.education))
    assert response.status_code == 404 and not ReadingClubPlan.objects.exists()
    client.force_login(club.wangwu)
    assert client.get(reverse("readingclub:plan_create")).status_code == 403
    client.force_login(club.education_admin)
    response = client.post(
        reverse("readingclub:plan_create"), plan_post(club.education, year="明年", rotate="1")
    )
    assert response.status_code == 200
