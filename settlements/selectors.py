"""Reads of the core registry that are more than one line. All start from a user's scope."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from . import facilities, id_numbers
from .filters import (
    AuditEntryFilter,
    BuildingHeadFilter,
    FacilityFilter,
    GridFilter,
    GridHouseholdFilter,
    HouseholdFilter,
    PersonFilter,
    labour_birth_range,
)
from .models import (
    ID_NUMBER_COLUMNS,
    AttributeType,
    AuditEntry,
    BuildingHead,
    Facility,
    Grid,
    Household,
    HouseholdStatus,
    Membership,
    Person,
    Relation,
    Settlement,
    read_id_number,
)


@dataclass
class SettlementSummary:
    settlement: Settlement
    households: int = 0
    moved_in_households: int = 0
    persons: int = 0


def settlement_summaries(*, user) -> list[SettlementSummary]:
    """Households and active persons per settlement in `user`'s scope: three queries whatever the size."""
    settlements = Settlement.objects.for_user(user).select_related("administered_by")
    summaries = {s.pk: SettlementSummary(settlement=s) for s in settlements}
    household_counts = (
        Household.objects.for_user(user)
        .values("settlement_id")
        .annotate(total=Count("id"), moved_in=Count("id", filter=Q(status=HouseholdStatus.MOVED_IN)))
    )
    for row in household_counts:
        summaries[row["settlement_id"]].households = row["total"]
        summaries[row["settlement_id"]].moved_in_households = row["moved_in"]
    person_counts = Person.objects.for_user(user).active().values("settlement_id").annotate(total=Count("id"))
    for row in person_counts:
        summaries[row["settlement_id"]].persons = row["total"]
    return list(summaries.values())


def household_list(*, user, params):
    """The filter and the filtered, annotated households of `user`'s scope."""
    households = Household.objects.for_user(user).select_related("settlement", "building")
    household_filter = HouseholdFilter(params, households, user=user)
    return household_filter, with_head_and_size(households=household_filter.qs).order_by("settlement_id", "code")


def person_list(*, user, params):
    """The filter and the filtered persons of `user`'s scope.

    The page's households come in a second query (`prefetch_related`, not a join): joined, a search that
    matches a few dozen persons at 1.9 million can make PostgreSQL walk the households in key order to
    feed the sort (180 ms instead of 3).
    """
    persons = Person.objects.for_user(user).prefetch_related("household__settlement", "household__building")
    person_filter = PersonFilter(params, persons, user=user)
    return person_filter, person_filter.qs.order_by("household_id", "id")


def audit_entries(*, user, params):
    """The filter and the filtered entries of the audit trail, newest first; none while a filter is wrong."""
    entry_filter = AuditEntryFilter(params, AuditEntry.objects.for_user(user))
    if not entry_filter.is_valid():
        return entry_filter, AuditEntry.objects.none()
    return entry_filter, entry_filter.qs.order_by("-at", "-id")


def with_head_and_size(*, households):
    """Annotate each household with its head's name and its number of active members."""
    members = Person.objects.active().filter(household=OuterRef("pk"))
    member_count = members.order_by().values("household").annotate(n=Count("id")).values("n")
    return households.annotate(
        head_name=Subquery(members.filter(relation=Relation.HEAD).values("name")[:1]),
        member_count=Coalesce(Subquery(member_count, output_field=IntegerField()), 0),
    )


# --- counts as of a date ---------------------------------------------------------------------------------


@dataclass
class RegistryCount:
    settlement: Settlement
    households: int = 0
    persons: int = 0
    labour: int = 0


def _resident_on(day, prefix=""):
    """Households moved in by `day` and not moved out by then."""
    return Q(**{f"{prefix}move_in_date__lte": day}) & (
        Q(**{f"{prefix}moved_out_on__isnull": True}) | Q(**{f"{prefix}moved_out_on__gt": day})
    )


def _staying_on(day):
    """Membership periods that cover `day`."""
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gt=day))


def resident_stays(*, day: datetime.date):
    """The stays (memberships) of the persons resident on `day`: a stay covering it, in a household moved in by
    then and not moved out. Apps count and list the day's residents from these."""
    return Membership.objects.filter(_staying_on(day) & _resident_on(day, "household__"))


def heads_of(household_ids) -> dict:
    """{household id: its head (户主) among the active persons} for the households named (ids, or a queryset)."""
    heads = Person.objects.active().filter(household_id__in=household_ids, relation=Relation.HEAD)
    return {head.household_id: head for head in heads}


def resident_households(*, day: datetime.date):
    """The households resident on `day`: moved in by then and not moved out. Apps count and list a day's
    households from these."""
    return Household.objects.filter(_resident_on(day))


def registry_counts_as_of(*, user, day: datetime.date) -> list[RegistryCount]:
    """Resident households, persons and labour-age persons per settlement as they stood on `day`.

    A household is resident from its move-in date until its move-out date; a person counts while their
    membership period covers `day` in a resident household.
    """
    counts = {s.pk: RegistryCount(settlement=s) for s in Settlement.objects.for_user(user)}
    resident = Household.objects.for_user(user).filter(_resident_on(day))
    for row in resident.values("settlement_id").annotate(n=Count("id")):
        counts[row["settlement_id"]].households = row["n"]
    oldest, youngest = labour_birth_range(day)
    stays = Membership.objects.filter(_staying_on(day), household__in=resident)
    for row in stays.values("household__settlement_id").annotate(
        n=Count("id"), labour=Count("id", filter=Q(person__birth_date__range=(oldest, youngest)))
    ):
        counts[row["household__settlement_id"]].persons = row["n"]
        counts[row["household__settlement_id"]].labour = row["labour"]
    return list(counts.values())


@dataclass
class ResidentFigures:
    """Per settlement id as of a day: resident households and persons, and the persons who had moved in by
    then (counting those who have since left)."""

    households: dict[int, int]
    persons: dict[int, int]
    moved_in_persons: dict[int, int]


def resident_figures(*, day: datetime.date) -> ResidentFigures:
    """County-wide, per settlement id, in three queries: one over the households, one pass over the stays that
    had begun by `day` in households moved in by then (the resident ones among them counted on the way), and
    one over the stays of the few persons who have more than one.

    Those who had moved in are counted without sorting every stay to count distinct persons: a person has one
    open stay at most (the constraint `one_open_membership_per_person`), so one with several stays has an ended
    one. The stays of persons without an ended stay are counted as they are; the others' are counted distinct.
    """
    households = Household.objects.filter(_resident_on(day)).values("settlement_id").annotate(n=Count("id"))
    begun = Membership.objects.filter(start_date__lte=day, household__move_in_date__lte=day)
    with_an_ended_stay = Membership.objects.filter(end_date__isnull=False).values("person_id")
    staying = _staying_on(day) & _resident_on(day, "household__")
    stays = begun.values("household__settlement_id").annotate(
        persons=Count("id", filter=staying), moved_in_once=Count("id", filter=~Q(person_id__in=with_an_ended_stay))
    )
    stays = list(stays)
    moved_in = {row["household__settlement_id"]: row["moved_in_once"] for row in stays}
    several = begun.filter(person_id__in=with_an_ended_stay).values("household__settlement_id")
    for row in several.annotate(n=Count("person_id", distinct=True)):
        moved_in[row["household__settlement_id"]] = moved_in.get(row["household__settlement_id"], 0) + row["n"]
    return ResidentFigures(
        households={row["settlement_id"]: row["n"] for row in households},
        persons={row["household__settlement_id"]: row["persons"] for row in stays},
        moved_in_persons=moved_in,
    )


# --- change history -----------------------------------------------------------------------------------------

HIDDEN_HISTORY_FIELDS = {"created_at", "updated_at", "id", "household", *ID_NUMBER_COLUMNS}
ID_NUMBER_LABEL = "身份证号"


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    subject: str
    action: str
    reason: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field label, old, new)


def household_history(*, household: Household) -> list[HistoryEntry]:
    """Every recorded change to the household and its members, newest first, ID numbers masked."""
    entries = _history_entries(household.history.select_related("history_user"), "本户")
    for person in household.members.all():
        entries += _history_entries(person.history.select_related("history_user"), person.name)
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def _history_entries(records, subject) -> list[HistoryEntry]:
    records = list(records.order_by("history_date", "history_id"))
    entries = []
    for previous, record in zip([None, *records], records, strict=False):
        entry = HistoryEntry(
            when=record.history_date,
            who=str(record.history_user or "系统"),
            subject=subject,
            action=record.get_history_type_display(),
            reason=record.history_change_reason or "",
        )
        if previous is not None:
            entry.changes = history_changes(previous, record)
            if not entry.changes:
                continue
        entries.append(entry)
    return entries


def history_changes(previous, record) -> list[tuple[str, str, str]]:
    """What changed from one history record to the next, as (field label, old, new) for people to read.

    A person's ID number is compared decrypted (its ciphertext differs at every write and after a key
    rotation) and shown masked; its hashes and region are not shown."""
    delta = record.diff_against(previous, excluded_fields=HIDDEN_HISTORY_FIELDS, foreign_keys_are_objs=True)
    changes = [_change_row(record, change) for change in delta.changes]
    if hasattr(record, "id_number_encrypted"):
        old, new = read_id_number(previous.id_number_encrypted), read_id_number(record.id_number_encrypted)
        if old != new:
            changes.insert(0, (ID_NUMBER_LABEL, id_numbers.mask(old) or "—", id_numbers.mask(new) or "—"))
    return changes


def _change_row(record, change) -> tuple[str, str, str]:
    model_field = record.instance_type._meta.get_field(change.field)
    return (str(model_field.verbose_name), _shown(model_field, change.old), _shown(model_field, change.new))


def _shown(model_field, value) -> str:
    if value in (None, ""):
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


# --- facilities --------------------------------------------------------------------------------------------------


def facility_list(*, user, params):
    """The filter and the filtered facilities `user` may read, with their kinds and settlements."""
    rows = Facility.objects.for_user(user).prefetch_related("kinds", "settlements").select_related("responsible_unit")
    facility_filter = FacilityFilter(params, rows, user=user)
    return facility_filter, facility_filter.qs.order_by("name", "id")


@dataclass(frozen=True)
class AttributeRow:
    label: str
    value: str


def facility_attribute_rows(facility: Facility) -> list[AttributeRow]:
    """The attributes the facility's kinds record, each as the page shows it ("—" when not recorded)."""
    rows = []
    for attribute in facilities.attributes_of(facility.kinds.all()):
        value = facility.attributes.get(attribute.key)
        if value in (None, ""):
            shown = "—"
        elif attribute.type == AttributeType.YES_NO:
            shown = "有" if value else "无"
        else:
            shown = f"{value} {attribute.unit}".strip()
        rows.append(AttributeRow(attribute.label, shown))
    return rows


@dataclass(frozen=True)
class KindInUse:
    settlement_id: int
    kind_code: str
    kind_group: str
    facilities: int


def facility_kinds_in_use(*, day: datetime.date) -> list[KindInUse]:
    """For each settlement and facility kind, how many facilities of that kind serving it are in use on `day`."""
    in_use = Facility.objects.filter(
        facilities.status_condition(facilities.Status.IN_USE, day), settlements__isnull=False
    )
    rows = in_use.values("settlements", "kinds__code", "kinds__group").annotate(n=Count("id", distinct=True))
    return [KindInUse(r["settlements"], r["kinds__code"], r["kinds__group"], r["n"]) for r in rows.order_by()]


# --- grids and heads ---------------------------------------------------------------------------------------------


def grid_list(*, user, params):
    """The filter and the filtered grids `user` may read."""
    rows = Grid.objects.for_user(user).select_related("settlement")
    grid_filter = GridFilter(params, rows, user=user)
    return grid_filter, grid_filter.qs.order_by("settlement__sort_order", "kind", "name", "id")


def grid_household_list(*, user, params):
    """The filter and the filtered households of `user`'s scope, for a bulk assignment to a grid."""
    households = Household.objects.for_user(user).select_related("settlement", "building")
    household_filter = GridHouseholdFilter(params, households, user=user)
    return household_filter, with_head_and_size(households=household_filter.qs).order_by("settlement_id", "code")


def building_head_list(*, user, params):
    """The filter and the filtered building and courtyard heads `user` may read, the current first."""
    rows = BuildingHead.objects.for_user(user).select_related("building__settlement")
    head_filter = BuildingHeadFilter(params, rows, user=user)
    order = ("building__settlement__sort_order", "building__name", "-start_date", "id")
    return head_filter, head_filter.qs.order_by(*order)


def resident_households_by_settlement(*, day: datetime.date) -> dict[int, int]:
    rows = Household.objects.filter(_resident_on(day)).values_list("settlement_id").annotate(n=Count("id"))
    return dict(rows.order_by())
