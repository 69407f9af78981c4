from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_production_secret() -> None:
    """A production server must not run on a key nobody chose: sessions and tokens would be forgeable by anyone
    who can read var/. Development (DEBUG) and the test suite use the key generated under var/."""
    if not settings.DEBUG and not settings.TESTING and not settings.SECRET_KEY_FROM_ENVIRONMENT:
        raise ImproperlyConfigured("生产环境必须设置 SECRET_KEY 环境变量（开发演示请设置 DEBUG=1）")
