"""At the start of the next year the party worker compiles the year's 读书会年度文集 in one click."""

import datetime
import io

import docx
from django.urls import reverse

from partyedu.readingclub import services
from partyedu.reports.models import GeneratedReport, ReportStatus

from .conftest import THEMES, YEAR, at, month_of


def texts_of(document) -> list[str]:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return parts


def test_the_archive_has_a_toc_every_issue_in_order_and_every_shared_text_with_its_author(client, club, plan):
    january, february = month_of(plan, 1), month_of(plan, 2)
    services.submit_activity_plan(january, "1月8日下午举行\n第一板块：学习党章", by=club.first_secretary)
    services.approve_activity_plan(january, by=club.education_admin)
    services.submit_activity_plan(february, "尚未审定的二月方案", by=club.second_secretary)
    services.add_section(january, kind="lecture", title="湘南起义的历史贡献", speaker_name="党史研究室专家")
    services.add_section(january, kind="theory", title="学习党章总纲")
    meeting = services.create_session_meeting(
        january, starts_at=at(datetime.date(YEAR, 1, 8)), ends_at=at(datetime.date(YEAR, 1, 8), 17), held=True
    )
    meeting.minutes = "<p>会议由<strong>王五</strong>主持。</p><ol><li>领学党章</li><li>交流发言</li></ol>"
    meeting.save()
    services.submit_text(
        january, title="读党章的体会", body="第一段\n第二段", member=club.education_members[0]
    )
    services.submit_text(february, title="红色资源的保护", body="正文", author_name="李教授（市委党校）")

    client.force_login(club.education_admin)
    response = client.post(reverse("readingclub:plan_archive", args=[plan.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("reports:list")
    report = GeneratedReport.objects.get()
    assert report.kind == "reading_club_archive" and report.status == ReportStatus.DONE, report.message
    assert report.filename == f"县教育局党委_{YEAR}年读书会年度文集.docx"
    content = b"".join(client.get(reverse("reports:download", args=[report.pk])).streaming_content)
    document = docx.Document(io.BytesIO(content))

    body = document.element.body.xml
    assert 'TOC \\o "1-2"' in body and 'w:fldCharType="begin"' in body
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [f"第{n}期 · {theme}" for n, theme in enumerate(THEMES, start=1)]
    texts = texts_of(document)
    # the static list right after the field reads before Word updates it
    toc_at = next(i for i, p in enumerate(document.paragraphs) if "TOC" in p._p.xml)
    static = [p.text for p in document.paragraphs[toc_at + 1 : toc_at + 15]]
    assert [t for t in static if t.startswith("第")] == headings

    assert "读党章的体会" in texts and "县教育局机关第一党支部　王五" in texts
    assert "红色资源的保护" in texts and "李教授（市委党校）" in texts
    assert "1月8日下午举行" in texts and "第一板块：学习党章" in texts
    assert "尚未审定的二月方案" not in "\n".join(texts)
    assert texts.index("【理论学习】学习党章总纲") < texts.index(
        "【专题辅导】湘南起义的历史贡献（党史研究室专家）"
    )
    assert "会议由王五主持。" in texts and "1. 领学党章" in texts
    assert "（本期未关联活动记录）" in texts  # the months without a session say so


def test_only_the_owners_workers_compile_the_archive_and_only_they_download_it(client, club, plan):
    client.force_login(club.education_admin)
    client.post(reverse("readingclub:plan_archive", args=[plan.pk]))
    report = GeneratedReport.objects.get()
    client.force_login(club.first_secretary)
    assert client.post(reverse("readingclub:plan_archive", args=[plan.pk])).status_code == 403
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404
    assert GeneratedReport.objects.count() == 1
