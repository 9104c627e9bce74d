"""ID numbers encrypted at rest, step 3 of 3: the encrypted columns required, the keyed hash unique, the
partial-search indexes built, and the plaintext column dropped (on the persons and their history).

Reversible: going back writes the numbers in clear again (decrypted with the configured keys) before the
plaintext column becomes required and unique once more.
"""

from django.db import migrations, models

from settlements import personal_data

ID_NUMBER = "person.id_number"
TRIGRAM_INDEX = "settlements_person_id_number_trgm"  # as 0003 made it


def restore_plaintext(apps, schema_editor):
    for name in ("Person", "HistoricalPerson"):
        model = apps.get_model("settlements", name)
        key = model._meta.pk.attname
        rows = list(model.objects.only(key, "id_number_encrypted"))
        for row in rows:
            row.id_number = personal_data.decrypt(row.id_number_encrypted, purpose=ID_NUMBER)
        model.objects.bulk_update(rows, ["id_number"], batch_size=500)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON settlements_person USING gin (id_number gin_trgm_ops)"
        )


def required(label, length, **options):
    return models.CharField(editable=False, max_length=length, verbose_name=label, **options)


class Migration(migrations.Migration):
    dependencies = [("settlements", "0013_person_id_encrypted_fill")]

    operations = [
        # The plaintext column loses its constraints, is written again on the way back, then dropped.
        migrations.AlterField(
            model_name="person",
            name="id_number",
            field=models.CharField(max_length=18, null=True, verbose_name="身份证号"),
        ),
        migrations.AlterField(
            model_name="historicalperson",
            name="id_number",
            field=models.CharField(max_length=18, null=True, verbose_name="身份证号"),
        ),
        migrations.RunPython(migrations.RunPython.noop, restore_plaintext),
        migrations.RemoveField(model_name="person", name="id_number"),
        migrations.RemoveField(model_name="historicalperson", name="id_number"),
        migrations.AlterField(
            model_name="person",
            name="id_number_encrypted",
            field=required("身份证号（密文）", 100),
        ),
        migrations.AlterField(
            model_name="person",
            name="id_number_hash",
            field=required("身份证号（检索码）", 32, unique=True, error_messages={"unique": "该身份证号已登记在册。"}),
        ),
        migrations.AlterField(model_name="person", name="id_region", field=required("身份证号前6位", 6)),
        migrations.AlterField(model_name="person", name="id_tail4_hash", field=required("身份证号后4位（检索码）", 32)),
        migrations.AlterField(model_name="person", name="id_tail6_hash", field=required("身份证号后6位（检索码）", 32)),
        migrations.AlterField(
            model_name="historicalperson",
            name="id_number_encrypted",
            field=required("身份证号（密文）", 100),
        ),
        migrations.AlterField(
            model_name="historicalperson",
            name="id_number_hash",
            field=required(
                "身份证号（检索码）", 32, db_index=True, error_messages={"unique": "该身份证号已登记在册。"}
            ),
        ),
        migrations.AlterField(model_name="historicalperson", name="id_region", field=required("身份证号前6位", 6)),
        migrations.AlterField(
            model_name="historicalperson", name="id_tail4_hash", field=required("身份证号后4位（检索码）", 32)
        ),
        migrations.AlterField(
            model_name="historicalperson", name="id_tail6_hash", field=required("身份证号后6位（检索码）", 32)
        ),
        migrations.AddIndex(model_name="person", index=models.Index(fields=["id_region"], name="person_id_region")),
        migrations.AddIndex(model_name="person", index=models.Index(fields=["id_tail4_hash"], name="person_id_tail4")),
        migrations.AddIndex(model_name="person", index=models.Index(fields=["id_tail6_hash"], name="person_id_tail6")),
    ]
