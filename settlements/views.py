from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from . import selectors
from .models import Household, ResponsibleUnit, Settlement, WorkTeam
from .roles import ROLE_DUTIES

PAGE_SIZE = 50
MSG_NO_REGISTRY = "您的角色无权查看户籍台账。"


def _require_registry_reader(user):
    if not user.sees_registry:
        raise PermissionDenied(MSG_NO_REGISTRY)


def _get_household_for_user(user, pk):
    """The household if it lies in `user`'s scope; otherwise a 404 that does not confirm it exists."""
    return get_object_or_404(Household.objects.for_user(user), pk=pk)


def _int_or_none(value):
    return int(value) if value and value.isdigit() else None


@login_required
def home(request):
    summaries = selectors.settlement_summaries(request.user) if request.user.sees_registry else []
    context = {
        "summaries": summaries,
        "total_households": sum(s.households for s in summaries),
        "total_persons": sum(s.persons for s in summaries),
        "role_duty": ROLE_DUTIES.get(request.user.role, ""),
    }
    return render(request, "settlements/home.html", context)


@login_required
def household_list(request):
    _require_registry_reader(request.user)
    query = request.GET.get("q", "")
    settlement_id = _int_or_none(request.GET.get("settlement"))
    households = selectors.household_search(request.user, query=query, settlement_id=settlement_id)
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "settlement_id": settlement_id,
        "settlements": Settlement.objects.for_user(request.user),
    }
    return render(request, "settlements/household_list.html", context)


@login_required
def household_detail(request, pk):
    household = _get_household_for_user(request.user, pk)
    members = household.members.order_by("id")
    return render(request, "settlements/household_detail.html", {"household": household, "members": members})


@login_required
def reference(request):
    context = {
        "settlements": Settlement.objects.select_related("administered_by"),
        "work_teams": WorkTeam.objects.select_related("lead_unit"),
        "units": ResponsibleUnit.objects.filter(is_active=True),
    }
    return render(request, "settlements/reference.html", context)
