"""Writing, submitting and reviewing reflections: minimum length, the originality report, points, resubmission."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from partyedu.points import services as points
from partyedu.points.models import PointsEntry
from partyedu.reflections import selectors, services
from partyedu.reflections.models import ReflectionStatus
from tests.factories import make_org

from .conftest import write
from .texts import MATERIAL_TEXT, ORIGINAL, disguise, interleave


def test_a_reflection_shorter_than_the_minimum_is_refused_with_the_count(rc):
    r = write(rc.finance_member_user, "太短", "学习很有收获。" * 10, submit=False)
    with pytest.raises(ValidationError, match="至少 100 字，当前 60 字"):
        services.submit(r, by=rc.finance_member_user)
    r.refresh_from_db()
    assert r.status == ReflectionStatus.DRAFT


def test_notes_have_their_own_minimum_and_punctuation_does_not_count(rc):
    short = write(
        rc.finance_member_user, "笔记", "要点：" + "学" * 17 + "。。。！！！　 ", kind="note", submit=False
    )
    with pytest.raises(ValidationError, match="学习笔记至少 20 字，当前 19 字"):
        services.submit(short, by=rc.finance_member_user)
    enough = write(rc.finance_member_user, "笔记", "要点：" + "学" * 18 + "。。。", kind="note", submit=False)
    assert services.submit(enough, by=rc.finance_member_user).status == ReflectionStatus.SUBMITTED


def test_the_nearest_setting_applies_and_the_default_is_500(county):
    assert services.setting_for(county.finance_branch)["min_reflection_chars"] == 500
    services.save_setting(
        county.committee,
        by=county.committee_admin,
        min_reflection_chars=300,
        min_note_chars=50,
        block_percent=30,
    )
    services.save_setting(
        county.finance,
        by=county.committee_admin,
        min_reflection_chars=800,
        min_note_chars=80,
        block_percent=50,
    )
    assert services.setting_for(county.finance_branch)["min_reflection_chars"] == 800
    assert services.setting_for(county.education_branch)["min_reflection_chars"] == 300
    assert services.setting_for(county.education_branch)["block_percent"] == 30


def test_a_branch_secretary_cannot_change_the_setting(county):
    with pytest.raises(PermissionDenied):
        services.save_setting(
            county.finance_branch,
            by=county.finance_secretary,
            min_reflection_chars=1,
            min_note_chars=1,
            block_percent=99,
        )


def test_a_disguised_copy_of_an_earlier_reflection_is_reported_and_blocks_credit(rc):
    original = write(rc.finance_member_user, "原创", ORIGINAL)
    assert original.overlap_percent == 0 and not original.blocked
    copy = write(rc.finance_member2_user, "抄的", disguise(ORIGINAL))
    assert copy.overlap_percent >= 95
    assert copy.blocked
    assert copy.report[0]["key"] == f"reflection:{original.pk}"
    # the earlier one is not reported against the later copy when it is resubmitted
    assert services.check(original, exclude=original.indexed.pk, before=original.indexed.pk).percent == 0


def test_a_copy_with_a_sentence_in_every_paragraph_is_detected_through_the_index(rc):
    write(rc.finance_member_user, "原创", ORIGINAL)
    copy = write(rc.finance_member2_user, "插句抄袭", interleave(ORIGINAL))
    assert copy.overlap_percent >= 70
    assert copy.blocked


def test_quoting_the_material_being_studied_is_not_counted(rc):
    from partyedu.learning.models import Material

    material = Material.objects.create(
        title="论党的自我革命",
        body=MATERIAL_TEXT,
        body_text=MATERIAL_TEXT,
        category="theory",
        publisher=rc.committee,
        visible_path=rc.committee.path,
    )
    own = (
        "学了这篇文章，我认识到自我革命首先要从自己做起，经常对照党章党规检查自己的言行，发现问题马上改正。"
        * 2
    )
    write(
        rc.finance_member_user,
        "先学者",
        MATERIAL_TEXT + "\n\n" + "别人的体会完全不同，写了很多关于基层治理的思考和做法。" * 3,
    )
    later = write(
        rc.finance_member2_user,
        "引用原文",
        MATERIAL_TEXT + "\n\n" + own,
        prompt_kind="material",
        prompt_id=material.pk,
    )
    assert later.prompt_title == "论党的自我革命"
    assert later.quoted_chars > 50
    assert later.overlap_percent == 0
    assert not later.blocked


def test_a_match_is_shown_with_passages_inside_the_subtree_and_only_as_existing_outside(rc):
    finance_text = write(rc.finance_member_user, "财政局的心得", ORIGINAL)
    education_text = write(rc.education_member_user, "教育局的心得", OTHER_LONG)
    copy = write(rc.finance_member2_user, "拼凑", ORIGINAL + "\n\n" + OTHER_LONG)
    keys = {m["key"] for m in copy.report}
    assert keys == {f"reflection:{finance_text.pk}", f"reflection:{education_text.pk}"}

    seen = {m["title"] or "hidden": m for m in selectors.report_for(rc.finance_secretary, copy)}
    assert seen["财政局的心得"]["visible"] and seen["财政局的心得"]["passages"]
    assert "通过这次集中学习" in seen["财政局的心得"]["passages"][0]["theirs"]
    hidden = seen["hidden"]
    assert not hidden["visible"] and hidden["passages"] == [] and hidden["percent"] > 0

    # the education admin sees the education source's passages and not the finance one's
    seen = {m["title"] or "hidden": m for m in selectors.report_for(rc.committee_admin, copy)}
    assert "hidden" not in seen


OTHER_LONG = (
    "参加支部组织的红色教育基地参观后，我心里久久不能平静。展馆里一件件泛黄的老物件，讲述着先辈们为了理想信念"
    "不惜牺牲一切的故事。回到学校，我把这种感动带到了教学管理工作中，认真梳理了课后服务方面的短板，"
    "和同事们一起研究了改进办法，力争让家长少跑腿、让孩子多受益，把红色基因融入每一堂思政课。"
)


def test_approval_credits_points_once(rc):
    points.install_default_rules()
    r = write(rc.finance_member_user, "原创", ORIGINAL)
    services.approve(r, by=rc.finance_secretary)
    r.refresh_from_db()
    assert r.status == ReflectionStatus.APPROVED
    with pytest.raises(ValidationError):
        services.approve(r, by=rc.finance_secretary)
    entries = PointsEntry.objects.filter(member=rc.finance_members[0], source_key=f"reflection:{r.pk}")
    assert entries.count() == 1
    assert entries.get().points == 2


def test_a_blocked_reflection_is_approved_without_points(rc):
    points.install_default_rules()
    write(rc.finance_member_user, "原创", ORIGINAL)
    copy = write(rc.finance_member2_user, "抄的", ORIGINAL)
    services.approve(copy, by=rc.finance_secretary)
    assert not PointsEntry.objects.filter(source_key=f"reflection:{copy.pk}").exists()


def test_returned_with_a_comment_then_resubmitted(rc):
    r = write(rc.finance_member_user, "原创", ORIGINAL)
    with pytest.raises(ValidationError, match="退回时请填写意见"):
        services.return_(r, by=rc.finance_secretary, comment=" ")
    services.return_(r, by=rc.finance_secretary, comment="请结合本职工作再写具体些")
    r.refresh_from_db()
    assert r.status == ReflectionStatus.RETURNED and r.review_comment == "请结合本职工作再写具体些"
    r = services.save_draft(
        rc.finance_members[0],
        by=rc.finance_member_user,
        title="原创（修改）",
        body=ORIGINAL + "\n\n补充了一段新的思考。",
        reflection=r,
    )
    r = services.submit(r, by=rc.finance_member_user)
    assert r.status == ReflectionStatus.SUBMITTED
    assert r.overlap_percent == 0, "its own earlier version is not a source"


def test_a_submitted_reflection_cannot_be_edited(rc):
    r = write(rc.finance_member_user, "原创", ORIGINAL)
    with pytest.raises(ValidationError):
        services.save_draft(
            rc.finance_members[0], by=rc.finance_member_user, title="改", body="改", reflection=r
        )


def test_only_the_members_branch_secretary_reviews(rc):
    r = write(rc.education_member_user, "教育局的心得", ORIGINAL)
    with pytest.raises(PermissionDenied):
        services.approve(r, by=rc.finance_secretary)
    with pytest.raises(PermissionDenied):
        services.return_(r, by=rc.finance_secretary, comment="x")
    services.approve(r, by=rc.education_admin)


def test_a_member_cannot_write_for_another(rc):
    with pytest.raises(PermissionDenied):
        services.save_draft(rc.finance_members[1], by=rc.finance_member_user, title="代写", body="正文")


def test_the_reference_corpus_is_split_into_documents_and_matched(rc):
    raw = (
        "# 范文一\n下面是小编为大家整理的心得体会范文，仅供参考。" + ORIGINAL + "\n===\n"
        "# 范文二\n" + "第二篇范文的内容写在这里，是另外一篇完全不同的文章，用来凑够字数。" * 2
    )
    ref = services.upload_reference(name="范文.txt", data=raw.encode("gb18030"), by=rc.committee_admin)
    assert ref.document_count == 2
    assert list(ref.documents.values_list("title", flat=True).order_by("pk")) == ["范文一", "范文二"]
    copy = write(
        rc.finance_member_user, "抄范文", "下面是小编为大家整理的心得体会范文，仅供参考。" + ORIGINAL
    )
    assert copy.overlap_percent >= 95
    assert copy.report[0]["key"].startswith("reference:")
    assert "下面是小编为大家整理的" in copy.template_phrases
    # a reference text is shown to anybody, also outside the subtree
    assert selectors.report_for(rc.education_admin, copy)[0]["visible"]


def test_docx_references_split_by_headings(rc):
    import docx

    document = docx.Document()
    document.add_heading("范文甲", level=1)
    document.add_paragraph(ORIGINAL)
    document.add_heading("范文乙", level=1)
    document.add_paragraph("另一篇范文，" * 10)
    buffer = io.BytesIO()
    document.save(buffer)
    ref = services.upload_reference(name="范文.docx", data=buffer.getvalue(), by=rc.committee_admin)
    assert ref.document_count == 2


def test_only_admins_upload_references_and_only_txt_or_docx(rc):
    with pytest.raises(PermissionDenied):
        services.upload_reference(name="a.txt", data=b"x" * 100, by=rc.finance_secretary)
    with pytest.raises(ValidationError, match="只支持"):
        services.upload_reference(name="a.pdf", data=b"x" * 100, by=rc.committee_admin)


def test_a_sub_unit_setting_is_found_by_path(rc):
    sub = make_org("第二党小组", "group", rc.finance_branch)
    services.save_setting(
        rc.finance_branch,
        by=rc.committee_admin,
        min_reflection_chars=900,
        min_note_chars=10,
        block_percent=20,
    )
    assert services.setting_for(sub)["block_percent"] == 20


def test_the_threshold_that_blocks_credit_is_the_organisations_own(rc):
    """The same near-copy (a sentence inserted in each paragraph, ≈ 80 %) blocks credit under the county's 40 %,
    and not where the finance bureau raised its threshold above the overlap; each keeps the threshold it met."""
    points.install_default_rules()
    write(rc.education_member_user, "原创", ORIGINAL)
    blocked = write(rc.finance_member_user, "插句抄袭", interleave(ORIGINAL))
    assert 70 <= blocked.overlap_percent < 95
    assert blocked.blocked and blocked.threshold == 40

    services.save_setting(
        rc.finance, by=rc.committee_admin, min_reflection_chars=100, min_note_chars=20, block_percent=96
    )
    allowed = write(rc.finance_member2_user, "插句抄袭二", interleave(ORIGINAL, "我补充一句自己的话。"))
    assert allowed.overlap_percent >= 70
    assert not allowed.blocked and allowed.threshold == 96

    for r in (blocked, allowed):
        services.approve(r, by=rc.finance_secretary)
    credited = set(
        PointsEntry.objects.filter(source_key__startswith="reflection:").values_list("source_key", flat=True)
    )
    assert credited == {f"reflection:{allowed.pk}"}
    # the earlier reflection keeps the verdict of the threshold it was checked against
    blocked.refresh_from_db()
    assert blocked.blocked and blocked.threshold == 40


def test_a_copy_of_a_docx_reference_is_reported_with_the_documents_heading(rc):
    import docx

    document = docx.Document()
    document.add_heading("范文甲", level=1)
    for paragraph in ORIGINAL.split("\n\n"):
        document.add_paragraph(paragraph)
    document.add_heading("范文乙", level=1)
    document.add_paragraph("另一篇范文，讲的是完全不同的事情。" * 5)
    buffer = io.BytesIO()
    document.save(buffer)
    ref = services.upload_reference(name="网络范文.docx", data=buffer.getvalue(), by=rc.committee_admin)
    assert list(ref.documents.values_list("title", flat=True).order_by("pk")) == ["范文甲", "范文乙"]

    copy = write(rc.finance_member_user, "抄 Word 范文", disguise(ORIGINAL))
    assert copy.overlap_percent >= 95 and copy.blocked
    assert copy.report[0]["title"] == "范文甲"
    assert copy.report[0]["key"] == f"reference:{ref.documents.get(title='范文甲').pk}"
    # deleting the file takes its documents out of the index: the same text is then original
    services.delete_reference(ref, by=rc.committee_admin)
    again = write(rc.finance_member2_user, "再抄一次", disguise(ORIGINAL) + "\n\n结尾不同。")
    assert [m["key"] for m in again.report] == [f"reflection:{copy.pk}"]


def test_a_broken_docx_or_an_undecodable_txt_is_refused_in_chinese(rc):
    with pytest.raises(ValidationError, match="无法读取该 Word 文件"):
        services.upload_reference(name="坏文件.docx", data=b"PK\x03\x04 not a zip", by=rc.committee_admin)
    with pytest.raises(ValidationError, match="没有可用的文章"):
        services.upload_reference(name="空.txt", data="短".encode(), by=rc.committee_admin)
