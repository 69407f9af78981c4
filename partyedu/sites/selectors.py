"""Shared reads on education sites: the catalogue, calendars, booking lists and usage statistics."""

from __future__ import annotations

import calendar
import datetime

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C

from .models import HOLDING, BookingStatus, EducationSite, SiteBooking

SERVED = (BookingStatus.CONFIRMED, BookingStatus.COMPLETED)


def catalogue(q: str = "", *, include_closed: bool = False):
    # The catalogue is a few dozen rows: a plain icontains over the texts is enough here.
    sites = EducationSite.objects.select_related("host")
    if not include_closed:
        sites = sites.filter(status="active")
    q = (q or "").strip()
    if q:
        sites = sites.filter(
            Q(name__icontains=q)
            | Q(spirit__icontains=q)
            | Q(heroes__icontains=q)
            | Q(history_events__icontains=q)
            | Q(address__icontains=q)
        )
    return sites.annotate(photo_count=Count("photos"))


def month_calendar(site: EducationSite, year: int, month: int):
    """Weeks (Monday first) of days, each with that day's bookings that hold places."""
    bookings = (
        SiteBooking.objects.filter(site=site, date__year=year, date__month=month, status__in=HOLDING)
        .select_related("organization")
        .order_by("date", "starts_at", "pk")
    )
    by_day: dict[datetime.date, list] = {}
    for b in bookings:
        by_day.setdefault(b.date, []).append(b)
    closed = set(site.closures.filter(on__year=year, on__month=month).values_list("on", flat=True))
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append(
            [
                {
                    "date": d,
                    "in_month": d.month == month,
                    "open": str(d.isoweekday()) in site.open_weekdays and d not in closed,
                    "closure": d in closed,
                    "bookings": by_day.get(d, []),
                    "people": sum(b.people for b in by_day.get(d, [])),
                }
                for d in week
            ]
        )
    return weeks


def bookings_of_my_orgs(user):
    """Bookings made by organisations the user sees."""
    return (
        SiteBooking.objects.filter(Access.of(user).org_q(C.VIEW_ORG, "organization__path"))
        .select_related("site", "organization", "meeting")
        .order_by("-date", "-starts_at", "-pk")
    )


def bookings_to_host(user):
    """Bookings at the sites the user manages (hosts' workers and committee admins)."""
    return (
        SiteBooking.objects.filter(Access.of(user).org_q(C.CHANGE_MEMBERS, "site__host__path"))
        .select_related("site", "organization")
        .order_by("date", "starts_at", "pk")
    )


def site_usage(site: EducationSite, since: datetime.date) -> dict:
    """Bookings per month, organisations served and people present (from the linked meetings' 实到)."""
    served = SiteBooking.objects.filter(site=site, status__in=SERVED, date__gte=since)
    per_month = (
        served.annotate(y=ExtractYear("date"), m=ExtractMonth("date"))
        .values("y", "m")
        .annotate(n=Count("pk"), people=Sum("meeting__present_count"))
        .order_by("y", "m")
    )
    totals = served.aggregate(
        bookings=Count("pk"),
        organizations=Count("organization", distinct=True),
        people=Sum("meeting__present_count"),
    )
    return {
        "months": [
            {"label": f"{r['y']}年{r['m']}月", "bookings": r["n"], "people": r["people"] or 0}
            for r in per_month
        ],
        "bookings": totals["bookings"],
        "organizations": totals["organizations"],
        "people": totals["people"] or 0,
    }


def usage_overview(since: datetime.date):
    """Every site with its figures since a day, for the committee's overview table: one grouped query."""
    in_window = Q(bookings__date__gte=since)
    served = in_window & Q(bookings__status__in=SERVED)
    return (
        EducationSite.objects.select_related("host")
        .annotate(
            served_count=Count("bookings", filter=served),
            pending_count=Count("bookings", filter=in_window & Q(bookings__status=BookingStatus.PENDING)),
            declined_count=Count("bookings", filter=in_window & Q(bookings__status=BookingStatus.DECLINED)),
            org_count=Count("bookings__organization", filter=served, distinct=True),
            people=Sum("bookings__meeting__present_count", filter=served),
        )
        .order_by("-served_count", "name")
    )


def month_start(day: datetime.date, back: int = 0) -> datetime.date:
    y, m = divmod(day.year * 12 + day.month - 1 - back, 12)
    return datetime.date(y, m + 1, 1)


def days_in(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]
