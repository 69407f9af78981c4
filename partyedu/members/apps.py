from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "partyedu.members"
    label = "members"
