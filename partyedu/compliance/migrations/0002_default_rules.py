"""The default rules: 《中国共产党支部工作条例（试行）》 (2018) and the county's field reports.

Written out here rather than imported, so that this migration means the same thing forever; the same list is in
compliance/services.py (DEFAULT_RULES) for databases emptied after migrating (tests, demos)."""

import datetime

from django.db import migrations

VALID_FROM = datetime.date(2019, 1, 1)
DEFAULTS = [
    ("branch", "branch_assembly", 1, "quarter", False, "《支部工作条例》第十五条"),
    ("branch", "branch_committee", 1, "month", False, "《支部工作条例》第十五条"),
    ("group", "group_meeting", 1, "month", False, "《支部工作条例》第十五条"),
    ("branch", "party_lecture", 1, "quarter", False, "本县规定（可调整）"),
    ("branch", "theme_day", 1, "month", False, "《支部工作条例》第十五条"),
    ("branch", "life_meeting", 1, "year", False, "《支部工作条例》第十七条"),
    ("branch", "site_visit", 2, "year", False, "本县规定"),
    ("unit", "center_group_study", 1, "year", True, "中心组学习列席旁听制度"),
]


def create_defaults(apps, schema_editor):
    Rule = apps.get_model("compliance", "ComplianceRule")
    if Rule.objects.exists():
        return
    for applies_to, kind, n, period, observer, basis in DEFAULTS:
        Rule.objects.create(
            applies_to=applies_to,
            meeting_kind=kind,
            min_count=n,
            period=period,
            requires_observer=observer,
            valid_from=VALID_FROM,
            basis=basis,
        )


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
