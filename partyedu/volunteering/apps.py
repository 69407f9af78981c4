from django.apps import AppConfig


class VolunteeringConfig(AppConfig):
    name = "partyedu.volunteering"
    label = "volunteering"
    verbose_name = "志愿服务与双报到"

    def ready(self):
        from . import exporting

        exporting.register_kinds()
