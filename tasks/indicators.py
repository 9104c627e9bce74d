"""The indicator registry: what the portal measures, registered by the app that owns the data.

An indicator is a key, a label and a unit. Indicators are computed in groups: a group is a function that,
given a date, returns the values of each of its indicators for every settlement as of that date. Indicators
that share a population (the labour of a day, the resident households of a day) belong to one group, so
that population is scanned once; an indicator of its own is a group of one (`register`).

An indicator may count households (`Spec(..., households=True)`): its group function then returns, for each
settlement, the ids of the households it counts, and the snapshot keeps them, so a page lists the households
behind the figure (the zero-employment households) from the same computation, page by page.

Pages, the overview, task targets and the dispatch report read the values through the dated snapshots
(`tasks.snapshots`), which the nightly job fills one group at a time; a group declares the models whose
dated changes make its snapshots stale (`reads`). Computing live (`values_as_of`) is for the snapshot job,
the benchmark and the tests.

A figure the plan sets for the county only, with no settlement to hold it (“完成一部……优秀文艺作品”), is a
county indicator (`register_county`): a function of the day giving one number, computed live from dated
records when a target asks for it (a snapshot keeps values per settlement, and no settlement owns it).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

Number = int | Decimal
Values = dict[int, Number]  # {settlement id: value}; a settlement without a value counts 0
HouseholdIds = dict[int, list[int]]  # {settlement id: ids of the households an indicator counts}


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str
    group: str
    sort_order: int = 0

    def values_as_of(self, day: datetime.date) -> Values:
        """This indicator's values as of `day`, computed live (with the rest of its group)."""
        return _groups[self.group].compute(day)[self.key]

    def county_total(self, values: Values) -> Number:
        return sum(values.values())


@dataclass(frozen=True)
class Spec:
    """One indicator of a group, as its group function registers it."""

    key: str
    label: str
    unit: str
    sort_order: int = 0
    households: bool = False  # the value is a count of households, and the group returns their ids


@dataclass(frozen=True)
class Computed:
    """A group's result as of a day: every indicator's values, and the households behind those that count
    households."""

    values: dict[str, Values]
    households: dict[str, HouseholdIds]


@dataclass(frozen=True)
class Group:
    key: str
    function: Callable[[datetime.date], dict[str, Values]]
    indicator_keys: tuple[str, ...]
    household_keys: tuple[str, ...]  # those of `indicator_keys` that count households
    reads: tuple[str, ...]  # "app_label.Model" whose dated changes make this group's snapshots stale
    origin: Callable  # the registered function (a second registration of the same one is harmless)

    def compute(self, day: datetime.date) -> dict[str, Values]:
        """{indicator key: {settlement id: value}} as of `day`, every key of the group present."""
        return self.compute_in_full(day).values

    def compute_in_full(self, day: datetime.date) -> Computed:
        """The values as of `day` and, for the indicators that count households, the households counted."""
        computed = self.function(day)
        values = {key: dict(computed.get(key, {})) for key in self.indicator_keys}
        households = {key: {pk: sorted(ids) for pk, ids in values[key].items()} for key in self.household_keys}
        for key, per_settlement in households.items():
            values[key] = {pk: len(ids) for pk, ids in per_settlement.items()}
        return Computed(values, households)


_indicators: dict[str, Indicator] = {}
_groups: dict[str, Group] = {}


def register_group(key: str, specs: list[Spec], *, reads: tuple[str, ...]):
    """Decorator over `def f(day) -> {indicator key: {settlement id: value}}` computing several indicators in
    one pass (for an indicator that counts households, the households' ids); `reads` names the models
    ("app_label.Model") whose changes the values depend on."""

    def decorate(function):
        _add_group(key, function, function, specs, reads)
        return function

    return decorate


def register(key: str, label: str, unit: str, *, reads: tuple[str, ...], sort_order: int = 0):
    """Decorator: `@register("employment.trained", "培训人数", "人", reads=(...))` over
    `def f(day) -> {settlement_id: n}`: an indicator that is a group of its own."""

    def decorate(function):
        _add_group(key, lambda day: {key: function(day)}, function, [Spec(key, label, unit, sort_order)], reads)
        return function

    return decorate


def _add_group(key, compute, origin, specs, reads):
    if key in _groups and _groups[key].origin is not origin:
        raise ValueError(f"indicator group {key!r} is registered twice")
    for spec in specs:
        if spec.key in _indicators and _indicators[spec.key].group != key:
            raise ValueError(f"indicator {spec.key!r} is registered twice")
    keys = tuple(spec.key for spec in specs)
    household_keys = tuple(spec.key for spec in specs if spec.households)
    _groups[key] = Group(key, compute, keys, household_keys, tuple(reads), origin)
    for spec in specs:
        _indicators[spec.key] = Indicator(spec.key, spec.label, spec.unit, key, spec.sort_order)


@dataclass(frozen=True)
class CountyIndicator:
    """A figure of the county as a whole, as of a day (no settlement's share)."""

    key: str
    label: str
    unit: str
    function: Callable[[datetime.date], Number]

    def value_as_of(self, day: datetime.date) -> Number:
        return self.function(day)


_county: dict[str, CountyIndicator] = {}


def register_county(key: str, label: str, unit: str):
    """Decorator: `@register_county("culture.art_works", "文艺作品", "部")` over `def f(day) -> number`."""

    def decorate(function):
        existing = _county.get(key)
        if key in _indicators or (existing is not None and existing.function is not function):
            raise ValueError(f"indicator {key!r} is registered twice")
        _county[key] = CountyIndicator(key, label, unit, function)
        return function

    return decorate


def county(key: str) -> CountyIndicator | None:
    return _county.get(key)


def get(key: str) -> Indicator | None:
    return _indicators.get(key)


def group(key: str) -> Group:
    return _groups[key]


def all_indicators() -> list[Indicator]:
    return sorted(_indicators.values(), key=lambda indicator: (indicator.sort_order, indicator.key))


def all_groups() -> list[Group]:
    return sorted(_groups.values(), key=lambda group: group.key)


def groups_reading(model_labels) -> list[Group]:
    """The groups whose values depend on any of `model_labels` ("app_label.Model")."""
    labels = set(model_labels)
    return [group for group in all_groups() if labels.intersection(group.reads)]


def values_as_of(day: datetime.date) -> dict[str, Values]:
    """Every indicator's per-settlement values as of `day`, computed live, each group once."""
    values = {}
    for each in all_groups():
        values.update(each.compute(day))
    return values
