from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import selectors, services

PAGE_SIZE = 30


def notification_list(request):
    qs = selectors.notifications_of(request.user)
    only_unread = request.GET.get("unread") == "1"
    if only_unread:
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page, "only_unread": only_unread})


def _own(request, pk: int):
    # Another user's alert answers 404 like anything else one may not see.
    return get_object_or_404(selectors.notifications_of(request.user), pk=pk)


def open_notification(request, pk: int):
    """Follow an alert's link; following it is reading it."""
    notification = services.mark_read(_own(request, pk))
    url = notification.url
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect(url)
    return redirect("notifications:list")


@require_POST
def mark_read(request, pk: int):
    services.mark_read(_own(request, pk))
    if request.htmx:
        return render(request, "notifications/list.html#item", {"n": _own(request, pk)})
    return redirect("notifications:list")


@require_POST
def mark_all_read(request):
    services.mark_all_read(request.user)
    return redirect("notifications:list")
