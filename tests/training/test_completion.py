"""结业: attendance of at least the class's fraction of sessions (80 % by default) and a passed final test."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from partyedu.training import services
from partyedu.training.models import ClassStatus, Enrolment

from .conftest import add_sessions, make_class

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("present", "total", "fraction", "ok"),
    [
        (4, 5, "0.80", True),
        (3, 5, "0.80", False),
        (8, 10, "0.80", True),
        (7, 10, "0.80", False),
        (2, 3, "0.67", False),
        (3, 3, "1.00", True),
        (0, 0, "0.80", False),
    ],
)
def test_the_attendance_rule_at_its_boundary(present, total, fraction, ok):
    assert services.meets_attendance(present, total, Decimal(fraction)) is ok


def attend(session, enrolments, present_ids):
    services.record_attendance(
        session, {e.pk: ("present" if e.pk in present_ids else "absent") for e in enrolments}
    )


def test_completion_needs_exactly_80_percent_and_a_pass(county, rotation_class):
    services.enrol_by_criteria(rotation_class)
    zhangsan, lisi, zeng = (Enrolment.objects.get(member=m) for m in county.finance_members)
    wangwu, zhaoliu = (Enrolment.objects.get(member=m) for m in county.education_members)
    everyone = [zhangsan, lisi, zeng, wangwu, zhaoliu]
    sessions = add_sessions(rotation_class, 5)
    for i, s in enumerate(sessions):
        # 张三 and 曾小明 miss one session (4 of 5), 李四 misses two (3 of 5), the others attend all.
        absent = {zeng.pk, zhangsan.pk} if i == 0 else ({lisi.pk} if i in (1, 2) else set())
        attend(s, everyone, {e.pk for e in everyone} - absent)
    services.record_results(
        rotation_class,
        {
            zhangsan.pk: ("passed", Decimal("88")),
            lisi.pk: ("passed", None),
            zeng.pk: ("failed", Decimal("52")),
            wangwu.pk: ("passed", Decimal("95")),
            # 赵六 not marked: a pending test is not a pass
        },
    )

    outcome = services.complete_class(rotation_class)

    status = dict(Enrolment.objects.values_list("member__name", "status"))
    assert status == {
        "张三": "completed",
        "李四": "not_completed",
        "曾小明": "not_completed",
        "王五": "completed",
        "赵六": "not_completed",
    }
    assert outcome == {"completed": 2, "not_completed": 3}
    rotation_class.refresh_from_db()
    assert rotation_class.status == ClassStatus.COMPLETED
    codes = list(
        Enrolment.objects.exclude(certificate_code=None).values_list("member__name", "certificate_code")
    )
    assert sorted(n for n, _ in codes) == ["张三", "王五"]
    assert all(len(c) == 12 and c.isalnum() and c.isupper() for _, c in codes)
    assert len({c for _, c in codes}) == 2


def test_completing_again_keeps_the_codes_and_follows_corrections(county, finance_class):
    e = services.enrol_member(finance_class, county.finance_members[0])
    (s,) = add_sessions(finance_class, 1)
    services.record_attendance(s, {e.pk: "present"})
    services.record_results(finance_class, {e.pk: ("passed", None)})
    services.complete_class(finance_class)
    e.refresh_from_db()
    code = e.certificate_code

    services.complete_class(finance_class)
    e.refresh_from_db()
    assert e.certificate_code == code and e.status == "completed"

    services.record_attendance(s, {e.pk: "absent"})
    services.complete_class(finance_class)
    e.refresh_from_db()
    assert e.status == "not_completed" and e.certificate_code == code  # the verify page shows it as 已失效


def test_a_class_without_final_test_completes_on_attendance_alone(county):
    cls = make_class(county, target=county.finance, final_test_mode="none")
    services.enrol_by_criteria(cls)
    (s,) = add_sessions(cls, 1)
    services.mark_all_present(s)
    assert services.complete_class(cls) == {"completed": 3, "not_completed": 0}


def test_a_class_without_sessions_cannot_complete(county, finance_class):
    with pytest.raises(ValidationError):
        services.complete_class(finance_class)
