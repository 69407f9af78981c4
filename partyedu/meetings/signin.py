"""QR sign-in: short-lived signed codes shown on the meeting room's screen.

A code names the meeting and a 30-second time step, signed with the server's key and the meeting's own
`signin_key` (so `services.rotate_signin_key` voids every code already shown or photographed). The screen shows a
new code every few seconds; a code is accepted for its own step and the two before it, so a photograph sent to
a colleague at home stops working within about a minute. Codes open only in the sign-in window around the
meeting. The clock is `now()` below, so tests can move time by patching it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from partyedu.accounts.access import WORKER_ROLES, Access

from . import services
from .models import Attendance, AttendanceRole, Meeting, MeetingStatus, SignInMethod

STEP_SECONDS = 30
# The screen refreshes every ~10 s; a code stays good for its own step and this many before it (60–90 s).
ACCEPTED_PAST_STEPS = 2
# Members arrive early and the last ones sign in after the end of a meeting that overran.
WINDOW_OPENS_BEFORE = datetime.timedelta(minutes=30)
WINDOW_CLOSES_AFTER = datetime.timedelta(minutes=30)
# Once a fresh code has opened the confirmation page, its owner has this long to press 确认签到.
CONFIRM_SECONDS = 5 * 60

INVALID = "签到码无效"
EXPIRED = "签到码已过期，请扫描屏幕上的最新签到码"
NOT_ATTENDEE = "您不是本次会议的参会人员，请确认是否扫错了会议的签到码"
NO_MEMBER = "您的账号尚未关联党员档案，不能签到。请联系本单位党务工作者。"


def now() -> datetime.datetime:
    return timezone.now()


class SignInRefused(Exception):
    """A refusal with the sentence the member reads on his phone; `status` is the HTTP status to answer with:
    400 for a bad or stale code, 403 for a meeting that is not his."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def _signer(meeting: Meeting) -> signing.Signer:
    return signing.Signer(salt=f"partyedu.meetings.signin:{meeting.signin_key}")


def step_of(moment: datetime.datetime) -> int:
    return int(moment.timestamp()) // STEP_SECONDS


def make_token(meeting: Meeting, at: datetime.datetime | None = None) -> str:
    """`<meeting id>.<time step>.<signature>`: URL-safe, and short enough for a QR code a phone reads from afar."""
    value = f"{meeting.pk}.{step_of(at or now())}"
    return f"{value}.{_signer(meeting).signature(value)}"


def window(meeting: Meeting) -> tuple[datetime.datetime, datetime.datetime]:
    return meeting.starts_at - WINDOW_OPENS_BEFORE, meeting.ends_at + WINDOW_CLOSES_AFTER


def window_text(meeting: Meeting) -> str:
    opens, closes = (timezone.localtime(t) for t in window(meeting))
    day = "" if opens.date() == timezone.localdate(now()) else f"{opens.month}月{opens.day}日 "
    return f"{day}{opens:%H:%M}–{closes:%H:%M}"


def check_window(meeting: Meeting, at: datetime.datetime) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise SignInRefused("本次会议已取消")
    opens, closes = window(meeting)
    if at < opens:
        raise SignInRefused(f"签到时间为 {window_text(meeting)}，现在不能签到")
    if at > closes:
        raise SignInRefused("会议已结束")


def _parse(token: str) -> tuple[int, int, str]:
    try:
        meeting_id, step, signature = token.split(".", 2)
        return int(meeting_id), int(step), signature
    except (ValueError, AttributeError):
        raise SignInRefused(INVALID) from None


def read_token(token: str, *, at: datetime.datetime | None = None, fresh: bool = True) -> tuple[Meeting, int]:
    """The meeting a code names and its step, or SignInRefused. `fresh=False` skips only the age check (the
    confirmation stamp vouches for freshness instead); signature, key, status and window are always checked."""
    at = at or now()
    meeting_id, step, signature = _parse(token)
    meeting = Meeting.objects.select_related("organization").filter(pk=meeting_id).first()
    if meeting is None or not constant_time_compare(
        _signer(meeting).signature(f"{meeting_id}.{step}"), signature
    ):
        raise SignInRefused(INVALID)
    age = step_of(at) - step
    if age < 0:
        raise SignInRefused(INVALID)  # signed by us yet from the future: the server's clock was turned back
    check_window(meeting, at)
    if fresh and age > ACCEPTED_PAST_STEPS:
        raise SignInRefused(EXPIRED)
    return meeting, step


# --- who may sign in -----------------------------------------------------------------------------------------
def may_observe(user, meeting: Meeting) -> bool:
    """列席旁听: a party worker of an organisation strictly above the meeting's (a 工委 or unit worker observing a
    branch or a center group). A worker of the branch itself is expected or nobody."""
    path = meeting.organization.path
    return any(
        role in WORKER_ROLES and path.startswith(org.path) and path != org.path
        for role, org in Access.of(user).roles
    )


@dataclass
class Scan:
    meeting: Meeting
    step: int
    member: object
    row: Attendance | None  # None: not on the list, signs in as an observer

    @property
    def as_observer(self) -> bool:
        return self.row is None or self.row.role == AttendanceRole.OBSERVER


def check_scan(token: str, user, *, stamp: str = "") -> Scan:
    """Everything short of signing in: the code is good and the user belongs at this meeting.
    Anything wrong raises SignInRefused with the message to show."""
    at = now()
    fresh = not stamp or not stamp_is_valid(stamp, token, user, at)
    meeting, step = read_token(token, at=at, fresh=fresh)
    member = user.member
    if member is None:
        raise SignInRefused(NO_MEMBER, status=403)
    row = Attendance.objects.filter(meeting=meeting, member=member).first()
    if row is None and not may_observe(user, meeting):
        raise SignInRefused(NOT_ATTENDEE, status=403)
    return Scan(meeting=meeting, step=step, member=member, row=row)


def sign_in_by_scan(token: str, user, *, stamp: str = "") -> tuple[Attendance, bool]:
    """Sign the user in from a scanned code, re-checking it. Returns (row, created_now); a second scan returns
    the first sign-in."""
    scan = check_scan(token, user, stamp=stamp)
    try:
        return services.sign_in(
            scan.meeting,
            scan.member,
            method=SignInMethod.QR,
            by=user,
            at=now(),
            may_observe=scan.row is None,
        )
    except ValidationError as exc:
        raise SignInRefused(" ".join(exc.messages), status=403) from None


# --- the confirmation page's stamp ---------------------------------------------------------------------------
def _stamp_signer(token: str) -> signing.Signer:
    return signing.Signer(salt=f"partyedu.meetings.signin.confirm:{token}")


def make_stamp(token: str, user, at: datetime.datetime | None = None) -> str:
    """Issued with the confirmation page while the code was fresh, for this user only: pressing 确认签到 a while
    later (reading the notice, a slow network) does not need a new scan."""
    value = f"{user.pk}.{int((at or now()).timestamp())}"
    return f"{value}.{_stamp_signer(token).signature(value)}"


def stamp_is_valid(stamp: str, token: str, user, at: datetime.datetime) -> bool:
    try:
        user_id, issued, signature = stamp.split(".", 2)
        issued_at = int(issued)
    except (ValueError, AttributeError):
        return False
    if not constant_time_compare(_stamp_signer(token).signature(f"{user_id}.{issued}"), signature):
        return False
    return str(user.pk) == user_id and 0 <= at.timestamp() - issued_at <= CONFIRM_SECONDS
