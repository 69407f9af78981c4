"""Generated documents: the list and the form name nobody else's things; a download names a file someone else
asked for."""

from django.core.files.base import ContentFile

from tests.access_rules import Foreign, Own


def other_report(c):
    from partyedu.reports.models import GeneratedReport

    report = GeneratedReport.objects.create(
        kind="ledger_docx",
        organization=c.education,
        params={"year": 2025},
        requested_by=c.education_admin,
        status="done",
        filename="县教育局党委_2025年组织生活台账.docx",
    )
    report.file.save("ledger.docx", ContentFile(b"PK"), save=True)
    return {"pk": report.pk}


ROUTES = {
    "reports:list": Own(must_not_show=("王五", "赵六", "县教育局")),
    "reports:request": Own(methods=("get", "post"), must_not_show=("县教育局",)),
    "reports:download": Foreign(other_report),
}
