from django.apps import AppConfig


class PointsConfig(AppConfig):
    name = "partyedu.points"
    label = "points"
    verbose_name = "积分制管理"

    def ready(self):
        from partyedu.quizzes import events

        from . import services

        events.on_attempt_finished(services.attempt_finished)
