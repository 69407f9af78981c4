"""With a shared cache (Redis in production) every request's user comes from the cache; a change to the account
reaches the next request at once, as without the cache."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partyedu.accounts.backends import user_cache_key
from partyedu.accounts.services import create_user, reset_password, set_account_active

from ..conftest import PASSWORD


@pytest.fixture
def user_cache(settings):
    settings.AUTH_USER_CACHE_SECONDS = 60
    yield
    cache.clear()  # the test cache is this process's memory, never a shared Redis


def _user_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, [q["sql"] for q in ctx.captured_queries if 'FROM "accounts_user"' in q["sql"]]


def test_the_second_request_reads_the_user_from_the_cache(db, client, user_cache):
    user = create_user(username="lisi", password=PASSWORD)
    client.post(reverse("accounts:login"), {"username": "lisi", "password": PASSWORD})
    url = reverse("competitions:ping")
    first, first_reads = _user_queries(client, url)
    second, second_reads = _user_queries(client, url)
    assert first.status_code == second.status_code == 200
    assert len(first_reads) == 1 and second_reads == []
    assert cache.get(user_cache_key(user.pk)).username == "lisi"


def test_a_deactivated_account_is_logged_out_on_its_next_request(db, client, user_cache):
    user = create_user(username="lisi", password=PASSWORD)
    client.post(reverse("accounts:login"), {"username": "lisi", "password": PASSWORD})
    assert client.get(reverse("competitions:ping")).status_code == 200
    set_account_active(user, False)
    response = client.get(reverse("competitions:ping"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_a_password_reset_ends_the_old_session_at_once(db, client, user_cache):
    user = create_user(username="lisi", password=PASSWORD)
    client.post(reverse("accounts:login"), {"username": "lisi", "password": PASSWORD})
    assert client.get(reverse("competitions:ping")).status_code == 200
    reset_password(user)
    assert client.get(reverse("competitions:ping")).status_code == 302


def test_without_a_shared_cache_the_user_is_read_every_time(db, client, settings):
    settings.AUTH_USER_CACHE_SECONDS = 0
    create_user(username="lisi", password=PASSWORD)
    client.post(reverse("accounts:login"), {"username": "lisi", "password": PASSWORD})
    url = reverse("competitions:ping")
    _user_queries(client, url)
    _, reads = _user_queries(client, url)
    assert len(reads) == 1
