"""Pages of the place structure: a settlement's structure as of a day (and what is incomplete), the grids, their
members, the building and courtyard heads, and the bulk assignment of households or buildings to a grid.

Read with `read_registry` through each model's scoped entry point (outside it, a 404); kept with `keep_grids`.
"""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from . import exports, grids, selectors, services
from .capabilities import KEEP_GRIDS, READ_REGISTRY, capability_required
from .form_pages import day_of, page_of, save_or_show
from .forms import add_service_errors
from .grid_forms import AssignForm, BuildingHeadForm, BuildingKindForm, GridForm, GridMemberForm
from .models import Building, BuildingHead, Grid, GridMember, Household, Settlement

MAX_KEY = 2**63 - 1
KEY = re.compile(r"[0-9]{1,19}")
MSG_NOTHING_CHOSEN = "请勾选要划入网格的搬迁户或楼栋，或选择“全选筛选结果”。"

grid_export = exports.view("settlements.grids")
grid_household_export = exports.view("settlements.grid_households")
head_export = exports.view("settlements.building_heads")


def _key(text: str) -> int | None:
    """A record number from the query string or a form, or None for anything else."""
    return int(text) if KEY.fullmatch(text or "") and int(text) <= MAX_KEY else None


def _grid_for_user(user, pk) -> Grid:
    return get_object_or_404(Grid.objects.for_user(user).select_related("settlement"), pk=pk)


# --- the structure ------------------------------------------------------------------------------------------------


@capability_required(READ_REGISTRY)
def structure(request):
    settlements = Settlement.objects.for_user(request.user)
    chosen = _key(request.GET.get("settlement", ""))
    settlement = settlements.filter(pk=chosen).first() if chosen else None
    if settlement is None:
        settlement = settlements.first()
    if settlement is None:
        raise Http404("您的管理范围内没有安置点。")
    day = day_of(request)
    context = {"settlements": settlements, "shown": grids.structure(settlement=settlement, day=day), "day": day}
    return render(request, "settlements/grid_structure.html", context)


# --- grids ---------------------------------------------------------------------------------------------------------


@capability_required(READ_REGISTRY)
def grid_list(request):
    grid_filter, rows = selectors.grid_list(user=request.user, params=request.GET)
    page = page_of(request, rows)
    day = timezone.localdate()
    counts = grids.grid_household_counts([grid.pk for grid in page], day)
    sizes = selectors.resident_households_by_settlement(day=day)
    for grid in page:
        grid.households = counts.get(grid.pk, 0)
        grid.band = grids.band_for(grid.kind, sizes.get(grid.settlement_id, 0), day)
    return render(request, "settlements/grid_list.html", {"filter": grid_filter, "page": page})


@capability_required(READ_REGISTRY)
def grid_detail(request, pk):
    grid = _grid_for_user(request.user, pk)
    day = day_of(request)
    shown = grids.structure(settlement=grid.settlement, day=day)
    row = (
        next(row for section in shown.kinds for row in section.grids if row.grid == grid)
        if _active(grid, day)
        else None
    )
    context = {
        "grid": grid,
        "day": day,
        "row": row,
        "members": grid.members.order_by("-start_date", "pk"),
        "households": page_of(request, grids.households_in(grid=grid, day=day)),
        "history": grid.history.select_related("history_user")[:20],
    }
    return render(request, "settlements/grid_detail.html", context)


def _active(grid, day) -> bool:
    return grids.active_grids(day).filter(pk=grid.pk).exists()


@capability_required(KEEP_GRIDS)
def grid_create(request):
    return _grid_form(request, Grid())


@capability_required(KEEP_GRIDS)
def grid_edit(request, pk):
    return _grid_form(request, _grid_for_user(request.user, pk))


def _grid_form(request, grid):
    form = GridForm(request.POST or None, instance=grid, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.grid_save(actor=request.user, grid=form.save(commit=False))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"已保存网格“{saved.name}”。")
            return redirect("grid_detail", saved.pk)
    title = f"修改网格：{grid.name}" if grid.pk else "新建网格"
    return render(request, "settlements/grid_entry_form.html", {"form": form, "title": title, "back": _back(grid)})


def _back(grid) -> str:
    return reverse("grid_detail", args=[grid.pk]) if grid.pk else reverse("grid_list")


# --- grid members ----------------------------------------------------------------------------------------------


@capability_required(KEEP_GRIDS)
def grid_member_add(request, pk):
    grid = _grid_for_user(request.user, pk)
    return _member_form(request, GridMember(grid=grid, start_date=timezone.localdate()))


@capability_required(KEEP_GRIDS)
def grid_member_edit(request, pk):
    member = get_object_or_404(GridMember.objects.for_user(request.user).select_related("grid"), pk=pk)
    return _member_form(request, member)


def _member_form(request, member):
    form = GridMemberForm(request.POST or None, instance=member, user=request.user)
    context = {"title": f"网格员 · {member.grid.name}", "back": reverse("grid_detail", args=[member.grid_id])}

    def write(data):
        services.grid_member_save(actor=request.user, member=form.save(commit=False))

    target = reverse("grid_detail", args=[member.grid_id])
    template = "settlements/grid_entry_form.html"
    return save_or_show(request, form, template, context, write, "已保存网格员。", target)


# --- building and courtyard heads ---------------------------------------------------------------------------------


@capability_required(READ_REGISTRY)
def head_list(request):
    head_filter, rows = selectors.building_head_list(user=request.user, params=request.GET)
    return render(request, "settlements/head_list.html", {"filter": head_filter, "page": page_of(request, rows)})


@capability_required(KEEP_GRIDS)
def head_create(request):
    head = BuildingHead(start_date=timezone.localdate())
    chosen = _key(request.GET.get("building", ""))
    if chosen is not None:
        head.building = get_object_or_404(Building.objects.for_user(request.user), pk=chosen)
    return _head_form(request, head)


@capability_required(KEEP_GRIDS)
def head_edit(request, pk):
    head = get_object_or_404(BuildingHead.objects.for_user(request.user).select_related("building"), pk=pk)
    return _head_form(request, head)


def _head_form(request, head):
    form = BuildingHeadForm(request.POST or None, instance=head, user=request.user)
    context = {"title": "楼长（院长）", "back": reverse("head_list")}

    def write(data):
        saved = services.building_head_save(actor=request.user, head=form.save(commit=False))
        context["saved"] = saved

    def target():
        return f"{reverse('grid_structure')}?settlement={form.instance.building.settlement_id}"

    if request.method == "POST" and form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            head = context["saved"]
            messages.success(request, f"已保存{head.building}的{head.building.head_title}{head.name}。")
            return redirect(target())
    return render(request, "settlements/grid_entry_form.html", {**context, "form": form})


@capability_required(KEEP_GRIDS)
def building_kind(request, pk):
    """Mark a building of the user's settlements as a 楼栋 or a 院落."""
    building = get_object_or_404(Building.objects.for_user(request.user).select_related("settlement"), pk=pk)
    form = BuildingKindForm(request.POST or None, instance=building)
    target = f"{reverse('grid_structure')}?settlement={building.settlement_id}"
    context = {"title": "楼栋或院落", "subject": str(building), "back": target}

    def write(data):
        services.building_kind_set(actor=request.user, building=building, kind=data["kind"])

    return save_or_show(request, form, "form_page.html", context, write, f"已设定{building}的类别。", target)


# --- the bulk assignment -------------------------------------------------------------------------------------------


@capability_required(KEEP_GRIDS)
def grid_assign(request):
    """Households (a filtered list with boxes to tick) into a grid in one action."""
    household_filter, rows = selectors.grid_household_list(user=request.user, params=request.GET)
    if request.method == "POST":
        return _assign(request, "grid_assign")
    context = {"filter": household_filter, "page": page_of(request, rows), "form": AssignForm(user=request.user)}
    return render(request, "settlements/grid_assign.html", {**context, "mode": "households"})


@capability_required(KEEP_GRIDS)
def grid_assign_buildings(request):
    """Buildings (all their current households) into a grid in one action."""
    if request.method == "POST":
        return _assign(request, "grid_assign_buildings")
    settlements = Settlement.objects.for_user(request.user)
    buildings = Building.objects.for_user(request.user).select_related("settlement").order_by("settlement", "name")
    chosen = _key(request.GET.get("settlement", ""))
    if chosen is not None:
        buildings = buildings.filter(settlement_id=chosen)
    context = {"settlements": settlements, "page": page_of(request, buildings), "form": AssignForm(user=request.user)}
    return render(request, "settlements/grid_assign.html", {**context, "mode": "buildings"})


def _keys(values) -> list[int]:
    """The record numbers a form posts; anything else names nothing (a 404, like a record outside the scope)."""
    keys = []
    for value in values:
        key = _key(value)
        if key is None:
            raise Http404(services.MSG_NOT_FOUND)
        keys.append(key)
    return keys


def _chosen_households(request) -> set[int]:
    if request.POST.get("all_filtered"):
        params = QueryDict(request.POST.get("query", ""))
        household_filter, rows = selectors.grid_household_list(user=request.user, params=params)
        if not household_filter.is_valid():  # a filter refused would widen the choice: choose nothing
            return set()
        return set(rows.values_list("pk", flat=True))
    found, missing = grids.households_of(
        user=request.user,
        household_ids=_keys(request.POST.getlist("household")),
        building_ids=_keys(request.POST.getlist("building")),
    )
    if missing:
        raise Http404(services.MSG_NOT_FOUND)
    return found


def _assign(request, page):
    form = AssignForm(request.POST, user=request.user)
    back = f"{reverse(page)}?{request.POST.get('query', '')}"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    chosen = _chosen_households(request)
    if not chosen:
        messages.error(request, MSG_NOTHING_CHOSEN)
        return redirect(back)
    grid, day = form.cleaned_data["grid"], form.cleaned_data["day"]
    plan = grids.move_plan(grid=grid, household_ids=chosen)
    if plan.moving and not request.POST.get("confirmed"):
        context = {"plan": plan, "day": day, "households": sorted(chosen), "back": back}
        return render(request, "settlements/grid_assign_confirm.html", context)
    try:
        move = services.grid_assign(actor=request.user, grid=grid, household_ids=chosen, day=day)
    except Household.DoesNotExist:
        raise Http404(services.MSG_NOT_FOUND) from None
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(back)
    messages.success(request, move.sentence)
    return redirect(f"{reverse('grid_structure')}?settlement={grid.settlement_id}")
