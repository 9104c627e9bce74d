"""The sections of the services' settlement and household pages, one per topic, registered here in order.

A section names a template for each page it appears on and a function giving that template its context:
`settlement(user, settlement, day) -> dict` and `household(user, household, members, day) -> dict`. The pages
show every registered section in order, so a new topic (schooling, clinics) adds its section without touching
the pages:

    register_section(Section("schooling", "义务教育", order=10, settlement=..., settlement_template=..., ...))
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from .views import health, hukou, outreach, schooling, social_security


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    order: int = 0
    settlement: Callable | None = None
    settlement_template: str = ""
    household: Callable | None = None
    household_template: str = ""


@dataclass(frozen=True)
class Shown:
    """A section as one page shows it: its title, template and context."""

    key: str
    title: str
    template: str
    context: dict


_sections: dict[str, Section] = {}


def register_section(section: Section) -> Section:
    if section.key in _sections and _sections[section.key] != section:
        raise ValueError(f"services section {section.key!r} is registered twice, differently")
    _sections[section.key] = section
    return section


def all_sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))


def settlement_sections(user, settlement, day: datetime.date) -> list[Shown]:
    return [
        Shown(section.key, section.title, section.settlement_template, section.settlement(user, settlement, day))
        for section in all_sections()
        if section.settlement is not None
    ]


def household_sections(user, household, members, day: datetime.date) -> list[Shown]:
    return [
        Shown(section.key, section.title, section.household_template, section.household(user, household, members, day))
        for section in all_sections()
        if section.household is not None
    ]


register_section(
    Section(
        "schooling",
        "义务教育和学生资助",
        order=10,
        settlement=schooling.settlement_section,
        settlement_template="services/sections/settlement_schooling.html",
        household=schooling.household_section,
        household_template="services/sections/household_schooling.html",
    ),
)
register_section(
    Section(
        "health",
        "医疗卫生",
        order=20,
        settlement=health.settlement_section,
        settlement_template="services/sections/settlement_health.html",
        household=health.household_section,
        household_template="services/sections/household_health.html",
    )
)
register_section(
    Section(
        "social_security",
        "社会保障",
        order=30,
        settlement=social_security.settlement_section,
        settlement_template="services/sections/settlement_social_security.html",
        household=social_security.household_section,
        household_template="services/sections/household_social_security.html",
    )
)
register_section(
    Section(
        "hukou",
        "户籍和市民证",
        order=40,
        settlement=hukou.settlement_section,
        settlement_template="services/sections/settlement_hukou.html",
        household=hukou.household_section,
        household_template="services/sections/household_hukou.html",
    )
)
register_section(
    Section(
        "cadres",
        "迁出地派驻干部",
        order=50,
        settlement=outreach.cadres_settlement_section,
        settlement_template="services/sections/settlement_cadres.html",
        household=outreach.cadres_household_section,
        household_template="services/sections/household_cadres.html",
    )
)
register_section(
    Section(
        "service_days",
        "每月服务日",
        order=60,
        settlement=outreach.service_days_settlement_section,
        settlement_template="services/sections/settlement_service_days.html",
    )
)
register_section(
    Section(
        "property_coops",
        "物业管理合作社或公司",
        order=70,
        settlement=health.property_coops_section,
        settlement_template="services/sections/settlement_property_coops.html",
    )
)
