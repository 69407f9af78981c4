from django.apps import AppConfig


class ReflectionsConfig(AppConfig):
    name = "partyedu.reflections"
    label = "reflections"
    verbose_name = "心得体会"
