"""The sections of the governance settlement and household pages, one per topic, registered here in order with
the core's page sections (`settlements.page_sections`)."""

from settlements.page_sections import PageSections, Section

from .views import open_affairs

SECTIONS = PageSections("governance")

SECTIONS.register(
    Section(
        "open_affairs",
        "居务公开、协商议事和民主评议",
        order=40,
        settlement=open_affairs.settlement_section,
        settlement_template="governance/open_affairs/sections/settlement.html",
    )
)
