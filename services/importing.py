"""Import of the units' Excel ledgers (the 医保局's 参保台账, the 市民证发放台账) through the shared framework
(`settlements.imports`), which reads the file, parses every cell and runs the life cycle. This module holds the
services' own part: matching rows with the registry's persons (as the importing user may see them: one outside
the scope is reported exactly like an unknown ID number), the rules the services keep, and the write.

A row is the same record as one the portal holds (updated, not added, when imported again) when it has the
same identity: an enrolment its person, scheme and start date; a card its person (one card per person). A
blank cell never clears a stored value. Nothing is written while a row is wrong unless the user chose to
import the valid rows only; importing the same file twice changes nothing the second time.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from settlements import bulk, id_numbers, imports
from settlements.imports import cells
from settlements.imports.checking import CHANGED, CHUNK_SIZE, NEW, UNCHANGED, WRONG
from settlements.imports.checking import chunks as _chunks
from settlements.models import HukouStatus, Person, Settlement, id_number_hashes

from . import import_columns
from .import_columns import ID_NUMBER, NAME
from .models import CitizenCard, EnrolmentPlace, HukouTransfer, InsuranceEnrolment, Scheme
from .services import hukou as hukou_services
from .services import social_security as social_services

LOOKUP_ROWS = 2000  # rows whose persons (and their records) one query looks up

MSG_PERSON_UNKNOWN = "您管理范围内的搬迁人员中没有这个身份证号：请先在户籍台账中登记该人员。"
MSG_NAME_MISMATCH = "与户籍台账中该身份证号人员的姓名“{name}”不一致。"
MSG_DUPLICATE = "与第{row}行是同一条记录（{identity}相同），请合并为一行。"
MSG_END_BEFORE_START = "参保截止日期不能早于参保起始日期（{date}）。"
MSG_ENROLMENT_OVERLAP = social_services.MSG_ENROLMENT_OVERLAP
MSG_CARD_TRANSFERRED = hukou_services.MSG_CARD_AFTER_TRANSFER
MSG_NUMBER_TAKEN = "市民证号 {number} 已登记给{holder}。"
MSG_OTHER_HOLDER = "另一人"  # a holder outside the user's scope is not named
MSG_ISSUED_FUTURE = "发证日期不能晚于今天。"
MSG_BEFORE_BIRTH = "发证日期不能早于出生日期（{date}）。"
MSG_HAS_WRONG = "文件中有{rows}行存在错误：请修改后重新上传，或勾选“只导入无误的行”。"


@dataclass
class RowPlan:
    """A data row with what the check decided: the person, the record it matches, the values it sets, the
    changes to that record, and its outcome."""

    row: imports.LedgerRow
    person: Person | None = None
    existing: Any = None
    fields: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, tuple] = field(default_factory=dict)
    outcome: str = ""


class _PersonLedgerImporter(imports.Importer):
    """A ledger of records of the registry's persons, one row per record, keyed by ID number."""

    msg_has_wrong = MSG_HAS_WRONG
    model = None  # the record's model
    date_field = ""  # the row's date that bounds every change (`earliest_day`)
    changeable: tuple[str, ...] = ()  # fields a row may change on a record the portal holds
    labels: dict[str, str] = {}  # field -> the ledger's header, for the preview

    def earliest_day(self, result) -> datetime.date | None:
        days = (row.values.get(self.date_field) for row in result.rows)
        return min((day for day in days if isinstance(day, datetime.date)), default=None)

    def plan(self, result, *, user, context, progress):
        result.plans = [RowPlan(row=row) for row in result.rows]
        result.found["settlements"] = set(Settlement.objects.for_user(user).values_list("pk", flat=True))
        persons = self._persons(result.plans, user, progress)
        records = list(self.model.objects.filter(person_id__in=[person.pk for person in persons.values()]))
        for plan in result.plans:
            _match_person(plan, persons)
        self.plan_records(result, records)
        for plan in result.plans:
            _classify(plan, self.changeable)

    def _persons(self, plans, user, progress) -> dict[str, Person]:
        """The persons the file names, by ID number, as `user` may see them: one query per LOOKUP_ROWS rows."""
        scoped, persons = Person.objects.for_user(user), {}
        chunks = list(_chunks(plans, LOOKUP_ROWS))
        for index, chunk in enumerate(chunks):
            numbers = {plan.row.resident.number for plan in chunk if plan.row.resident} - persons.keys()
            if numbers:
                hashes = id_number_hashes(numbers)
                found = scoped.filter(id_number_hash__in=list(hashes)).order_by()
                persons.update((hashes[person.id_number_hash], person) for person in found)
            progress(0.8 * (index + 1) / len(chunks))
        return persons

    def plan_records(self, result, records) -> None:
        raise NotImplementedError

    def counts(self, result):
        counts = dict.fromkeys(imports.OUTCOMES, 0)
        for plan in result.plans:
            counts[plan.outcome] += 1
        return counts

    def changes(self, result):
        for plan in result.plans:
            if plan.outcome == CHANGED:
                yield {
                    "row": plan.row.number,
                    "name": plan.person.name,
                    "id": id_numbers.mask(plan.person.id_number),
                    "record": str(plan.existing),
                    "fields": [
                        {"field": name, "label": self.labels[name], "old": _shown(old), "new": _shown(new)}
                        for name, (old, new) in plan.changes.items()
                    ],
                }

    def write(self, result, *, user, valid_only, reason):
        if result.fatal:
            raise ValidationError([error.text for error in result.file_errors])
        if result.wrong_rows and not valid_only:
            raise ValidationError(MSG_HAS_WRONG.format(rows=result.wrong_rows))
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
                _update_with_history(self.model, records, names, user, reason, now)
            self.after_write(result, user=user, reason=reason, date=now)
        return {"created": len(created), "updated": sum(len(records) for records in changed.values())}

    def after_write(self, result, *, user, reason, date) -> None:
        """What the write changes besides the records (inside its transaction)."""

    def check_notes(self, summary):
        return ["每行按身份证号对应户籍台账中的人员；空白单元格不会清除平台中已有的内容。"]


def _update_with_history(model, records, names, user, reason, date):
    bulk_update_with_history(
        records,
        model,
        list(names),
        batch_size=CHUNK_SIZE,
        default_user=user,
        default_change_reason=reason,
        default_date=date,
    )


def _match_person(plan: RowPlan, persons: dict[str, Person]) -> None:
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


def _classify(plan: RowPlan, names: tuple[str, ...]) -> None:
    """New, changed (which fields, old and new) or unchanged; a blank cell never clears a stored value."""
    if plan.row.errors or plan.person is None:
        plan.outcome, plan.changes = WRONG, {}
    elif plan.existing is None:
        plan.outcome = NEW
    else:
        plan.changes = {
            name: (getattr(plan.existing, name), plan.fields[name])
            for name in names
            if name in plan.fields and plan.fields[name] != getattr(plan.existing, name)
        }
        plan.outcome = CHANGED if plan.changes else UNCHANGED


def _shown(value) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.date):
        return value.isoformat()
    labels = {**dict(Scheme.choices), **dict(EnrolmentPlace.choices)}
    return labels.get(value, str(value))


# --- the 医保局's enrolment ledger ---------------------------------------------------------------------------------

INSURANCE_BY_FIELD = {column.field: column for column in import_columns.INSURANCE_COLUMNS}
ENROLMENT_FIELDS = ("scheme", "place", "start_date", "end_date", "premium_subsidy", "note")


@dataclass
class _Span:
    person_id: int
    scheme: str
    start: datetime.date
    end: datetime.date | None
    pk: int | None = None

    def overlaps(self, other: "_Span") -> bool:
        """The periods share a day (both ends are days covered)."""
        return self.start <= (other.end or datetime.date.max) and other.start <= (self.end or datetime.date.max)


class InsuranceLedgerImporter(_PersonLedgerImporter):
    kind = "insurance"
    title = "参保台账"
    columns = import_columns.INSURANCE_COLUMNS
    header_keys = ("身份证号", "姓名", "险种", "参保起始日期")
    guide = import_columns.INSURANCE_GUIDE
    change_reason = "参保台账导入 #{pk}"
    order = 40
    dated_models = (InsuranceEnrolment,)
    model = InsuranceEnrolment
    date_field = "start_date"
    changeable = ("place", "end_date", "premium_subsidy", "note")
    labels = {column.field: column.header for column in import_columns.INSURANCE_COLUMNS}
    text_fields = {"name": (Person, "name"), "note": (InsuranceEnrolment, "note")}

    def plan_records(self, result, records):
        existing = {(record.person_id, record.scheme, record.start_date): record for record in records}
        spans = [_Span(r.person_id, r.scheme, r.start_date, r.end_date, r.pk) for r in records]
        first_rows: dict[tuple, int] = {}
        for plan in result.plans:
            values = plan.row.values
            plan.fields.update((name, values[name]) for name in ENROLMENT_FIELDS if name in values)
            if plan.person is None or "scheme" not in values or "start_date" not in values:
                continue
            key = (plan.person.pk, values["scheme"], values["start_date"])
            if key in first_rows:
                plan.row.error(
                    INSURANCE_BY_FIELD["start_date"],
                    MSG_DUPLICATE.format(row=first_rows[key], identity="身份证号、险种、参保起始日期"),
                )
                continue
            first_rows[key] = plan.row.number
            plan.existing = existing.get(key)
            if plan.existing is None:
                plan.fields.setdefault("place", EnrolmentPlace.SETTLEMENT)
            self._check_period(plan, spans)

    def _check_period(self, plan: RowPlan, spans: list[_Span]) -> None:
        start = plan.fields["start_date"]
        end = plan.fields.get("end_date", plan.existing.end_date if plan.existing else None)
        if end is not None and end < start:
            plan.row.error(INSURANCE_BY_FIELD["end_date"], MSG_END_BEFORE_START.format(date=start.isoformat()))
            return
        span = _Span(plan.person.pk, plan.fields["scheme"], start, end, plan.existing.pk if plan.existing else None)
        for other in spans:
            same = other.person_id == span.person_id and other.scheme == span.scheme
            if same and (span.pk is None or other.pk != span.pk) and span.overlaps(other):
                day = max(span.start, other.start).isoformat()
                message = MSG_ENROLMENT_OVERLAP.format(
                    scheme=Scheme(span.scheme).label, date=day, start=other.start.isoformat()
                )
                plan.row.error(INSURANCE_BY_FIELD["start_date"], message)
                return
        spans[:] = [other for other in spans if span.pk is None or other.pk != span.pk] + [span]


# --- the 市民证 issue ledger -------------------------------------------------------------------------------------

CARD_BY_FIELD = {column.field: column for column in import_columns.CARD_COLUMNS}


class CitizenCardLedgerImporter(_PersonLedgerImporter):
    kind = "citizen_card"
    title = "市民证发放台账"
    columns = import_columns.CARD_COLUMNS
    header_keys = ("身份证号", "姓名", "市民证号", "发证日期")
    guide = import_columns.CARD_GUIDE
    change_reason = "市民证发放台账导入 #{pk}"
    order = 50
    dated_models = (CitizenCard,)
    model = CitizenCard
    date_field = "issued_on"
    changeable = ("number", "issued_on")
    labels = {column.field: column.header for column in import_columns.CARD_COLUMNS}
    text_fields = {"name": (Person, "name"), "number": (CitizenCard, "number")}

    def extra_parsers(self):
        return {"issued_on": cells.date_parser(field="issued_on", future_message=MSG_ISSUED_FUTURE)}

    def plan_records(self, result, records):
        cards = {card.person_id: card for card in records}
        numbers = {
            str(plan.row.values["number"]).strip().upper() for plan in result.plans if "number" in plan.row.values
        }
        holders = {
            card.number: card for card in CitizenCard.objects.filter(number__in=numbers).select_related("person")
        }
        person_ids = [plan.person.pk for plan in result.plans if plan.person]
        transfers = dict(
            HukouTransfer.objects.filter(person_id__in=person_ids).values_list("person_id", "transferred_on")
        )
        first_rows: dict[int, int] = {}
        for plan in result.plans:
            values, person = plan.row.values, plan.person
            if "number" in values:
                values["number"] = str(values["number"]).strip().upper()
            plan.fields.update((name, values[name]) for name in ("number", "issued_on") if name in values)
            if person is None:
                continue
            if person.pk in first_rows:
                plan.row.error(ID_NUMBER, MSG_DUPLICATE.format(row=first_rows[person.pk], identity="身份证号"))
                continue
            first_rows[person.pk] = plan.row.number
            plan.existing = cards.get(person.pk)
            self._check_card(plan, transfers, holders, result)

    def _check_card(self, plan, transfers, holders, result):
        person, values = plan.person, plan.row.values
        if person.pk in transfers or person.hukou_status == HukouStatus.TRANSFERRED:
            day = transfers.get(person.pk)
            plan.row.error(ID_NUMBER, MSG_CARD_TRANSFERRED.format(when=f"（{day.isoformat()}）" if day else ""))
        issued_on = values.get("issued_on")
        if issued_on and issued_on < person.birth_date:
            plan.row.error(CARD_BY_FIELD["issued_on"], MSG_BEFORE_BIRTH.format(date=person.birth_date.isoformat()))
        number = values.get("number")
        holder = holders.get(number) if number else None
        if holder is not None and holder.person_id != person.pk:
            name = holder.person.name if holder.person.settlement_id in _visible(result) else MSG_OTHER_HOLDER
            plan.row.error(CARD_BY_FIELD["number"], MSG_NUMBER_TAKEN.format(number=number, holder=name))
        elif number and not plan.row.errors:
            holders[number] = CitizenCard(person=person, number=number)  # a later row may not take it

    def after_write(self, result, *, user, reason, date):
        """The registry's hukou status of every person given a card: 未迁移，持市民证 (with history)."""
        written = [plan.person.pk for plan in result.plans if plan.outcome in (NEW, CHANGED)]
        persons = list(Person.objects.filter(pk__in=written).exclude(hukou_status=HukouStatus.CITIZEN_CARD))
        for person in persons:
            person.hukou_status = HukouStatus.CITIZEN_CARD
        _update_with_history(Person, persons, ("hukou_status",), user, reason, date)


def _visible(result) -> set[int]:
    return result.found.get("settlements", set())


INSURANCE = InsuranceLedgerImporter()
CITIZEN_CARDS = CitizenCardLedgerImporter()
IMPORTERS = [INSURANCE, CITIZEN_CARDS]
