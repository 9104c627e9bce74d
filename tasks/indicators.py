"""The indicator registry: what the portal measures, registered by the app that owns the data.

An indicator is a key, a label, a unit and a function that, given a date, returns its value for every
settlement as of that date (one call for all settlements, so pages and reports run a fixed number of
queries). The dispatch report, the overview and task targets read indicators only through this registry.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

Number = int | Decimal


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str
    per_settlement: Callable[[datetime.date], dict[int, Number]]
    sort_order: int = 0

    def values_as_of(self, day: datetime.date) -> dict[int, Number]:
        return self.per_settlement(day)

    def county_total(self, values: dict[int, Number]) -> Number:
        return sum(values.values())


_registry: dict[str, Indicator] = {}


def register(key: str, label: str, unit: str, *, sort_order: int = 0):
    """Decorator: `@register("employment.trained", "培训人数", "人")` over `def f(day) -> {settlement_id: n}`."""

    def decorate(function):
        if key in _registry and _registry[key].per_settlement is not function:
            raise ValueError(f"indicator {key!r} is registered twice")
        _registry[key] = Indicator(key, label, unit, function, sort_order)
        return function

    return decorate


def get(key: str) -> Indicator | None:
    return _registry.get(key)


def all_indicators() -> list[Indicator]:
    return sorted(_registry.values(), key=lambda indicator: (indicator.sort_order, indicator.key))


def values_as_of(day: datetime.date) -> dict[str, dict[int, Number]]:
    """Every indicator's per-settlement values as of `day`."""
    return {indicator.key: indicator.values_as_of(day) for indicator in all_indicators()}
