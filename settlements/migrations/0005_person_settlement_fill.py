from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill_person_settlement(apps, schema_editor):
    Household = apps.get_model("settlements", "Household")
    Person = apps.get_model("settlements", "Person")
    households = Household.objects.filter(pk=OuterRef("household_id")).values("settlement_id")[:1]
    Person.objects.update(settlement_id=Subquery(households))


class Migration(migrations.Migration):
    dependencies = [("settlements", "0004_person_settlement_add")]

    operations = [migrations.RunPython(fill_person_settlement, migrations.RunPython.noop)]
