import os
import re

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partyedu.settings")
pages = get_wsgi_application()

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

from partyedu.competitions.lane import wsgi_answer  # noqa: E402
from partyedu.core.production import require_production_secret  # noqa: E402

require_production_secret()

# A live competition's JSON (the phones' once-a-second polls, and a ping through the same chain) is most of the
# requests at a competition's peak. It needs a session, CSRF and a login, nothing that pages need:
# no language negotiation (its few messages are written in Chinese), no messages, static files, frame or
# content-security headers for HTML, no trailing-slash redirects (the pattern ends in one). Each middleware
# left out is CPU that a thousand requests a second pay; everything else goes through the full stack.
LIVE_PATHS = re.compile(r"^/competitions/live/(?:ping/|\d+/state/)$")
LIVE_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "partyedu.accounts.middleware.LoginRequiredMiddleware",
]


class LiveHandler(WSGIHandler):
    """Django's WSGI handler with LIVE_MIDDLEWARE instead of settings.MIDDLEWARE (both resolve ROOT_URLCONF)."""

    def load_middleware(self, is_async=False):
        # Django builds the chain from settings.MIDDLEWARE; this runs once, at import, before any request.
        full = settings.MIDDLEWARE
        self.middleware = settings.MIDDLEWARE = [m for m in full if m in LIVE_MIDDLEWARE]
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


live = LiveHandler()


# An answer carries its own credential (the player's signed seat, competitions/lane.py) and needs nothing of
# Django's handler: no session, no account, no middleware, no URL resolution.
ANSWER_PATH = re.compile(r"^/competitions/live/(\d+)/answer/$")


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    if answering := ANSWER_PATH.match(path):
        return wsgi_answer(environ, start_response, int(answering[1]))
    handler = live if LIVE_PATHS.match(path) else pages
    return handler(environ, start_response)
