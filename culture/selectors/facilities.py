"""Reads of the culture facilities: the core's facilities of the culture kinds, judged by their standards
(`settlements.facilities.judge`), with the app's own records beside them (乡愁馆 steps and collection, book
stock, teams, art works)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from settlements import community_groups, facilities
from settlements.facilities import Status, status_condition, status_on
from settlements.models import Facility, FacilityKind, GroupFamily, Settlement

from .. import facility_rules
from ..models import ArtWork, BookStockUpdate, CollectionItem, NostalgiaStep, NostalgiaStepKind
from ..models.facilities import BOOK_KINDS, NOSTALGIA_HALL, STEP_ORDER

CULTURE_GROUP = "文化"  # fixtures/facility_kinds.json
SHARED_KINDS = ("volunteer_station",)  # 志愿者服务工作站 (annex 3 五 8) is annex 1's 社会工作志愿服务站
BROADCAST_ROOM = "broadcast_room"
CULTURE_VOLUNTEERS = "culture_volunteers"  # the group kind of 附件3 六（二） (fixtures/group_kinds.json)


def culture_kinds():
    return FacilityKind.objects.filter(Q(group=CULTURE_GROUP) | Q(code__in=SHARED_KINDS)).select_related("default_unit")


def team_kinds():
    """The community groups culture counts (附件3 六): the culture volunteer team and the culture groups."""
    return community_groups.kinds(families=[GroupFamily.CULTURE], codes=[CULTURE_VOLUNTEERS])


def volunteer_kinds():
    return community_groups.kinds(codes=[CULTURE_VOLUNTEERS])


def culture_facilities(user):
    """The facilities of a culture kind `user` may read."""
    return (
        Facility.objects.for_user(user)
        .filter(kinds__in=culture_kinds())
        .distinct()
        .prefetch_related("kinds", "settlements")
        .select_related("responsible_unit")
    )


def is_culture_facility(facility: Facility) -> bool:
    return facility.kinds.filter(pk__in=culture_kinds()).exists()


def has_kind(facility: Facility, codes) -> bool:
    return any(kind.code in codes for kind in facility.kinds.all())


@dataclass
class JudgedFacility:
    facility: Facility
    status: str
    judgements: list  # settlements.facilities.KindJudgement

    @property
    def status_label(self) -> str:
        return Status.LABELS[self.status]

    @property
    def judged(self) -> bool:
        return bool(self.judgements)

    @property
    def passed(self) -> bool:
        return self.judged and all(judgement.passed for judgement in self.judgements)

    @property
    def failures(self) -> list:
        return [condition for judgement in self.judgements for condition in judgement.failures]

    @property
    def result(self) -> str:
        if not self.judged:
            return "none"
        return "pass" if self.passed else "fail"


RESULT_CHOICES = [("pass", "达标"), ("fail", "未达标"), ("none", "无量化标准")]


def judged(facility_rows, day: datetime.date) -> list[JudgedFacility]:
    return [JudgedFacility(f, status_on(f, day), facilities.judge(f, day)) for f in facility_rows]


def culture_facility_list(*, user, day, settlement=None, kind=None, result="", query=""):
    """The culture facilities `user` may read, filtered, each judged against its kinds' standards on `day`."""
    rows = culture_facilities(user)
    if settlement is not None:
        rows = rows.filter(settlements=settlement)
    if kind is not None:
        rows = rows.filter(kinds=kind)
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(address__icontains=query))
    judged_rows = judged(rows.order_by("name", "id"), day)
    return [row for row in judged_rows if not result or row.result == result]


# --- a settlement's section -----------------------------------------------------------------------------------


@dataclass
class NostalgiaState:
    facility: Facility
    last_step: str  # the label of the last step done, "" when none
    steps_done: int
    items: int


def settlement_culture_facilities(*, settlement, day) -> dict:
    """What a settlement's culture page shows of its facilities on `day`: each culture facility with its
    standard's result, the broadcast room, the 乡愁馆's step and collection, the teams and the volunteer rule."""
    rows = (
        Facility.objects.filter(settlements=settlement, kinds__in=culture_kinds())
        .distinct()
        .prefetch_related("kinds")
        .order_by("name", "id")
    )
    facility_rows = judged(rows, day)
    in_use = [row for row in facility_rows if row.status == Status.IN_USE]
    halls = [row.facility for row in in_use if has_kind(row.facility, [NOSTALGIA_HALL])]
    teams = community_groups.active_in(settlement, day, team_kinds())
    volunteers = [team for team in teams if team.kind.code == CULTURE_VOLUNTEERS]
    required = facility_rules.volunteer_teams_required(day)
    return {
        "facilities": facility_rows,
        "broadcast_room": any(has_kind(row.facility, [BROADCAST_ROOM]) for row in in_use),
        "halls": nostalgia_states(halls, day),
        "teams": teams,
        "volunteer_teams": len(volunteers),
        "volunteer_required": required,
        "volunteer_short": required is not None and len(volunteers) < required,
    }


def nostalgia_states(halls, day) -> list[NostalgiaState]:
    states = []
    for hall in halls:
        steps = sorted(hall.nostalgia_steps.filter(done_on__lte=day), key=lambda step: STEP_ORDER.index(step.step))
        items = hall.collection_items.filter(collected_on__lte=day).count()
        last = steps[-1].get_step_display() if steps else ""
        states.append(NostalgiaState(hall, last, len(steps), items))
    return states


# --- a facility's culture page ----------------------------------------------------------------------------------


def book_stock_log(facility):
    return (
        BookStockUpdate.objects.filter(facility=facility).select_related("recorded_by").order_by("-updated_on", "-id")
    )


def nostalgia_steps(facility) -> list[tuple[str, NostalgiaStep | None]]:
    """Each step of A3-W1 in the printed order, with its record when done."""
    done = {step.step: step for step in NostalgiaStep.objects.filter(facility=facility)}
    return [(label, done.get(code)) for code, label in NostalgiaStepKind.choices]


# --- lists ----------------------------------------------------------------------------------------------------


def collection_list(*, user, settlement=None, facility=None, kind="", township="", query=""):
    rows = CollectionItem.objects.for_user(user).select_related("facility").prefetch_related("facility__settlements")
    if settlement is not None:
        rows = rows.filter(facility__settlements=settlement)
    if facility is not None:
        rows = rows.filter(facility=facility)
    if kind:
        rows = rows.filter(kind=kind)
    if township:
        rows = rows.filter(origin_township__icontains=township)
    if query:
        rows = rows.filter(Q(title__icontains=query) | Q(donor__icontains=query) | Q(origin_village__icontains=query))
    return rows.distinct().order_by("-collected_on", "-id")


def art_work_list(*, user, form="", year=None, query=""):
    rows = ArtWork.objects.for_user(user).prefetch_related("units")
    if form:
        rows = rows.filter(form=form)
    if year:
        rows = rows.filter(completed_on__year=year)
    if query:
        rows = rows.filter(Q(title__icontains=query) | Q(authors__icontains=query))
    return rows.order_by("-completed_on", "-id")


def settlements_without_volunteer_team(*, settlements, day) -> list[Settlement]:
    """The settlements below the rule in force on `day` (none when no rule is in force)."""
    required = facility_rules.volunteer_teams_required(day)
    if required is None:
        return []
    counts = volunteer_team_counts(day)
    return [settlement for settlement in settlements if counts.get(settlement.pk, 0) < required]


# --- the figures the indicators read --------------------------------------------------------------------------


def volunteer_team_counts(day) -> dict[int, int]:
    return community_groups.active_counts(day, volunteer_kinds())


def facility_figures(day) -> dict[str, dict[int, int]]:
    """Per settlement on `day`: culture facilities in use passing / failing their standards (those with a
    standard in force), whether a broadcast room and a 乡愁馆 are in use (0/1)."""
    kinds = list(culture_kinds())
    in_use = (
        Facility.objects.filter(status_condition(Status.IN_USE, day), kinds__in=kinds, settlements__isnull=False)
        .distinct()
        .prefetch_related("kinds", "settlements")
    )
    passing, failing = defaultdict(int), defaultdict(int)
    broadcast, halls = {}, {}
    for facility in in_use:
        judgements = facilities.judge(facility, day)
        codes = {kind.code for kind in facility.kinds.all()}
        for settlement in facility.settlements.all():
            if judgements:
                counter = passing if all(j.passed for j in judgements) else failing
                counter[settlement.pk] += 1
            if BROADCAST_ROOM in codes:
                broadcast[settlement.pk] = 1
            if NOSTALGIA_HALL in codes:
                halls[settlement.pk] = 1
    every = list(Settlement.objects.values_list("pk", flat=True))
    return {
        "passing": {pk: passing.get(pk, 0) for pk in every},
        "failing": {pk: failing.get(pk, 0) for pk in every},
        "broadcast": {pk: broadcast.get(pk, 0) for pk in every},
        "halls": {pk: halls.get(pk, 0) for pk in every},
    }


def art_works_completed(day) -> int:
    return ArtWork.objects.filter(completed_on__lte=day).count()


def book_kinds_of(facility) -> bool:
    return has_kind(facility, BOOK_KINDS)
