from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "partyedu.learning"
    label = "learning"
    verbose_name = "学习资料与学习记录"
