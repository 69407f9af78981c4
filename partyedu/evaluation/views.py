"""民主评议 pages: workers run a campaign and decide per branch; members assess themselves and rate their branch
colleagues; outside raters answer through one-time links; 书记抓党建述职评议 and unit scorecards."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.core.qr import qr_svg
from partyedu.orgs.models import Organization
from partyedu.reports import services as report_services

from . import selectors, services
from .exporting import BRANCH_RESULTS
from .forms import AssessForm, CampaignForm, DecideForm, MassForm, ReviewForm, SelfForm, TokensForm
from .models import RATER_KINDS, Campaign, CampaignStatus, Grade, Participant, PeerRating


def _errors_into(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _campaign(request, pk: int) -> Campaign:
    campaign = selectors.campaigns_for(request.user).filter(pk=pk).first()
    if campaign is None:
        raise Http404("没有找到该评议")
    return campaign


def _manage(request, campaign: Campaign) -> None:
    Access.of(request.user).require_org(campaign.root, C.MANAGE_ORG)


def _participant(request, pk: int, cap=C.VIEW_MEMBERS) -> Participant:
    participant = get_object_or_404(
        Participant.objects.select_related("member", "branch", "campaign__root"), pk=pk
    )
    access = Access.of(request.user)
    if not access.can_org(C.VIEW_MEMBERS, participant.branch):
        raise Http404("没有找到该党员")
    access.require_org(participant.branch, cap)
    return participant


# --- workers ------------------------------------------------------------------------------------------------
def campaign_list(request):
    access = Access.of(request.user)
    return render(
        request,
        "evaluation/campaign_list.html",
        {
            "campaigns": selectors.campaigns_for(request.user)[:100],
            "can_create": access.orgs(C.MANAGE_ORG).exists(),
            "can_scorecard": access.is_worker,
        },
    )


def campaign_create(request):
    access = Access.of(request.user)
    access.require(C.MANAGE_ORG)
    roots = access.orgs(C.MANAGE_ORG).order_by("path")
    today = timezone.localdate()
    form = CampaignForm(
        request.POST or None,
        roots=roots,
        initial={"year": today.year, "title": f"{today.year}年度民主评议党员", "opens_on": today},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        access.require_org(data["root"], C.MANAGE_ORG)
        try:
            campaign = services.create_campaign(
                data["root"],
                year=data["year"],
                title=data["title"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                weights=form.weights(),
                excellent_quota=data["excellent_quota"],
                by=request.user,
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(
                request, f"已发起“{campaign.title}”，共{campaign.participants.count()}名党员参加。"
            )
            return redirect("evaluation:campaign", campaign.pk)
    return render(request, "evaluation/campaign_form.html", {"form": form})


def campaign_detail(request, pk: int):
    campaign = _campaign(request, pk)
    access = Access.of(request.user)
    branches = selectors.branches_of(campaign, request.user)
    if not branches and not access.can_org(C.VIEW_ORG, campaign.root):
        raise Http404("没有找到该评议")
    wanted = request.GET.get("branch", "")
    current = next((b for b in branches if str(b["branch_id"]) == wanted), branches[0] if branches else None)
    rows = selectors.branch_rows(campaign, current["branch_id"]) if current else []
    can_decide = bool(current) and access.orgs(C.CHANGE_MEMBERS).filter(pk=current["branch_id"]).exists()
    return render(
        request,
        "evaluation/campaign.html",
        {
            "campaign": campaign,
            "branches": branches,
            "current": current,
            "rows": rows,
            "can_manage": access.can_org(C.MANAGE_ORG, campaign.root),
            "can_decide": can_decide,
            "weights": [(label, campaign.weight(k)) for k, label in _labels()],
        },
    )


def _labels():
    from .models import WEIGHT_LABELS

    return WEIGHT_LABELS.items()


@require_POST
def campaign_suggest(request, pk: int):
    campaign = _campaign(request, pk)
    _manage(request, campaign)
    n = services.suggest_grades(campaign)
    messages.success(request, f"已为{n}名党员计算建议等次。")
    return redirect("evaluation:campaign", campaign.pk)


@require_POST
def campaign_close(request, pk: int):
    campaign = _campaign(request, pk)
    _manage(request, campaign)
    services.close_campaign(campaign, by=request.user)
    messages.success(request, "评议已结束。")
    return redirect("evaluation:campaign", campaign.pk)


def participant_detail(request, pk: int):
    participant = _participant(request, pk)
    access = Access.of(request.user)
    can_change = access.can_org(C.CHANGE_MEMBERS, participant.branch)
    components = [{"key": k, **v} for k, v in (participant.components or {}).items()]
    weight_sum = sum(c["weight"] for c in components)
    return render(
        request,
        "evaluation/participant.html",
        {
            "p": participant,
            "campaign": participant.campaign,
            "components": components,
            "weight_sum": weight_sum,
            "can_change": can_change,
            "assess_form": AssessForm(
                initial={"org_score": participant.org_score, "org_comment": participant.org_comment}
            ),
            "decide_form": DecideForm(
                initial={
                    "grade": participant.final_grade or participant.suggested_grade,
                    "note": participant.final_note,
                }
            ),
            "tokens_form": TokensForm(),
            "mass_issued": participant.mass_tokens.count(),
            "mass_used": participant.mass_tokens.filter(used=True).count(),
        },
    )


@require_POST
def participant_assess(request, pk: int):
    participant = _participant(request, pk, C.CHANGE_MEMBERS)
    form = AssessForm(request.POST)
    if form.is_valid():
        try:
            services.assess(
                participant,
                score=form.cleaned_data["org_score"],
                comment=form.cleaned_data["org_comment"],
                by=request.user,
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "组织评价已保存。")
    else:
        messages.error(request, "组织评价分应在0到100之间。")
    return redirect("evaluation:participant", participant.pk)


@require_POST
def participant_decide(request, pk: int):
    participant = _participant(request, pk, C.CHANGE_MEMBERS)
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            services.decide(
                participant, grade=form.cleaned_data["grade"], note=form.cleaned_data["note"], by=request.user
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已评定{participant.member.name}的等次。")
    else:
        messages.error(request, "请选择等次。")
    return redirect("evaluation:participant", participant.pk)


@require_POST
def participant_tokens(request, pk: int):
    """Generate one-time links and show them once, as a printable sheet of QR codes."""
    participant = _participant(request, pk, C.CHANGE_MEMBERS)
    form = TokensForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写1到50的份数。")
        return redirect("evaluation:participant", participant.pk)
    try:
        raws = services.issue_mass_tokens(
            participant, form.cleaned_data["count"], rater_kind=form.cleaned_data["rater_kind"]
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("evaluation:participant", participant.pk)
    cards = []
    for raw in raws:
        url = request.build_absolute_uri(reverse("evaluation:rate", args=[raw]))
        cards.append({"url": url, "svg": qr_svg(url)})
    response = render(
        request,
        "evaluation/qr_sheet.html",
        {"p": participant, "cards": cards, "kind": RATER_KINDS[form.cleaned_data["rater_kind"]]},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def branch_export(request, pk: int, branch: int):
    """The branch's results as a spreadsheet, built in the background (reports app) and downloaded there."""
    org = get_object_or_404(Organization, pk=branch)
    try:
        report_services.request_report(request.user, BRANCH_RESULTS, org, {"campaign": pk})
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(reverse("evaluation:campaign", args=[pk]) + f"?branch={org.pk}")
    messages.success(request, f"已提交生成“{org.name}民主评议结果”，完成后可在下方下载。")
    return redirect("reports:list")


# --- members ------------------------------------------------------------------------------------------------
def mine(request):
    member = request.user.member
    participations = (
        Participant.objects.filter(member=member).select_related("campaign", "branch") if member else []
    )
    return render(request, "evaluation/mine.html", {"participations": participations})


def _own(request, pk: int) -> Participant:
    member_id = request.user.member_id
    if member_id is None:
        raise Http404("没有找到该评议")
    return get_object_or_404(
        Participant.objects.select_related("campaign", "branch", "member"), pk=pk, member_id=member_id
    )


def my_detail(request, pk: int):
    me = _own(request, pk)
    colleagues = list(
        Participant.objects.filter(campaign_id=me.campaign_id, branch_id=me.branch_id)
        .exclude(pk=me.pk)
        .select_related("member")
    )
    given = dict(PeerRating.objects.filter(rater=me).values_list("ratee_id", "grade"))
    for c in colleagues:
        c.my_grade = given.get(c.pk, "")
    campaign = me.campaign
    today = timezone.localdate()
    is_open = campaign.status == CampaignStatus.OPEN and campaign.opens_on <= today <= campaign.closes_on
    form = SelfForm(initial={"self_grade": me.self_grade, "self_summary": me.self_summary})
    return render(
        request,
        "evaluation/my_detail.html",
        {"me": me, "colleagues": colleagues, "form": form, "is_open": is_open, "grades": Grade.choices},
    )


@require_POST
def my_self(request, pk: int):
    me = _own(request, pk)
    form = SelfForm(request.POST)
    if form.is_valid():
        try:
            services.submit_self_assessment(
                me, grade=form.cleaned_data["self_grade"], summary=form.cleaned_data["self_summary"]
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "自评已提交。")
            return redirect("evaluation:my", me.pk)
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("evaluation:my", me.pk)


@require_POST
def my_rate(request, pk: int, ratee: int):
    me = _own(request, pk)
    other = Participant.objects.filter(pk=ratee, campaign_id=me.campaign_id, branch_id=me.branch_id).first()
    if other is None:
        raise Http404("只能评议本支部的党员")
    try:
        services.rate_peer(me, other, request.POST.get("grade", ""))
    except ValidationError as exc:
        text, ok = "；".join(exc.messages), False
    else:
        text, ok = "已保存", True
    if request.headers.get("HX-Request"):
        return render(request, "evaluation/_saved.html", {"text": text, "ok": ok})
    (messages.success if ok else messages.error)(request, f"{other.member.name}：{text}")
    return redirect("evaluation:my", me.pk)


# --- outside raters (no login) ------------------------------------------------------------------------------
@never_cache
def rate(request, token: str):
    """The public page of a one-time link. Nothing here writes the session, uses messages, or logs the token:
    the stored response is created by the service with no reference to the link."""
    found = services.token_for(token)
    today = timezone.localdate()
    state = "ok"
    if found is None:
        state = "unknown"
    elif found.used:
        state = "used"
    elif not (
        found.campaign.status == CampaignStatus.OPEN
        and found.campaign.opens_on <= today <= found.campaign.closes_on
    ):
        state = "closed"
    form = MassForm(request.POST or None)
    if state == "ok" and request.method == "POST" and form.is_valid():
        try:
            services.submit_mass_rating(
                token, grade=form.cleaned_data["grade"], comment=form.cleaned_data["comment"]
            )
        except ValidationError:
            state = "used"
        else:
            state = "thanks"
    ratee = found.ratee if found is not None else None
    return render(
        request,
        "evaluation/rate.html",
        {
            "state": state,
            "form": form,
            "name": ratee.member.name if ratee else "",
            "branch": ratee.branch.name if ratee else "",
            "campaign": found.campaign if found else None,
            "kind": RATER_KINDS.get(found.rater_kind, "") if found else "",
        },
    )


# --- 书记抓党建述职评议 and scorecards --------------------------------------------------------------------------
def _review_branch(request, pk: int, branch: int):
    campaign = _campaign(request, pk)
    org = get_object_or_404(Organization.objects.select_related("parent"), pk=branch)
    access = Access.of(request.user)
    if not access.can_org(C.VIEW_ORG, org) or not org.path.startswith(campaign.root.path):
        raise Http404("没有找到该支部")
    return campaign, org, access


def _sheet(campaign, org):
    ind = selectors.indicators(org, [org], campaign.year)[org.pk]
    rows = [(label, selectors.indicator_value(ind, key)) for key, label in selectors.INDICATOR_LABELS]
    rows.insert(0, ("党员人数", ind.members))
    return ind, rows


def review(request, pk: int, branch: int):
    campaign, org, access = _review_branch(request, pk, branch)
    _, rows = _sheet(campaign, org)
    ratings, avg = selectors.review_ratings(campaign, org)
    can_rate = org.parent is not None and access.can_org(C.MANAGE_ORG, org.parent)
    mine = next((r for r in ratings if r.rater_id == request.user.pk), None)
    form = ReviewForm(initial={"score": mine.score, "comment": mine.comment} if mine else None)
    return render(
        request,
        "evaluation/review.html",
        {
            "campaign": campaign,
            "org": org,
            "rows": rows,
            "ratings": ratings,
            "avg": avg,
            "can_rate": can_rate,
            "form": form,
        },
    )


@require_POST
def review_rate(request, pk: int, branch: int):
    campaign, org, access = _review_branch(request, pk, branch)
    if org.parent is None or not access.can_org(C.MANAGE_ORG, org.parent):
        raise PermissionDenied("只有上级党组织的党务工作者可以评分")
    form = ReviewForm(request.POST)
    if form.is_valid():
        services.rate_review(
            campaign,
            org,
            rater=request.user,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
        )
        messages.success(request, "评分已保存。")
    else:
        messages.error(request, "评分应在0到100之间。")
    return redirect("evaluation:review", campaign.pk, org.pk)


def review_docx(request, pk: int, branch: int):
    from partyedu.reports import docx_tools as dt

    campaign, org, _ = _review_branch(request, pk, branch)
    _, rows = _sheet(campaign, org)
    ratings, avg = selectors.review_ratings(campaign, org)
    document = dt.new_document(f"{org.name}书记抓党建述职评议")
    dt.cover_line(document, f"{campaign.year}年度{org.name}", dt.TITLE_FONT, dt.SIZE_2, bold=False)
    dt.cover_line(document, "书记抓基层党建工作述职评议指标表", dt.TITLE_FONT, dt.SIZE_2)
    dt.add_styled_paragraph(document, "一、平台数据指标", dt.PART_TITLE)
    dt.add_table(document, ["指标", "数值"], [[label, str(value)] for label, value in rows], [9, 6])
    dt.add_styled_paragraph(document, "二、评议人评分", dt.PART_TITLE)
    dt.add_table(
        document,
        ["评议人", "评分", "意见"],
        [[str(r.rater), str(r.score), r.comment] for r in ratings] or [["—", "—", "尚无评分"]],
        [4, 3, 8],
    )
    dt.add_styled_paragraph(
        document, f"平均评分：{avg:.1f}" if avg is not None else "平均评分：尚无评分", dt.BODY
    )
    response = HttpResponse(
        dt.to_bytes(document),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f"attachment; filename=review-{campaign.pk}-{org.pk}.docx"
    return response


def scorecard(request):
    access = Access.of(request.user)
    if not access.is_worker:
        raise PermissionDenied("仅党务工作者可以查看")
    orgs = access.orgs(C.VIEW_ORG)
    wanted = request.GET.get("org", "")
    parent = orgs.filter(pk=wanted).first() if wanted.isdigit() else None
    if parent is None:
        parent = access.scope_roots(C.VIEW_ORG)[0] if access.scope_roots(C.VIEW_ORG) else None
    if parent is None:
        raise Http404("没有可查看的组织")
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), 2100)
    pairs = selectors.scorecard(parent, year)
    keys = selectors.INDICATOR_LABELS
    table = [
        (
            now.org,
            now.members,
            [(selectors.indicator_value(now, k), selectors.indicator_value(before, k)) for k, _ in keys],
        )
        for now, before in pairs
    ]
    return render(
        request,
        "evaluation/scorecard.html",
        {
            "parent": parent,
            "year": year,
            "labels": [label for _, label in keys],
            "table": table,
            "choices": orgs.exclude(kind="group").order_by("path")[:200],
        },
    )
