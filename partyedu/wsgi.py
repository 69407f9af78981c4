import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partyedu.settings")
application = get_wsgi_application()

from partyedu.core.production import require_production_secret  # noqa: E402

require_production_secret()
