from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "partyedu.training"
    label = "training"
    verbose_name = "培训班与学时"

    def ready(self):
        from partyedu.quizzes import events

        from . import services

        events.on_attempt_finished(services.exam_attempt_finished)
