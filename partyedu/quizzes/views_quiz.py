"""Pages of the quizzes: members take tests on their phones (我的测试, 每日一练), organisers set them up and read
the results. The server's clock decides: the page counts down from the server's deadline, answers are saved one
by one (htmx) and refused after deadline + grace. Keys and 解析 are rendered only when `can_review` says so."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.learning.models import Topic
from partyedu.members.models import Member
from partyedu.orgs.models import Organization
from partyedu.reports import services as report_services

from . import attempt_services, exporting, quiz_services
from . import selectors_quiz as sel
from .forms_quiz import QuestionFilterForm, QuizForm, RuleFormSet
from .models import Attempt, AttemptState, QuestionType, Quiz, QuizKind, QuizStatus

LETTERS = "ABCDEFGH"
PAGE_SIZE = 30


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# === members ======================================================================================================
def _member(request):
    return getattr(request.user, "member", None)


def _takeable(request, pk: int) -> Quiz:
    member = _member(request)
    if member is None:
        raise Http404("您的账号未关联党员信息")
    quiz = (
        sel.takeable_quizzes(member)
        .filter(kind__in=[*sel.TAKEN_KINDS, QuizKind.DAILY])
        .exclude(status=QuizStatus.DRAFT)
        .filter(pk=pk)
        .first()
    )
    if quiz is None:
        raise Http404("没有找到该测试")
    return quiz


def _my_attempt(request, pk: int) -> Attempt:
    member = _member(request)
    if member is None:
        raise Http404("没有找到该答卷")
    return get_object_or_404(Attempt.objects.select_related("quiz__owner"), pk=pk, member=member)


def my_quizzes(request):
    member = _member(request)
    groups = sel.my_quizzes(member) if member else {"open": [], "upcoming": [], "done": []}
    daily = sel.daily_quiz_for(member) if member else None
    return render(request, "quizzes/quiz/mine.html", {"member": member, "groups": groups, "daily": daily})


def quiz_intro(request, pk: int):
    quiz = _takeable(request, pk)
    if quiz.kind == QuizKind.DAILY:
        return redirect("quizzes:quiz_daily")
    member = _member(request)
    attempts = list(Attempt.objects.filter(quiz=quiz, member=member).order_by("number"))
    row = sel.MyQuiz(quiz, attempts)
    now = timezone.now()
    refusal = None
    if not row.open_attempt:
        try:
            attempt_services.check_open(quiz, now)
            if row.attempts_left == 0:
                refusal = f"本测试最多可作答{quiz.max_attempts}次，您已用完"
        except ValidationError as exc:
            refusal = _errors(exc)
    return render(
        request,
        "quizzes/quiz/intro.html",
        {
            "quiz": quiz,
            "row": row,
            "count": quiz_services.question_count(quiz),
            "refusal": refusal,
            "now": now,
        },
    )


@require_POST
def quiz_start(request, pk: int):
    quiz = _takeable(request, pk)
    try:
        attempt = attempt_services.start_attempt(quiz, _member(request))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect(
            "quizzes:quiz_daily" if quiz.kind == QuizKind.DAILY else "quizzes:quiz_intro", quiz.pk
        )
    return redirect("quizzes:quiz_attempt", attempt.pk)


def _shown_items(attempt: Attempt, *, review: bool) -> list[dict]:
    """What the page shows of each item: options in the shuffled order (letters are shown positions), the
    member's own answer mapped back to shown positions, and — only when `review` — the key and 解析."""
    rows = []
    for item in attempt.items.select_related("version").order_by("position"):
        v = item.version
        order = item.option_order or list(range(len(v.options)))
        response = item.response or {}
        chosen: set[int] = set()
        if v.qtype == QuestionType.SINGLE and response.get("choice") is not None:
            chosen = {order.index(response["choice"])} if response["choice"] in order else set()
        elif v.qtype == QuestionType.MULTIPLE:
            chosen = {order.index(c) for c in response.get("choices") or [] if c in order}
        row = {
            "position": item.position,
            "qtype": v.qtype,
            "qtype_label": QuestionType(v.qtype).label,
            "stem": v.stem,
            "options": [
                {
                    "value": shown,
                    "letter": LETTERS[shown],
                    "text": v.options[original],
                    "checked": shown in chosen,
                }
                for shown, original in enumerate(order)
            ],
            "judge": response.get("value") if v.qtype == QuestionType.JUDGE else None,
            "answered": item.response is not None,
            "points": item.points,
        }
        if v.qtype == QuestionType.BLANK:
            given = response.get("blanks") or []
            n = len(v.answer.get("blanks") or [[]])
            row["blanks"] = [given[i] if i < len(given) else "" for i in range(n)]
        if review:
            row["correct"] = item.correct
            row["explanation"] = v.explanation
            row["key"] = _shown_key(v, order)
            row["given"] = _shown_given(v, order, item.response)
        rows.append(row)
    return rows


def _shown_key(v, order) -> str:
    if v.qtype == QuestionType.SINGLE:
        return LETTERS[order.index(v.answer["choice"])]
    if v.qtype == QuestionType.MULTIPLE:
        return "".join(sorted(LETTERS[order.index(c)] for c in v.answer["choices"]))
    return v.answer_text()


def _shown_given(v, order, response) -> str:
    if not response:
        return "未作答"
    if v.qtype == QuestionType.SINGLE:
        c = response.get("choice")
        return LETTERS[order.index(c)] if c in order else "—"
    if v.qtype == QuestionType.MULTIPLE:
        return "".join(sorted(LETTERS[order.index(c)] for c in response.get("choices") or [] if c in order))
    if v.qtype == QuestionType.JUDGE:
        return "对" if response.get("value") else "错"
    return "；".join(response.get("blanks") or [])


def quiz_attempt(request, pk: int):
    attempt = _my_attempt(request, pk)
    now = timezone.now()
    if attempt.state == AttemptState.IN_PROGRESS and attempt_services.expire_if_overdue(attempt, now=now):
        messages.error(request, "作答时间已到，系统已自动交卷")
    if attempt.state != AttemptState.IN_PROGRESS:
        return redirect("quizzes:quiz_result", attempt.pk)
    items = _shown_items(attempt, review=False)
    remaining = None
    if attempt.deadline_at:
        remaining = max(0, int((attempt.deadline_at - now).total_seconds()))
    return render(
        request,
        "quizzes/quiz/attempt.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "items": items,
            "answered": sum(1 for i in items if i["answered"]),
            "remaining": remaining,
            "now": now,
        },
    )


def _posted_response(post, position: int, qtype: str):
    """The answer to one question as posted (shown positions); None when the form did not carry it."""
    key = f"q{position}"
    if qtype == QuestionType.MULTIPLE:
        values = post.getlist(key)
        if not values and f"{key}-present" not in post:
            return None, False
        return ({"choices": [int(v) for v in values if v.isdigit()]} if values else None), True
    if qtype == QuestionType.BLANK:
        values = post.getlist(key)
        if not values:
            return None, False
        return ({"blanks": values} if any(v.strip() for v in values) else None), True
    value = post.get(key)
    if value is None:
        return None, False
    if qtype == QuestionType.JUDGE:
        return ({"value": value == "1"} if value in {"0", "1"} else None), True
    return ({"choice": int(value)} if value.isdigit() else None), True


def _late(request, attempt: Attempt, exc: ValidationError):
    messages.error(request, _errors(exc))
    url = reverse("quizzes:quiz_result", args=[attempt.pk])
    if request.headers.get("HX-Request"):
        response = HttpResponse(f'<span class="save-state error-text">{_errors(exc)}</span>')
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@require_POST
def quiz_answer(request, pk: int, position: int):
    """Autosave of one question (htmx): the fragment says 已保存 or why not."""
    attempt = _my_attempt(request, pk)
    item = attempt.items.select_related("version").filter(position=position).first()
    if item is None:
        raise Http404("没有这道题")
    shown, present = _posted_response(request.POST, position, item.version.qtype)
    try:
        attempt_services.answer(attempt, position, shown)
    except ValidationError as exc:
        return _late(request, attempt, exc)
    if not request.headers.get("HX-Request"):
        return redirect("quizzes:quiz_attempt", attempt.pk)
    label = "已保存" if shown is not None else "已清除"
    return HttpResponse(f'<span class="save-state ok">{label} {timezone.localtime():%H:%M:%S}</span>')


@require_POST
def quiz_submit(request, pk: int):
    attempt = _my_attempt(request, pk)
    if attempt.state == AttemptState.IN_PROGRESS:
        responses = {}
        for item in attempt.items.select_related("version"):
            shown, present = _posted_response(request.POST, item.position, item.version.qtype)
            if present:
                responses[item.position] = shown
        try:
            if responses:
                attempt_services.answer_many(attempt, responses)
        except ValidationError as exc:
            return _late(request, attempt, exc)
        attempt = attempt_services.submit(attempt)
        if attempt.state == AttemptState.EXPIRED:
            messages.error(request, "作答时间已到，系统已按时限内保存的答案自动交卷")
        else:
            messages.success(request, "已交卷。")
    return redirect("quizzes:quiz_result", attempt.pk)


def quiz_result(request, pk: int):
    attempt = _my_attempt(request, pk)
    attempt_services.expire_if_overdue(attempt)
    if attempt.state == AttemptState.IN_PROGRESS:
        return redirect("quizzes:quiz_attempt", attempt.pk)
    review = sel.can_review(attempt)
    quiz = attempt.quiz
    ctx = {
        "attempt": attempt,
        "quiz": quiz,
        "review": review,
        "items": _shown_items(attempt, review=review),
        "percent": round(attempt.percent),
        "duration": exporting.duration_text(attempt.duration_seconds),
    }
    if quiz.kind == QuizKind.DAILY:
        ctx["streak"] = sel.streak(attempt.member, quiz)
    return render(request, "quizzes/quiz/result.html", ctx)


def daily(request):
    member = _member(request)
    quiz = sel.daily_quiz_for(member) if member else None
    ctx = {"member": member, "quiz": quiz}
    if quiz is not None:
        today = timezone.localdate()
        ctx.update(
            today=today,
            today_attempt=sel.today_attempt(member, quiz, today),
            streak=sel.streak(member, quiz, today),
            calendar=sel.daily_calendar(member, quiz, today),
        )
        ctx["done_days"] = sum(1 for c in ctx["calendar"] if c["attempt"])
    return render(request, "quizzes/quiz/daily.html", ctx)


@require_POST
def daily_start(request):
    member = _member(request)
    quiz = sel.daily_quiz_for(member) if member else None
    if quiz is None:
        raise Http404("暂无每日测试")
    try:
        attempt = attempt_services.start_attempt(quiz, member)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("quizzes:quiz_daily")
    return redirect("quizzes:quiz_attempt", attempt.pk)


# === organisers ===================================================================================================
def _owners(user):
    access = Access.of(user)
    q = Q(pk__in=[])
    for cap in quiz_services.MANAGE_CAPS:
        q |= access.org_q(cap)
    return Organization.objects.filter(q, dissolved_on__isnull=True).order_by("path")


def _require_organiser(user):
    access = Access.of(user)
    if not any(access.has(cap) for cap in quiz_services.MANAGE_CAPS):
        access.require(C.MANAGE_ORG)


def _managed(request, pk: int) -> Quiz:
    quiz = get_object_or_404(
        Quiz.objects.select_related("owner", "scope").filter(kind__in=quiz_services.ORGANISED_KINDS), pk=pk
    )
    return quiz_services.require_manage(request.user, quiz)


def quiz_list(request):
    _require_organiser(request.user)
    qs = sel.managed_quizzes(request.user)
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    if kind in QuizKind.values:
        qs = qs.filter(kind=kind)
    if status in QuizStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in (("kind", kind), ("status", status)) if v)
    return render(
        request,
        "quizzes/quiz/list.html",
        {
            "page": page,
            "query": query,
            "kind": kind,
            "status": status,
            "kinds": [(k.value, k.label) for k in QuizKind if k in quiz_services.ORGANISED_KINDS],
            "statuses": QuizStatus.choices,
        },
    )


def quiz_create(request):
    _require_organiser(request.user)
    owners = _owners(request.user)
    form = QuizForm(request.POST or None, owners=owners, initial={"owner": owners.first()})
    if request.method == "POST" and form.is_valid():
        try:
            quiz = quiz_services.create_quiz(form.cleaned_data["owner"], by=request.user, **form.settings())
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"已创建“{quiz.title}”，请选择试题。")
            return redirect("quizzes:quiz_manage", quiz.pk)
    return render(request, "quizzes/quiz/form.html", {"form": form, "quiz": None})


def quiz_edit(request, pk: int):
    quiz = _managed(request, pk)
    form = QuizForm(request.POST or None, instance=quiz, owners=_owners(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            quiz_services.update_quiz(Quiz.objects.get(pk=quiz.pk), by=request.user, **form.settings())
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "设置已保存。")
            return redirect("quizzes:quiz_manage", quiz.pk)
    return render(request, "quizzes/quiz/form.html", {"form": form, "quiz": quiz})


def _topic_names(rules) -> dict:
    ids = [r["topic"] for r in rules if r.get("topic")]
    return dict(Topic.objects.filter(pk__in=ids).values_list("pk", "name"))


def quiz_manage(request, pk: int):
    quiz = _managed(request, pk)
    names = _topic_names(quiz.draw_rules)
    rules = [
        {
            "label": quiz_services.rule_label(r, names),
            "count": r["count"],
            "available": quiz_services.rule_available(quiz, r),
        }
        for r in quiz.draw_rules
    ]
    slots = list(quiz.slots.select_related("question__current").order_by("position"))
    audience = quiz.audience.count()
    return render(
        request,
        "quizzes/quiz/manage.html",
        {
            "quiz": quiz,
            "rules": rules,
            "slots": slots,
            "audience": audience,
            "count": quiz_services.question_count(quiz),
            "attempts": Attempt.objects.filter(quiz=quiz).count(),
        },
    )


@require_POST
def quiz_publish(request, pk: int):
    quiz = _managed(request, pk)
    try:
        quiz_services.publish(quiz, by=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "已发布，参加范围内的党员可以开始作答。")
    return redirect("quizzes:quiz_manage", quiz.pk)


@require_POST
def quiz_close(request, pk: int):
    quiz = _managed(request, pk)
    quiz_services.close(quiz, by=request.user)
    messages.success(request, "测试已结束，未交卷的答卷已自动交卷。")
    return redirect("quizzes:quiz_manage", quiz.pk)


def _usable_filtered(quiz: Quiz, form: QuestionFilterForm):
    qs = attempt_services.usable_questions(quiz).select_related("current", "owner")
    if form.is_valid():
        data = form.cleaned_data
        if data.get("q"):
            qs = qs.filter(current__stem__icontains=data["q"])
        if data.get("topic"):
            qs = qs.filter(topics=data["topic"])
        if data.get("difficulty"):
            qs = qs.filter(current__difficulty=data["difficulty"])
        if data.get("qtype"):
            qs = qs.filter(current__qtype=data["qtype"])
    return qs.order_by("-pk")


def quiz_questions(request, pk: int):
    """Fixed paper: pick questions from the usable bank with filters; the chosen ones are listed above."""
    quiz = _managed(request, pk)
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                quiz_services.remove_slot(quiz, int(request.POST["remove"]), by=request.user)
                messages.success(request, "已移出试卷。")
            else:
                ids = [int(i) for i in request.POST.getlist("question") if i.isdigit()]
                if not ids:
                    raise ValidationError("请勾选要加入的题目")
                quiz_services.add_slots(quiz, ids, by=request.user)
                messages.success(request, f"已加入 {len(ids)} 道题。")
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        return redirect(request.get_full_path())
    topics = Topic.objects.order_by("name")
    form = QuestionFilterForm(request.GET or None, topics=topics)
    chosen_ids = list(quiz.slots.values_list("question_id", flat=True))
    qs = _usable_filtered(quiz, form).exclude(pk__in=chosen_ids)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in request.GET.items() if k != "page" and v)
    slots = list(quiz.slots.select_related("question__current").order_by("position"))
    return render(
        request,
        "quizzes/quiz/questions.html",
        {"quiz": quiz, "form": form, "page": page, "query": query, "slots": slots},
    )


def quiz_rules(request, pk: int):
    quiz = _managed(request, pk)
    topics = Topic.objects.order_by("name")
    initial = [
        {
            "topic": r.get("topic"),
            "difficulty": r.get("difficulty"),
            "qtype": r.get("qtype") or "",
            "count": r["count"],
        }
        for r in quiz.draw_rules
    ]
    formset = RuleFormSet(request.POST or None, initial=initial, form_kwargs={"topics": topics})
    errors = []
    if request.method == "POST" and formset.is_valid():
        rules = [
            {
                "topic": f.cleaned_data["topic"].pk if f.cleaned_data.get("topic") else None,
                "difficulty": f.cleaned_data.get("difficulty"),
                "qtype": f.cleaned_data.get("qtype") or None,
                "count": f.cleaned_data.get("count") or 0,
            }
            for f in formset.forms
            if f.cleaned_data
        ]
        try:
            quiz_services.set_rules(quiz, rules, by=request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, "抽题规则已保存。")
            return redirect("quizzes:quiz_manage", quiz.pk)
    rows = []
    for f in formset.forms:
        rule = {k: f[k].value() for k in ("topic", "difficulty", "qtype", "count")}
        try:
            available = quiz_services.rule_available(quiz, rule)
        except ValidationError:
            available = None
        rows.append({"form": f, "available": available})
    return render(
        request,
        "quizzes/quiz/rules.html",
        {"quiz": quiz, "formset": formset, "rows": rows, "errors": errors},
    )


def quiz_rule_count(request, pk: int):
    """The live “题库中可用” count of one rule row (htmx): reads the row's fields whatever their prefix."""
    quiz = _managed(request, pk)
    rule = {}
    for key, value in request.GET.items():
        for name in ("topic", "difficulty", "qtype", "count"):
            if key == name or key.endswith(f"-{name}"):
                rule[name] = value
    try:
        available = quiz_services.rule_available(quiz, rule)
        wanted = int(rule.get("count") or 0)
    except (ValidationError, ValueError):
        return HttpResponse('<span class="error-text">—</span>')
    css = "error-text" if wanted > available else "muted"
    return HttpResponse(f'<span class="{css}">题库中可用 {available} 道</span>')


def _resolve_names(quiz: Quiz, user, text: str) -> tuple[list[Member], list[str]]:
    """Names or mobile numbers, one a line, within the quiz owner's subtree and the user's view."""
    root = quiz.owner
    base = (
        Access.of(user)
        .members(C.VIEW_MEMBERS)
        .filter(organization__path__startswith=root.path, left_on__isnull=True)
    )
    found, problems = [], []
    for raw in dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()):
        matches = list(base.filter(Q(name=raw) | Q(mobile=raw)).select_related("organization")[:3])
        if not matches:
            problems.append(f"没有找到“{raw}”")
        elif len(matches) > 1:
            problems.append(f"“{raw}”有重名，请改填手机号")
        else:
            found.append(matches[0])
    return found, problems


def quiz_audience(request, pk: int):
    quiz = _managed(request, pk)
    classes = []
    if quiz_services.training_available():
        from partyedu.training.selectors import visible_classes  # optional app

        classes = list(
            visible_classes(request.user)
            .filter(organiser__path__startswith=quiz.owner.path)
            .order_by("-starts_on")[:100]
        )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "clear":
                quiz_services.set_audience(quiz, [], by=request.user)
                messages.success(request, "已改为按参加范围确定参加人员。")
            elif action == "class":
                cls = next((c for c in classes if str(c.pk) == request.POST.get("training_class")), None)
                if cls is None:
                    raise ValidationError("请选择培训班")
                n = quiz_services.set_audience_from_class(quiz, cls, by=request.user)
                messages.success(request, f"已按培训班“{cls.title}”设置参加人员 {n} 人。")
            else:
                members, problems = _resolve_names(quiz, request.user, request.POST.get("names", ""))
                if problems:
                    raise ValidationError(problems)
                if not members:
                    raise ValidationError("请填写参加人员")
                n = quiz_services.set_audience(quiz, members, by=request.user)
                messages.success(request, f"已设置参加人员 {n} 人。")
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        return redirect("quizzes:quiz_audience", quiz.pk)
    listed = quiz.audience.select_related("member__organization").order_by(
        "member__organization__path", "member__sort_key"
    )
    page = Paginator(listed, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "quizzes/quiz/audience.html",
        {"quiz": quiz, "page": page, "query": "", "classes": classes},
    )


def quiz_results(request, pk: int):
    quiz = _managed(request, pk)
    if quiz.kind == QuizKind.DAILY:
        return redirect("quizzes:quiz_participation", quiz.pk)
    rows = sel.results(quiz)
    summary = sel.result_summary(quiz, rows)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    missing = Paginator(sel.not_taken(quiz), 50).get_page(request.GET.get("missing"))
    return render(
        request,
        "quizzes/quiz/results.html",
        {"quiz": quiz, "page": page, "query": "", "summary": summary, "missing": missing},
    )


@require_POST
def quiz_results_export(request, pk: int):
    """Queue 成绩表 (best attempts and 未参加) as a spreadsheet built in the background (reports app)."""
    quiz = _managed(request, pk)
    try:
        report_services.request_report(request.user, exporting.QUIZ_RESULTS, quiz.owner, {"quiz": quiz.pk})
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("quizzes:quiz_results", quiz.pk)
    messages.success(request, f"已提交生成“{quiz.title}成绩”，完成后可在下方下载。")
    return redirect("reports:list")


def quiz_participation(request, pk: int):
    """每日测试 per organisation: each day's share of members who did it (two weeks)."""
    quiz = _managed(request, pk)
    access = Access.of(request.user)
    root = quiz.scope or quiz.owner
    wanted = request.GET.get("org")
    if wanted and wanted.isdigit():
        org = Organization.objects.filter(pk=int(wanted)).first()
        if org is not None and org.path.startswith(root.path) and access.can_org(C.VIEW_ORG, org):
            root = org
    if not access.can_org(C.VIEW_ORG, root):
        roots = [r for r in access.scope_roots(C.VIEW_ORG) if r.path.startswith(root.path)]
        if not roots:
            raise Http404("没有找到该组织")
        root = roots[0]
    today = timezone.localdate()
    days = [today - datetime.timedelta(days=i) for i in range(13, -1, -1)]
    rows = sel.daily_participation(quiz, root, days)
    return render(
        request,
        "quizzes/quiz/participation.html",
        {
            "quiz": quiz,
            "root": root,
            "rows": rows,
            "days": days,
            "parent": root.parent if root != (quiz.scope or quiz.owner) else None,
        },
    )
