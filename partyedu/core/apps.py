from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "partyedu.core"
    label = "core"
