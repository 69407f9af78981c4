from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from partyedu.accounts import selectors as account_selectors
from partyedu.accounts.access import Access, Capability
from partyedu.core.cn import mask_citizen_id
from partyedu.orgs.models import OrganizationKind

from . import selectors, services
from .forms import MemberForm, RosterFilterForm, TransferForm
from .models import Member
from .selectors import RosterFilter

PAGE_SIZE = 50


def roster_filter_from(request) -> tuple[RosterFilterForm, RosterFilter]:
    """The roster's filters from a query string; shared by the page and the export so both show the same rows."""
    access = Access.of(request.user)
    orgs = (
        access.orgs(Capability.VIEW_MEMBERS)
        .exclude(kind=OrganizationKind.GROUP)
        .filter(dissolved_on__isnull=True)
    )
    form = RosterFilterForm(request.GET or None, orgs=orgs.order_by("path"))
    f = RosterFilter()
    if form.is_valid():
        d = form.cleaned_data
        f = RosterFilter(
            q=d["q"],
            org=d["org"],
            status=d["status"],
            age_band=d["age"],
            flags=tuple(d["flag"]),
            include_left=d["left"],
            sort=d["sort"] or "name",
        )
    return form, f


def roster(request):
    access = Access.of(request.user)
    access.require(Capability.VIEW_MEMBERS)
    form, f = roster_filter_from(request)
    page = Paginator(selectors.roster(request.user, f), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_change": access.has(Capability.CHANGE_MEMBERS),
        "can_import": access.has(Capability.IMPORT_ROSTER),
    }
    template = (
        "members/roster.html#results"
        if request.htmx and request.htmx.target == "results"
        else "members/roster.html"
    )
    return render(request, template, context)


def _member(request, pk: int, cap: Capability = Capability.VIEW_MEMBERS) -> Member:
    member = get_object_or_404(Member.objects.select_related("organization", "group"), pk=pk)
    return Access.of(request.user).require_member(member, cap)


def detail(request, pk: int):
    member = _member(request, pk)
    access = Access.of(request.user)
    account_panel = access.can_member(Capability.CHANGE_MEMBERS, member) or access.can_member(
        Capability.MANAGE_ROLES, member
    )
    account = account_selectors.account_of(member) if account_panel else None
    return render(
        request,
        "members/detail.html",
        {
            "member": member,
            "citizen_id": member.citizen_id
            if access.can_member(Capability.VIEW_FULL_ID, member)
            else mask_citizen_id(member.citizen_id),
            "periods": member.periods.select_related("organization", "group").order_by("-started_on", "-pk"),
            "can_change": access.can_member(Capability.CHANGE_MEMBERS, member),
            "account_panel": account_panel,
            "account": account,
            "account_roles": account_selectors.live_roles(account) if account else [],
            "can_open_account": account_panel and account is None and access.can_open_account(member),
            "can_manage_account": account_panel and access.can_manage_account(member, account),
            "ancestors": [
                a for a in member.organization.ancestors() if access.can_org(Capability.VIEW_ORG, a)
            ],
        },
    )


def _apply_errors(form, exc: ValidationError):
    for field, errs in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errs)


def _clean_for_service(data: dict) -> dict:
    data = dict(data)
    for key in ("gender", "education"):
        data[key] = data.get(key) or ""
    return data


def create(request):
    access = Access.of(request.user)
    access.require(Capability.CHANGE_MEMBERS)
    orgs = access.orgs(Capability.CHANGE_MEMBERS)
    initial = {}
    if org_id := request.GET.get("org"):
        initial["organization"] = orgs.filter(pk=org_id).first()
    form = MemberForm(request.POST or None, orgs=orgs, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.create_member(by=request.user, **_clean_for_service(form.cleaned_data))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已添加党员“{member.name}”")
            return redirect("members:detail", member.pk)
    return render(request, "members/form.html", {"form": form, "title": "新增党员"})


def _warn_roles_left_behind(request, member: Member) -> None:
    # A transfer moves only his `member` role; whether he keeps a post in his old organisation is for a person.
    left_behind = account_selectors.roles_left_behind(member)
    if left_behind:
        roles = "、".join(f"{a.organization.name}{a.get_role_display()}" for a in left_behind)
        messages.warning(request, f"该党员在原组织担任的角色未自动撤销，请到组织页面调整（{roles}）")


def edit(request, pk: int):
    member = _member(request, pk, Capability.CHANGE_MEMBERS)
    access = Access.of(request.user)
    initial = {field: getattr(member, field) for field in services.MEMBER_FIELDS}
    form = MemberForm(request.POST or None, orgs=access.orgs(Capability.CHANGE_MEMBERS), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            before = member.organization_id
            services.update_member(member, by=request.user, **_clean_for_service(form.cleaned_data))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "已保存")
            if member.organization_id != before:
                _warn_roles_left_behind(request, member)
            return redirect("members:detail", member.pk)
    return render(
        request, "members/form.html", {"form": form, "member": member, "title": f"编辑“{member.name}”"}
    )


def transfer(request, pk: int):
    member = _member(request, pk, Capability.CHANGE_MEMBERS)
    access = Access.of(request.user)
    form = TransferForm(
        request.POST or None,
        orgs=access.orgs(Capability.CHANGE_MEMBERS),
        initial={"on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.transfer_member(
                member, d["organization"], on=d["on"], by=request.user, reason=d["reason"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"“{member.name}”已转入“{d['organization'].name}”")
            _warn_roles_left_behind(request, member)
            return redirect("members:detail", member.pk)
    return render(
        request,
        "members/form.html",
        {"form": form, "member": member, "title": f"“{member.name}”组织关系转接"},
    )
