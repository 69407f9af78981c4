"""The starting rules (an example 积分制管理办法 the 工委 edits by versions), for every organisation."""

from decimal import Decimal

from django.db import migrations


def install(apps, schema_editor):
    from partyedu.points.services import DEFAULT_RULES, DEFAULT_VALID_FROM

    PointsRule = apps.get_model("points", "PointsRule")
    if PointsRule.objects.exists():
        return
    PointsRule.objects.bulk_create(
        PointsRule(
            event_kind=kind,
            name=name,
            mode=mode,
            points=Decimal(points),
            daily_cap=Decimal(day) if day else None,
            yearly_cap=Decimal(year) if year else None,
            valid_from=DEFAULT_VALID_FROM,
            basis="本县积分制管理办法（示例，可调整）",
        )
        for kind, name, mode, points, day, year in DEFAULT_RULES
    )


class Migration(migrations.Migration):
    dependencies = [("points", "0002_ledger_append_only")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
