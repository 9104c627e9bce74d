from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("settlements", "0006_person_settlement_required")]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["settlement", "birth_date"], name="person_settlement_birth"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["settlement", "hukou_status"], name="person_settlement_hukou"),
        ),
    ]
