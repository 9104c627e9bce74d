"""ID numbers encrypted at rest, step 1 of 3: the new columns, empty (nullable), beside the plaintext one.

Step 2 (0013) encrypts every person and history row, step 3 (0014) makes the columns required and unique and
drops the plaintext. Also: when an uploaded ledger was deleted under the retention rule.
"""

from django.db import migrations, models

# The columns of a stored ID number, on the person and on its history (no index yet: 0014 adds them after
# the fill, which is faster on a table without them).
ENCRYPTED_COLUMNS = [
    ("id_number_encrypted", "身份证号（密文）", 100),
    ("id_number_hash", "身份证号（检索码）", 32),
    ("id_region", "身份证号前6位", 6),
    ("id_tail4_hash", "身份证号后4位（检索码）", 32),
    ("id_tail6_hash", "身份证号后6位（检索码）", 32),
]


class Migration(migrations.Migration):
    dependencies = [("settlements", "0011_accounts_security")]

    operations = [
        *(
            migrations.AddField(
                model_name=model_name,
                name=name,
                field=models.CharField(editable=False, max_length=length, null=True, verbose_name=label),
            )
            for model_name in ("person", "historicalperson")
            for name, label, length in ENCRYPTED_COLUMNS
        ),
        migrations.AddField(
            model_name="ledgerimport",
            name="file_deleted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="文件删除时间"),
        ),
    ]
