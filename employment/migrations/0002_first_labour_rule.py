"""The labour rule the portal starts with (see employment/rule_data.py); the office adds dated rules in the admin."""

from django.db import migrations

from employment.rule_data import ensure_labour_rule


def add_rule(apps, schema_editor):
    ensure_labour_rule(apps.get_model("employment", "LabourRule"))


class Migration(migrations.Migration):
    dependencies = [("employment", "0001_initial")]

    operations = [migrations.RunPython(add_rule, migrations.RunPython.noop)]
