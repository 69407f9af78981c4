"""微心愿: a worker posts a resident's wish; one member of the subtree claims it, fulfils it with a photo; the
worker confirms it (points) or sends it back. The resident's phone is for workers only."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partyedu.notifications.models import Notification
from partyedu.points.models import PointsEntry
from partyedu.practice import selectors, services
from partyedu.practice.models import Wish, WishStatus

from ..conftest import login
from ..factories import make_user
from .test_evidence import PNG

pytestmark = pytest.mark.django_db


def test_two_members_claim_at_once_and_exactly_one_wins(county, wish):
    zhang, li, _ = county.finance_members
    # both opened the page while it was open: each holds an instance that says "open"
    seen_by_zhang, seen_by_li = Wish.objects.get(pk=wish.pk), Wish.objects.get(pk=wish.pk)
    services.claim_wish(seen_by_zhang, zhang)
    with pytest.raises(ValidationError, match="已被其他党员认领"):
        services.claim_wish(seen_by_li, li)
    wish.refresh_from_db()
    assert (wish.status, wish.claimed_by) == (WishStatus.CLAIMED, zhang)


def test_the_losing_claim_gets_a_clear_message_on_the_phone(county, wish, client):
    services.claim_wish(wish, county.finance_members[1])
    login(client, county.finance_member_user)
    response = client.post(reverse("practice:my_wish_claim", args=[wish.pk]), follow=True)
    assert "来晚了一步：该心愿已被其他党员认领" in response.content.decode()


def test_a_wish_goes_from_claim_to_confirmation_and_credits_the_member(county, wish, client):
    from partyedu.points import services as points

    points.install_default_rules(scope=county.committee)
    zhang = county.finance_members[0]
    login(client, county.finance_member_user)
    client.post(reverse("practice:my_wish_claim", args=[wish.pk]))
    response = client.post(
        reverse("practice:my_wish_fulfil", args=[wish.pk]), {"note": "已送上辅导书"}, follow=True
    )
    assert "请上传一张照片或凭证" in response.content.decode()
    client.post(
        reverse("practice:my_wish_fulfil", args=[wish.pk]),
        {"note": "已把辅导书送到刘阿姨家", "photo": SimpleUploadedFile("送书.png", PNG)},
    )
    wish.refresh_from_db()
    assert wish.status == WishStatus.FULFILLED and wish.evidence.count() == 1

    admin = make_user("caizheng_dangwu", role="org_admin", org=county.finance)
    login(client, admin)
    client.post(reverse("practice:wish_return", args=[wish.pk]), {"reason": "照片看不清"})
    wish.refresh_from_db()
    assert (wish.status, wish.return_reason) == (WishStatus.CLAIMED, "照片看不清")
    alert = Notification.objects.get(user=county.finance_member_user)
    assert "被退回：照片看不清" in alert.title
    services.fulfil_wish(wish, zhang, note="补拍了照片")  # the earlier photo is still there
    client.post(reverse("practice:wish_confirm", args=[wish.pk]))
    wish.refresh_from_db()
    assert wish.status == WishStatus.CONFIRMED
    (credit,) = PointsEntry.objects.filter(member=zhang, source_key=f"practice:wish:{wish.pk}")
    assert (credit.event_kind, credit.points) == ("wish_fulfilled", 2)  # a wish weighs less than a project
    record = selectors.member_practice_record(zhang)
    assert [(r["kind"], r["title"], r["status_label"]) for r in record] == [("wish", wish.title, "已完成")]


def test_the_residents_phone_is_shown_to_workers_and_never_to_members(county, wish, client):
    login(client, county.finance_member_user)
    for url in (reverse("practice:mine"), reverse("practice:my_wish", args=[wish.pk])):
        body = client.get(url).content.decode()
        assert wish.title in body and "13912345678" not in body and "刘桂兰" not in body
    services.claim_wish(wish, county.finance_members[0])
    assert "13912345678" not in client.get(reverse("practice:my_wish", args=[wish.pk])).content.decode()
    admin = make_user("caizheng_dangwu", role="org_admin", org=county.finance)
    login(client, admin)
    body = client.get(reverse("practice:wish", args=[wish.pk])).content.decode()
    assert "13912345678" in body and "刘桂兰" in body
    login(client, county.finance_secretary)  # the branch below does not hold the unit's wishes
    assert client.get(reverse("practice:wish", args=[wish.pk])).status_code == 404


def test_members_outside_the_subtree_neither_see_nor_claim_it(county, wish, client):
    wang = county.education_members[0]
    assert not selectors.wishes_open_to(wang).exists()
    with pytest.raises(ValidationError, match="认领范围"):
        services.claim_wish(wish, wang)
    user = make_user("wangwu", role="member", org=county.education_branch, member=wang)
    login(client, user)
    assert client.get(reverse("practice:my_wish", args=[wish.pk])).status_code == 404
    assert wish.title not in client.get(reverse("practice:mine")).content.decode()


def test_a_claimer_may_give_it_back_and_a_worker_may_withdraw_it(county, wish):
    zhang, li, _ = county.finance_members
    services.claim_wish(wish, zhang)
    with pytest.raises(ValidationError):
        services.release_wish(wish, li)
    services.release_wish(wish, zhang)
    services.claim_wish(wish, li)
    with pytest.raises(ValidationError, match="撤回原因"):
        services.withdraw_wish(wish, reason=" ")
    services.withdraw_wish(wish, reason="群众已另行解决")
    with pytest.raises(ValidationError, match="已撤回"):
        services.claim_wish(Wish.objects.get(pk=wish.pk), zhang)


def test_the_wish_list_counts_each_state_with_a_fixed_number_of_queries(
    county, client, django_assert_max_num_queries
):
    for n in range(12):
        w = services.post_wish(county.finance, title=f"心愿{n}", resident_name="某某", community="幸福社区")
        if n % 3 == 0:
            services.claim_wish(w, county.finance_members[n % 2])
    login(client, county.committee_admin)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("practice:wishes"))
    assert dict((s, n) for s, _, n in response.context["counts"])["claimed"] == 4
    login(client, county.finance_member_user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("practice:mine"))
    assert response.status_code == 200 and len(response.context["open_wishes"]) == 8


@pytest.mark.django_db(transaction=True)
def test_two_claims_in_two_connections_at_the_same_moment(county, wish):
    """The real race, on PostgreSQL: both requests hold the wish as open and send their claim together."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs two database connections at once (PostgreSQL)")
    barrier = threading.Barrier(2)
    results: dict[int, str] = {}

    def claim(member):
        try:
            seen = Wish.objects.get(pk=wish.pk)
            barrier.wait()
            services.claim_wish(seen, member)
            results[member.pk] = "won"
        except ValidationError as exc:
            results[member.pk] = exc.messages[0]
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(m,)) for m in county.finance_members[:2]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results.values()) == sorted(["来晚了一步：该心愿已被其他党员认领", "won"])
    wish.refresh_from_db()
    assert results[wish.claimed_by_id] == "won"
