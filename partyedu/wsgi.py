import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partyedu.settings")
pages = get_wsgi_application()

from partyedu.competitions import lane  # noqa: E402
from partyedu.core.production import require_production_secret  # noqa: E402

require_production_secret()

# A live competition's phones post their answers and poll its state (each phone about once a second): at a
# competition's peak that is most of the requests. They carry their own credential, the player's signed seat
# (competitions/lane.py), and need nothing of Django's handler: no session, no account, no middleware, no URL
# resolution. Everything else is a page, through Django and the full middleware chain.
PHONE_LANE = lane.PATH


def application(environ, start_response):
    if phone := PHONE_LANE.match(environ.get("PATH_INFO", "")):
        return lane.wsgi_app(environ, start_response, int(phone[1]), phone[2])
    return pages(environ, start_response)
