"""The household registry's own indicators (the core app cannot import `tasks`, so they are registered here):
one group, so the stays of the day are scanned once."""

from settlements import selectors

from .indicators import Spec, register_group

REGISTRY_MODELS = ("settlements.Household", "settlements.Membership")


@register_group(
    "settlements.residents",
    [
        Spec("settlements.households", "在住搬迁户", "户", sort_order=10),
        Spec("settlements.persons", "在住搬迁人口", "人", sort_order=20),
        Spec("settlements.moved_in_persons", "累计搬迁入住人口", "人", sort_order=30),
    ],
    reads=REGISTRY_MODELS,
)
def residents(day):
    figures = selectors.resident_figures(day=day)
    return {
        "settlements.households": figures.households,
        "settlements.persons": figures.persons,
        "settlements.moved_in_persons": figures.moved_in_persons,
    }
