from django.conf import settings
from django.contrib.auth.views import redirect_to_login

from partyedu.competitions.lane import PATH as PHONE_LANE

# Paths anyone may open: the login page itself, static files, and the API (it answers 401 on its own terms).
# /training/verify/: anyone checks a certificate's code; /evaluation/r/: outside raters answer without an account.
PUBLIC_PREFIXES = (
    "/accounts/login/",
    "/static/",
    "/api/",
    "/healthz",
    "/favicon.ico",
    "/training/verify/",
    "/evaluation/r/",
    "/practice/f/",
    "/opinions/p/",
)

# A live competition's phone (answers, state polls) carries its own credential, the player's signed seat.
PUBLIC_PATHS = PHONE_LANE


class LoginRequiredMiddleware:
    """Every page needs a login unless it is listed above: a new page cannot be forgotten open."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            not request.user.is_authenticated
            and not request.path.startswith(PUBLIC_PREFIXES)
            and not PUBLIC_PATHS.match(request.path)
        ):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)
