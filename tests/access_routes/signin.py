"""QR sign-in and the member's own meetings (partyedu/meetings/signin_urls.py)."""

import datetime

from django.utils import timezone

from ..access_rules import Foreign, Own

OTHER_NAMES = ("王五", "赵六", "县教育局")


def other_meeting(c):
    """The education branch's meeting under way now: its sign-in window is open."""
    from partyedu.meetings import services

    now = timezone.now()
    return services.create_meeting(
        organization=c.education_branch,
        kind="theme_day",
        theme="教育局主题党日",
        starts_at=now - datetime.timedelta(minutes=5),
        ends_at=now + datetime.timedelta(hours=1),
    )


def other_meeting_id(c):
    return {"meeting_id": other_meeting(c).pk}


def other_meeting_code(c):
    # A valid, fresh code of another branch's meeting: refused because the user is not expected there.
    from partyedu.meetings import signin

    return {"token": signin.make_token(other_meeting(c))}


ROUTES = {
    "signin:display": Foreign(other_meeting_id),
    "signin:rotate": Foreign(other_meeting_id, methods=("post",)),
    "signin:sheet": Foreign(other_meeting_id),
    "signin:scan": Foreign(other_meeting_code, methods=("get", "post")),
    "signin:my_meetings": Own(must_not_show=OTHER_NAMES),
    "signin:my_history": Own(must_not_show=OTHER_NAMES),
    "signin:leave": Foreign(other_meeting_id, methods=("get", "post"), payload={"reason": "不想参加"}),
}
