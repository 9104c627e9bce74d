import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("settlements", "0005_person_settlement_fill")]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="settlement",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="settlements.settlement",
                verbose_name="安置点",
            ),
        ),
    ]
