from django.apps import AppConfig


class TeachersConfig(AppConfig):
    name = "partyedu.teachers"
    label = "teachers"
    verbose_name = "师资库"
