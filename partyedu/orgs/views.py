from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from partyedu.accounts import selectors as account_selectors
from partyedu.accounts.access import Access, Capability
from partyedu.accounts.forms import GrantRoleForm
from partyedu.members.selectors import member_counts_by_org

from . import services
from .forms import DissolveForm, MoveForm, OrganizationForm
from .models import ALLOWED_CHILDREN, Organization, OrganizationKind, subtree_q
from .selectors import visible_children


def _org(request, pk: int, cap: Capability = Capability.VIEW_ORG) -> Organization:
    return Access.of(request.user).require_org(get_object_or_404(Organization, pk=pk), cap)


def _nodes_with_counts(nodes):
    counts = member_counts_by_org(nodes)
    for node in nodes:
        node.member_count = counts.get(node.pk, 0)
    return nodes


def tree(request):
    roots = _nodes_with_counts(visible_children(request.user, None))
    return render(request, "orgs/tree.html", {"nodes": roots})


def children(request, pk: int):
    parent = _org(request, pk)
    nodes = _nodes_with_counts(visible_children(request.user, parent))
    return render(request, "orgs/tree.html#nodes", {"nodes": nodes})


def detail(request, pk: int):
    org = _org(request, pk)
    access = Access.of(request.user)
    kids = _nodes_with_counts(
        visible_children(request.user, org, include_dissolved=access.can_org(Capability.MANAGE_ORG, org))
    )
    ancestors = [a for a in org.ancestors() if access.can_org(Capability.VIEW_ORG, a)]
    can_manage_roles = access.can_org(Capability.MANAGE_ROLES, org)
    role_assignments = list(account_selectors.role_assignments_on(org)) if can_manage_roles else []
    for assignment in role_assignments:
        assignment.can_revoke = access.can_revoke(assignment)
    grant_form = None
    if can_manage_roles and not org.is_dissolved:
        grant_form = GrantRoleForm(organization=org, roles=access.grantable_roles(org))
    return render(
        request,
        "orgs/detail.html",
        {
            "org": org,
            "can_manage_roles": can_manage_roles,
            "role_assignments": role_assignments,
            "grant_form": grant_form,
            "children": kids,
            "ancestors": ancestors,
            "member_count": member_counts_by_org([org])[org.pk],
            "can_manage": access.can_org(Capability.MANAGE_ORG, org),
            "can_see_members": access.can_org(Capability.VIEW_MEMBERS, org),
            "can_add_child": bool(ALLOWED_CHILDREN[OrganizationKind(org.kind)]) and not org.is_dissolved,
            "moves": org.moves.select_related("from_parent", "to_parent")[:10],
        },
    )


def _form_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, exc.messages)


def create_child(request, pk: int):
    parent = _org(request, pk, Capability.MANAGE_ORG)
    form = OrganizationForm(request.POST or None, parent=parent, initial={"unit_name": parent.unit_name})
    if request.method == "POST" and form.is_valid():
        try:
            org = services.create_organization(parent=parent, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"已新建“{org.name}”")
            return redirect("orgs:detail", org.pk)
    return render(
        request, "orgs/form.html", {"form": form, "parent": parent, "title": f"在“{parent.name}”下新建组织"}
    )


def edit(request, pk: int):
    org = _org(request, pk, Capability.MANAGE_ORG)
    form = OrganizationForm(request.POST or None, instance=Organization.objects.get(pk=org.pk))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data.get("order") is None:
            data["order"] = org.order
        try:
            services.update_organization(org, **data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect("orgs:detail", org.pk)
    return render(request, "orgs/form.html", {"form": form, "org": org, "title": f"编辑“{org.name}”"})


def move(request, pk: int):
    org = _org(request, pk, Capability.MANAGE_ORG)
    access = Access.of(request.user)
    allowed = [k for k, children in ALLOWED_CHILDREN.items() if org.kind in children]
    parents = (
        access.orgs(Capability.MANAGE_ORG)
        .filter(kind__in=allowed, dissolved_on__isnull=True)
        .exclude(subtree_q(org.path))
        .exclude(pk=org.parent_id)
        .order_by("path")
    )
    form = MoveForm(request.POST or None, parents=parents)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_organization(
                org, form.cleaned_data["new_parent"], by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"已将“{org.name}”移至“{form.cleaned_data['new_parent'].name}”")
            return redirect("orgs:detail", org.pk)
    return render(
        request, "orgs/form.html", {"form": form, "org": org, "title": f"调整“{org.name}”的隶属关系"}
    )


def dissolve(request, pk: int):
    org = _org(request, pk, Capability.MANAGE_ORG)
    form = DissolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dissolve_organization(org, on=form.cleaned_data["on"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"“{org.name}”已撤销，历史记录保留")
            return redirect("orgs:detail", org.pk)
    return render(
        request,
        "orgs/form.html",
        {
            "form": form,
            "org": org,
            "title": f"撤销“{org.name}”",
            "danger": "撤销后不能再编入党员或开展活动；其历史记录全部保留。",
        },
    )
