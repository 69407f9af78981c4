"""Workers publish materials; members read them; files are checked by content and served after the access check."""

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partyedu.learning import materials_services as services
from partyedu.learning.models import Material, MaterialVisibility

MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("支部工作条例")
    d.save(buf)
    return buf.getvalue()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_an_org_admin_publishes_an_article_which_is_sanitised_and_timed(county, client):
    client.force_login(county.education_admin)
    response = client.post(
        "/learning/materials/new/",
        {
            "kind": "article",
            "title": "学习《中国共产党支部工作条例》",
            "category": "policy",
            "publisher": county.education.pk,
            "visibility": "subtree",
            "body": "<p onclick='x()'>" + "支部" * 500 + "</p><script>alert(1)</script>",
            "tags": "条例，支部建设",
            "new_topic": "党支部建设",
        },
    )
    material = Material.objects.get()
    assert response.status_code == 302
    assert "<script>" not in material.body and "onclick" not in material.body
    assert material.reading_minutes == 3  # 1,000 characters at ~400 a minute
    assert material.tag_list == ["条例", "支部建设"]
    assert [t.name for t in material.topics.all()] == ["党支部建设"]

    page = client.get(f"/learning/materials/{material.pk}/").content.decode()
    assert "学习《中国共产党支部工作条例》" in page and "约 3 分钟" in page


def test_a_given_reading_time_is_kept(county):
    m = services.create_material(
        publisher=county.committee, title="短文", category="theory", body="<p>短</p>", reading_minutes=15
    )
    assert m.reading_minutes == 15


def test_a_secretary_without_manage_rights_cannot_publish(county, client):
    client.force_login(county.finance_secretary)
    assert client.get("/learning/materials/new/").status_code == 403
    client.force_login(county.finance_member_user)
    assert client.post("/learning/materials/new/", {"title": "x"}).status_code == 403
    assert not Material.objects.exists()


def test_an_admin_cannot_publish_for_another_unit(county, client):
    client.force_login(county.education_admin)
    response = client.post(
        "/learning/materials/new/",
        {
            "kind": "article",
            "title": "冒名",
            "category": "theory",
            "publisher": county.finance.pk,
            "visibility": "county",
        },
    )
    assert response.status_code == 200
    assert not Material.objects.exists()


def test_a_document_must_really_be_pdf_or_docx(county, media_root):
    fake = SimpleUploadedFile("条例.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(Exception, match="不是 PDF 或 Word"):
        services.create_material(
            publisher=county.committee, title="条例", category="policy", kind="document", upload=fake
        )
    real = SimpleUploadedFile("条例.docx", docx_bytes(), content_type="application/octet-stream")
    m = services.create_material(
        publisher=county.committee, title="条例", category="policy", kind="document", upload=real
    )
    assert m.file_type.endswith("wordprocessingml.document")


def test_a_bad_upload_is_a_form_error_not_a_500(county, client, media_root):
    client.force_login(county.committee_admin)
    response = client.post(
        "/learning/materials/new/",
        {
            "kind": "video",
            "title": "视频",
            "category": "party_history",
            "publisher": county.committee.pk,
            "visibility": "county",
            "upload": SimpleUploadedFile("a.mp4", b"hello world, not a video"),
        },
    )
    assert response.status_code == 200
    assert "不是视频" in response.content.decode()
    assert not Material.objects.exists()


def test_a_video_plays_from_an_access_checked_view(county, client, media_root):
    video = services.create_material(
        publisher=county.education,
        title="红色家书",
        category="party_history",
        kind="video",
        duration_seconds=605,
        visibility=MaterialVisibility.SUBTREE,
        upload=SimpleUploadedFile("家书.mp4", MP4),
    )
    assert video.reading_minutes == 11
    client.force_login(county.education_admin)
    page = client.get(f"/learning/materials/{video.pk}/").content.decode()
    assert (
        f'<video class="material-media" controls preload="metadata" src="/learning/materials/{video.pk}/file/"'
        in page
    )
    response = client.get(f"/learning/materials/{video.pk}/file/")
    assert response["Content-Type"] == "video/mp4"
    assert b"".join(response.streaming_content) == MP4

    client.force_login(county.finance_member_user)
    assert client.get(f"/learning/materials/{video.pk}/").status_code == 404
    assert client.get(f"/learning/materials/{video.pk}/file/").status_code == 404


def test_editing_goes_through_the_service_and_reindexes(county, client):
    m = services.create_material(
        publisher=county.education, title="旧题目", category="theory", body="<p>正文</p>"
    )
    client.force_login(county.education_admin)
    response = client.post(
        f"/learning/materials/{m.pk}/edit/",
        {
            "kind": "article",
            "title": "新题目",
            "category": "theory",
            "publisher": county.education.pk,
            "visibility": "subtree",
            "body": "<p>新的正文</p>",
        },
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.title == "新题目"
    assert m.search_tokens.filter(token="新题", in_title=True).exists()
    assert not m.search_tokens.filter(token="旧题").exists()


def test_a_member_may_read_but_not_edit(county, client):
    m = services.create_material(
        publisher=county.finance, title="财政局学习资料", category="business", visibility="subtree"
    )
    client.force_login(county.finance_member_user)
    assert client.get(f"/learning/materials/{m.pk}/").status_code == 200
    assert client.get(f"/learning/materials/{m.pk}/edit/").status_code == 403
