"""Reads of 公共教育: the children of compulsory age on a day and those out of school, the enrolled children and the
aid their stage owes, the enrolments, and the catchments in force. Filtered, counted and paginated in the
database; the lists, the counts, the sections and the nightly alert read the same queries.

All of them start from the registry's residents of the day (`resident_stays`), so a child counts at the
settlement they lived in that day; a list narrows them to a user's settlements (`settlement_ids`).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, Exists, OuterRef, Subquery, Value, When

from settlements.selectors import resident_stays

from .. import schooling_rules
from ..models import (
    STAGE_OF_LEVEL,
    Catchment,
    DropoutVisit,
    EndReason,
    SchoolEnrolment,
    SchoolLevel,
    Stage,
    StudentAid,
    in_effect_on,
)
from ..models.schooling import school_year_label
from ..services.outreach import origin_townships
from .common import person_search, settlement_ids

# --- who is of school age, and who is out of school ----------------------------------------------------------------


def of_stage(stays, day: datetime.date, age: schooling_rules.SchoolAge, stage: str = Stage.COMPULSORY):
    """`stays` narrowed to the children of `stage` in the school year of `day`."""
    return stays.filter(person__birth_date__range=age.births(stage, day))


def open_enrolments(day: datetime.date, person_ref="person_id"):
    """The enrolments of the person `person_ref` names that are open on `day` (在读)."""
    return SchoolEnrolment.objects.filter(in_effect_on(day), person_id=OuterRef(person_ref))


def last_enrolments(day: datetime.date, person_ref="person_id"):
    """The person's enrolments started by `day`, the latest first."""
    started = SchoolEnrolment.objects.filter(person_id=OuterRef(person_ref), start_date__lte=day)
    return started.order_by("-start_date", "-id")


def compulsory_stays(day: datetime.date):
    """The stays of the residents of `day` of compulsory school age (none without a rule in force)."""
    age = schooling_rules.school_age(day)
    if age is None:
        return resident_stays(day=day).none()
    return of_stage(resident_stays(day=day), day, age)


def out_of_school_stays(day: datetime.date):
    """The residents of `day` of compulsory age with no enrolment open on `day` (失学辍学), each with their last
    enrolment (its school, end and reason) and, after a dropout, the last 控辍保学 visit."""
    last = last_enrolments(day)
    visits = DropoutVisit.objects.filter(dropout_id=OuterRef("last_id"), visited_on__lte=day)
    visits = visits.order_by("-visited_on", "-id")
    return (
        compulsory_stays(day)
        .exclude(Exists(open_enrolments(day)))
        .annotate(
            last_id=Subquery(last.values("id")[:1]),
            last_school=Subquery(last.values("school__name")[:1]),
            last_end=Subquery(last.values("end_date")[:1]),
            last_reason=Subquery(last.values("end_reason")[:1]),
        )
        .annotate(
            last_visit_on=Subquery(visits.values("visited_on")[:1]),
            last_visit_result=Subquery(visits.values("result")[:1]),
        )
    )


def out_of_school_reason(stay) -> str:
    """Why a child of `out_of_school_stays` is out of school, in a few words."""
    if stay.last_id is None:
        return "未登记入学"
    end = stay.last_end.isoformat() if stay.last_end else ""
    return {
        EndReason.DROPOUT: f"辍学（{end}离开{stay.last_school}）",
        EndReason.TRANSFER: f"转学后未入学（{end}离开{stay.last_school}）",
        EndReason.GRADUATED: f"毕业后未升学（{end}离开{stay.last_school}）",
    }.get(stay.last_reason, "未登记入学")


def out_of_school_list(*, user, day: datetime.date, settlement=None, query=""):
    """The children of `user`'s settlements out of school on `day`, by household code."""
    stays = out_of_school_stays(day).filter(household__settlement_id__in=settlement_ids(user, settlement))
    search = person_search(query)
    if search is not None:
        stays = stays.filter(search)
    return stays.select_related("person", "household__settlement").order_by("household__code", "person_id")


def per_settlement(stays) -> dict[int, int]:
    rows = stays.order_by().values("household__settlement_id").annotate(n=Count("person_id", distinct=True))
    return {row["household__settlement_id"]: row["n"] for row in rows}


# --- the enrolled, and the aid their stage owes ------------------------------------------------------------------


def enrolled_stays(day: datetime.date):
    """The residents of `day` enrolled at a school that day, each with the level of that enrolment."""
    level = Subquery(open_enrolments(day).values("level")[:1])
    return resident_stays(day=day).annotate(level=level).filter(level__isnull=False)


def aid_stays(day: datetime.date):
    """The enrolled residents of `day`, each with the scheme their stage owes (`scheme`) and whether it was granted
    for the school year of `day` by then (`aided`); none without the rules in force."""
    age, schemes = schooling_rules.school_age(day), schooling_rules.aid_schemes(day)
    if age is None or schemes is None:  # none, with the columns the callers filter on
        return enrolled_stays(day).annotate(scheme=Value(""), aided=Value(False)).none()
    owed = Case(
        *(When(level=level, then=Value(schemes[stage])) for level, stage in STAGE_OF_LEVEL.items()),
        output_field=CharField(),
    )
    granted = StudentAid.objects.filter(
        person_id=OuterRef("person_id"),
        school_year=age.school_year(day),
        scheme=OuterRef("scheme"),
        granted_on__lte=day,
    )
    return enrolled_stays(day).annotate(scheme=owed).annotate(aided=Exists(granted))


def aid_gap_list(*, user, day: datetime.date, settlement=None, query=""):
    """The enrolled children of `user`'s settlements without their stage's aid for the school year of `day`
    (应助未助), by household code."""
    stays = aid_stays(day).filter(aided=False, household__settlement_id__in=settlement_ids(user, settlement))
    search = person_search(query)
    if search is not None:
        stays = stays.filter(search)
    return stays.select_related("person", "household__settlement").order_by("household__code", "person_id")


@dataclass(frozen=True)
class SchoolingFigures:
    """Per settlement id as of a day."""

    compulsory: dict[int, int]
    out_of_school: dict[int, int]
    enrolled: dict[int, int]
    aided: dict[int, int]
    unaided: dict[int, int]


def schooling_figures(day: datetime.date) -> SchoolingFigures:
    aid = aid_stays(day)
    return SchoolingFigures(
        compulsory=per_settlement(compulsory_stays(day)),
        out_of_school=per_settlement(out_of_school_stays(day)),
        enrolled=per_settlement(enrolled_stays(day)),
        aided=per_settlement(aid.filter(aided=True)),
        unaided=per_settlement(aid.filter(aided=False)),
    )


# --- enrolments -----------------------------------------------------------------------------------------------------


class EnrolmentStatus:
    CURRENT = "current"
    LABELS = {CURRENT: "在读", **{reason.value: f"已离校（{reason.label}）" for reason in EndReason}}
    CHOICES = list(LABELS.items())


def enrolment_list(*, user, day: datetime.date, settlement=None, school=None, status="", query=""):
    """The enrolments of the children of `user`'s settlements (their registry settlement), by household code."""
    enrolments = SchoolEnrolment.objects.filter(person__settlement_id__in=settlement_ids(user, settlement))
    if school is not None:
        enrolments = enrolments.filter(school=school)
    if status == EnrolmentStatus.CURRENT:
        enrolments = enrolments.filter(in_effect_on(day))
    elif status in EndReason.values:
        enrolments = enrolments.filter(end_reason=status)
    search = person_search(query)
    if search is not None:
        enrolments = enrolments.filter(search)
    return enrolments.select_related("person__household__settlement", "school").order_by(
        "person__household__code", "person_id", "start_date", "id"
    )


def dropout_cases(*, user, day: datetime.date, settlement=None):
    """The dropouts of `user`'s settlements still followed up on `day`: ended 辍学 by then, with no enrolment
    started since (up to `day`)."""
    since = SchoolEnrolment.objects.filter(
        person_id=OuterRef("person_id"), start_date__gt=OuterRef("end_date"), start_date__lte=day
    )
    return (
        SchoolEnrolment.objects.filter(
            end_reason=EndReason.DROPOUT,
            end_date__lte=day,
            person__settlement_id__in=settlement_ids(user, settlement),
        )
        .exclude(Exists(since))
        .select_related("person__household", "school")
        .order_by("person__household__code", "end_date")
    )


# --- catchments ---------------------------------------------------------------------------------------------------


def catchments_on(day: datetime.date):
    return Catchment.objects.filter(in_effect_on(day, start="valid_from", end="valid_to")).select_related(
        "school", "settlement"
    )


def settlement_catchments(settlement, day: datetime.date) -> dict[str, list[Catchment]]:
    """{level: the catchments of `settlement` in force on `day`} for every level (an empty list: none recorded)."""
    by_level = {level: [] for level in SchoolLevel.values}
    for catchment in catchments_on(day).filter(settlement=settlement).order_by("level", "school__name"):
        by_level[catchment.level].append(catchment)
    return by_level


@dataclass
class TownshipCatchments:
    township: str
    catchments: list = field(default_factory=list)


def township_catchments(day: datetime.date, level: str = SchoolLevel.MIDDLE) -> list[TownshipCatchments]:
    """Every origin township of the registry with its catchments at `level` in force on `day` (for 初中, the
    table the office keeps); a township with none shows an empty list."""
    rows = {township: TownshipCatchments(township) for township in origin_townships()}
    for catchment in catchments_on(day).filter(level=level, settlement__isnull=True).order_by("school__name"):
        rows.setdefault(catchment.origin_township, TownshipCatchments(catchment.origin_township))
        rows[catchment.origin_township].catchments.append(catchment)
    return sorted(rows.values(), key=lambda row: row.township)


def catchment_list(*, user, level="", settlement=None, township="", day: datetime.date | None = None):
    catchments = Catchment.objects.for_user(user)
    if level:
        catchments = catchments.filter(level=level)
    if settlement is not None:
        catchments = catchments.filter(settlement=settlement)
    if township:
        catchments = catchments.filter(origin_township=township)
    if day is not None:
        catchments = catchments.filter(in_effect_on(day, start="valid_from", end="valid_to"))
    return catchments.select_related("school", "settlement").order_by(
        "settlement__sort_order", "origin_township", "level", "valid_from", "id"
    )


# --- one household (the household page) ---------------------------------------------------------------------------


@dataclass
class ChildSchooling:
    """A member's schooling on a day: their stage by age, their enrolments, the one open that day, whether they
    are out of school (as `out_of_school_stays` finds it), and the aid owed and granted for the school year."""

    person: object
    stage: str  # a Stage, or "" when not of school age
    enrolments: list
    current: SchoolEnrolment | None
    out_of_school: bool
    reason: str
    scheme_owed: str  # the scheme the enrolment's stage owes, "" when not enrolled or without a rule
    aided: bool | None  # None: nothing owed
    aid: list
    visits: list

    @property
    def stage_label(self) -> str:
        return Stage(self.stage).label if self.stage else ""


def person_schooling(persons, day: datetime.date) -> tuple[list[ChildSchooling], str]:
    """For each of `persons` who is of school age on `day` or has an enrolment: their schooling; and the label of
    the school year of `day` ("" without a rule)."""
    age = schooling_rules.school_age(day)
    ids = [person.pk for person in persons]
    out = {stay.person_id: stay for stay in out_of_school_stays(day).filter(person_id__in=ids)}
    owed = {stay.person_id: stay for stay in aid_stays(day).filter(person_id__in=ids)}
    enrolments: dict[int, list] = {}
    for enrolment in SchoolEnrolment.objects.filter(person_id__in=ids).select_related("school").order_by("start_date"):
        enrolments.setdefault(enrolment.person_id, []).append(enrolment)
    visits: dict[int, list] = {}
    for visit in DropoutVisit.objects.filter(dropout__person_id__in=ids).order_by("visited_on", "id"):
        visits.setdefault(visit.dropout_id, []).append(visit)
    aid: dict[int, list] = {}
    for record in StudentAid.objects.filter(person_id__in=ids).order_by("-school_year", "scheme"):
        aid.setdefault(record.person_id, []).append(record)
    rows = []
    for person in persons:
        stage = age.stage(person.birth_date, day) if age else ""
        own = enrolments.get(person.pk, [])
        if not stage and not own:
            continue
        current = next((e for e in own if e.start_date <= day and (e.end_date is None or e.end_date >= day)), None)
        stay, aid_stay = out.get(person.pk), owed.get(person.pk)
        rows.append(
            ChildSchooling(
                person=person,
                stage=stage,
                enrolments=own,
                current=current,
                out_of_school=stay is not None,
                reason=out_of_school_reason(stay) if stay is not None else "",
                scheme_owed=aid_stay.scheme if aid_stay else "",
                aided=aid_stay.aided if aid_stay else None,
                aid=aid.get(person.pk, []),
                visits=[visit for enrolment in own for visit in visits.get(enrolment.pk, [])],
            )
        )
    return rows, school_year_label(age.school_year(day)) if age else ""
