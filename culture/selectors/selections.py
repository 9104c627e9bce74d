"""Reads of the yearly selections: the list, and per settlement and year whether the year had its selection
under the rule in force (`culture.selection_rules`)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min, Q

from settlements.models import Household

from ..models import Honour, Selection
from ..selection_rules import yearly_selection_params


def selection_list(*, user, settlement=None, year=None, category: str = "", query: str = ""):
    selections = Selection.objects.for_user(user)
    if settlement is not None:
        selections = selections.filter(settlement=settlement)
    if year:
        selections = selections.filter(year=year)
    if category:
        selections = selections.filter(category=category)
    if query:
        selections = selections.filter(
            Q(other_name__icontains=query)
            | Q(note__icontains=query)
            | Q(organiser__name__icontains=query)
            | Q(honours__person__name__icontains=query)
            | Q(honours__household__code__icontains=query)
        ).distinct()
    return selections.select_related("settlement", "organiser").annotate(honoured=Count("honours", distinct=True))


class YearState:
    HELD = "held"
    MISSING = "missing"
    RUNNING = "running"  # the year has not ended: not flagged yet
    NOT_REQUIRED = "not_required"  # before the first year the rule counts for the settlement
    LABELS = {HELD: "已评选", MISSING: "缺评选", RUNNING: "本年度进行中", NOT_REQUIRED: "不要求"}


@dataclass(frozen=True)
class YearCell:
    year: int
    held: int  # selections of that year recorded by the day asked
    state: str

    @property
    def label(self) -> str:
        return YearState.LABELS[self.state]


@dataclass(frozen=True)
class SettlementYears:
    settlement: object
    first_year: int | None  # the first year the rule counts for it (None: no household had moved in)
    cells: list[YearCell]

    @property
    def missing(self) -> list[int]:
        return [cell.year for cell in self.cells if cell.state == YearState.MISSING]


def first_move_in_years(*, day: datetime.date) -> dict[int, int]:
    """{settlement id: the year its first household moved in}, counting moves in by `day`."""
    rows = Household.objects.filter(move_in_date__lte=day).values("settlement_id").annotate(first=Min("move_in_date"))
    return {row["settlement_id"]: row["first"].year for row in rows.order_by()}


def selection_years(*, settlements, day: datetime.date) -> tuple[list[int], list[SettlementYears]]:
    """The years from the rule's first to `day`'s, and per settlement each year's selections and state; with no
    rule in force on `day`, no year (the page says the rule is missing)."""
    params = yearly_selection_params(day)
    if params is None:
        return [], [SettlementYears(settlement, None, []) for settlement in settlements]
    years = list(range(params["from_year"], day.year + 1))
    first_years = first_move_in_years(day=day)
    held = _held(settlements, years, day)
    rows = []
    for settlement in settlements:
        moved_in = first_years.get(settlement.pk)
        first = max(params["from_year"], moved_in) if moved_in else None
        cells = [
            YearCell(
                year,
                held.get((settlement.pk, year), 0),
                _state(year, held.get((settlement.pk, year), 0), first, params, day),
            )
            for year in years
        ]
        rows.append(SettlementYears(settlement, first, cells))
    return years, rows


def _held(settlements, years, day) -> dict[tuple[int, int], int]:
    rows = (
        Selection.objects.filter(settlement__in=settlements, year__in=years, held_on__lte=day)
        .values("settlement_id", "year")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(row["settlement_id"], row["year"]): row["n"] for row in rows}


def _state(year: int, held: int, first: int | None, params: dict, day: datetime.date) -> str:
    if held >= params["per_year"]:
        return YearState.HELD
    if first is None or year < first:
        return YearState.NOT_REQUIRED
    if year >= day.year:
        return YearState.RUNNING
    return YearState.MISSING


def held_this_year(*, day: datetime.date) -> dict[int, int]:
    """{settlement id: selections of `day`'s year published by `day`}."""
    rows = Selection.objects.filter(year=day.year, held_on__lte=day).values("settlement_id").annotate(n=Count("id"))
    return {row["settlement_id"]: row["n"] for row in rows.order_by()}


def honours_of(selection: Selection) -> list[Honour]:
    return list(selection.honours.select_related("person", "household").order_by("id"))
