"""Changes to dated facts, announced to whatever keeps figures computed from them.

A figure as of a past day (an indicator's snapshot, `tasks.snapshots`) goes stale when a record it was
computed from changes on or before that day: a job entered late, a move-out back-dated. The core announces
each such change on `fact_changed`, with the model and the earliest day the change touches; the work plan
marks its snapshots from that day on as stale and a job computes them again.

An app declares what to watch in its `AppConfig.ready()`: `watch(Employment, dates=("start_date",
"end_date"), fields=("person",))`. Every save and delete of a watched model is then announced, from the
earliest of the old and the new dates, but only when a watched field changed. Writes that bypass `save()`
(the ledger imports' bulk writes) announce themselves (`announce`); the import framework does it for every
importer from its `dated_models`.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal

fact_changed = Signal()  # sender: the model class; since: the earliest day touched (datetime.date)

EVERY_DAY = datetime.date.min  # a change whose earliest day is unknown touches every day


@dataclass(frozen=True)
class Watch:
    dates: tuple[str, ...]  # the model's own date fields
    fields: tuple[str, ...]  # other fields (attnames) whose change matters
    since: Callable | None  # instance -> earliest day touched, for a model without dates of its own

    @property
    def compared(self) -> tuple[str, ...]:
        return self.dates + self.fields


_watched: dict[type, Watch] = {}


def watch(model, *, dates=(), fields=(), since: Callable | None = None) -> None:
    """Announce every change of `model` that touches one of `dates` or `fields` (foreign keys by attname,
    e.g. "person_id"), from the earliest date involved, or from `since(instance)` when given."""
    if not dates and since is None:
        raise ValueError(f"{model.__name__}: watching needs its date fields or a `since` function")
    _watched[model] = Watch(tuple(dates), tuple(fields), since)
    uid = f"dated_facts.{model._meta.label}"
    pre_save.connect(_remember_old, sender=model, weak=False, dispatch_uid=f"{uid}.pre_save")
    post_save.connect(_saved, sender=model, weak=False, dispatch_uid=f"{uid}.post_save")
    post_delete.connect(_deleted, sender=model, weak=False, dispatch_uid=f"{uid}.post_delete")


def announce(model, since: datetime.date) -> None:
    """Tell the listeners that records of `model` changed from `since` on (`EVERY_DAY` when unknown)."""
    fact_changed.send(sender=model, since=since)


def _remember_old(sender, instance, raw=False, **kwargs):
    spec = _watched[sender]
    old = None
    if not raw and instance.pk is not None:
        old = sender._base_manager.filter(pk=instance.pk).values(*spec.compared).first()
    instance._dated_facts_old = old


def _saved(sender, instance, raw=False, **kwargs):
    if raw:  # loading fixtures
        return
    spec = _watched[sender]
    new = {name: getattr(instance, name) for name in spec.compared}
    old = getattr(instance, "_dated_facts_old", None)
    if old is None:  # created: every day from its earliest date
        _announce(sender, _earliest_of(spec, instance, [new]))
    elif old != new:
        _announce(sender, _earliest_changed(spec, instance, old, new))


def _deleted(sender, instance, **kwargs):
    spec = _watched[sender]
    _announce(sender, _earliest_of(spec, instance, [{name: getattr(instance, name) for name in spec.compared}]))


def _earliest_changed(spec: Watch, instance, old: dict, new: dict) -> datetime.date | None:
    """A changed date touches the days from the earlier of its old and new value (an end date moved from
    30 June to 10 June touches 10 June on); any other changed field touches every day of the record."""
    if any(old[name] != new[name] for name in spec.fields):
        return _earliest_of(spec, instance, [old, new])
    moved = [value for name in spec.dates if old[name] != new[name] for value in (old[name], new[name])]
    return min((value for value in moved if value is not None), default=None)


def _earliest_of(spec: Watch, instance, states) -> datetime.date | None:
    if spec.since is not None:
        return spec.since(instance)
    days = [state[name] for state in states for name in spec.dates if state[name] is not None]
    return min(days, default=None)


def _announce(model, since: datetime.date | None) -> None:
    """Announce from the earliest day the change touches; a record with no date (a person not yet in any
    household) touches no day."""
    if since is not None:
        announce(model, since)
