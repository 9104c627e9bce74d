"""The sections of a domain app's settlement and household pages, one per topic, each app with its own set.

A section names a template for each page it appears on and a function giving that template its context:
`settlement(user, settlement, day) -> dict` and `household(user, household, members, day) -> dict`. An app's
pages show every section registered in its set, in order, so a new topic adds its section without touching the
pages:

    SECTIONS = PageSections("services")
    SECTIONS.register(Section("schooling", "义务教育", order=10, settlement=..., settlement_template=..., ...))
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass


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


class PageSections:
    """One app's sections."""

    def __init__(self, app: str):
        self.app = app
        self._sections: dict[str, Section] = {}

    def register(self, section: Section) -> Section:
        if section.key in self._sections and self._sections[section.key] != section:
            raise ValueError(f"{self.app} section {section.key!r} is registered twice, differently")
        self._sections[section.key] = section
        return section

    def all(self) -> list[Section]:
        return sorted(self._sections.values(), key=lambda section: (section.order, section.key))

    def settlement_sections(self, user, settlement, day: datetime.date) -> list[Shown]:
        return [
            Shown(section.key, section.title, section.settlement_template, section.settlement(user, settlement, day))
            for section in self.all()
            if section.settlement is not None
        ]

    def household_sections(self, user, household, members, day: datetime.date) -> list[Shown]:
        return [
            Shown(
                section.key, section.title, section.household_template, section.household(user, household, members, day)
            )
            for section in self.all()
            if section.household is not None
        ]
