from contextlib import suppress

from django.contrib.auth.backends import ModelBackend
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
