"""The ledger refuses UPDATE (both databases) and DELETE (PostgreSQL). SQLite keeps DELETE possible because Django's
test flush empties tables with DELETE; PostgreSQL flushes with TRUNCATE, which row triggers do not see."""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION points_entry_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '积分记录只能追加，不能修改或删除；请用更正记录';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER points_entry_no_update BEFORE UPDATE OR DELETE ON points_pointsentry
  FOR EACH ROW EXECUTE FUNCTION points_entry_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS points_entry_no_update ON points_pointsentry;
DROP FUNCTION IF EXISTS points_entry_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER points_entry_no_update BEFORE UPDATE ON points_pointsentry
BEGIN SELECT RAISE(ABORT, '积分记录只能追加，不能修改；请用更正记录'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS points_entry_no_update;"


def up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    sql = {"postgresql": PG_UP, "sqlite": SQLITE_UP}.get(vendor)
    if sql:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    sql = {"postgresql": PG_DOWN, "sqlite": SQLITE_DOWN}.get(vendor)
    if sql:
        with schema_editor.connection.cursor() as cursor:
            for statement in [s for s in sql.split(";\n") if s.strip()]:
                cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("points", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
