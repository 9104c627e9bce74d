"""The sections of the governance settlement and household pages, one per topic, registered here in order with
the core's page sections (`settlements.page_sections`)."""

from settlements.page_sections import PageSections, Section

from . import service_centres, social_groups
from .views import committees, elections, open_affairs

SECTIONS = PageSections("governance")


def _committee_section(user, settlement, day) -> dict:
    return {
        **committees.settlement_section(user, settlement, day),
        **elections.settlement_section(user, settlement, day),
    }


SECTIONS.register(
    Section(
        "committees",
        "居委会、群团组织和选举",
        order=10,
        settlement=_committee_section,
        settlement_template="governance/sections/settlement_committees.html",
    )
)
SECTIONS.register(
    Section(
        "open_affairs",
        "居务公开、协商议事和民主评议",
        order=40,
        settlement=open_affairs.settlement_section,
        settlement_template="governance/open_affairs/sections/settlement.html",
    )
)
SECTIONS.register(
    Section(
        "social_groups",
        "社会组织和志愿者队伍",
        order=50,
        settlement=social_groups.settlement_section,
        settlement_template="governance/social_groups/settlement.html",
    )
)
SECTIONS.register(
    Section(
        "service_centres",
        "政务服务中心",
        order=60,
        settlement=service_centres.settlement_section,
        settlement_template="governance/sections/settlement_service_centres.html",
    )
)
