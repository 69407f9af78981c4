from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "partyedu.training"
    label = "training"
    verbose_name = "培训班与学时"
