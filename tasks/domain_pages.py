"""The three pages every domain app opens with, made once: the county page (the app's indicators per
settlement, beside their targets), a settlement's page (its indicators, then one section per topic) and a
household's page (one section per topic). The indicators are the registry's, read from the snapshots; the
sections are the app's (`settlements.page_sections`).

    PAGES = DomainPages(app="culture", title="文化服务", capability=READ_CULTURE, sections=SECTIONS)
    urlpatterns = [*PAGES.urls(), ...]

An app whose county page shows more passes `overview_extra(request, day, settlements) -> dict` and its own
template extending `domain_pages/overview.html`.
"""

from collections.abc import Callable

from django.shortcuts import get_object_or_404, render
from django.urls import path

from settlements.capabilities import Capability, capability_required
from settlements.form_pages import day_of, household_for
from settlements.models import PersonStatus, Settlement
from settlements.page_sections import PageSections

from . import selectors


class DomainPages:
    def __init__(
        self,
        *,
        app: str,
        title: str,
        capability: Capability,
        sections: PageSections,
        indicator_apps: tuple[str, ...] | None = None,
        overview_template: str = "domain_pages/overview.html",
        overview_extra: Callable | None = None,
    ):
        self.app, self.title, self.capability, self.sections = app, title, capability, sections
        self.indicator_apps = indicator_apps or (app,)
        self.overview_template, self.overview_extra = overview_template, overview_extra

    def _page(self, request, day, **context) -> dict:
        return {
            "day": day,
            "app_title": self.title,
            "subnav": f"{self.app}/partials/subnav.html",
            "settlement_url": f"{self.app}:settlement",
            **context,
        }

    def overview(self, request):
        day = day_of(request)
        settlements = list(Settlement.objects.for_user(request.user))
        extra = self.overview_extra(request, day, settlements) if self.overview_extra else {}
        panel = selectors.indicator_panel(day=day, settlements=settlements, prefixes=self.indicator_apps)
        context = self._page(request, day, settlements=settlements, panel=panel, **extra)
        return render(request, self.overview_template, context)

    def settlement_page(self, request, pk):
        settlement = get_object_or_404(Settlement.objects.for_user(request.user), pk=pk)
        day = day_of(request)
        context = self._page(
            request,
            day,
            settlement=settlement,
            panel=selectors.indicator_panel(day=day, settlements=[settlement], prefixes=self.indicator_apps),
            sections=self.sections.settlement_sections(request.user, settlement, day),
        )
        return render(request, "domain_pages/settlement.html", context)

    def household_page(self, request, pk):
        household = household_for(request.user, pk)
        day = day_of(request)
        members = list(household.members.filter(status=PersonStatus.ACTIVE).order_by("id"))
        context = self._page(
            request,
            day,
            household=household,
            members=members,
            sections=self.sections.household_sections(request.user, household, members, day),
        )
        return render(request, "domain_pages/household.html", context)

    def urls(self) -> list:
        required = capability_required(self.capability)
        return [
            path("", required(self.overview), name="overview"),
            path("settlements/<int:pk>/", required(self.settlement_page), name="settlement"),
            path("households/<int:pk>/", required(self.household_page), name="household"),
        ]
