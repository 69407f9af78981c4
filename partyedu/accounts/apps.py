from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "partyedu.accounts"
    label = "accounts"
