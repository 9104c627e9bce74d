"""The sections of the governance settlement and household pages, one per topic, registered here in order with
the core's page sections (`settlements.page_sections`)."""

from settlements.page_sections import PageSections

SECTIONS = PageSections("governance")
