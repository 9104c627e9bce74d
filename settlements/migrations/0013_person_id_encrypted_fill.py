"""ID numbers encrypted at rest, step 2 of 3: encrypt every person's number and every history row's, in
batches, with the current key of PERSONAL_DATA_KEYS (read through `settlements.personal_data`); and mask any
full ID number the personal-data access log or the stored import checks hold in their text.

Rows already filled are skipped, so the step can be run again after an interruption.
"""

import re

from django.db import migrations
from stdnum.cn import ric

from settlements import personal_data

BATCH = 2000
COLUMNS = ["id_number_encrypted", "id_number_hash", "id_region", "id_tail4_hash", "id_tail6_hash"]
# As settlements.models names them (copied here: a migration keeps the logic of its day).
ID_NUMBER, ID_TAIL4, ID_TAIL6 = "person.id_number", "person.id_number.last4", "person.id_number.last6"
ID_NUMBER_IN_TEXT = re.compile(r"(?<![0-9])([0-9]{6})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9])")


def stored_id_number(number):
    number = ric.compact(number or "")
    return {
        "id_number_encrypted": personal_data.encrypt(number, purpose=ID_NUMBER),
        "id_number_hash": personal_data.keyed_hash(number, purpose=ID_NUMBER),
        "id_region": number[:6],
        "id_tail4_hash": personal_data.keyed_hash(number[-4:], purpose=ID_TAIL4),
        "id_tail6_hash": personal_data.keyed_hash(number[-6:], purpose=ID_TAIL6),
    }


def encrypt_rows(model):
    key = model._meta.pk.attname
    pending = model.objects.filter(id_number_encrypted__isnull=True).order_by(key).only(key, "id_number")
    while rows := list(pending[:BATCH]):
        for row in rows:
            for column, value in stored_id_number(row.id_number).items():
                setattr(row, column, value)
        model.objects.bulk_update(rows, COLUMNS, batch_size=500)


def masked(value):
    """`value` (text, or JSON of lists and dicts) with every full ID number in it masked."""
    if isinstance(value, str):
        return ID_NUMBER_IN_TEXT.sub(lambda match: f"{match[1]}********{match[2]}", value)
    if isinstance(value, list):
        return [masked(item) for item in value]
    if isinstance(value, dict):
        return {name: masked(item) for name, item in value.items()}
    return value


def mask_stored_text(apps):
    access = apps.get_model("settlements", "PersonalDataAccess")
    for entry in access.objects.filter(description__regex=r"[0-9]{17}[0-9Xx]").only("pk", "description"):
        access.objects.filter(pk=entry.pk).update(description=masked(entry.description))
    imports = apps.get_model("settlements", "LedgerImport")
    for record in imports.objects.only("pk", "errors", "preview").iterator(chunk_size=100):
        errors, preview = masked(record.errors), masked(record.preview)
        if (errors, preview) != (record.errors, record.preview):
            imports.objects.filter(pk=record.pk).update(errors=errors, preview=preview)


def forwards(apps, schema_editor):
    encrypt_rows(apps.get_model("settlements", "Person"))
    encrypt_rows(apps.get_model("settlements", "HistoricalPerson"))
    mask_stored_text(apps)


class Migration(migrations.Migration):
    dependencies = [("settlements", "0012_person_id_encrypted_add")]

    # Undone by 0012's reverse, which drops the columns (0014's reverse writes the numbers back in clear).
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
