"""The pages: a member writes and submits, sees the report; the secretary reviews from his queue; admins manage
the corpus and the settings."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partyedu.reflections.models import Reflection, ReflectionSetting, ReflectionStatus
from tests.conftest import login

from .conftest import write
from .texts import ORIGINAL, disguise


def test_a_member_writes_saves_a_draft_and_submits(rc, client):
    login(client, rc.finance_member_user)
    assert client.get(reverse("reflections:create")).status_code == 200
    response = client.post(
        reverse("reflections:create"),
        {"kind": "reflection", "title": "学习心得", "body": ORIGINAL, "save": "1"},
    )
    r = Reflection.objects.get()
    assert response.status_code == 302 and r.status == ReflectionStatus.DRAFT
    response = client.post(reverse("reflections:submit", args=[r.pk]))
    assert response["Location"] == reverse("reflections:detail", args=[r.pk])
    page = client.get(response["Location"]).content.decode()
    assert "查重结果" in page and "0.0%" in page
    assert "学习心得" in client.get(reverse("reflections:mine")).content.decode()


def test_a_too_short_submission_stays_a_draft_with_the_message(rc, client):
    login(client, rc.finance_member_user)
    response = client.post(
        reverse("reflections:create"),
        {"kind": "reflection", "title": "短", "body": "很短的心得。", "submit": "1"},
    )
    assert response.status_code == 200
    assert "至少 100 字" in response.content.decode()
    assert Reflection.objects.get().status == ReflectionStatus.DRAFT


def test_the_member_sees_the_overlap_with_passages_side_by_side(rc, client):
    write(rc.finance_member_user, "先写的", ORIGINAL)
    login(client, rc.finance_member2_user)
    client.post(
        reverse("reflections:create"),
        {"kind": "reflection", "title": "抄的", "body": disguise(ORIGINAL), "submit": "1"},
    )
    r = Reflection.objects.get(title="抄的")
    page = client.get(reverse("reflections:detail", args=[r.pk])).content.decode()
    assert "rf-pair" in page and "先写的" in page
    assert "重复率达到 40%，审核通过也不计积分" in page
    # the copied words are marked in the member's whole text too, and nothing past them
    assert '<mark class="rf-copied">通过这次集中学 习' in page
    assert "</mark>；ＡＢＣ１２３</div>" in page


def test_an_original_reflection_says_so_and_marks_nothing(rc, client):
    r = write(rc.finance_member_user, "原创", ORIGINAL)
    login(client, rc.finance_member_user)
    page = client.get(reverse("reflections:detail", args=[r.pk])).content.decode()
    assert "没有发现与平台上已提交的心得或范文库中的文章相同的段落" in page
    assert "<mark" not in page


def test_the_secretary_reviews_from_his_queue_and_returns_with_a_comment(
    rc, client, django_assert_max_num_queries
):
    for i in range(12):
        write(
            rc.finance_member_user,
            f"心得{i}",
            ORIGINAL + f"\n\n第{i}篇的补充内容各不相同，写一写自己的想法{i}。",
        )
    education = write(rc.education_member_user, "教育局的心得", ORIGINAL)
    login(client, rc.finance_secretary)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("reflections:queue")).content.decode()
    assert "心得11" in page and "教育局的心得" not in page
    r = Reflection.objects.get(title="心得3")
    page = client.get(reverse("reflections:detail", args=[r.pk])).content.decode()
    assert "退回修改" in page and "查重结果" in page
    # the education reflection was copied from finance ones: the secretary there would see only that a match exists
    client.force_login(rc.education_admin)
    page = client.get(reverse("reflections:detail", args=[education.pk])).content.decode()
    assert "与其他单位的一篇心得相同" in page and "不在你的查看范围内" in page
    assert "第0篇的补充内容" not in page

    client.force_login(rc.finance_secretary)
    response = client.post(reverse("reflections:return", args=[r.pk]), {"comment": "请联系本职工作"})
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.status == ReflectionStatus.RETURNED
    # the member sees the comment and edits it again
    client.force_login(rc.finance_member_user)
    assert "请联系本职工作" in client.get(reverse("reflections:mine")).content.decode()
    page = client.get(reverse("reflections:edit", args=[r.pk])).content.decode()
    assert "上次提交的重复率" in page and reverse("reflections:detail", args=[r.pk]) in page


def test_another_branchs_secretary_can_neither_read_nor_review(rc, client):
    r = write(rc.education_member_user, "教育局的心得", ORIGINAL)
    login(client, rc.finance_secretary)
    assert client.get(reverse("reflections:detail", args=[r.pk])).status_code == 404
    assert client.post(reverse("reflections:approve", args=[r.pk])).status_code == 404
    r.refresh_from_db()
    assert r.status == ReflectionStatus.SUBMITTED
    # a colleague in the same branch cannot open another member's reflection either
    login(client, rc.finance_member2_user)
    mine = write(rc.finance_member_user, "张三的心得", ORIGINAL + "\n\n不同的结尾。")
    assert client.get(reverse("reflections:detail", args=[mine.pk])).status_code == 404


def test_admins_upload_references_and_change_settings(rc, client):
    login(client, rc.committee_admin)
    upload = SimpleUploadedFile("范文.txt", ("# 范文\n" + ORIGINAL).encode())
    response = client.post(reverse("reflections:references"), {"file": upload})
    assert response.status_code == 302
    assert "范文.txt" in client.get(reverse("reflections:references")).content.decode()
    response = client.post(
        reverse("reflections:setting_edit", args=[rc.finance.pk]),
        {"min_reflection_chars": 800, "min_note_chars": 200, "block_percent": 30},
    )
    assert response.status_code == 302
    assert ReflectionSetting.objects.get(organization=rc.finance).block_percent == 30
    assert "县财政局党组" in client.get(reverse("reflections:settings")).content.decode()


def test_a_secretary_cannot_open_the_corpus_or_the_settings(rc, client):
    login(client, rc.finance_secretary)
    assert client.get(reverse("reflections:references")).status_code == 403
    assert client.get(reverse("reflections:setting_edit", args=[rc.finance_branch.pk])).status_code == 403
