from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.accounts.models import Role
from partyedu.orgs.models import Organization

from . import selectors, services
from .forms import BookingForm, ClosureForm, DeclineForm, PhotoForm, SiteForm
from .models import BookingStatus, EducationSite, SiteBooking, SitePhoto, SiteStatus


def _errors_into(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _site(request, pk: int, *, manage: bool = False) -> EducationSite:
    site = get_object_or_404(EducationSite.objects.select_related("host"), pk=pk)
    if manage and not services.can_manage_site(request.user, site):
        raise PermissionDenied("只有管理单位的党务工作者或机关工委管理员可以管理该基地")
    return site


def _booking(request, pk: int) -> SiteBooking:
    booking = get_object_or_404(
        SiteBooking.objects.select_related("site__host", "organization", "meeting"), pk=pk
    )
    if not services.can_view_booking(request.user, booking):
        raise Http404("没有找到该预约")
    return booking


def _hosts(user):
    return Access.of(user).orgs(C.CHANGE_MEMBERS).order_by("path")


def _is_committee_admin(user) -> bool:
    access = Access.of(user)
    return access.is_superuser or any(role == Role.COMMITTEE_ADMIN for role, _ in access.roles)


def catalogue(request):
    q = request.GET.get("q", "")
    sites = selectors.catalogue(q)
    return render(
        request,
        "sites/catalogue.html",
        {
            "sites": sites,
            "q": q,
            "can_create": Access.of(request.user).has(C.CHANGE_MEMBERS),
            "is_committee_admin": _is_committee_admin(request.user),
        },
    )


def site_create(request):
    Access.of(request.user).require(C.CHANGE_MEMBERS)
    form = SiteForm(request.POST or None, hosts=_hosts(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            site = services.create_site(
                by=request.user, open_weekdays="".join(form.cleaned_data["weekdays"]), **form.cleaned_data
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, f"已登记“{site.name}”。")
            return redirect("sites:detail", site.pk)
    return render(request, "sites/site_form.html", {"form": form, "site": None})


def site_edit(request, pk: int):
    site = _site(request, pk, manage=True)
    form = SiteForm(request.POST or None, instance=site, hosts=_hosts(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        days = "".join(data.pop("weekdays"))
        try:
            services.update_site(site, by=request.user, open_weekdays=days, **data)
        except ValidationError as exc:
            site.refresh_from_db()
            _errors_into(form, exc)
        else:
            messages.success(request, "基地信息已保存。")
            return redirect("sites:detail", site.pk)
    return render(request, "sites/site_form.html", {"form": form, "site": site})


@require_POST
def site_status(request, pk: int):
    site = _site(request, pk, manage=True)
    closing = site.status == SiteStatus.ACTIVE
    services.set_site_status(site, SiteStatus.CLOSED if closing else SiteStatus.ACTIVE, by=request.user)
    messages.success(request, "基地已关闭，不再接受新的预约。" if closing else "基地已重新开放。")
    return redirect("sites:detail", site.pk)


@require_POST
def closure_add(request, pk: int):
    site = _site(request, pk, manage=True)
    form = ClosureForm(request.POST)
    if form.is_valid():
        services.add_closure(site, form.cleaned_data["on"], form.cleaned_data["reason"], by=request.user)
        messages.success(request, f"已登记闭馆日 {form.cleaned_data['on']:%Y-%m-%d}。")
    else:
        messages.error(request, "请填写正确的闭馆日期。")
    return redirect("sites:detail", site.pk)


@require_POST
def photo_upload(request, pk: int):
    site = _site(request, pk, manage=True)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的照片。")
    else:
        try:
            services.add_photo(
                site, form.cleaned_data["photo"], form.cleaned_data["caption"], by=request.user
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "照片已上传。")
    return redirect("sites:detail", site.pk)


def photo(request, pk: int):
    # Every logged-in user may see a site's photos (the catalogue is shared), but only through this view.
    p = get_object_or_404(SitePhoto, pk=pk)
    response = FileResponse(p.file.open("rb"), content_type=p.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _month_param(value: str | None) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year, month = (int(x) for x in (value or "").split("-"))
        datetime.date(year, month, 1)
        if not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        return today.year, today.month
    return year, month


def site_detail(request, pk: int):
    site = _site(request, pk)
    year, month = _month_param(request.GET.get("month"))
    first = datetime.date(year, month, 1)
    prev_m = selectors.month_start(first, 1)
    next_m = selectors.month_start(first, -1)
    access = Access.of(request.user)
    weeks = selectors.month_calendar(site, year, month)
    # Org names of other units' visits stay hidden: the calendar shows occupancy, not who.
    for week in weeks:
        for day in week:
            for b in day["bookings"]:
                b.visible = access.can_org(C.VIEW_ORG, b.organization) or services.can_manage_site(
                    request.user, site
                )
    today = timezone.localdate()
    can_manage = services.can_manage_site(request.user, site)
    return render(
        request,
        "sites/detail.html",
        {
            "site": site,
            "photos": list(site.photos.all()),
            "closures": list(site.closures.filter(on__gte=today)[:20]),
            "weeks": weeks,
            "month_label": f"{year}年{month}月",
            "prev_month": f"{prev_m:%Y-%m}",
            "next_month": f"{next_m:%Y-%m}",
            "today": today,
            "can_manage": can_manage,
            "can_book": site.is_active and access.has(C.CHANGE_MEMBERS),
            "usage": selectors.site_usage(site, selectors.month_start(today, 11)),
            "closure_form": ClosureForm() if can_manage else None,
            "photo_form": PhotoForm() if can_manage else None,
            "weekday_names": "一二三四五六日",
        },
    )


def book(request, pk: int):
    site = _site(request, pk)
    access = Access.of(request.user)
    access.require(C.CHANGE_MEMBERS)
    orgs = _hosts(request.user)
    initial = {"date": request.GET.get("date") or None, "starts_at": site.opens_at, "ends_at": site.closes_at}
    form = BookingForm(request.POST or None, organizations=orgs, initial=initial)
    if request.method == "POST":
        # Naming another unit's organisation is refused as such, not shown as a form error.
        wanted = Organization.objects.filter(pk=request.POST.get("organization") or 0).first()
        if wanted is not None:
            access.require_org(wanted, C.CHANGE_MEMBERS)
        if not site.is_active:
            form.add_error(None, "该基地已关闭，暂不接受预约")
        elif form.is_valid():
            try:
                booking = services.book(site=site, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, "预约已提交，等待基地管理单位确认。")
                return redirect("sites:booking", booking.pk)
    return render(request, "sites/book.html", {"site": site, "form": form})


def my_bookings(request):
    status = request.GET.get("status", "")
    bookings = selectors.bookings_of_my_orgs(request.user)
    if status in BookingStatus.values:
        bookings = bookings.filter(status=status)
    return render(
        request,
        "sites/my_bookings.html",
        {
            "bookings": bookings[:200],
            "status": status,
            "statuses": BookingStatus.choices,
            "today": timezone.localdate(),
            "is_committee_admin": _is_committee_admin(request.user),
        },
    )


def host_bookings(request):
    show = request.GET.get("show", "pending")
    bookings = selectors.bookings_to_host(request.user)
    if show == "pending":
        bookings = bookings.filter(status=BookingStatus.PENDING)
    else:
        bookings = bookings.filter(date__gte=timezone.localdate()).exclude(status=BookingStatus.CANCELLED)
    return render(
        request,
        "sites/host_bookings.html",
        {
            "bookings": bookings[:200],
            "show": show,
            "decline_form": DeclineForm(),
            "is_committee_admin": _is_committee_admin(request.user),
        },
    )


def booking_detail(request, pk: int):
    booking = _booking(request, pk)
    today = timezone.localdate()
    can_change = services.can_change_booking(request.user, booking)
    return render(
        request,
        "sites/booking.html",
        {
            "b": booking,
            "can_host": services.can_manage_site(request.user, booking.site),
            "can_change": can_change,
            "can_cancel": can_change
            and booking.status in (BookingStatus.PENDING, BookingStatus.CONFIRMED)
            and booking.date > today,
            "can_complete": can_change
            and booking.status in (BookingStatus.CONFIRMED, BookingStatus.COMPLETED)
            and booking.date <= today,
            "decline_form": DeclineForm(),
        },
    )


def _act(request, pk: int, action, ok: str, *, host: bool):
    booking = _booking(request, pk)
    if host:
        allowed = services.can_manage_site(request.user, booking.site)
    else:
        allowed = services.can_change_booking(request.user, booking)
    if not allowed:
        raise PermissionDenied("您没有权限进行此操作")
    try:
        action(booking)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, ok)
    back = request.POST.get("next", "")
    if back.startswith("/sites/") and "//" not in back:
        return redirect(back)
    return redirect("sites:booking", booking.pk)


@require_POST
def booking_confirm(request, pk: int):
    return _act(
        request, pk, lambda b: services.confirm_booking(b, by=request.user), "已确认预约。", host=True
    )


@require_POST
def booking_decline(request, pk: int):
    reason = request.POST.get("reason", "")
    return _act(
        request, pk, lambda b: services.decline_booking(b, reason, by=request.user), "已谢绝预约。", host=True
    )


@require_POST
def booking_cancel(request, pk: int):
    return _act(
        request, pk, lambda b: services.cancel_booking(b, by=request.user), "预约已取消。", host=False
    )


@require_POST
def booking_done(request, pk: int):
    return _act(request, pk, lambda b: services.mark_done(b, by=request.user), "已标记为完成。", host=False)


@require_POST
def booking_meeting(request, pk: int):
    booking = _booking(request, pk)
    if not services.can_change_booking(request.user, booking):
        raise PermissionDenied("您没有权限进行此操作")
    try:
        meeting = services.create_visit_meeting(booking, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("sites:booking", booking.pk)
    messages.success(request, "已生成现场教学记录，请在会议页面登记出席情况。")
    return redirect("meetings:detail", meeting.pk)


def stats(request):
    if not _is_committee_admin(request.user):
        raise PermissionDenied("基地使用情况总览仅供机关工委管理员查看")
    since = selectors.month_start(timezone.localdate(), 11)
    return render(request, "sites/stats.html", {"sites": selectors.usage_overview(since), "since": since})
