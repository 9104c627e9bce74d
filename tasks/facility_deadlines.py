"""The plan's facility deadlines against the facilities in use: which settlement has which kind, since when,
and whether it was in use by the deadline (the "六个一", markets, clinics, kindergartens, cooperatives …).

A deadline names the kinds it requires (`Deadline.facility_kinds`); with a settlement it is that settlement's,
without one it is every settlement's (`Deadline.reading` says why, where the seed is not explicit). A kind is
met for a settlement by any facility of that kind serving it, a room counting for several kinds ("一室多能").
"""

import datetime
from dataclasses import dataclass

from settlements.facilities import Status, status_condition
from settlements.models import Facility, Settlement

from .models import Deadline


class State:
    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"
    PENDING = "pending"
    LABELS = {ON_TIME: "按时建成", LATE: "逾期建成", OVERDUE: "逾期未建成", PENDING: "未到期"}


@dataclass(frozen=True)
class KindProgress:
    kind_name: str
    state: str
    facility: Facility | None  # the earliest in use by the day asked, if any
    in_use_on: datetime.date | None

    @property
    def label(self) -> str:
        return State.LABELS[self.state]


@dataclass(frozen=True)
class SettlementDeadline:
    deadline: Deadline
    settlement: Settlement
    kinds: list[KindProgress]

    @property
    def met(self) -> bool:
        return all(kind.state in (State.ON_TIME, State.LATE) for kind in self.kinds)

    @property
    def on_time(self) -> bool:
        return all(kind.state == State.ON_TIME for kind in self.kinds)


def facility_deadlines(*, settlements, day: datetime.date) -> list[SettlementDeadline]:
    """Every facility deadline of the plan for each of `settlements`, as it stands on `day`."""
    settlements = list(settlements)
    deadlines = (
        Deadline.objects.filter(facility_kinds__isnull=False)
        .distinct()
        .select_related("task", "settlement")
        .prefetch_related("facility_kinds")
        .order_by("due_on", "task__sort_order", "id")
    )
    in_use = _first_in_use(settlements, day)
    rows = []
    for deadline in deadlines:
        for settlement in settlements:
            if deadline.settlement_id in (None, settlement.pk):
                kinds = [
                    _progress(kind, in_use.get((settlement.pk, kind.pk)), deadline, day) for kind in _kinds(deadline)
                ]
                rows.append(SettlementDeadline(deadline, settlement, kinds))
    return rows


def _kinds(deadline):
    return sorted(deadline.facility_kinds.all(), key=lambda kind: kind.sort_order)


def _first_in_use(settlements, day) -> dict[tuple[int, int], Facility]:
    """{(settlement, kind): the facility in use on `day` that has been so longest}."""
    facilities = (
        Facility.objects.filter(status_condition(Status.IN_USE, day), settlements__in=settlements)
        .prefetch_related("kinds", "settlements")
        .distinct()
        .order_by("in_use_on", "id")
    )
    first = {}
    for facility in facilities:
        for settlement in facility.settlements.all():
            for kind in facility.kinds.all():
                first.setdefault((settlement.pk, kind.pk), facility)
    return first


def _progress(kind, facility, deadline, day) -> KindProgress:
    if facility is None:
        state = State.OVERDUE if day > deadline.due_on else State.PENDING
        return KindProgress(kind.name, state, None, None)
    state = State.ON_TIME if facility.in_use_on <= deadline.due_on else State.LATE
    return KindProgress(kind.name, state, facility, facility.in_use_on)
