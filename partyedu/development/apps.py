from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "partyedu.development"
    label = "development"
    verbose_name = "发展党员"

    def ready(self):
        from . import exporting

        exporting.register_kinds()
