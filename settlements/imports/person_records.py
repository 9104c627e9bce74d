"""Ledgers of records kept per registry person, keyed by ID number (jobs, trainings, insurance enrolments,
市民证, school enrolments): the part every such importer shares, so each app writes only its own rules.

A row names its person by ID number, among the persons the importing user may see (`Person.objects.for_user`):
a person outside the scope is reported exactly like an unknown number, and a name that differs from the
registry's is an error. A row is the same record as one the portal holds when it has the same identity (the
app's `key`); it is then changed, not added, and only in the fields the ledger may change (`changeable`). A
blank cell never clears a stored value. The write puts the new and changed records in one transaction with
history, so importing the same file twice changes nothing the second time.

An app subclasses `PersonRecordImporter`, names its `model`, `date_field`, `changeable` fields and `identity`
(the words the duplicate-row message uses), and writes `plan_records(result, loaded)`: for each plan, the
fields the row sets, its key (`claim_key`), the record it matches and the app's own checks.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from .. import bulk, id_numbers
from ..models import Person, id_number_hashes
from .checking import CHANGED, CHUNK_SIZE, NEW, OUTCOMES, UNCHANGED, WRONG, CheckResult, LedgerRow, chunks
from .columns import TEXT, Column
from .importer import Importer

LOOKUP_ROWS = 2000  # rows whose persons (and their records) one query looks up

MSG_PERSON_UNKNOWN = "您管理范围内的搬迁人员中没有这个身份证号：请先在户籍台账中登记该人员。"
MSG_NAME_MISMATCH = "与户籍台账中该身份证号人员的姓名“{name}”不一致。"
MSG_DUPLICATE_RECORD = "与第{row}行是同一条记录（{identity}相同），请合并为一行。"
MSG_HAS_WRONG = "文件中有{rows}行存在错误：请修改后重新上传，或勾选“只导入无误的行”。"
BLANK = "（空）"

# The two columns every such ledger starts with.
ID_NUMBER = Column("身份证号", "id_number", required=True, width=22, kind=TEXT)
NAME = Column("姓名", "name", required=True, width=10)


@dataclass
class RecordPlan:
    """A data row with what the check decided: the person, the record's identity and the record it matches,
    the model values it sets, the changes to that record, and its outcome."""

    row: LedgerRow
    person: Person | None = None
    key: tuple | None = None
    existing: Any = None
    fields: dict[str, Any] = field(default_factory=dict)  # model attribute -> value, for the write
    changes: dict[str, tuple] = field(default_factory=dict)  # model attribute -> (old, new)
    outcome: str = ""


@dataclass
class Loaded:
    """What the check read from the database: the persons the file names (as the user may see them), by ID
    number, and their records of the ledger's model."""

    persons: dict[str, Person] = field(default_factory=dict)
    records: list = field(default_factory=list)
    scoped: Any = None  # the persons the user may see (a queryset: its settlements are read once)


class PersonRecordImporter(Importer):
    msg_has_wrong = MSG_HAS_WRONG
    model = None  # the record's model (with `person` and `recorded_by`)
    date_field = ""  # the row's date that bounds every change (`earliest_day`)
    changeable: tuple[str, ...] = ()  # fields a row may change on a record the portal holds
    identity = ""  # what makes two rows the same record, in the duplicate-row message

    def earliest_day(self, result) -> datetime.date | None:
        """A record is matched by its person and a date of the row, so the file's earliest such date bounds every
        change (a later date of the record comes after it)."""
        days = (row.values.get(self.date_field) for row in result.rows)
        return min((day for day in days if isinstance(day, datetime.date)), default=None)

    def records(self):
        """The queryset the persons' records are read from (an app may join what its check needs)."""
        return self.model.objects.all()

    def plan(self, result, *, user, context, progress):
        result.plans = [RecordPlan(row=row) for row in result.rows]
        loaded = self.load(result.plans, user, lambda fraction: progress(0.8 * fraction))
        for plan in result.plans:
            match_person(plan, loaded.persons)
        self.plan_records(result, loaded)

    def load(self, plans: list[RecordPlan], user, progress) -> Loaded:
        """Per `LOOKUP_ROWS` rows one query for the persons and one for their records."""
        scoped = Person.objects.for_user(user)  # reads the user's settlements once
        loaded = Loaded(scoped=scoped)
        batches = list(chunks(plans, LOOKUP_ROWS))
        for index, batch in enumerate(batches):
            numbers = {plan.row.resident.number for plan in batch if plan.row.resident} - loaded.persons.keys()
            if numbers:
                hashes = id_number_hashes(numbers)  # {keyed hash: number}: the numbers are stored encrypted
                found = list(scoped.filter(id_number_hash__in=list(hashes)).order_by())
                loaded.persons.update((hashes[person.id_number_hash], person) for person in found)
                if found:
                    loaded.records += self.records().filter(person_id__in=[p.pk for p in found]).order_by("pk")
            progress((index + 1) / len(batches))
        return loaded

    def plan_records(self, result: CheckResult, loaded: Loaded) -> None:
        raise NotImplementedError

    def claim_key(self, plan: RecordPlan, key: tuple, first_rows: dict, column: Column) -> bool:
        """Give `plan` its identity `key`; a later row with the identity of an earlier one is an error on the
        later row (False: the row claims nothing)."""
        if key in first_rows:
            plan.row.error(column, MSG_DUPLICATE_RECORD.format(row=first_rows[key], identity=self.identity))
            return False
        first_rows[key] = plan.row.number
        plan.key = key
        return True

    def classify(self, result: CheckResult) -> None:
        for plan in result.plans:
            classify(plan, self.changeable)

    def counts(self, result):
        counts = dict.fromkeys(OUTCOMES, 0)
        for plan in result.plans:
            counts[plan.outcome] += 1
        return counts

    def describe(self, record) -> str:
        """A record the portal holds, in a few words, for the preview of a changed row."""
        return str(record)

    def label_of(self, name: str) -> str:
        column = self.by_field.get(name)
        return column.header if column else name

    def changes(self, result):
        for plan in result.plans:
            if plan.outcome == CHANGED:
                yield {
                    "row": plan.row.number,
                    "name": plan.person.name,
                    "id": id_numbers.mask(plan.person.id_number),
                    "record": self.describe(plan.existing),
                    "fields": [
                        {
                            "field": name,
                            "label": self.label_of(name),
                            "old": display_value(result, name, old),
                            "new": display_value(result, name, new),
                        }
                        for name, (old, new) in plan.changes.items()
                    ],
                }

    def write(self, result, *, user, valid_only, reason):
        """The new and changed records of `result`, in one transaction, with history in `user`'s name. Nothing
        is written while a row is wrong, unless `valid_only`; unchanged records are not touched."""
        if result.fatal:
            raise ValidationError([error.text for error in result.file_errors])
        if result.wrong_rows and not valid_only:
            raise ValidationError(self.msg_has_wrong.format(rows=result.wrong_rows))
        created = [
            self.model(person_id=plan.person.pk, recorded_by=user, **plan.fields)
            for plan in result.plans
            if plan.outcome == NEW
        ]
        changed: dict[tuple[str, ...], list] = {}
        for plan in result.plans:
            if plan.outcome == CHANGED:
                for name, (_, new) in plan.changes.items():
                    setattr(plan.existing, name, new)
                changed.setdefault(tuple(sorted(plan.changes)), []).append(plan.existing)
        now = timezone.now()
        with transaction.atomic():
            bulk.insert_with_history(self.model, created, user=user, reason=reason, date=now)
            for names, records in changed.items():
                update_with_history(self.model, records, names, user=user, reason=reason, date=now)
            self.after_write(result, user=user, reason=reason, date=now)
        return {"created": len(created), "updated": sum(len(records) for records in changed.values())}

    def after_write(self, result, *, user, reason, date) -> None:
        """What the write changes besides the records (inside its transaction)."""

    def check_notes(self, summary):
        return ["每行按身份证号对应户籍台账中的人员；空白单元格不会清除平台中已有的内容。"]


def match_person(plan: RecordPlan, persons: dict[str, Person]) -> None:
    """The row's person by ID number, among those the user may see: an unknown number and one outside the
    user's scope are the same error. A name that differs from the registry's is an error too."""
    row = plan.row
    if not row.resident:
        return
    person = persons.get(row.resident.number)
    if person is None:
        row.error(ID_NUMBER, MSG_PERSON_UNKNOWN)
        return
    plan.person = person
    if "name" in row.values and row.values["name"] != person.name:
        row.error(NAME, MSG_NAME_MISMATCH.format(name=person.name))


def classify(plan: RecordPlan, names: tuple[str, ...]) -> None:
    """New, changed (which fields, old and new) or unchanged; a blank cell never clears a stored value."""
    if plan.row.errors or plan.person is None:
        plan.outcome, plan.changes = WRONG, {}
    elif plan.existing is None:
        plan.outcome = NEW
    else:
        existing = plan.existing
        plan.changes = {
            name: (getattr(existing, name), plan.fields[name])
            for name in names
            if name in plan.fields and plan.fields[name] != getattr(existing, name)
        }
        plan.outcome = CHANGED if plan.changes else UNCHANGED


def display_value(result: CheckResult, name: str, value) -> str:
    """A stored value as the ledger writes it: labels for choices, 是/否, dates as 2019-05-01, and for a field
    the check resolved to a record (`result.found["names"][field]`) that record's name in the ledger."""
    if value is None or value == "":
        return BLANK
    names = result.found.get("names", {})
    if name in names:
        return names[name].get(value, str(value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.date):
        return value.isoformat()
    column = result.importer.by_field.get(name)
    if column and column.choices:
        return dict(column.choices).get(str(value), str(value))
    return str(value)


def update_with_history(model, records, names, *, user, reason, date) -> None:
    bulk_update_with_history(
        records,
        model,
        list(names),
        batch_size=CHUNK_SIZE,
        default_user=user,
        default_change_reason=reason,
        default_date=date,
    )
