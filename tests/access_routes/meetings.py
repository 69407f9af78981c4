"""The worker's meeting pages (partyedu/meetings/urls.py): another branch's meeting, its attachment, its
attendance rows and its committee roster are out of reach of the finance branch's secretary and member."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from partyedu.meetings import committee_services, services

from ..access_rules import Foreign, Own

OTHER_NAMES = ("王五", "赵六", "县教育局")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def other_meeting(c):
    """A 主题党日 of the education branch tomorrow: its members 王五 and 赵六 are expected."""
    start = timezone.now() + datetime.timedelta(days=1)
    return services.create_meeting(
        organization=c.education_branch,
        kind="theme_day",
        theme="教育局主题党日",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        by=c.education_admin,
    )


def meeting_kwargs(c):
    return {"pk": other_meeting(c).pk}


def attachment_kwargs(c):
    meeting = other_meeting(c)
    item = services.attach_file(meeting, SimpleUploadedFile("合影.png", PNG), by=c.education_admin)
    return {"pk": meeting.pk, "attachment_pk": item.pk}


def attendance_kwargs(c):
    return {"pk": other_meeting(c).pk, "member_pk": c.education_members[0].pk}


def seat_kwargs(c):
    seat = committee_services.add_committee_member(
        organization=c.education_branch,
        member=c.education_members[0],
        position="书记",
        started_on=datetime.date(2024, 1, 1),
    )
    return {"pk": seat.pk}


ROUTES = {
    "meetings:list": Own(must_not_show=OTHER_NAMES),
    "meetings:create": Own(methods=("get", "post")),
    "meetings:org_fields": Own(),
    "meetings:agenda_row": Own(),
    "meetings:committee_index": Own(must_not_show=OTHER_NAMES),
    "meetings:detail": Foreign(meeting_kwargs),
    "meetings:edit": Foreign(meeting_kwargs, methods=("get", "post"), payload={"theme": "被改名"}),
    "meetings:mark_held": Foreign(meeting_kwargs, methods=("post",)),
    "meetings:cancel": Foreign(meeting_kwargs, methods=("post",), payload={"reason": "渗透"}),
    "meetings:upload": Foreign(meeting_kwargs, methods=("post",)),
    "meetings:attachment": Foreign(attachment_kwargs),
    "meetings:attendance": Foreign(
        attendance_kwargs, methods=("post",), payload={"status": "leave", "reason": "渗透"}
    ),
    "meetings:add_observer": Foreign(
        meeting_kwargs, methods=("post",), payload=lambda c: {"who": c.finance_members[0].mobile}
    ),
    "meetings:committee": Foreign(
        lambda c: {"org_pk": c.education_branch.pk},
        methods=("get", "post"),
        payload=lambda c: {
            "member": c.education_members[1].pk,
            "position": "组织委员",
            "started_on": "2025-01-01",
        },
    ),
    "meetings:committee_end": Foreign(seat_kwargs, methods=("post",), payload={"ended_on": "2026-01-01"}),
}
