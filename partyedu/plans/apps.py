from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "partyedu.plans"
    label = "plans"
    verbose_name = "读书计划"

    def ready(self):
        from . import exporting

        exporting.register_kinds()
