"""Pages of the yearly selections: the county table (settlements × years, the years missed flagged) with the
list, a selection with those it honours, the forms, the printable 光荣榜, and the settlement page's section."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from settlements import capabilities, exports, photos
from settlements.capabilities import capability_required
from settlements.form_pages import day_of, page_of, save_or_show
from settlements.forms import add_service_errors
from settlements.models import Settlement

from .. import forms, services
from .. import selections_exports as _registered  # noqa: F401  (the exporter the download view names)
from ..capabilities import KEEP_CULTURE, READ_CULTURE
from ..models import Honour, Selection
from ..selection_rules import yearly_selection_params
from ..selectors import selections


@capability_required(READ_CULTURE)
def selection_list(request):
    form, today, rows = forms.selection_query(request.user, request.GET)
    day = day_of(request)
    years, table = selections.selection_years(settlements=list(Settlement.objects.for_user(request.user)), day=day)
    context = {
        "form": form,
        "day": day,
        "years": years,
        "table": table,
        "rule": yearly_selection_params(day),
        "page": page_of(request, rows.order_by("-year", "settlement__sort_order", "category", "id")),
        "export": "culture:selection_export",
        "no_ids": True,
    }
    return render(request, "culture/selections/list.html", context)


selection_export = exports.view("culture.selection_years")


def _selection_for_user(user, pk) -> Selection:
    return get_object_or_404(Selection.objects.for_user(user).select_related("settlement", "organiser"), pk=pk)


@capability_required(READ_CULTURE)
def selection_detail(request, pk):
    selection = _selection_for_user(request.user, pk)
    may_keep = capabilities.has(request.user, KEEP_CULTURE)
    form = forms.HonourForm(user=request.user, selection=selection, auto_id="honour_%s") if may_keep else None
    return _detail(request, selection, form)


def _detail(request, selection, form):
    honours = [(honour, photos.gallery(honour, request.user)) for honour in selections.honours_of(selection)]
    context = {"selection": selection, "honours": honours, "form": form, "may_keep": form is not None}
    return render(request, "culture/selections/detail.html", context)


@capability_required(READ_CULTURE)
def selection_create(request):
    capabilities.require(request.user, KEEP_CULTURE)
    return _selection_form(request, Selection())


@login_required
def selection_edit(request, pk):
    selection = _selection_for_user(request.user, pk)
    capabilities.require(request.user, KEEP_CULTURE)
    return _selection_form(request, selection)


def _selection_form(request, selection):
    form = forms.SelectionForm(request.POST or None, instance=selection, user=request.user)

    def write(data):
        services.selection_save(selection=form.instance, actor=request.user)

    back = reverse("culture:selections")
    context = {"title": "评先选优", "subject": str(selection) if selection.pk else "", "back": back}
    return save_or_show(request, form, "form_page.html", context, write, "已保存评先选优。", back)


@require_POST
@login_required
def honour_add(request, pk):
    selection = _selection_for_user(request.user, pk)
    capabilities.require(request.user, KEEP_CULTURE)
    form = forms.HonourForm(request.POST, request.FILES, user=request.user, selection=selection, auto_id="honour_%s")
    if form.is_valid():
        try:
            services.honour_add(
                selection=selection,
                household=form.cleaned_data["household"],
                person=form.cleaned_data["person"],
                citation=form.cleaned_data["citation"],
                files=request.FILES.getlist("photos"),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "已添加获评对象。")
            return redirect("culture:selection", selection.pk)
    return _detail(request, selection, form)


@require_POST
@login_required
def honour_delete(request, pk):
    honour = get_object_or_404(Honour.objects.for_user(request.user), pk=pk)
    capabilities.require(request.user, KEEP_CULTURE)
    services.honour_delete(honour=honour, actor=request.user)
    messages.success(request, "已删除获评对象。")
    return redirect("culture:selection", honour.selection_id)


@capability_required(READ_CULTURE)
def honour_roll(request, pk):
    """The 光荣榜 of one selection, printable on A4: names and photos only, never an ID number."""
    selection = _selection_for_user(request.user, pk)
    honours = [(honour, photos.photos_of(honour).first()) for honour in selections.honours_of(selection)]
    return render(request, "culture/selections/roll.html", {"selection": selection, "honours": honours})


# --- the settlement page's section --------------------------------------------------------------------------------


def settlement_section(user, settlement, day):
    years, (row,) = selections.selection_years(settlements=[settlement], day=day)
    this_year = Selection.objects.filter(settlement=settlement, year=day.year, held_on__lte=day).order_by("held_on")
    return {
        "day": day,
        "settlement": settlement,
        "row": row,
        "rule": yearly_selection_params(day),
        "this_year": list(this_year.select_related("organiser")),
    }
