"""The sections of the culture settlement and household pages, one per topic, registered here in order with
the core's page sections (`settlements.page_sections`)."""

from settlements.page_sections import PageSections, Section

SECTIONS = PageSections("culture")


def _settlement_facilities(user, settlement, day) -> dict:
    from .selectors.facilities import settlement_culture_facilities

    return {"day": day, **settlement_culture_facilities(settlement=settlement, day=day)}


SECTIONS.register(
    Section(
        "facilities",
        "文化设施、乡愁馆和文化队伍",
        order=40,
        settlement=_settlement_facilities,
        settlement_template="culture/sections/settlement_facilities.html",
    )
)
