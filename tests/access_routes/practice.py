"""我为群众办实事 and 微心愿 routes: the education bureau's items and wishes are out of reach of the finance
branch's people (pages, actions, evidence files); members act only on wishes published to them or claimed by
them. /practice/f/<token>/ is public: the people served answer a one-time link without an account."""

import datetime

from tests.access_rules import Foreign, Own, Public

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def education_item(c):
    from django.utils import timezone

    from partyedu.practice import services
    from partyedu.practice.models import ServiceItem

    item = ServiceItem.objects.filter(organization=c.education_branch).first()
    if item is None:
        today = timezone.localdate()
        item = services.create_item(
            c.education_branch,
            title="教育局送教下乡",
            category="public_service",
            starts_on=today - datetime.timedelta(days=10),
            deadline=today + datetime.timedelta(days=10),
            responsible=c.education_members[:1],
        )
        services.start_item(item)
    return item


def other_item(c):
    return {"pk": education_item(c).pk}


def education_wish(c, status="open"):
    from partyedu.practice import services
    from partyedu.practice.models import Wish

    wish = Wish.objects.filter(organization=c.education, title="教育局心愿").first()
    if wish is None:
        wish = services.post_wish(
            c.education,
            title="教育局心愿",
            resident_name="赵大妈",
            community="城南社区",
            resident_phone="13800001111",
        )
    return wish


def other_wish(c):
    return {"pk": education_wish(c).pk}


def other_claimed_wish(c):
    from partyedu.practice import services
    from partyedu.practice.models import Wish

    wish = Wish.objects.filter(title="教育局已认领心愿").first()
    if wish is None:
        wish = services.post_wish(
            c.education, title="教育局已认领心愿", resident_name="钱大爷", community="城南社区"
        )
        services.claim_wish(wish, c.education_members[0])
    return {"pk": wish.pk}


def other_evidence(c):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from partyedu.practice import services

    evidence = services.add_evidence(SimpleUploadedFile("x.png", PNG), item=education_item(c))
    return {"pk": evidence.pk}


OTHER = ("教育局送教下乡", "教育局心愿", "赵大妈", "13800001111")


ROUTES = {
    "practice:list": Own(must_not_show=OTHER),
    "practice:export": Own(methods=("post",)),
    "practice:summary": Own(must_not_show=("县教育局",)),
    "practice:create": Own(methods=("get",)),
    "practice:item": Foreign(other_item),
    "practice:edit": Foreign(other_item, methods=("get", "post"), payload={"title": "被改名"}),
    "practice:start": Foreign(other_item, methods=("post",)),
    "practice:progress": Foreign(other_item, methods=("post",), payload={"on": "2026-01-01", "text": "x"}),
    "practice:evidence": Foreign(other_item, methods=("post",)),
    "practice:complete": Foreign(
        other_item, methods=("post",), payload={"done_on": "2026-01-01", "result_summary": "x"}
    ),
    "practice:cancel": Foreign(other_item, methods=("post",), payload={"reason": "x"}),
    "practice:tokens": Foreign(other_item, methods=("post",), payload={"count": "2"}),
    "practice:file": Foreign(other_evidence),
    "practice:wishes": Own(must_not_show=OTHER),
    "practice:wish_create": Own(methods=("get",)),
    "practice:wish": Foreign(other_wish),
    "practice:wish_confirm": Foreign(other_claimed_wish, methods=("post",)),
    "practice:wish_return": Foreign(other_claimed_wish, methods=("post",), payload={"reason": "x"}),
    "practice:wish_withdraw": Foreign(other_wish, methods=("post",), payload={"reason": "x"}),
    "practice:mine": Own(must_not_show=OTHER),
    "practice:my_wish": Foreign(other_wish),
    "practice:my_wish_claim": Foreign(other_wish, methods=("post",)),
    "practice:my_wish_release": Foreign(other_claimed_wish, methods=("post",)),
    "practice:my_wish_fulfil": Foreign(other_claimed_wish, methods=("post",), payload={"note": "x"}),
    "practice:feedback": Public(),
}
