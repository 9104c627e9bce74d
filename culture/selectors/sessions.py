"""Reads of the sessions: the list with its filters, each settlement's months missed under the monthly rule, and
the calendars (a settlement's year, the county's settlements × months)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q

from settlements import monthly
from settlements.dates import month_of
from settlements.forms import SEARCH_MAX_LENGTH
from settlements.models import Photo, Settlement

from .. import session_rules
from ..models import SHORT_NAMES, Session, SessionKind

# --- the list -------------------------------------------------------------------------------------------------


def session_list(*, user, settlement=None, kind="", start=None, end=None, query=""):
    """The sessions `user` reads, newest first, narrowed by settlement, kind, a period (both ends included) and
    a search over the title, the venue and the organiser."""
    sessions = Session.objects.for_user(user)
    if settlement is not None:
        sessions = sessions.filter(settlement=settlement)
    if kind:
        sessions = sessions.filter(kind=kind)
    if start is not None:
        sessions = sessions.filter(held_on__gte=start)
    if end is not None:
        sessions = sessions.filter(held_on__lte=end)
    query = (query or "").strip()[:SEARCH_MAX_LENGTH]
    if query:
        sessions = sessions.filter(
            Q(title__contains=query)
            | Q(venue__name__contains=query)
            | Q(venue_text__contains=query)
            | Q(organiser__name__contains=query)
        )
    return sessions.select_related("settlement", "venue", "organiser").order_by(
        "-held_on", "settlement__sort_order", "-id"
    )


def photo_counts(sessions) -> dict[int, int]:
    """Photos per session of `sessions` (a list), in one query."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(Session)
    rows = (
        Photo.objects.filter(content_type=content_type, object_id__in=[session.pk for session in sessions])
        .values("object_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["object_id"]: row["n"] for row in rows}


# --- the monthly rule -------------------------------------------------------------------------------------------


@dataclass
class SessionRecord:
    """A settlement's sessions as of a day under the monthly rule: per required kind, the months missed since the
    rule's first month (or its first move-in); this month's sessions of every kind."""

    settlement: Settlement
    missed: dict[str, list[datetime.date]] = field(default_factory=dict)  # required kind -> months
    this_month: dict[str, int] = field(default_factory=dict)  # kind -> sessions held this month up to the day

    @property
    def any_missed(self) -> bool:
        return any(self.missed.values())

    def missed_in(self, year: int) -> int:
        """Months of `year` missed, counted per required kind."""
        return sum(1 for months in self.missed.values() for month in months if month.year == year)

    def missed_lines(self) -> list[tuple[str, list[datetime.date]]]:
        return [(SHORT_NAMES[kind], months) for kind, months in self.missed.items() if months]


def month_counts(settlements, day: datetime.date) -> monthly.MonthCounts:
    """{(settlement id, kind, month): sessions} of `settlements` held on or before `day`."""
    held = Session.objects.filter(settlement__in=settlements, held_on__lte=day)
    return monthly.counts_per_month(held, "held_on", "settlement_id", "kind")


def session_records(*, day: datetime.date, settlements) -> list[SessionRecord]:
    """Per settlement of `settlements` (in order), under the rule in force on `day`: the months before `day`'s
    in which fewer sessions of a required kind were held than the rule asks (`settlements.monthly`: from the
    rule's first month or the first move-in, whichever is later; the running month is not missed)."""
    rule = session_rules.monthly_rule(day)
    settlements = list(settlements)
    counts = month_counts(settlements, day)
    first_move_in = monthly.first_move_ins(settlements, day)
    records = []
    for settlement in settlements:
        record = SessionRecord(settlement)
        record.this_month = {kind: counts.get((settlement.pk, kind, month_of(day)), 0) for kind in SessionKind.values}
        if rule is not None:
            start = monthly.first_month_owed(rule.from_month, first_move_in.get(settlement.pk))
            record.missed = {
                kind: monthly.months_short(counts, (settlement.pk, kind), start=start, day=day, required=required)
                for kind, required in rule.kinds.items()
            }
        records.append(record)
    return records


# --- the calendars -------------------------------------------------------------------------------------------------

HELD, MISSED, NOT_DUE = "held", "missed", "not_due"


@dataclass(frozen=True)
class Cell:
    month: datetime.date
    count: int
    state: str  # HELD (green), MISSED (red), NOT_DUE (grey: not yet owed, or the running month with none yet)
    kind: str = ""


def _cell(month, count, required, missed: set, kind="") -> Cell:
    if required and count >= required:
        return Cell(month, count, HELD, kind)
    if month in missed:
        return Cell(month, count, MISSED, kind)
    return Cell(month, count, NOT_DUE, kind)


@dataclass
class YearCalendar:
    """A settlement's year: a row per month, a cell per required kind, and the other kinds' counts."""

    settlement: Settlement
    year: int
    required: list[tuple[str, str, int]]  # (kind, short name, per month)
    others: list[tuple[str, str]]  # (kind, short name)
    rows: list[dict]


def year_calendar(*, settlement, year: int, day: datetime.date) -> YearCalendar:
    """The months of `year` for `settlement` as of `day` (the rule of `day`)."""
    rule = session_rules.monthly_rule(day)
    kinds = rule.kinds if rule else {}
    (record,) = session_records(day=day, settlements=[settlement])
    counts = month_counts([settlement], day)
    missed = {kind: set(months) for kind, months in record.missed.items()}
    others = [kind for kind in SessionKind.values if kind not in kinds]
    rows = []
    for number in range(1, 13):
        month = datetime.date(year, number, 1)
        rows.append(
            {
                "month": month,
                "cells": [
                    _cell(month, counts.get((settlement.pk, kind, month), 0), required, missed.get(kind, set()), kind)
                    for kind, required in kinds.items()
                ],
                "others": [counts.get((settlement.pk, kind, month), 0) for kind in others],
            }
        )
    return YearCalendar(
        settlement,
        year,
        [(kind, SHORT_NAMES[kind], required) for kind, required in kinds.items()],
        [(kind, SHORT_NAMES[kind]) for kind in others],
        rows,
    )


@dataclass
class CountyCalendar:
    """For each required kind, the settlements × the months of a year."""

    year: int
    kinds: list[tuple[str, str, int]]
    tables: list[dict]  # {"kind", "name", "rows": [{"settlement", "cells"}]}


def county_calendar(*, settlements, year: int, day: datetime.date) -> CountyCalendar:
    rule = session_rules.monthly_rule(day)
    kinds = rule.kinds if rule else {}
    settlements = list(settlements)
    records = {record.settlement.pk: record for record in session_records(day=day, settlements=settlements)}
    counts = month_counts(settlements, day)
    months = [datetime.date(year, number, 1) for number in range(1, 13)]
    tables = []
    for kind, required in kinds.items():
        rows = []
        for settlement in settlements:
            missed = set(records[settlement.pk].missed.get(kind, []))
            cells = [
                _cell(month, counts.get((settlement.pk, kind, month), 0), required, missed, kind) for month in months
            ]
            rows.append({"settlement": settlement, "cells": cells})
        tables.append({"kind": kind, "name": SHORT_NAMES[kind], "required": required, "rows": rows})
    return CountyCalendar(year, [(kind, SHORT_NAMES[kind], n) for kind, n in kinds.items()], tables)


# --- the indicators' figures ------------------------------------------------------------------------------------


def held_this_month(day: datetime.date, kind: str) -> dict[int, int]:
    rows = (
        Session.objects.filter(kind=kind, held_on__gte=month_of(day), held_on__lte=day)
        .values("settlement_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["settlement_id"]: row["n"] for row in rows}


def missed_this_year(day: datetime.date) -> dict[int, int]:
    """Per settlement: the months of `day`'s year missed so far, counted per required kind."""
    records = session_records(day=day, settlements=Settlement.objects.all())
    return {record.settlement.pk: record.missed_in(day.year) for record in records}
