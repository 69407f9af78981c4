from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "partyedu.demo"
    label = "demo"
