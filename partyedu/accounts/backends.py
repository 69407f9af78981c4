from contextlib import suppress

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db.models import Q

from partyedu.core.cn import validate_mobile

from .models import User


class UsernameOrPhoneBackend(ModelBackend):
    """People log in with whatever they remember: the username they were given or their mobile number."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        login = username.strip()
        query = Q(username__iexact=login)
        with suppress(ValueError):
            query |= Q(phone=validate_mobile(login))
        users = list(User.objects.filter(query)[:2])
        if len(users) != 1:
            User().set_password(password)  # same work as a real check, so timing does not reveal accounts
            return None
        user = users[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """Every request reads its user; with a shared cache (Redis) the row comes from there for a short while.
        Any save or delete of the user drops the cached copy at once (signals in accounts/apps.py), so a deactivated
        account or a changed password ends the session on the next request, as without the cache."""
        seconds = getattr(settings, "AUTH_USER_CACHE_SECONDS", 0)
        if not seconds:
            return super().get_user(user_id)
        key = user_cache_key(user_id)
        user = cache.get(key)
        if user is None:
            user = super().get_user(user_id)
            if user is not None:
                cache.set(key, user, seconds)
        return user if user is not None and self.user_can_authenticate(user) else None


def user_cache_key(user_id) -> str:
    return f"auth:user:{user_id}"


def forget_cached_user(sender, instance, **kwargs):
    if getattr(settings, "AUTH_USER_CACHE_SECONDS", 0):
        cache.delete(user_cache_key(instance.pk))
