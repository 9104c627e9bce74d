"""The personal-data access log folded into the audit trail: each `PersonalDataAccess` row becomes a
personal-data entry of the hash chain (action "personal_data.<kind>", the person as target, the count and
description in its detail), in time order, continuing the chain from whatever entries already exist (none in
a fresh database, where 0009 has just created the table); then the model is deleted. The chain check of the
audit page runs on demand (`AuditVerification`).

Reversing it recreates an empty access log: the moved entries stay in the trail, which is append-only.

It also adds the indexes of the audit page's search: user name, record number, refusals, and on PostgreSQL
trigram indexes (pg_trgm, as 0003) for text within the record's label and the entry's detail.
"""

import json

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from settlements import audit, id_numbers

CHUNK = 2000


def move_access_log_into_the_trail(apps, schema_editor):
    Access = apps.get_model("settlements", "PersonalDataAccess")
    Entry = apps.get_model("settlements", "AuditEntry")
    Archive = apps.get_model("settlements", "AuditArchive")
    User = apps.get_model("settlements", "User")
    audit._lock_the_chain()  # the appends' own lock, so nothing is appended meanwhile (PostgreSQL)
    previous = _last_hash(Entry, Archive)
    usernames = dict(User.objects.values_list("pk", "username"))
    batch = []
    for access in Access.objects.select_related("person").order_by("at", "id").iterator(chunk_size=CHUNK):
        entry = _entry(Entry, access, usernames, previous)
        previous = entry.entry_hash
        batch.append(entry)
        if len(batch) == CHUNK:
            Entry.objects.bulk_create(batch)
            batch = []
    Entry.objects.bulk_create(batch)


TRIGRAM_INDEXES = {
    "audit_target_label_trgm": "target_label gin_trgm_ops",
    "audit_detail_trgm": "(detail::text) gin_trgm_ops",
}


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in TRIGRAM_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON settlements_auditentry USING gin ({expression})")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def _last_hash(Entry, Archive) -> str:
    last = Entry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
    archived = Archive.objects.order_by("-last_id").values_list("last_entry_hash", flat=True).first()
    return last or archived or audit.GENESIS_HASH


def _entry(Entry, access, usernames, previous):
    person = access.person
    detail = {"record_count": access.record_count, "description": id_numbers.mask_in_text(access.description)}
    entry = Entry(
        at=access.at,
        actor_id=access.user_id,
        actor_name=usernames.get(access.user_id, "")[:150],
        category="personal_data",
        action=f"personal_data.{access.kind}",
        outcome="success",
        target_type="settlements.person" if person else "",
        target_id=str(person.pk) if person else "",
        target_label=person.name[:200] if person else "",
        detail=json.loads(json.dumps(detail, ensure_ascii=False)),
        ip_address=None,
        previous_hash=previous,
    )
    entry.entry_hash = audit.entry_digest(entry)
    return entry


class Migration(migrations.Migration):

    dependencies = [
        ('settlements', '0014_person_id_encrypted_required'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditVerification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('requested_at', models.DateTimeField(auto_now_add=True, verbose_name='发起时间')),
                ('status', models.CharField(choices=[('running', '校验中'), ('done', '已完成'), ('failed', '未能完成')], max_length=10, verbose_name='状态')),
                ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='进度（%）')),
                ('checked', models.PositiveBigIntegerField(default=0, verbose_name='已校验条数')),
                ('problems', models.JSONField(blank=True, default=list, verbose_name='发现的问题')),
                ('problem_count', models.PositiveIntegerField(default=0, verbose_name='问题数')),
                ('last_id', models.BigIntegerField(blank=True, null=True, verbose_name='最后一条记录号')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='完成时间')),
                ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='发起人')),
            ],
            options={
                'verbose_name': '审计记录摘要链校验',
                'verbose_name_plural': '审计记录摘要链校验',
                'ordering': ['-requested_at', '-id'],
            },
        ),
        migrations.RunPython(move_access_log_into_the_trail, migrations.RunPython.noop),
        migrations.DeleteModel(
            name='PersonalDataAccess',
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['actor_name', 'at'], name='audit_actor_name_at'),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['target_id'], name='audit_target_id'),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(condition=models.Q(('outcome', 'refused')), fields=['at'], name='audit_refused_at'),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
