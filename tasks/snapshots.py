"""Dated snapshots of the indicators: what pages, the overview, task targets and the dispatch report read.

A snapshot holds one indicator group's values for every settlement as of one day, with the time they were
computed. The nightly job (`tasks.tasks.take_snapshots`) takes the day before and today, one Celery task
per group; a day nobody snapshotted is computed on demand when a page first asks for it, and stored.

When a dated record changes on or before a snapshotted day (a job entered late, a back-dated move-out), the
core announces it (`settlements.dated_facts`); the snapshots of the groups reading that model are marked
stale from its day on, and once the change commits a job computes them again. Until then a page shows the
stale values with the time they were computed and says they are being recomputed.

Why this is safe under concurrency: a snapshot's row exists (committed) before its values are computed, and
its computation holds the row's lock. The change marks the row within its own transaction (so a computation
that locks the row after it waits for the commit, and then sees the change) and again after it commits (so a
computation that began before the commit, and did not see it, is marked once it ends). A job run twice, or
late, finds the snapshot fresh and skips it.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from settlements.models import Household

from . import indicators
from .models import IndicatorHousehold, IndicatorSnapshot, IndicatorValue


@dataclass
class SnapshotRead:
    """Every indicator's values as of `day`, read from the snapshots."""

    day: datetime.date
    values: dict[str, indicators.Values]
    computed_at: datetime.datetime | None  # the oldest computation among the groups read
    stale: bool  # some group's values await recomputation after a correction


def read(day: datetime.date, *, refresh_stale: bool = False) -> SnapshotRead:
    """The snapshots of `day`; a group without one is computed now and stored, and so is a stale one when
    `refresh_stale` (a meeting's figures are frozen from fresh values)."""
    snapshots = _taken(day, [group.key for group in indicators.all_groups()], refresh_stale)
    values = {indicator.key: {} for indicator in indicators.all_indicators()}
    rows = IndicatorValue.objects.filter(snapshot__in=snapshots.values())
    for key, settlement_id, value in rows.values_list("indicator_key", "settlement_id", "value"):
        if key in values:
            values[key][settlement_id] = as_number(value)
    return SnapshotRead(
        day=day,
        values=values,
        computed_at=min((snapshot.computed_at for snapshot in snapshots.values()), default=None),
        stale=any(snapshot.stale_since is not None for snapshot in snapshots.values()),
    )


def counted_households(
    day: datetime.date, indicator_key: str, *, within=None, settlement=None, refresh_stale: bool = False
):
    """The households an indicator that counts households counted on `day`, as its snapshot keeps them (taken
    now if there is none, or if it is stale and `refresh_stale`), ordered by code: a page of them is read from
    the database. `within` (a queryset of households: a user's scope) narrows them, and so does `settlement`
    (read from the snapshot's own index: a settlement's page counts only that settlement's entries)."""
    group_key = indicators.get(indicator_key).group
    snapshot = _taken(day, [group_key], refresh_stale)[group_key]
    counted = IndicatorHousehold.objects.filter(snapshot=snapshot, indicator_key=indicator_key)
    if settlement is not None:
        counted = counted.filter(settlement=settlement)
    households = Household.objects.all() if within is None else within  # its own conditions, not a subquery
    return (
        households.filter(pk__in=counted.values("household_id"))
        .select_related("settlement", "building")
        .order_by("code")
    )


def _taken(day, group_keys, refresh_stale: bool) -> dict[str, IndicatorSnapshot]:
    """The snapshots of `group_keys` on `day`, each taken now if it has none (or is stale and
    `refresh_stale`)."""
    snapshots = _fresh_or_stale(day, group_keys)
    missing = [
        key for key in group_keys if key not in snapshots or (refresh_stale and snapshots[key].stale_since is not None)
    ]
    for key in missing:
        take(day, key)
    return _fresh_or_stale(day, group_keys) if missing else snapshots


def _fresh_or_stale(day, group_keys) -> dict[str, IndicatorSnapshot]:
    found = IndicatorSnapshot.objects.filter(day=day, group__in=list(group_keys), computations__gt=0)
    return {snapshot.group: snapshot for snapshot in found}


def as_number(value: Decimal) -> indicators.Number:
    """A stored value as the indicator gave it: a whole number as an int."""
    return int(value) if value == value.to_integral_value() else value.normalize()


def take(day: datetime.date, group_key: str) -> bool:
    """Compute `group_key`'s values as of `day` and store them, unless a fresh snapshot exists already.
    Returns whether it computed. Safe to call twice at once: the second waits, then skips."""
    group = indicators.group(group_key)
    _ensure_row(day, group.key)
    with transaction.atomic():
        snapshot = IndicatorSnapshot.objects.select_for_update().get(day=day, group=group.key)
        if snapshot.computations and snapshot.stale_since is None:
            return False
        started = timezone.now()
        computed = group.compute_in_full(day)
        snapshot.values.all().delete()
        snapshot.households.all().delete()
        IndicatorValue.objects.bulk_create(
            IndicatorValue(snapshot=snapshot, indicator_key=key, settlement_id=settlement_id, value=value)
            for key, per_settlement in computed.values.items()
            for settlement_id, value in per_settlement.items()
            if settlement_id is not None
        )
        IndicatorHousehold.objects.bulk_create(
            (
                IndicatorHousehold(snapshot=snapshot, indicator_key=key, settlement_id=settlement_id, household_id=pk)
                for key, per_settlement in computed.households.items()
                for settlement_id, ids in per_settlement.items()
                for pk in ids
            ),
            batch_size=5000,
        )
        snapshot.computed_at, snapshot.stale_since = started, None
        snapshot.computations += 1
        snapshot.save(update_fields=["computed_at", "stale_since", "computations"])
    return True


def _ensure_row(day, group_key) -> None:
    """The snapshot's row, committed before its values are computed (see the module's note)."""
    if IndicatorSnapshot.objects.filter(day=day, group=group_key).exists():
        return
    try:
        with transaction.atomic():
            IndicatorSnapshot.objects.create(day=day, group=group_key, computed_at=timezone.now())
    except IntegrityError:  # another worker created it first
        pass


def mark_stale(*, since: datetime.date, group_keys) -> int:
    """Mark the snapshots of `group_keys` from `since` on as stale; returns how many it marked."""
    return IndicatorSnapshot.objects.filter(
        day__gte=since, group__in=list(group_keys), stale_since__isnull=True, computations__gt=0
    ).update(stale_since=timezone.now())


def on_fact_changed(sender, since: datetime.date, **kwargs) -> None:
    """`settlements.dated_facts.fact_changed`: mark the snapshots the change made stale, at once (a computation
    under way waits for the change to commit, then sees it) and again once it commits (a snapshot whose
    computation began before the commit), then queue their recomputation."""
    group_keys = [group.key for group in indicators.groups_reading([sender._meta.label])]
    if group_keys:
        mark_stale(since=since, group_keys=group_keys)
        transaction.on_commit(lambda: _after_commit(since, group_keys))


def _after_commit(since, group_keys) -> None:
    from .tasks import refresh_stale_snapshots

    mark_stale(since=since, group_keys=group_keys)
    waiting = IndicatorSnapshot.objects.filter(day__gte=since, group__in=group_keys, stale_since__isnull=False)
    if waiting.exists() and cache.add(REFRESH_QUEUED, True, timeout=REFRESH_DEBOUNCE_SECONDS):
        # once for a burst of changes, run when the burst's window has closed: the job takes every snapshot
        # stale by then, so a change committed within the window, after this one, is not left for the beat
        refresh_stale_snapshots.apply_async(countdown=REFRESH_DEBOUNCE_SECONDS)


REFRESH_QUEUED = "tasks.snapshots.refresh-queued"
REFRESH_DEBOUNCE_SECONDS = 2


def stale_snapshots():
    """(day, group) of every stale snapshot, the most recent day first."""
    stale = IndicatorSnapshot.objects.filter(stale_since__isnull=False).order_by("-day", "group")
    return list(stale.values_list("day", "group"))
