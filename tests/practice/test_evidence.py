"""Photos and documents prove the work: typed by their content, size-limited, and served only to those who may
see the item."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partyedu.practice import services
from partyedu.practice.models import Evidence

from ..conftest import login
from ..factories import make_user

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_photos_and_documents_are_typed_by_their_content(county, make_item):
    item = make_item()
    photo = services.add_evidence(SimpleUploadedFile("现场.png", PNG), item=item, caption="上门认证现场")
    doc = services.add_evidence(SimpleUploadedFile("方案.docx", docx_bytes()), item=item)
    assert (photo.kind, photo.content_type) == ("photo", "image/png")
    assert doc.kind == "document" and doc.original_name == "方案.docx"
    with pytest.raises(ValidationError, match="不是照片"):
        services.add_evidence(SimpleUploadedFile("照片.jpg", b"MZ\x90\x00 not a photo"), item=item)
    assert Evidence.objects.count() == 2


def test_a_file_over_the_limit_is_refused(county, make_item, settings):
    settings.PRACTICE_EVIDENCE_MAX_BYTES = 50
    with pytest.raises(ValidationError, match="超过"):
        services.add_evidence(SimpleUploadedFile("big.png", PNG + b"\x00" * 100), item=make_item())


def test_evidence_is_served_only_to_those_who_may_see_the_item(county, make_item, client):
    item = make_item(responsible=[county.finance_members[0]])
    evidence = services.add_evidence(SimpleUploadedFile("现场.png", PNG), item=item)
    url = reverse("practice:file", args=[evidence.pk])
    login(client, county.finance_secretary)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    login(client, county.finance_member_user)  # 张三, responsible for it
    assert client.get(url).status_code == 200
    login(client, county.education_admin)
    assert client.get(url).status_code == 404
    li = make_user("lisi", role="member", org=county.finance_branch, member=county.finance_members[2])
    login(client, li)
    assert client.get(url).status_code == 404


def test_the_upload_page_tells_what_went_wrong(county, make_item, client):
    item = make_item()
    login(client, county.finance_secretary)
    response = client.post(
        reverse("practice:evidence", args=[item.pk]),
        {"file": SimpleUploadedFile("a.jpg", b"hello")},
        follow=True,
    )
    assert "不是照片（JPG/PNG）" in response.content.decode()
    assert not Evidence.objects.exists()
