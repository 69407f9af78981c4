from django.apps import AppConfig


class OrgsConfig(AppConfig):
    verbose_name = "党组织"
    name = "partyedu.orgs"
    label = "orgs"
