"""Pages of the service facilities: the list, one facility against its kinds' standards, and its form.

Facilities are read through `Facility.objects.for_user` and changed through `kept_by` (a clerk keeps those of
their centre's settlements); outside either, a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from . import capabilities, exports, facilities, photos, selectors, services
from .capabilities import KEEP_FACILITIES, READ_REGISTRY, capability_required
from .form_pages import page_of
from .forms import FacilityForm, add_service_errors
from .models import Facility, FacilityKind, Settlement

REFRESH = "refresh"  # the button that shows the attributes of the kinds ticked, without saving


def _facility_for_user(user, pk) -> Facility:
    return get_object_or_404(Facility.objects.for_user(user), pk=pk)


def _facility_for_keeper(user, pk) -> Facility:
    capabilities.require(user, KEEP_FACILITIES)
    return get_object_or_404(Facility.objects.kept_by(user), pk=pk)


@capability_required(READ_REGISTRY)
def facility_list(request):
    facility_filter, rows = selectors.facility_list(user=request.user, params=request.GET)
    page = page_of(request, rows)
    day = timezone.localdate()
    for facility in page:
        facility.status_label = facilities.Status.LABELS[facilities.status_on(facility, day)]
    return render(request, "settlements/facility_list.html", {"filter": facility_filter, "page": page})


facility_export = exports.view("settlements.facilities")


@capability_required(READ_REGISTRY)
def facility_detail(request, pk):
    facility = _facility_for_user(request.user, pk)
    day = timezone.localdate()
    context = {
        "facility": facility,
        "status": facilities.Status.LABELS[facilities.status_on(facility, day)],
        "attributes": selectors.facility_attribute_rows(facility),
        "judgements": facilities.judge(facility, day),
        "may_keep": Facility.objects.kept_by(request.user).filter(pk=facility.pk).exists(),
        "history": facility.history.select_related("history_user")[:20],
        "gallery": photos.gallery(facility, request.user),
    }
    return render(request, "settlements/facility_detail.html", context)


@capability_required(KEEP_FACILITIES)
def facility_create(request):
    """A new facility; ?kind=<code> starts it with that kind ticked and the kind's responsible unit."""
    kinds = FacilityKind.objects.filter(code=request.GET.get("kind", "")[:40]).values_list("pk", flat=True)
    return _facility_form(request, Facility(), initial={"kinds": list(kinds)})


@capability_required(KEEP_FACILITIES)
def facility_edit(request, pk):
    return _facility_form(request, _facility_for_keeper(request.user, pk))


def _facility_form(request, facility: Facility, initial=None):
    data = request.POST if request.method == "POST" else None
    refresh = data is not None and REFRESH in data
    form = FacilityForm(data, instance=facility, user=request.user, initial=initial, refresh=refresh)
    if data is not None and not refresh and form.is_valid():
        try:
            saved = services.facility_save(
                actor=request.user,
                facility=form.save(commit=False),
                kinds=form.cleaned_data["kinds"],
                settlements=_settlements_kept(request.user, facility, form.cleaned_data["settlements"]),
                attributes=form.attribute_values(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"已保存设施“{saved.name}”。")
            return redirect("facility_detail", saved.pk)
    return render(request, "settlements/facility_form.html", {"form": form, "facility": facility})


def _settlements_kept(user, facility, chosen):
    """The settlements chosen on the form (those of the user's scope) and those outside it the facility already
    serves, which the form does not show and a clerk does not change."""
    if not facility.pk:
        return list(chosen)
    outside = facility.settlements.exclude(pk__in=[settlement.pk for settlement in chosen])
    outside = outside.exclude(pk__in=Settlement.objects.for_user(user))
    return [*chosen, *outside]
