from django.apps import AppConfig


class CompetitionsConfig(AppConfig):
    name = "partyedu.competitions"
    label = "competitions"
    verbose_name = "知识竞赛"
