from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "partyedu.notifications"
    label = "notifications"
    verbose_name = "提醒"
