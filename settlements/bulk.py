"""Fast bulk inserts with change history, for imports of tens of thousands of rows.

Django's `bulk_create` spends most of its time preparing each value through the SQL compiler (measured:
3.2 of 4.8 s for 6,000 persons and their history rows). On PostgreSQL these helpers send the same rows with
psycopg2's `execute_values` instead; on other databases they fall back to `bulk_create`. They write the
history rows django-simple-history would write for a created object ("+"), with the same user, date and
reason, so the change history is the same whichever way a record arrived.
"""

from django.db import connection
from psycopg2.extras import execute_values

PAGE_SIZE = 1000


def insert_with_history(model, objects: list, *, user, reason: str, date) -> list:
    """Insert `objects` (new instances of `model`), set their primary keys, and record their creation."""
    insert(model, objects)
    history_model = model.history.model
    tracked = [field.attname for field in model.history.model.tracked_fields]
    history = [
        history_model(
            history_date=date,
            history_type="+",
            history_user_id=user.pk if user else None,
            history_change_reason=reason,
            **{name: getattr(instance, name) for name in tracked},
        )
        for instance in objects
    ]
    insert(history_model, history)
    return objects


def insert(model, objects: list) -> list:
    if not objects:
        return objects
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objects, batch_size=PAGE_SIZE)
    meta = model._meta
    fields = [field for field in meta.concrete_fields if field is not meta.pk]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    sql = (
        f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) VALUES %s "
        f"RETURNING {connection.ops.quote_name(meta.pk.column)}"
    )
    rows = [tuple(field.pre_save(instance, True) for field in fields) for instance in objects]
    with connection.cursor() as cursor:
        keys = execute_values(cursor.cursor, sql, rows, page_size=PAGE_SIZE, fetch=True)
    for instance, (key,) in zip(objects, keys, strict=True):
        instance.pk = key
        instance._state.adding = False
        instance._state.db = connection.alias
    return objects
