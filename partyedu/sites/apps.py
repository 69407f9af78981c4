from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "partyedu.sites"
    label = "edusites"
    verbose_name = "红色教育基地"
