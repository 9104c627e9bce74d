"""Reads of the outreach: what each origin township owes in cadres against those it posted, and the months a
settlement went without its service day."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max

from settlements import monthly
from settlements.dates import month_of
from settlements.models import Settlement
from settlements.selectors import resident_stays

from .. import rules
from ..models import CadrePosting, ServiceDay, in_effect_on
from .common import settlement_ids

# --- cadres ------------------------------------------------------------------------------------------------------


@dataclass
class TownshipCadres:
    """An origin township on a day: its relocated residents (county-wide), the cadres it owes and those posted."""

    township: str
    persons: int = 0
    owed: int = 0
    postings: list = field(default_factory=list)  # those at the settlements of the reader's scope
    posted_elsewhere: int = 0  # those at other settlements: counted, not named

    @property
    def posted(self) -> int:
        return len(self.postings) + self.posted_elsewhere

    @property
    def shortfall(self) -> int:
        return max(0, self.owed - self.posted)


def township_cadres(*, day: datetime.date, user) -> list[TownshipCadres]:
    """Every origin township with residents or postings on `day`, most persons first. The persons and the
    postings are counted county-wide (the rule's reading), so every reader sees the same figures owed and
    posted; only the postings at `user`'s settlements are named."""
    params = rules.params_on(rules.ORIGIN_CADRES, day)
    bands = params["bands"] if params else []
    townships: dict[str, TownshipCadres] = {}
    rows = resident_stays(day=day).values("household__origin_township").annotate(n=Count("id"))
    for row in rows:
        name = row["household__origin_township"]
        townships[name] = TownshipCadres(name, row["n"], rules.cadres_owed(row["n"], bands))
    postings = CadrePosting.objects.filter(in_effect_on(day)).select_related("settlement").order_by("start_date", "id")
    visible = set(settlement_ids(user))
    for posting in postings:
        township = townships.setdefault(posting.origin_township, TownshipCadres(posting.origin_township))
        if posting.settlement_id in visible:
            township.postings.append(posting)
        else:
            township.posted_elsewhere += 1
    return sorted(townships.values(), key=lambda township: (-township.persons, township.township))


def posting_list(*, user, day: datetime.date | None = None, settlement=None, township="", query=""):
    postings = CadrePosting.objects.filter(settlement_id__in=settlement_ids(user, settlement))
    if day is not None:
        postings = postings.filter(in_effect_on(day))
    if township:
        postings = postings.filter(origin_township=township)
    if query:
        postings = postings.filter(cadre_name__startswith=query.strip())
    return postings.select_related("settlement").order_by("origin_township", "-start_date", "id")


def posted_counts(day: datetime.date) -> dict[int, int]:
    rows = CadrePosting.objects.filter(in_effect_on(day)).values("settlement_id").annotate(n=Count("id"))
    return {row["settlement_id"]: row["n"] for row in rows}


# --- service days --------------------------------------------------------------------------------------------------


@dataclass
class ServiceDayRecord:
    """A settlement's service days as of a day: the months missed since the rule's first month (or its first
    move-in), this month's days, the last one held."""

    settlement: Settlement
    missed: list[datetime.date] = field(default_factory=list)
    this_month: int = 0
    last_held: datetime.date | None = None


def service_day_records(*, day: datetime.date, settlements) -> list[ServiceDayRecord]:
    """Per settlement of `settlements` (in order): the months before `day`'s in which fewer service days were
    held than the rule asks. A month is counted from the rule's first month, or from the month of the
    settlement's first move-in when that is later; the month of `day` is still running and is not missed
    (`settlements.monthly`)."""
    rule = rules.service_day_rule(day)
    settlements = list(settlements)
    records = {settlement.pk: ServiceDayRecord(settlement) for settlement in settlements}
    held = ServiceDay.objects.filter(settlement__in=settlements, held_on__lte=day)
    counts = monthly.counts_per_month(held, "held_on", "settlement_id")
    for settlement_id, last in _last_held(held):
        records[settlement_id].last_held = last
    first_move_in = monthly.first_move_ins(settlements, day)
    for record in records.values():
        key = (record.settlement.pk,)
        record.this_month = counts.get((*key, month_of(day)), 0)
        if rule is None:
            continue
        start = monthly.first_month_owed(rule.from_month, first_move_in.get(record.settlement.pk))
        record.missed = monthly.months_short(counts, key, start=start, day=day, required=rule.per_month)
    return [records[settlement.pk] for settlement in settlements]


def _last_held(held):
    rows = held.values("settlement_id").annotate(last=Max("held_on")).order_by()
    return [(row["settlement_id"], row["last"]) for row in rows]


def service_day_list(*, user, settlement=None, year: int | None = None, query=""):
    days = ServiceDay.objects.filter(settlement_id__in=settlement_ids(user, settlement))
    if year is not None:
        days = days.filter(held_on__year=year)
    if query:
        days = days.filter(matters__contains=query.strip())
    return days.select_related("settlement").prefetch_related("units").order_by("-held_on", "settlement__sort_order")


def held_this_month_counts(day: datetime.date) -> dict[int, int]:
    rows = (
        ServiceDay.objects.filter(held_on__gte=month_of(day), held_on__lte=day)
        .values("settlement_id")
        .annotate(n=Count("id"))
    )
    return {row["settlement_id"]: row["n"] for row in rows}
