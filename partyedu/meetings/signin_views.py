"""Sign-in pages: the meeting room's screen, the member's phone after a scan, and the member's own meetings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from partyedu.accounts.access import Access, Capability
from partyedu.core.qr import qr_svg

from . import selectors, services, signin
from .models import AgendaItem, Attendance, AttendanceRole, AttendanceStatus, Meeting, MeetingStatus

LIVE_REFRESH_SECONDS = 10
LATEST_NAMES = 8
HISTORY_PAGE_SIZE = 20
RECENT_MEETINGS = 5


def _meeting_url(meeting: Meeting) -> str | None:
    # The worker's meeting page lives in the meetings app, built alongside; link to it once it exists.
    try:
        return reverse("meetings:detail", kwargs={"pk": meeting.pk})
    except NoReverseMatch:
        return None


def _worker_meeting(request, meeting_id: int) -> Meeting:
    meeting = get_object_or_404(
        Meeting.objects.select_related("organization", "host", "recorder"), pk=meeting_id
    )
    Access.of(request.user).require_org(meeting.organization, Capability.CHANGE_MEMBERS)
    return meeting


# --- the screen in the meeting room -------------------------------------------------------------------------
def _screen_state(meeting: Meeting) -> tuple[bool, str]:
    """Whether the screen shows a code, and if not, what it says instead (the screen is set up early)."""
    try:
        signin.check_window(meeting, signin.now())
    except signin.SignInRefused as exc:
        opens, _ = signin.window(meeting)
        if meeting.status != MeetingStatus.CANCELLED and signin.now() < opens:
            return False, f"签到将于 {signin.window_text(meeting).split('–')[0]} 开放"
        if meeting.status != MeetingStatus.CANCELLED:
            return False, "会议已结束，签到已关闭"
        return False, exc.message
    return True, ""


@never_cache
def display(request, meeting_id: int):
    """Shown on the projector. The live part (code, count, latest names) is fetched again by htmx every few
    seconds, each time with a new code."""
    meeting = _worker_meeting(request, meeting_id)
    is_open, closed = _screen_state(meeting)
    scan_url = (
        request.build_absolute_uri(reverse("signin:scan", args=[signin.make_token(meeting)]))
        if is_open
        else ""
    )
    latest = (
        meeting.attendances.filter(status=AttendanceStatus.PRESENT, checked_in_at__isnull=False)
        .select_related("member")
        .order_by("-checked_in_at", "-pk")[:LATEST_NAMES]
    )
    context = {
        "meeting": meeting,
        "is_open": is_open,
        "closed": closed,
        "scan_url": scan_url,
        "qr": qr_svg(scan_url) if scan_url else "",
        "window": signin.window_text(meeting),
        "latest": latest,
        "refresh": LIVE_REFRESH_SECONDS,
        "meeting_url": _meeting_url(meeting),
        "step_seconds": signin.STEP_SECONDS,
    }
    template = "meetings/signin_display.html#live" if request.htmx else "meetings/signin_display.html"
    return render(request, template, context)


@require_POST
def rotate(request, meeting_id: int):
    meeting = _worker_meeting(request, meeting_id)
    services.rotate_signin_key(meeting)
    messages.success(request, "已作废此前显示和拍下的全部签到码")
    return redirect("signin:display", meeting_id=meeting.pk)


def sheet(request, meeting_id: int):
    """A paper attendance sheet to sign by hand: for a room without a screen, or as the 台账's original."""
    meeting = _worker_meeting(request, meeting_id)
    rows = (
        meeting.attendances.filter(role=AttendanceRole.ATTENDEE)
        .select_related("member")
        .order_by("member__sort_key", "pk")
    )
    observers = (
        meeting.attendances.filter(role=AttendanceRole.OBSERVER)
        .select_related("member")
        .order_by("member__sort_key", "pk")
    )
    return render(
        request,
        "meetings/signin_sheet.html",
        {
            "meeting": meeting,
            "rows": rows,
            "observers": observers,
            "blank_rows": range(max(3, 6 - len(observers))),
            "meeting_url": _meeting_url(meeting),
        },
    )


# --- the member's phone after a scan ------------------------------------------------------------------------
def _refused(request, exc: signin.SignInRefused):
    return render(request, "meetings/signin_refused.html", {"message": exc.message}, status=exc.status)


@never_cache
def scan(request, token: str):
    """GET shows what he is signing in to and a 确认签到 button; only the POST signs in, so that link previews
    and prefetching browsers never sign anybody in."""
    if request.method == "POST":
        try:
            row, created = signin.sign_in_by_scan(token, request.user, stamp=request.POST.get("stamp", ""))
        except signin.SignInRefused as exc:
            return _refused(request, exc)
        return render(
            request,
            "meetings/signin_done.html",
            {"meeting": row.meeting, "row": row, "created": created},
        )
    try:
        found = signin.check_scan(token, request.user)
    except signin.SignInRefused as exc:
        return _refused(request, exc)
    if found.row is not None and found.row.status == AttendanceStatus.PRESENT:
        return render(
            request,
            "meetings/signin_done.html",
            {"meeting": found.meeting, "row": found.row, "created": False},
        )
    return render(
        request,
        "meetings/signin_confirm.html",
        {
            "meeting": found.meeting,
            "member": found.member,
            "as_observer": found.as_observer,
            "token": token,
            "stamp": signin.make_stamp(token, request.user),
        },
    )


# --- the member's own meetings ------------------------------------------------------------------------------
def _my_meetings(member, queryset):
    return queryset.select_related("organization").prefetch_related(
        Prefetch("agenda", queryset=AgendaItem.objects.order_by("order", "pk")),
        Prefetch("attendances", queryset=Attendance.objects.filter(member=member), to_attr="mine"),
    )


def my_meetings(request):
    member = request.user.member
    if member is None:
        return render(request, "meetings/my_meetings.html", {"member": None})
    current = signin.now()
    upcoming = _my_meetings(member, selectors.upcoming_for_member(member, now=current))
    recent = _my_meetings(
        member,
        selectors.meetings_of_member(member)
        .filter(ends_at__lt=current)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("-starts_at", "-pk"),
    )[:RECENT_MEETINGS]
    return render(
        request,
        "meetings/my_meetings.html",
        {"member": member, "upcoming": upcoming, "recent": recent},
    )


def my_history(request):
    member = request.user.member
    if member is None:
        return render(request, "meetings/my_history.html", {"member": None})
    rows = (
        Attendance.objects.filter(member=member, meeting__starts_at__lte=signin.now())
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting__organization")
        .order_by("-meeting__starts_at", "-pk")
    )
    page = Paginator(rows, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "meetings/my_history.html", {"member": member, "page": page})


def leave(request, meeting_id: int):
    """请假 from the phone, before the meeting: only for a meeting he is expected at."""
    member = request.user.member
    if member is None:
        raise Http404("没有找到该会议")
    meeting = get_object_or_404(_my_meetings(member, selectors.meetings_of_member(member)), pk=meeting_id)
    row = meeting.mine[0]
    open_for_leave = (
        meeting.status == MeetingStatus.PLANNED
        and meeting.ends_at >= signin.now()
        and row.status != AttendanceStatus.PRESENT
    )
    error = ""
    reason = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "").strip()
        try:
            services.request_leave(meeting, member, reason)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"已提交请假：{meeting.theme}")
            return redirect("signin:my_meetings")
    return render(
        request,
        "meetings/my_leave.html",
        {
            "meeting": meeting,
            "row": row,
            "open_for_leave": open_for_leave,
            "error": error,
            "reason": reason or row.leave_reason,
        },
    )
