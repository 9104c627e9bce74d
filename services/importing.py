"""Import of the units' Excel ledgers (the 医保局's 参保台账, the 市民证发放台账) through the shared framework
(`settlements.imports`), which reads the file, parses every cell and runs the life cycle, and its ledgers of
persons' records (`settlements.imports.person_records`), which match rows with the registry's persons as the
importing user may see them, classify and write them. This module holds the services' own part: each record's
identity and the rules the services keep.

A row is the same record as one the portal holds (updated, not added, when imported again) when it has the
same identity: an enrolment its person, scheme and start date; a card its person (one card per person). A
blank cell never clears a stored value. Nothing is written while a row is wrong unless the user chose to
import the valid rows only; importing the same file twice changes nothing the second time.
"""

import datetime
from dataclasses import dataclass

from settlements.imports import cells
from settlements.imports.checking import CHANGED, NEW
from settlements.imports.person_records import PersonRecordImporter, RecordPlan, update_with_history
from settlements.models import HukouStatus, Person, Settlement

from . import import_columns
from .import_columns import ID_NUMBER
from .models import CitizenCard, EnrolmentPlace, HukouTransfer, InsuranceEnrolment, Scheme
from .services import hukou as hukou_services
from .services import social_security as social_services

MSG_END_BEFORE_START = "参保截止日期不能早于参保起始日期（{date}）。"
MSG_ENROLMENT_OVERLAP = social_services.MSG_ENROLMENT_OVERLAP
MSG_CARD_TRANSFERRED = hukou_services.MSG_CARD_AFTER_TRANSFER
MSG_NUMBER_TAKEN = "市民证号 {number} 已登记给{holder}。"
MSG_OTHER_HOLDER = "另一人"  # a holder outside the user's scope is not named
MSG_ISSUED_FUTURE = "发证日期不能晚于今天。"
MSG_BEFORE_BIRTH = "发证日期不能早于出生日期（{date}）。"


class _ServicesLedgerImporter(PersonRecordImporter):
    """The services' ledgers: the settlements the user may see are kept for naming a record's holder."""

    def plan(self, result, *, user, context, progress):
        result.found["settlements"] = set(Settlement.objects.for_user(user).values_list("pk", flat=True))
        super().plan(result, user=user, context=context, progress=progress)
        self.classify(result)


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


class InsuranceLedgerImporter(_ServicesLedgerImporter):
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
    identity = "身份证号、险种、参保起始日期"
    text_fields = {"name": (Person, "name"), "note": (InsuranceEnrolment, "note")}

    def plan_records(self, result, loaded):
        existing = {(record.person_id, record.scheme, record.start_date): record for record in loaded.records}
        spans = [_Span(r.person_id, r.scheme, r.start_date, r.end_date, r.pk) for r in loaded.records]
        first_rows: dict[tuple, int] = {}
        for plan in result.plans:
            values = plan.row.values
            plan.fields.update((name, values[name]) for name in ENROLMENT_FIELDS if name in values)
            if plan.person is None or "scheme" not in values or "start_date" not in values:
                continue
            key = (plan.person.pk, values["scheme"], values["start_date"])
            if not self.claim_key(plan, key, first_rows, INSURANCE_BY_FIELD["start_date"]):
                continue
            plan.existing = existing.get(key)
            if plan.existing is None:
                plan.fields.setdefault("place", EnrolmentPlace.SETTLEMENT)
            self._check_period(plan, spans)

    def _check_period(self, plan: RecordPlan, spans: list[_Span]) -> None:
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


class CitizenCardLedgerImporter(_ServicesLedgerImporter):
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
    identity = "身份证号"
    text_fields = {"name": (Person, "name"), "number": (CitizenCard, "number")}

    def extra_parsers(self):
        return {"issued_on": cells.date_parser(field="issued_on", future_message=MSG_ISSUED_FUTURE)}

    def plan_records(self, result, loaded):
        cards = {card.person_id: card for card in loaded.records}
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
            if person is None or not self.claim_key(plan, (person.pk,), first_rows, ID_NUMBER):
                continue
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
        update_with_history(Person, persons, ("hukou_status",), user=user, reason=reason, date=date)


def _visible(result) -> set[int]:
    return result.found.get("settlements", set())


INSURANCE = InsuranceLedgerImporter()
CITIZEN_CARDS = CitizenCardLedgerImporter()
IMPORTERS = [INSURANCE, CITIZEN_CARDS]
