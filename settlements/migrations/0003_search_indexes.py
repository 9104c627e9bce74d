"""Indexes for searching and filtering the registry at provincial scale (1.9 million persons).

Partial ID numbers, names and phone numbers are searched with `LIKE '%…%'`: on PostgreSQL trigram GIN
indexes (pg_trgm, a trusted extension) serve those. SQLite, the embedded default, gets no trigram index.
"""

from django.db import migrations, models

TRIGRAM_COLUMNS = [("settlements_person", "id_number"), ("settlements_person", "name"), ("settlements_person", "phone")]


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, column in TRIGRAM_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_{column}_trgm ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in TRIGRAM_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("settlements", "0002_life_events_access_log_imports")]

    operations = [
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["household", "id"], name="person_household_id"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["birth_date"], name="person_birth_date"),
        ),
        migrations.AddIndex(
            model_name="household",
            index=models.Index(fields=["settlement", "code"], name="household_settlement_code"),
        ),
    ]
