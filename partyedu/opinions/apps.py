from django.apps import AppConfig


class OpinionsConfig(AppConfig):
    name = "partyedu.opinions"
    label = "opinions"
    verbose_name = "意见建议"

    def ready(self):
        from . import exporting

        exporting.register_kinds()
