from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "partyedu.outreach"
    label = "outreach"
    verbose_name = "不让一个党员掉队"
