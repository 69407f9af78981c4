from django.apps import AppConfig


class PointsConfig(AppConfig):
    name = "partyedu.points"
    label = "points"
    verbose_name = "积分制管理"
