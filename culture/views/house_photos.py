"""Pages of the old-vs-new house photos: the list of resident households with their photo status, the form that
records a hanging with its photos, and the sections of the settlement and household pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from settlements import capabilities, exports, form_pages, photos
from settlements.capabilities import capability_required
from settlements.form_pages import page_of
from settlements.forms import add_service_errors

from .. import forms, services
from .. import house_photos_exports as _registered  # noqa: F401  (the exporter the download view names)
from ..capabilities import KEEP_CULTURE, READ_CULTURE
from ..models import HousePhoto
from ..selectors import house_photos
from ..selectors.house_photos import PhotoStatus

OVERDUE_SHOWN = 30


@capability_required(READ_CULTURE)
def house_photo_list(request):
    form, day, rows = forms.house_photo_query(request.user, request.GET)
    context = {
        "form": form,
        "day": day,
        "page": page_of(request, rows),
        "due_dates": sorted(house_photos.due_dates().items()),
        "export": "culture:house_photo_export",
    }
    return render(request, "culture/house_photos/list.html", context)


house_photo_export = exports.view("culture.house_photos")


@capability_required(READ_CULTURE)
def house_photo_record(request, pk):
    household = form_pages.household_for(request.user, pk)
    capabilities.require(request.user, KEEP_CULTURE)
    record = HousePhoto.objects.filter(household=household).first() or HousePhoto(household=household)
    form = forms.HousePhotoForm(request.POST or None, request.FILES or None, instance=record)
    back = reverse("culture:household", args=[household.pk])
    if request.method == "POST" and form.is_valid():
        try:
            services.house_photo_record(
                household=household,
                hung_on=form.cleaned_data["hung_on"],
                hung_by=form.cleaned_data["hung_by"],
                note=form.cleaned_data["note"],
                files=request.FILES.getlist("photos"),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "已登记新旧住房对比照片悬挂。")
            return redirect(back)
    context = {
        "title": "登记新旧住房对比照片悬挂",
        "subject": household.code,
        "back": back,
        "form": form,
        "multipart": True,
    }
    return render(request, "form_page.html", context)


# --- the sections of the settlement and household pages -----------------------------------------------------------


def settlement_section(user, settlement, day):
    overdue = house_photos.photo_list(user=user, day=day, settlement=settlement, status=PhotoStatus.OVERDUE)
    return {
        "day": day,
        "settlement": settlement,
        "counts": [
            (PhotoStatus.LABELS[key], count)
            for key, count in house_photos.status_counts(settlement=settlement, day=day).items()
        ],
        "overdue": list(overdue[:OVERDUE_SHOWN]),
        "overdue_count": overdue.count(),
        "overdue_status": PhotoStatus.OVERDUE,
    }


def household_section(user, household, members, day):
    annotated = house_photos.status_of(household, day)
    record = HousePhoto.objects.filter(household=household).select_related("hung_by").first()
    return {
        "day": day,
        "household": annotated,
        "status": PhotoStatus.LABELS[annotated.photo_status],
        "record": record,
        "gallery": photos.gallery(record, user) if record else None,
        "may_record": capabilities.has(user, KEEP_CULTURE),
    }
