from django.apps import AppConfig


class ReadingclubConfig(AppConfig):
    name = "partyedu.readingclub"
    label = "readingclub"
    verbose_name = "读书会"

    def ready(self):
        from . import archive

        archive.register_kinds()
