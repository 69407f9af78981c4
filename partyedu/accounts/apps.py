from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class AccountsConfig(AppConfig):
    name = "partyedu.accounts"
    label = "accounts"

    def ready(self):
        from .backends import forget_cached_user
        from .models import User

        post_save.connect(forget_cached_user, sender=User, dispatch_uid="accounts.forget_cached_user.save")
        post_delete.connect(
            forget_cached_user, sender=User, dispatch_uid="accounts.forget_cached_user.delete"
        )
