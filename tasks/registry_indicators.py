"""The household registry's own indicators (the core app cannot import `tasks`, so they are registered here)."""

from settlements import selectors

from .indicators import register


@register("settlements.households", "在住搬迁户", "户", sort_order=10)
def resident_households(day):
    return selectors.resident_counts(day=day).households


@register("settlements.persons", "在住搬迁人口", "人", sort_order=20)
def resident_persons(day):
    return selectors.resident_counts(day=day).persons


@register("settlements.moved_in_persons", "累计搬迁入住人口", "人", sort_order=30)
def moved_in_persons(day):
    return selectors.moved_in_persons(day=day)
