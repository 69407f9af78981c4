from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "partyedu.practice"
    label = "practice"
    verbose_name = "我为群众办实事"

    def ready(self):
        from . import exporting

        exporting.register_kinds()
