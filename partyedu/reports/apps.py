from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "partyedu.reports"
    label = "reports"
    verbose_name = "台账与报表"

    def ready(self):
        from . import ledger

        ledger.register_kinds()
