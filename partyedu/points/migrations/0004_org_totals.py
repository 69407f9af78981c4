"""Organisation totals per period (`OrgPointsTotal`) and the organisation each ledger entry was earned in.

Existing entries get their member's current organisation (the best the ledger knows; transfers before this
migration are rare in practice), then the organisation totals are computed from the ledger in SQL. The ledger's
append-only trigger is lifted for that one UPDATE and put back in the same transaction."""

import django.db.models.deletion
from django.db import migrations, models

PERIODS = {
    "postgresql": [
        ("year", "to_char(occurred_on, 'YYYY')"),
        ("quarter", "to_char(occurred_on, 'YYYY') || 'Q' || to_char(occurred_on, 'Q')"),
        ("month", "to_char(occurred_on, 'YYYY-MM')"),
    ],
    "sqlite": [
        ("year", "strftime('%Y', occurred_on)"),
        (
            "quarter",
            "strftime('%Y', occurred_on) || 'Q' || ((CAST(strftime('%m', occurred_on) AS INTEGER) + 2) / 3)",
        ),
        ("month", "strftime('%Y-%m', occurred_on)"),
    ],
}
FILL = (
    "UPDATE points_pointsentry SET organization_id = "
    "(SELECT organization_id FROM members_member WHERE members_member.id = points_pointsentry.member_id)"
)
SQLITE_TRIGGER = """
CREATE TRIGGER points_entry_no_update BEFORE UPDATE ON points_pointsentry
BEGIN SELECT RAISE(ABORT, '积分记录只能追加，不能修改；请用更正记录'); END;
"""


def fill(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            # Foreign keys are checked at once, so no trigger events are pending when the table is altered again.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE points_pointsentry DISABLE TRIGGER points_entry_no_update")
            cursor.execute(FILL)
            cursor.execute("ALTER TABLE points_pointsentry ENABLE TRIGGER points_entry_no_update")
        elif vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS points_entry_no_update")
            cursor.execute(FILL)
            cursor.execute(SQLITE_TRIGGER)
        else:  # pragma: no cover
            cursor.execute(FILL)
        for kind, expr in PERIODS.get(vendor, []):
            cursor.execute(
                "INSERT INTO points_orgpointstotal (organization_id, period, period_kind, total, entries, "
                # no parameters: SQLite's strftime('%Y') would be read as a placeholder (kind is our own constant)
                f"participants) SELECT organization_id, {expr}, '{kind}', ROUND(SUM(points), 2), COUNT(*), "
                f"COUNT(DISTINCT member_id) FROM points_pointsentry GROUP BY organization_id, {expr}"
            )
        if vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def restore_sqlite_trigger(apps, schema_editor):
    # SQLite makes NOT NULL by copying the table into a new one, which leaves the trigger behind with the old one.
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS points_entry_no_update")
            cursor.execute(SQLITE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
        ("members", "0001_initial"),
        ("points", "0003_default_rules"),
    ]

    operations = [
        migrations.AddField(
            model_name="pointsentry",
            name="organization",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgs.organization",
                verbose_name="所在组织",
            ),
        ),
        migrations.CreateModel(
            name="OrgPointsTotal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("period", models.CharField(max_length=10)),
                (
                    "period_kind",
                    models.CharField(
                        choices=[("year", "年度"), ("quarter", "季度"), ("month", "月度")], max_length=8
                    ),
                ),
                ("total", models.DecimalField(decimal_places=2, default=0, max_digits=12)),
                ("entries", models.PositiveIntegerField(default=0)),
                ("participants", models.PositiveIntegerField(default=0)),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="orgs.organization"
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("period", "organization"), name="one_total_per_org_period"
                    )
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="pointsentry",
            name="organization",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgs.organization",
                verbose_name="所在组织",
            ),
        ),
        migrations.RunPython(restore_sqlite_trigger, migrations.RunPython.noop),
    ]
