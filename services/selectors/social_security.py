"""Reads of 社会保障: who is without medical insurance on a day, the gaps between a person's medical
enrolments, the enrolments, 低保 and relief lists. Lists start from a user's scope and are paginated in the
database."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Value, Window
from django.db.models.expressions import RowRange
from django.db.models.functions import Coalesce

from settlements.selectors import resident_stays

from .. import rules
from ..models import Dibao, DibaoKind, InsuranceEnrolment, OneTimeRelief, in_effect_on
from .common import household_search, person_search, settlement_ids

OPEN_END = datetime.date.max  # an enrolment without an end covers every later day


def medical_cover(day: datetime.date, schemes, person_ref="person_id"):
    """Whether the person (`person_ref` of the outer row) holds one of `schemes` on `day`."""
    return Exists(
        InsuranceEnrolment.objects.filter(in_effect_on(day), person_id=OuterRef(person_ref), scheme__in=schemes)
    )


def uninsured_stays(*, day: datetime.date, schemes):
    """The stays of the residents of `day` who hold none of `schemes` that day (不得漏保)."""
    return resident_stays(day=day).exclude(medical_cover(day, schemes))


def uninsured_counts(day: datetime.date) -> dict[int, int]:
    """Per settlement id: residents without an active medical scheme on `day` (none without a rule)."""
    schemes = rules.medical_schemes(day)
    if schemes is None:
        return {}
    rows = uninsured_stays(day=day, schemes=schemes).values("household__settlement_id").annotate(n=Count("id"))
    return {row["household__settlement_id"]: row["n"] for row in rows}


def uninsured_list(*, user, day: datetime.date, settlement=None, query=""):
    """The residents of `day` in `user`'s scope without medical insurance, by household code."""
    schemes = rules.medical_schemes(day)
    if schemes is None:
        return resident_stays(day=day).none()
    stays = uninsured_stays(day=day, schemes=schemes).filter(
        household__settlement_id__in=settlement_ids(user, settlement)
    )
    search = person_search(query)
    if search is not None:
        stays = stays.filter(search)
    return stays.select_related("person", "household__settlement").order_by("household__code", "person_id")


def medical_gaps(*, schemes, persons=None):
    """Every medical enrolment that starts after a day uncovered since the person's earlier medical enrolments
    ended: `covered_until` is the last day they covered (by the latest end among the earlier ones, so an
    overlapping enrolment hides no gap), and the gap runs from the day after it to the day before this start.
    One pass of a window over the enrolments, filtered and paginated in the database."""
    enrolments = InsuranceEnrolment.objects.filter(scheme__in=schemes)
    if persons is not None:
        enrolments = enrolments.filter(persons)
    covered_until = Window(
        Max(Coalesce("end_date", Value(OPEN_END))),
        partition_by=[F("person_id")],
        order_by=[F("start_date").asc(), F("id").asc()],
        frame=RowRange(start=None, end=-1),
    )
    return enrolments.annotate(covered_until=covered_until).filter(
        start_date__gt=F("covered_until") + datetime.timedelta(days=1)
    )


@dataclass(frozen=True)
class Gap:
    """Days a person had no medical insurance between two enrolments."""

    enrolment: InsuranceEnrolment  # the one that ended the gap
    first_day: datetime.date
    last_day: datetime.date

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


def as_gap(enrolment) -> Gap:
    return Gap(
        enrolment,
        enrolment.covered_until + datetime.timedelta(days=1),
        enrolment.start_date - datetime.timedelta(days=1),
    )


def gap_list(*, user, day: datetime.date, settlement=None, query=""):
    """The gaps between consecutive medical enrolments of the persons of `user`'s settlements, by household code
    (the schemes that count as medical are the rule's on `day`)."""
    schemes = rules.medical_schemes(day)
    if schemes is None:
        return InsuranceEnrolment.objects.none()
    persons = Q(person__settlement_id__in=settlement_ids(user, settlement))
    search = person_search(query)
    gaps = medical_gaps(schemes=schemes, persons=persons if search is None else persons & search)
    return gaps.select_related("person__household__settlement").order_by(
        "person__household__code", "person_id", "start_date"
    )


def enrolment_list(*, user, settlement=None, scheme="", place="", query=""):
    enrolments = InsuranceEnrolment.objects.filter(person__settlement_id__in=settlement_ids(user, settlement))
    if scheme:
        enrolments = enrolments.filter(scheme=scheme)
    if place:
        enrolments = enrolments.filter(place=place)
    search = person_search(query)
    if search is not None:
        enrolments = enrolments.filter(search)
    return enrolments.select_related("person__household__settlement").order_by(
        "person__household__code", "person_id", "start_date", "id"
    )


# --- 低保 and relief ---------------------------------------------------------------------------------------------


def dibao_list(*, user, day: datetime.date | None = None, settlement=None, kind="", basis="", query=""):
    """The 低保 records of `user`'s settlements (those in effect on `day`, when given)."""
    records = Dibao.objects.filter(household__settlement_id__in=settlement_ids(user, settlement))
    if day is not None:
        records = records.filter(in_effect_on(day))
    if kind:
        records = records.filter(kind=kind)
    if basis:
        records = records.filter(basis=basis)
    search = household_search(query)
    if search is not None:
        records = records.filter(search)
    return records.select_related("household__settlement").order_by("household__code", "-start_date", "-id")


def relief_list(*, user, settlement=None, query=""):
    grants = OneTimeRelief.objects.filter(household__settlement_id__in=settlement_ids(user, settlement))
    search = household_search(query)
    if search is not None:
        grants = grants.filter(search)
    return grants.select_related("household__settlement").order_by("household__code", "id")


def dibao_counts(day: datetime.date) -> dict[str, dict[int, int]]:
    """Per 低保 kind, per settlement id: households whose 低保 is in effect on `day`."""
    rows = (
        Dibao.objects.filter(in_effect_on(day))
        .values("kind", "household__settlement_id")
        .annotate(n=Count("household_id", distinct=True))
    )
    counts = {kind: {} for kind in DibaoKind.values}
    for row in rows:
        counts[row["kind"]][row["household__settlement_id"]] = row["n"]
    return counts


def relief_counts(day: datetime.date) -> dict[int, int]:
    rows = OneTimeRelief.objects.filter(granted_on__lte=day).values("household__settlement_id").annotate(n=Count("id"))
    return {row["household__settlement_id"]: row["n"] for row in rows}


# --- one household (the household page) ------------------------------------------------------------------------


@dataclass
class PersonInsurance:
    """A person's enrolments, whether one of the medical schemes covers `day`, and the gaps between them (as
    `medical_gaps` finds them for the lists)."""

    person: object
    enrolments: list
    resident: bool  # resident on the day: only a resident must be covered
    covered: bool | None  # None: no rule in force on the day
    gaps: list[tuple[datetime.date, datetime.date]]


def person_insurance(persons, day: datetime.date) -> list[PersonInsurance]:
    schemes = rules.medical_schemes(day)
    residents = set(resident_stays(day=day).filter(person__in=persons).values_list("person_id", flat=True))
    gaps: dict[int, list] = {}
    for enrolment in medical_gaps(schemes=schemes or [], persons=Q(person__in=persons)).order_by("start_date"):
        gap = as_gap(enrolment)
        gaps.setdefault(enrolment.person_id, []).append((gap.first_day, gap.last_day))
    enrolments: dict[int, list] = {}
    for enrolment in InsuranceEnrolment.objects.filter(person__in=persons).order_by("start_date", "id"):
        enrolments.setdefault(enrolment.person_id, []).append(enrolment)
    rows = []
    for person in persons:
        own = enrolments.get(person.pk, [])
        covered = None
        if schemes is not None:
            covered = any(
                e.scheme in schemes and e.start_date <= day and (e.end_date is None or e.end_date >= day) for e in own
            )
        resident = person.pk in residents
        rows.append(PersonInsurance(person, own, resident, covered, gaps.get(person.pk, [])))
    return rows
