"""The sections of the culture settlement and household pages, one per topic, registered here in order with
the core's page sections (`settlements.page_sections`)."""

from settlements.page_sections import PageSections, Section

from .views import facilities, house_photos, selections, sessions

SECTIONS = PageSections("culture")


SECTIONS.register(
    Section(
        "sessions",
        "教育活动（感恩教育、扫盲及适应性培训）",
        order=10,
        settlement=sessions.sessions_settlement_section,
        settlement_template="culture/sections/settlement_sessions.html",
    )
)
SECTIONS.register(
    Section(
        "house_photos",
        "新旧住房对比照片",
        order=20,
        settlement=house_photos.settlement_section,
        settlement_template="culture/sections/settlement_house_photos.html",
        household=house_photos.household_section,
        household_template="culture/sections/household_house_photos.html",
    )
)
SECTIONS.register(
    Section(
        "selections",
        "评先选优",
        order=30,
        settlement=selections.settlement_section,
        settlement_template="culture/sections/settlement_selections.html",
    )
)
SECTIONS.register(
    Section(
        "facilities",
        "文化设施、乡愁馆和文化队伍",
        order=40,
        settlement=facilities.settlement_section,
        settlement_template="culture/sections/settlement_facilities.html",
    )
)
