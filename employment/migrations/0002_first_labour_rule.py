"""The labour rule the portal starts with; the office changes it (dated) in the admin."""

import datetime

from django.db import migrations

BASIS = (
    "附件2要求台账掌握搬迁劳动力“年龄结构、文化程度、劳动技能、身体状况”，但两份原文件均未给出劳动力的年龄界限。"
    "此处按《劳动法》最低就业年龄16周岁、扶贫劳动力台账通行的59周岁上限设定，并将在校学生、残疾（无劳动能力）、"
    "患有大病者排除在外。县里确定正式口径后，请在此处新增一条规则（设定生效日期），不要修改本条，以便历史统计可以复现。"
)


def add_rule(apps, schema_editor):
    LabourRule = apps.get_model("employment", "LabourRule")
    if not LabourRule.objects.exists():
        LabourRule.objects.create(
            name="劳动年龄人口（16—59周岁）",
            valid_from=datetime.date(2016, 1, 1),
            min_age=16,
            max_age=59,
            excluded_conditions=["student", "disabled", "seriously_ill"],
            stable_months=3,
            basis=BASIS,
        )


class Migration(migrations.Migration):
    dependencies = [("employment", "0001_initial")]

    operations = [migrations.RunPython(add_rule, migrations.RunPython.noop)]
