"""The county page, a settlement's page (one section per topic) and a household's page."""

from django.shortcuts import get_object_or_404, render

from settlements.capabilities import capability_required
from settlements.form_pages import day_of
from settlements.models import PersonStatus, Settlement
from tasks import selectors as task_selectors

from ..capabilities import READ_CULTURE
from ..sections import SECTIONS
from .common import household_for_user

INDICATOR_APPS = ("culture",)


@capability_required(READ_CULTURE)
def overview(request):
    day = day_of(request)
    settlements = list(Settlement.objects.for_user(request.user))
    context = {
        "day": day,
        "settlements": settlements,
        "panel": task_selectors.indicator_panel(day=day, settlements=settlements, prefixes=INDICATOR_APPS),
    }
    return render(request, "culture/overview.html", context)


@capability_required(READ_CULTURE)
def settlement_page(request, pk):
    settlement = get_object_or_404(Settlement.objects.for_user(request.user), pk=pk)
    day = day_of(request)
    context = {
        "settlement": settlement,
        "day": day,
        "panel": task_selectors.indicator_panel(day=day, settlements=[settlement], prefixes=INDICATOR_APPS),
        "sections": SECTIONS.settlement_sections(request.user, settlement, day),
    }
    return render(request, "culture/settlement.html", context)


@capability_required(READ_CULTURE)
def household_page(request, pk):
    household = household_for_user(request.user, pk)
    day = day_of(request)
    members = list(household.members.filter(status=PersonStatus.ACTIVE).order_by("id"))
    context = {
        "household": household,
        "day": day,
        "members": members,
        "sections": SECTIONS.household_sections(request.user, household, members, day),
    }
    return render(request, "culture/household.html", context)
