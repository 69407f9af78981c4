from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "partyedu.quizzes"
    label = "quizzes"
    verbose_name = "题库与测试"

    def ready(self):
        from . import exporting

        exporting.register_kinds()
