from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "partyedu.compliance"
    label = "compliance"
    verbose_name = "组织生活落实情况"
