"""The subsidies of annex 2 (培训和就业服务体系建设工作方案), one `SubsidyRule` row each, with the seed's figures.

`basis` quotes the seed (fixtures/sources/rongjiang_2019_follow_up_plan.txt) word for word; where a rule rests
on two passages they are joined by "……". A line break of the printed page inside a sentence is dropped.
`params` holds what the conditions test (months, shares, kinds), the seed's line numbers and, where the seed
leaves a point open, the reading the portal applies (`reading`). The evaluators are in employment/subsidies.py.

The seed prints no start date for any subsidy (the plan is dated 2019-05-20 and the subsidies are "按规定"
policies already in force), so `valid_from` is empty; it prints an end date only for the two post subsidies of
item 8. Rows are created by code with get_or_create, so a rule the office has corrected is left alone.
"""

from django.db import migrations

from employment.rule_data import RULES, ensure_subsidy_rules

__all__ = ["RULES", "add_rules"]


def add_rules(apps, schema_editor):
    ensure_subsidy_rules(apps.get_model("employment", "SubsidyRule"))


class Migration(migrations.Migration):
    dependencies = [("employment", "0002_first_labour_rule")]

    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
