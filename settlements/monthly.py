"""Work a settlement owes every month (a service day, a gratitude session, a literacy class): the months in
which fewer were held than a rule asks, from the rule's first month or the settlement's first move-in,
whichever is later, up to the month of the day, which is still running and is never missed.

Every app that keeps such a monthly rule counts its records per month with `counts_per_month` and asks
`months_short` for the months below the number required; the months are the first days of the months.
"""

import datetime

from django.db.models import Count, Min
from django.db.models.functions import TruncMonth

from .dates import month_of, months_between
from .models import Household

MonthCounts = dict[tuple, int]  # (the keys' values…, the month's first day) -> records held that month


def counts_per_month(records, date_field: str, *keys: str) -> MonthCounts:
    """The records of the queryset `records` counted per month of `date_field` and per value of `keys`
    (e.g. "settlement_id", "kind"): {(settlement id, kind, month): n}."""
    rows = records.annotate(month=TruncMonth(date_field)).values(*keys, "month").annotate(n=Count("id")).order_by()
    return {(*(row[key] for key in keys), _as_date(row["month"])): row["n"] for row in rows}


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def first_move_ins(settlements, day: datetime.date) -> dict[int, datetime.date]:
    """Per settlement of `settlements`: the earliest move-in on or before `day` (none moved in: absent)."""
    rows = (
        Household.objects.filter(settlement__in=settlements, move_in_date__lte=day)
        .values("settlement_id")
        .annotate(first=Min("move_in_date"))
        .order_by()
    )
    return {row["settlement_id"]: row["first"] for row in rows}


def first_month_owed(rule_from: datetime.date, first_move_in: datetime.date | None) -> datetime.date | None:
    """The first month a settlement owes the work: the rule's first month, or its first move-in's month when
    that is later; None when nobody has moved in yet."""
    if first_move_in is None:
        return None
    return max(month_of(rule_from), month_of(first_move_in))


def months_short(
    counts: MonthCounts, key: tuple, *, start: datetime.date | None, day: datetime.date, required: int
) -> list[datetime.date]:
    """The months from `start`'s up to, not including, `day`'s in which `counts` holds fewer than `required`
    records under `key` (the keys' values before the month, such as (settlement id, kind))."""
    if start is None:
        return []
    return [month for month in months_between(start, day) if counts.get((*key, month), 0) < required]
