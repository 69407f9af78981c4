"""结业证书: a one-page Word document in the official fonts with the verification code and a QR code of the
public verification page, and the masked facts that page shows."""

from __future__ import annotations

import io

import segno
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from partyedu.reports.docx_tools import (
    BODY_FONT,
    KAI_FONT,
    SIZE_3,
    SIZE_4,
    TITLE_FONT,
    cn_date,
    cover_line,
    new_document,
    run_font,
    to_bytes,
)

from .models import Enrolment, EnrolmentStatus


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳明华 → 欧***: enough for whoever holds the paper to match it, not a roster."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    return name[0] + "*" * (len(name) - 1)


def certificate_facts(enrolment: Enrolment) -> dict:
    cls = enrolment.training_class
    return {
        "name": mask_name(enrolment.member.name),
        "title": cls.title,
        "organiser": cls.organiser.name,
        "starts_on": cls.starts_on,
        "ends_on": cls.ends_on,
        "hours": enrolment.hours,
        "completed_on": enrolment.completed_on,
        "valid": enrolment.status == EnrolmentStatus.COMPLETED,
        "code": enrolment.certificate_code,
    }


def certificate_docx(enrolment: Enrolment, verify_url: str = "") -> bytes:
    cls = enrolment.training_class
    member = enrolment.member
    document = new_document(f"结业证书 {cls.title}")
    section = document.sections[0]
    section.different_first_page_header_footer = True  # no page number on a certificate
    for _ in range(2):
        document.add_paragraph()
    cover_line(document, "结 业 证 书", TITLE_FONT, Pt(36))
    document.add_paragraph()
    body = document.add_paragraph()
    body.paragraph_format.first_line_indent = Pt(32)
    text = (
        f"{member.name}同志于{cn_date(cls.starts_on)}至{cn_date(cls.ends_on)}参加{cls.organiser.name}举办的"
        f"“{cls.title}”，完成规定课程，共计{_hours(enrolment.hours)}学时，经考核合格，准予结业。"
    )
    run_font(body.add_run(text), BODY_FONT, SIZE_3)
    document.add_paragraph()
    for line in (cls.organiser.name, cn_date(enrolment.completed_on or cls.ends_on)):
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run_font(p.add_run(line), KAI_FONT, SIZE_3)
    document.add_paragraph()
    p = document.add_paragraph()
    run_font(p.add_run(f"证书编号（验证码）：{enrolment.certificate_code}"), BODY_FONT, SIZE_4)
    if verify_url:
        p = document.add_paragraph()
        run_font(p.add_run(f"扫描二维码或访问 {verify_url} 查验真伪"), BODY_FONT, Pt(10.5))
        buffer = io.BytesIO()
        segno.make(verify_url, error="m").save(buffer, kind="png", scale=6, border=2)
        buffer.seek(0)
        document.add_picture(buffer, width=Cm(3))
    return to_bytes(document)


def _hours(value) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
