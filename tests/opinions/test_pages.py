"""意见建议 pages for workers: the list (overdue highlighted, no per-row queries), the detail with the contact
shown only to the receiving organisation's workers, assigning and replying, the statistics and their export."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partyedu.opinions import services
from partyedu.opinions.models import Opinion, OpinionBox, OpinionStatus
from partyedu.reports.models import GeneratedReport

pytestmark = pytest.mark.django_db


def many(org, n, *, overdue=0):
    today = timezone.localdate()
    ops = []
    for i in range(n):
        op = services.record_opinion(
            org,
            channel="forum",
            content=f"第{i + 1}条：建议优化审批流程",
            received_on=today - datetime.timedelta(days=20),
        )
        if i < overdue:
            Opinion.objects.filter(pk=op.pk).update(
                due_on=today - datetime.timedelta(days=1), status=OpinionStatus.ASSIGNED
            )
        ops.append(op)
    return ops


def test_the_list_shows_the_subtree_highlights_overdue_and_needs_few_queries(
    county, client, django_assert_max_num_queries
):
    many(county.finance_branch, 8, overdue=3)
    many(county.education_branch, 2)
    client.force_login(county.finance_secretary)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("opinions:list"))
    body = response.content.decode()
    assert body.count("op-overdue") == 3 and "逾期" in body
    assert body.count("建议优化审批流程") == 8
    only = client.get(reverse("opinions:list"), {"overdue": "1"}).content.decode()
    assert only.count("建议优化审批流程") == 3


def test_a_worker_records_assigns_and_replies_and_the_contact_stays_with_the_workers(county, client):
    client.force_login(county.finance_secretary)
    response = client.post(
        reverse("opinions:create"),
        {
            "organization": county.finance_branch.pk,
            "channel": "visit",
            "received_on": timezone.localdate().isoformat(),
            "content": "建议在单位门口增设非机动车停放点。",
            "giver_name": "李师傅",
            "giver_contact": "13911112222",
        },
    )
    op = Opinion.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("opinions:detail", args=[op.pk])
    assert "13911112222" in client.get(reverse("opinions:detail", args=[op.pk])).content.decode()
    zhang = county.finance_members[0]
    client.post(
        reverse("opinions:assign", args=[op.pk]),
        {
            "assignee_org": county.finance_branch.pk,
            "assignee_member": zhang.pk,
            "due_on": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        },
    )
    op.refresh_from_db()
    assert op.assignee_member == zhang and op.status == OpinionStatus.ASSIGNED

    client.force_login(county.finance_member_user)  # 张三, the assignee: sees the opinion, not the contact
    page = client.get(reverse("opinions:detail", args=[op.pk])).content.decode()
    assert "非机动车停放点" in page and "13911112222" not in page
    client.post(reverse("opinions:reply", args=[op.pk]), {"reply": "已协调物业增设停放点。"})
    op.refresh_from_db()
    assert op.status == OpinionStatus.REPLIED and op.reply_days == 0
    client.post(reverse("opinions:close", args=[op.pk]), {"note": "已回访"})
    op.refresh_from_db()
    assert op.status == OpinionStatus.CLOSED


def test_a_member_who_is_not_the_assignee_sees_nothing(county, client):
    [op] = many(county.finance_branch, 1)
    client.force_login(county.finance_member_user)
    assert client.get(reverse("opinions:detail", args=[op.pk])).status_code == 404
    assert "建议优化审批流程" not in client.get(reverse("opinions:list")).content.decode()


def test_bad_worker_input_is_shown_and_nothing_is_lost(county, client):
    client.force_login(county.finance_secretary)
    response = client.post(
        reverse("opinions:create"),
        {
            "organization": county.finance_branch.pk,
            "channel": "visit",
            "received_on": "2026-02-30",
            "content": "内容",
        },
    )
    assert response.status_code == 200 and "内容" in response.content.decode()
    assert not Opinion.objects.exists()
    [op] = many(county.finance_branch, 1)
    response = client.post(reverse("opinions:assign", args=[op.pk]), {"assignee_org": "abc", "due_on": "x"})
    assert response.status_code == 302
    response = client.post(reverse("opinions:reply", args=[op.pk]), {"reply": ""}, follow=True)
    assert "请填写答复内容" in response.content.decode()


def test_the_statistics_page_and_its_export(county, client, django_assert_max_num_queries):
    ops = many(county.finance_branch, 4, overdue=1)
    services.reply(ops[1], text="已办理")
    client.force_login(county.committee_admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("opinions:stats"))
    body = response.content.decode()
    assert "县财政局党组" in body and "25.0%" in body
    start = (timezone.localdate() - datetime.timedelta(days=60)).isoformat()
    response = client.post(
        reverse("opinions:stats_export") + f"?org={county.finance.pk}",
        {"start": start, "end": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    report = GeneratedReport.objects.get()
    assert report.kind == "opinion_stats" and report.status == "done"
    from openpyxl import load_workbook

    book = load_workbook(report.file.open("rb"))
    rows = list(book["答复情况"].iter_rows(values_only=True))
    assert rows[1][:4] == ("县财政局党组", 4, 1, 25.0)


def test_the_statistics_of_another_unit_are_not_shown(county, client):
    client.force_login(county.finance_secretary)
    assert client.get(reverse("opinions:stats"), {"org": county.education.pk}).status_code == 404
    assert client.get(reverse("opinions:stats"), {"org": "99999"}).status_code == 404


def test_the_qr_page_opens_a_box_and_shows_its_link(county, client):
    client.force_login(county.finance_secretary)
    url = reverse("opinions:box", args=[county.finance_branch.pk])
    assert "开通意见箱" in client.get(url).content.decode()
    client.post(reverse("opinions:box_renew", args=[county.finance_branch.pk]))
    box = OpinionBox.objects.get()
    page = client.get(url).content.decode()
    assert "<svg" in page and f"/opinions/p/{box.token}/" in page
