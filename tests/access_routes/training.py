"""Training class routes. A class belongs to its organiser: the education bureau's class is another unit's
object for the finance branch's secretary and member. Certificates are their member's and the organiser's;
the verification pages are public (anyone holding the paper may check it)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from tests.access_rules import Foreign, Own, Public

OTHER_CLASS_TITLE = "县教育局入党积极分子培训班"


def education_class(c):
    from partyedu.training.models import TrainingClass

    cls = TrainingClass.objects.filter(organiser=c.education).first()
    if cls is None:
        today = datetime.date.today()
        cls = TrainingClass.objects.create(
            title=OTHER_CLASS_TITLE,
            organiser=c.education,
            target_org=c.education,
            target_kind="rotation",
            is_rotation=True,
            year=today.year,
            starts_on=today - datetime.timedelta(days=10),
            ends_on=today - datetime.timedelta(days=1),
            session_hours=Decimal("4"),
            status="open",
        )
    return cls


def other_class(c):
    return {"pk": education_class(c).pk}


def other_enrolment(c):
    from partyedu.training.models import Enrolment

    cls = education_class(c)
    enrolment, _ = Enrolment.objects.get_or_create(
        training_class=cls,
        member=c.education_members[0],
        defaults={"status": "completed", "certificate_code": "ACCESS234567", "test_result": "passed"},
    )
    return {"pk": enrolment.pk}


def other_session(c):
    from partyedu.training.models import ClassSession

    cls = education_class(c)
    session = cls.sessions.first() or ClassSession.objects.create(
        training_class=cls,
        date=cls.starts_on,
        starts_at=datetime.time(9),
        ends_at=datetime.time(12),
        topic="党章党规",
        hours=Decimal("4"),
    )
    other_enrolment(c)
    return {"pk": session.pk}


ROUTES = {
    "training:list": Own(must_not_show=(OTHER_CLASS_TITLE,)),
    "training:create": Own(methods=("get",)),
    "training:my": Own(must_not_show=(OTHER_CLASS_TITLE,)),
    "training:coverage": Own(must_not_show=("县教育局",)),
    "training:verify_form": Public(),
    "training:verify": Public(),
    "training:detail": Foreign(other_class),
    "training:edit": Foreign(other_class, methods=("get", "post"), payload={"title": "被改名"}),
    "training:status": Foreign(other_class, methods=("post",), payload={"status": "closed"}),
    "training:enrol_criteria": Foreign(other_class, methods=("post",)),
    "training:enrol_add": Foreign(other_class, methods=("post",), payload={"who": "王五"}),
    "training:session_add": Foreign(
        other_class,
        methods=("post",),
        payload={"date": "2026-01-05", "starts_at": "09:00", "ends_at": "11:00", "topic": "x", "hours": "2"},
    ),
    "training:results": Foreign(other_class, methods=("get", "post")),
    "training:complete": Foreign(other_class, methods=("post",)),
    "training:enrolment_withdraw": Foreign(other_enrolment, methods=("post",)),
    "training:certificate": Foreign(other_enrolment),
    "training:session": Foreign(other_session, methods=("get", "post")),
    "training:session_all_present": Foreign(other_session, methods=("post",)),
}
