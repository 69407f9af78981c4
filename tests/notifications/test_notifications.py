"""Alerts a user reads on the 提醒 page; other apps write them through notify()."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partyedu.notifications.models import Notification
from partyedu.notifications.services import Alert, notify, notify_many

LIST = reverse("notifications:list")


def test_notify_with_a_key_alerts_once(county):
    user = county.finance_secretary
    first = notify(user, title="县财政局机关党支部 2026年10月 未召开支委会", dedupe_key="k1")
    assert first is not None
    assert notify(user, title="again", dedupe_key="k1") is None
    assert notify(user, title="no key") and notify(user, title="no key")
    assert Notification.objects.filter(user=user).count() == 3
    # the same key for someone else is his own alert
    assert notify(county.education_admin, title="x", dedupe_key="k1") is not None


def test_notify_many_skips_what_was_sent_and_repeats_in_the_batch(county):
    a, b = county.finance_secretary.pk, county.education_admin.pk
    alerts = [Alert(a, "一", dedupe_key="k"), Alert(a, "一", dedupe_key="k"), Alert(b, "一", dedupe_key="k")]
    assert notify_many(alerts) == 2
    assert notify_many(alerts + [Alert(a, "二", dedupe_key="k2")]) == 1


def test_the_badge_counts_unread_alerts_with_one_query(county, client):
    notify(county.finance_secretary, title="一")
    notify(county.finance_secretary, title="二")
    notify(county.education_admin, title="别人的")
    client.force_login(county.finance_secretary)
    response = client.get(LIST)
    assert response.context["unread_notifications"] == 2
    assert '<span class="badge red">2</span>' in response.content.decode()
    assert "别人的" not in response.content.decode()
    from partyedu.notifications.context_processors import unread

    class Request:
        user = county.finance_secretary

    with CaptureQueriesContext(connection) as queries:
        assert unread(Request()) == {"unread_notifications": 2}
    assert len(queries.captured_queries) == 1


def test_anonymous_visitors_get_no_count():
    from django.contrib.auth.models import AnonymousUser

    from partyedu.notifications.context_processors import unread

    class Request:
        user = AnonymousUser()

    assert unread(Request()) == {}


def test_opening_an_alert_reads_it_and_follows_its_link(county, client):
    n = notify(county.finance_secretary, title="去看看", url="/compliance/")
    client.force_login(county.finance_secretary)
    response = client.get(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == "/compliance/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_a_link_to_another_site_is_not_followed(county, client):
    n = notify(county.finance_secretary, title="钓鱼", url="https://example.com/")
    client.force_login(county.finance_secretary)
    response = client.get(reverse("notifications:open", args=[n.pk]))
    assert response["Location"] == LIST


def test_marking_read_one_and_all(county, client):
    one = notify(county.finance_secretary, title="一")
    notify(county.finance_secretary, title="二")
    client.force_login(county.finance_secretary)
    response = client.post(reverse("notifications:read", args=[one.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "标为已读" not in response.content.decode()
    assert client.get(LIST, {"unread": "1"}).context["page"].paginator.count == 1
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(user=county.finance_secretary, read_at__isnull=True).exists()


def test_another_users_alert_is_not_found(county, client):
    theirs = notify(county.education_admin, title="教育局的提醒")
    client.force_login(county.finance_secretary)
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
