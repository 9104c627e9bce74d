"""The sections of the culture settlement and household pages, one per topic, registered here in order with
the core's page sections (`settlements.page_sections`)."""

from settlements.page_sections import PageSections, Section

from .views import sessions

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
