from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.orgs.models import Organization

from . import selectors, services
from .forms import AcceptForm, CourseForm, DeclineForm, RatingForm, RequestForm, TeacherForm
from .models import AREA_LABELS, Course, CourseStatus, LectureRequest, RequestStatus, Teacher, TeachingArea

PAGE_SIZE = 20


def _errors_into(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _nav(request) -> dict:
    user = request.user
    return {
        "is_pool_admin": services.is_pool_admin(user),
        "is_teacher": Teacher.objects.filter(user=user).exists() if user.is_authenticated else False,
        "is_worker": Access.of(user).is_worker,
    }


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _teacher(pk: int) -> Teacher:
    return get_object_or_404(Teacher.objects.select_related("member", "user"), pk=pk)


def _course(pk: int) -> Course:
    return get_object_or_404(Course.objects.select_related("teacher"), pk=pk)


def _request(request, pk: int) -> LectureRequest:
    req = get_object_or_404(
        LectureRequest.objects.select_related(
            "course", "teacher", "organization", "meeting", "requested_by", "decided_by"
        ),
        pk=pk,
    )
    if not services.can_view_request(request.user, req):
        raise Http404("没有找到该授课申请")
    return req


def _filters(request) -> tuple[str, str, str]:
    q = request.GET.get("q", "").strip()[:50]
    area = request.GET.get("area", "")
    sort = request.GET.get("sort", "score")
    return q, area if area in AREA_LABELS else "", sort if sort in selectors.SORTS else "score"


# --- catalogue -----------------------------------------------------------------------------------------------
def catalogue(request):
    q, area, sort = _filters(request)
    pool_admin = services.is_pool_admin(request.user)
    show_all = pool_admin and request.GET.get("all") == "1"
    page = Paginator(selectors.teachers(q, area, sort, include_retired=show_all), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "teachers/catalogue.html",
        {
            "page": page,
            "query": _query(request),
            "q": q,
            "area": area,
            "sort": sort,
            "areas": TeachingArea.choices,
            "sorts": selectors.SORTS.items(),
            "show_all": show_all,
            **_nav(request),
        },
    )


def course_list(request):
    q, area, sort = _filters(request)
    if sort == "name":
        sort = "score"
    page = Paginator(selectors.courses(q, area, sort), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "teachers/courses.html",
        {
            "page": page,
            "query": _query(request),
            "q": q,
            "area": area,
            "sort": sort,
            "areas": TeachingArea.choices,
            "sorts": [(k, v) for k, v in selectors.SORTS.items() if k != "name"],
            **_nav(request),
        },
    )


def teacher_detail(request, pk: int):
    teacher = _teacher(pk)
    pool_admin = services.is_pool_admin(request.user)
    own = services.is_teacher_account(request.user, teacher)
    courses = teacher.courses.all() if pool_admin or own else teacher.courses.filter(status=CourseStatus.OPEN)
    return render(
        request,
        "teachers/detail.html",
        {
            "teacher": teacher,
            "score": selectors.bayesian(teacher.rating_total, teacher.rating_count),
            "courses": list(courses.order_by("-taught_count", "title")),
            "ratings": selectors.recent_ratings(teacher=teacher),
            "can_edit": pool_admin,
            "can_add_course": pool_admin or own,
            "show_contact": services.can_see_contact(request.user),
            "can_request": teacher.is_active and services.requesting_orgs(request.user).exists(),
            **_nav(request),
        },
    )


def teacher_create(request):
    if not services.is_pool_admin(request.user):
        raise PermissionDenied("只有机关工委管理员可以管理师资库")
    form = TeacherForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            teacher = services.create_teacher(by=request.user, **form.service_fields())
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, f"已将“{teacher.name}”加入师资库。")
            return redirect("teachers:detail", teacher.pk)
    return render(request, "teachers/teacher_form.html", {"form": form, "teacher": None})


def teacher_edit(request, pk: int):
    teacher = _teacher(pk)
    if not services.is_pool_admin(request.user):
        raise PermissionDenied("只有机关工委管理员可以管理师资库")
    form = TeacherForm(request.POST or None, teacher=teacher)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_teacher(teacher, by=request.user, **form.service_fields())
        except ValidationError as exc:
            teacher.refresh_from_db()
            _errors_into(form, exc)
        else:
            messages.success(request, "教师信息已保存。")
            return redirect("teachers:detail", teacher.pk)
    return render(request, "teachers/teacher_form.html", {"form": form, "teacher": teacher})


def course_create(request, pk: int):
    teacher = _teacher(pk)
    if not (services.is_pool_admin(request.user) or services.is_teacher_account(request.user, teacher)):
        raise PermissionDenied("只有机关工委管理员或教师本人可以登记课程")
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.create_course(teacher, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, f"已登记课程“{course.title}”。")
            return redirect("teachers:course", course.pk)
    return render(request, "teachers/course_form.html", {"form": form, "teacher": teacher, "course": None})


def course_edit(request, pk: int):
    course = _course(pk)
    if not services.can_edit_course(request.user, course):
        raise PermissionDenied("只有机关工委管理员或教师本人可以修改课程")
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_course(course, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            course.refresh_from_db()
            _errors_into(form, exc)
        else:
            messages.success(request, "课程信息已保存。")
            return redirect("teachers:course", course.pk)
    return render(
        request, "teachers/course_form.html", {"form": form, "teacher": course.teacher, "course": course}
    )


def course_detail(request, pk: int):
    course = _course(pk)
    return render(
        request,
        "teachers/course.html",
        {
            "course": course,
            "score": selectors.bayesian(course.rating_total, course.rating_count),
            "ratings": selectors.recent_ratings(course=course),
            "can_edit": services.can_edit_course(request.user, course),
            "can_request": course.is_open
            and course.teacher.is_active
            and services.requesting_orgs(request.user).exists(),
            **_nav(request),
        },
    )


# --- requests ------------------------------------------------------------------------------------------------
def request_new(request, pk: int):
    course = _course(pk)
    access = Access.of(request.user)
    orgs = services.requesting_orgs(request.user)
    if request.method == "POST":
        # Naming another unit's organisation is refused as such, not shown as a form error.
        wanted = Organization.objects.filter(pk=request.POST.get("organization") or 0).first()
        if wanted is not None:
            access.require_org(wanted, C.CHANGE_MEMBERS)
    if not orgs.exists():
        raise PermissionDenied("只有党组织书记或党务工作者可以申请授课")
    today = timezone.localdate()
    initial = {
        "preferred_from": today + datetime.timedelta(days=7),
        "preferred_to": today + datetime.timedelta(days=21),
    }
    if orgs.count() == 1:
        initial["organization"] = orgs.first()
    form = RequestForm(request.POST or None, organizations=orgs, initial=initial)
    if request.method == "POST":
        if not (course.is_open and course.teacher.is_active):
            form.add_error(None, "该课程暂停预约")
        elif form.is_valid():
            try:
                req = services.request_lecture(course=course, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, "授课申请已提交，等待教师或师资库管理员答复。")
                return redirect("teachers:request_detail", req.pk)
    return render(request, "teachers/request_form.html", {"course": course, "form": form})


def my_requests(request):
    status = request.GET.get("status", "")
    qs = selectors.requests_of_my_orgs(request.user)
    if status in RequestStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "teachers/my_requests.html",
        {
            "page": page,
            "query": _query(request),
            "status": status,
            "statuses": RequestStatus.choices,
            **_nav(request),
        },
    )


def inbox(request):
    show = request.GET.get("show", "pending")
    qs = selectors.inbox(request.user)
    if show == "pending":
        qs = qs.filter(status=RequestStatus.PENDING)
    else:
        show = "scheduled"
        qs = qs.filter(status=RequestStatus.ACCEPTED, scheduled_end__gte=timezone.now())
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "teachers/inbox.html",
        {"page": page, "query": _query(request), "show": show, **_nav(request)},
    )


def _accept_initial(req: LectureRequest) -> dict:
    start = {"morning": datetime.time(9), "evening": datetime.time(19)}.get(
        req.preferred_period, datetime.time(15)
    )
    end = (
        datetime.datetime.combine(req.preferred_from, start) + datetime.timedelta(minutes=req.course.minutes)
    ).time()
    return {"date": req.preferred_from, "starts_at": start, "ends_at": end}


def request_detail(request, pk: int):
    req = _request(request, pk)
    can_handle = services.can_handle_request(request.user, req)
    can_change = services.can_change_request(request.user, req)
    now = timezone.now()
    before_start = req.status == RequestStatus.PENDING or (
        req.status == RequestStatus.ACCEPTED and req.scheduled_start and req.scheduled_start > now
    )
    return render(
        request,
        "teachers/request.html",
        {
            "r": req,
            "can_accept": can_handle and req.status == RequestStatus.PENDING,
            "can_decline": can_handle and before_start,
            "can_cancel": can_change and before_start,
            "accept_form": AcceptForm(initial=_accept_initial(req)),
            "decline_form": DeclineForm(),
            "show_contact": services.can_see_contact(request.user),
            "clashes": list(services.clashes(req.teacher, *_window(req)).select_related("organization")[:5])
            if can_handle and req.status == RequestStatus.PENDING
            else [],
            **_nav(request),
        },
    )


def _window(req: LectureRequest):
    """The preferred days as one range, to show the teacher what he already has then."""
    start = timezone.make_aware(datetime.datetime.combine(req.preferred_from, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(req.preferred_to, datetime.time.max))
    return start, end


def _back(request, req: LectureRequest):
    back = request.POST.get("next", "")
    if back.startswith("/teachers/") and "//" not in back:
        return redirect(back)
    return redirect("teachers:request_detail", req.pk)


@require_POST
def request_accept(request, pk: int):
    req = _request(request, pk)
    if not services.can_handle_request(request.user, req):
        raise PermissionDenied("只有授课教师本人或机关工委管理员可以答复")
    form = AcceptForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写授课日期、起止时间和地点。")
        return redirect("teachers:request_detail", req.pk)
    d = form.cleaned_data
    try:
        services.accept_request(
            req,
            starts_at=timezone.make_aware(datetime.datetime.combine(d["date"], d["starts_at"])),
            ends_at=timezone.make_aware(datetime.datetime.combine(d["date"], d["ends_at"])),
            place=d["place"],
            by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已安排授课，并已为申请单位生成党课会议。")
    return _back(request, req)


@require_POST
def request_decline(request, pk: int):
    req = _request(request, pk)
    if not services.can_handle_request(request.user, req):
        raise PermissionDenied("只有授课教师本人或机关工委管理员可以答复")
    try:
        services.decline_request(req, request.POST.get("reason", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已谢绝该授课申请。")
    return _back(request, req)


@require_POST
def request_cancel(request, pk: int):
    req = _request(request, pk)
    if not services.can_change_request(request.user, req):
        raise PermissionDenied("只有申请单位的党务工作者可以取消")
    try:
        services.cancel_request(req, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "授课申请已取消。")
    return _back(request, req)


# --- ratings -------------------------------------------------------------------------------------------------
def my_ratings(request):
    member = request.user.member
    pending = list(selectors.pending_ratings(member)[:50])
    done = Paginator(selectors.lectures_attended(member).filter(ratings__member=member), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "teachers/my_ratings.html",
        {"member": member, "pending": pending, "page": done, "query": _query(request), **_nav(request)},
    )


def rate(request, pk: int):
    req = get_object_or_404(
        LectureRequest.objects.select_related("course", "teacher", "organization", "meeting"), pk=pk
    )
    member = request.user.member
    if member is None or req.meeting_id is None or not req.meeting.attendances.filter(member=member).exists():
        # a lecture the member was not expected at: not confirmed to exist
        raise Http404("没有找到该党课")
    refusal = services.rating_refusal(req, member)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            services.rate_lecture(req, member, **form.cleaned_data)
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, "感谢您的评价！")
            return redirect("teachers:my_ratings")
    return render(
        request, "teachers/rate.html", {"r": req, "form": form, "refusal": refusal, **_nav(request)}
    )
