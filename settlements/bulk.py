"""Fast bulk inserts with change history, for imports of tens of thousands of rows.

On PostgreSQL the rows travel by `COPY … FROM STDIN` (text format), which the server loads several times
faster than INSERT statements and the client sends without Django preparing each value through the SQL
compiler. The new primary keys are reserved beforehand from the table's sequence (`nextval`, one query for
all of them) and copied with the rows, so the caller gets them back without a second pass. Elsewhere (the
embedded SQLite default) the same calls fall back to `bulk_create`.

The history rows are those django-simple-history writes for a created object ("+"): the tracked fields,
with the same user, date and reason, so the change history is the same whichever way a record arrived (on
the ORM path they are written by simple-history's own `bulk_create_with_history`).

Two forms: `insert_with_history(model, objects, …)` / `insert(model, objects)` take model instances and set
their primary keys; `create_with_history(model, rows, …)` / `create(model, rows)` take dicts of field values
(by attname) and return the keys, which spares building tens of thousands of model instances.
"""

import datetime
import io
import itertools
import uuid

from django.conf import settings
from django.db import connection
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

PAGE_SIZE = 1000  # rows per INSERT on the ORM path
COPY_READ_SIZE = 1 << 20  # bytes psycopg2 sends per COPY message
NULL = "\\N"
# COPY's text format: a backslash, a tab (the column separator), a newline or a carriage return (the row
# separator) inside a value are written as backslash escapes; NULL is \N.
COPY_ESCAPES = (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r"))
HISTORY_BOOKKEEPING = {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}


def uses_copy() -> bool:
    """Whether the default database loads rows by COPY (PostgreSQL); otherwise the ORM path is taken."""
    return connection.vendor == "postgresql"


# --- instances ---------------------------------------------------------------------------------------------------


def insert_with_history(model, objects: list, *, user, reason: str, date) -> list:
    """Insert `objects` (new instances of `model`), set their primary keys, and record their creation."""
    if not objects:
        return objects
    if not _copyable(model):
        bulk_create_with_history(
            objects, model, batch_size=PAGE_SIZE, default_user=user, default_change_reason=reason, default_date=date
        )
        return objects
    return _copy_objects(model, objects, history=_history(user, reason, date))


def insert(model, objects: list) -> list:
    """Insert `objects` (new instances of `model`) and set their primary keys."""
    if not objects:
        return objects
    if not _copyable(model):
        return model.objects.bulk_create(objects, batch_size=PAGE_SIZE)
    return _copy_objects(model, objects, history=None)


def _copy_objects(model, objects: list, *, history) -> list:
    fields = model._meta.concrete_fields
    rows = [{field.attname: getattr(instance, field.attname) for field in fields} for instance in objects]
    keys, automatic = _copy(model, rows, keys=True, history=history)
    for instance, key in zip(objects, keys, strict=True):
        instance.pk = key
        instance.__dict__.update(automatic)
        instance._state.adding = False
        instance._state.db = connection.alias
    return objects


# --- rows --------------------------------------------------------------------------------------------------------


def create_with_history(model, rows: list[dict], *, user, reason: str, date) -> list:
    """Insert one record of `model` per dict of field values (by attname; fields left out take their default,
    auto_now(_add) fields the time of the call, as a save would) with its creation in the change history;
    return the new primary keys, in the order of `rows`."""
    if not rows:
        return []
    if not _copyable(model):
        objects = [model(**row) for row in rows]
        bulk_create_with_history(
            objects, model, batch_size=PAGE_SIZE, default_user=user, default_change_reason=reason, default_date=date
        )
        return [instance.pk for instance in objects]
    keys, _ = _copy(model, rows, keys=True, history=_history(user, reason, date))
    return keys


def create(model, rows: list[dict], *, keys: bool = True) -> list | None:
    """Insert one record of `model` per dict of field values (as `create_with_history`, without history);
    return the new primary keys in the order of `rows`, or None when `keys` is false (then none is reserved
    and the database numbers the rows itself)."""
    if not rows:
        return [] if keys else None
    if not _copyable(model):
        objects = model.objects.bulk_create([model(**row) for row in rows], batch_size=PAGE_SIZE)
        return [instance.pk for instance in objects] if keys else None
    new_keys, _ = _copy(model, rows, keys=keys, history=None)
    return new_keys


def _history(user, reason: str, date):
    return (user, reason, date) if getattr(settings, "SIMPLE_HISTORY_ENABLED", True) else None


# --- COPY --------------------------------------------------------------------------------------------------------


def copy_text(value) -> str:
    """A value as COPY's text format writes it: NULL as \\N; a backslash, tab, newline or carriage return
    escaped with a backslash."""
    return _escaped([value])[0]


def _escaped(values: list) -> list[str]:
    """Text values as COPY's text format writes them, escaped all at once (a few C-level passes over the
    joined column rather than one call per value)."""
    if not values:
        return []
    texts = ["" if value is None else str(value) for value in values]
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:
        raise ValueError("A string literal cannot contain NUL (0x00) characters.")
    for character, escape in COPY_ESCAPES:  # the backslash first
        if character in joined:
            joined = joined.replace(character, escape)
    texts = joined.split("\x00")
    if None in values:
        texts = [NULL if value is None else text for value, text in zip(values, texts, strict=True)]
    return texts


def _copy_integer(value) -> str:
    return str(int(value))


def _copy_boolean(value) -> str:
    return "t" if value else "f"


def _copy_date(field):
    def render(value):
        if type(value) is not datetime.date:
            value = field.to_python(value)
        return value.isoformat()

    return render


def _copy_datetime(field):
    def render(value):
        if not isinstance(value, datetime.datetime) or timezone.is_naive(value):
            value = field.get_prep_value(field.to_python(value))  # a naive time is taken in the current zone
        return value.isoformat()

    return render


def _copy_decimal(field):
    def render(value):
        return str(field.to_python(value))

    return render


def _copy_uuid(value) -> str:
    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))


TEXT_TYPES = {"CharField", "TextField", "SlugField", "EmailField", "URLField", "GenericIPAddressField"}
AUTO_TYPES = {"AutoField", "BigAutoField", "SmallAutoField"}
INTEGER_TYPES = AUTO_TYPES | {
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
}


def _renderer(field):
    """The function writing `field`'s (non-null) values in COPY's text format, or None for a type it
    does not handle (the model then takes the ORM path)."""
    while field.is_relation:
        field = field.target_field
    kind = field.get_internal_type()
    if kind in TEXT_TYPES:
        return copy_text
    if kind in INTEGER_TYPES:
        return _copy_integer
    renderers = {
        "BooleanField": lambda: _copy_boolean,
        "DateField": lambda: _copy_date(field),
        "DateTimeField": lambda: _copy_datetime(field),
        "DecimalField": lambda: _copy_decimal(field),
        "FloatField": lambda: repr,
        "UUIDField": lambda: _copy_uuid,
    }
    return renderers[kind]() if kind in renderers else None


def _copyable(model) -> bool:
    """COPY is taken on PostgreSQL for a model with an automatic primary key whose fields it can all write,
    and whose history model (if any) holds nothing but the tracked fields and simple-history's own."""
    if not uses_copy() or model._meta.pk.get_internal_type() not in AUTO_TYPES:
        return False
    if not all(_renderer(field) for field in model._meta.concrete_fields):
        return False
    history = getattr(model, "history", None)
    if history is None:
        return True
    extra = {field.name for field in history.model._meta.concrete_fields} - HISTORY_BOOKKEEPING
    return extra <= {field.name for field in history.model.tracked_fields}


class _Columns:
    """How one model's rows are written by COPY: its columns in order, each with its default and renderer.

    auto_now(_add) fields take one value for all rows, the one a save at this moment would give them."""

    def __init__(self, model, *, with_key: bool):
        meta = model._meta
        probe = model()
        automatic = [
            f for f in meta.concrete_fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        self.automatic = {field.attname: field.pre_save(probe, True) for field in automatic}
        self.key = meta.pk.attname
        self.fields = [field for field in meta.concrete_fields if with_key or field is not meta.pk]
        self.names = [field.column for field in self.fields]
        self.attnames = [field.attname for field in self.fields]
        self.columns = []  # (attname, constant, default function or None, renderer) per column
        for field in self.fields:
            if field.attname in self.automatic:
                constant, default = self.automatic[field.attname], None
            elif field.has_default() and callable(field.default):
                constant, default = None, field.get_default
            else:
                constant, default = field.get_default(), None
            self.columns.append((field.attname, constant, default, _renderer(field)))

    def lines(self, rows: list[dict], keys: list | None) -> list[str]:
        """Each row as COPY text, without its line end; `keys` are the primary keys, when copied."""
        texts = []
        for attname, constant, default, render in self.columns:
            if attname == self.key:
                values = keys
            elif attname in self.automatic:
                texts.append(itertools.repeat(render(constant), len(rows)))
                continue
            elif default is not None:
                values = [row[attname] if attname in row else default() for row in rows]
            else:
                values = [row.get(attname, constant) for row in rows]
            if render is copy_text:
                texts.append(_escaped(values))
            else:
                texts.append([NULL if value is None else render(value) for value in values])
        return list(map("\t".join, zip(*texts, strict=True)))


def _copy(model, rows: list[dict], *, keys: bool, history) -> tuple[list | None, dict]:
    """COPY `rows` into `model`'s table (and their history rows); return the new keys (when `keys`) and
    the auto_now(_add) values the rows took."""
    meta = model._meta
    new_keys = None
    with connection.cursor() as cursor:
        if keys:
            cursor.execute(
                "WITH s AS (SELECT pg_get_serial_sequence(%s, %s)::regclass AS seq) "
                "SELECT nextval(s.seq) FROM s, generate_series(1, %s)",
                [connection.ops.quote_name(meta.db_table), meta.pk.column, len(rows)],
            )
            new_keys = sorted(key for (key,) in cursor.fetchall())
        columns = _Columns(model, with_key=keys)
        lines = columns.lines(rows, new_keys)
        _copy_lines(cursor, meta.db_table, columns.names, lines)
        if history is not None:
            _copy_history(cursor, model, columns, lines, *history)
    return new_keys, columns.automatic


def _copy_history(cursor, model, columns: _Columns, lines: list[str], user, reason: str, date) -> None:
    """The "+" history row of each record: its tracked columns, taken from the record's own COPY text, then
    the date, reason, type and user (as simple-history's `bulk_history_create` fills them)."""
    history_meta = model.history.model._meta
    tracked = [field.attname for field in model.history.model.tracked_fields]
    bookkeeping = {
        "history_date": _renderer(history_meta.get_field("history_date"))(date or timezone.now()),
        "history_change_reason": copy_text(reason),
        "history_type": "+",
        "history_user": NULL if user is None else str(user.pk),
    }
    names = [history_meta.get_field(field.name).column for field in model.history.model.tracked_fields]
    names += [history_meta.get_field(name).column for name in bookkeeping]
    suffix = "\t" + "\t".join(bookkeeping.values())
    if tracked == columns.attnames:
        history_lines = [line + suffix for line in lines]
    else:  # a tab inside a value is escaped, so the record's text splits into its columns
        positions = [columns.attnames.index(attname) for attname in tracked]
        history_lines = []
        for line in lines:
            values = line.split("\t")
            history_lines.append("\t".join(values[i] for i in positions) + suffix)
    _copy_lines(cursor, history_meta.db_table, names, history_lines)


def _copy_lines(cursor, table: str, names: list[str], lines: list[str]) -> None:
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(name) for name in names)}) FROM STDIN"
    data = io.BytesIO(("\n".join(lines) + "\n").encode())
    with connection.wrap_database_errors:
        cursor.cursor.copy_expert(sql, data, size=COPY_READ_SIZE)
