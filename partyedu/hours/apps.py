from django.apps import AppConfig


class HoursConfig(AppConfig):
    name = "partyedu.hours"
    label = "hours"
    verbose_name = "学时"

    def ready(self):
        from . import exporting

        exporting.register_kinds()
