from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "partyedu.evaluation"
    label = "evaluation"
    verbose_name = "民主评议党员"

    def ready(self):
        from . import exporting

        exporting.register_kinds()
