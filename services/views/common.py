"""What the services' views share: scoped reads (404 outside scope, 403 for a reader asked to write), the
day a page counts as of, pagination, and the form round trip."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from settlements import capabilities, input_ranges
from settlements.forms import add_service_errors
from settlements.models import Household, Person

from ..capabilities import KEEP_SERVICES

PAGE_SIZE = 50


def person_for_user(user, pk) -> Person:
    return get_object_or_404(Person.objects.for_user(user).select_related("household__settlement"), pk=pk)


def household_for_user(user, pk) -> Household:
    return get_object_or_404(Household.objects.for_user(user).select_related("settlement"), pk=pk)


def for_keeper(user, queryset, pk):
    """The record `pk` of `queryset` in `user`'s scope (else 404), for a user who keeps the ledger (else 403)."""
    record = get_object_or_404(queryset.for_user(user), pk=pk)
    capabilities.require(user, KEEP_SERVICES)
    return record


def day_of(request) -> datetime.date:
    """?day=, in the portal's range of dates; today when it is missing or refused (the page says why)."""
    return input_ranges.value_from_query(request, input_ranges.DayQuery, timezone.localdate())


def page_of(request, items, size=PAGE_SIZE):
    return Paginator(items, size).get_page(request.GET.get("page"))


def save_or_show(request, form, context, write, success, target, template="services/form.html"):
    """Validate `form`, call `write(cleaned_data)`; on success flash `success` and go to `target`."""
    if request.method == "POST" and form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(target)
    return render(request, template, {**context, "form": form})


def household_url(household_id) -> str:
    return reverse("services:household", args=[household_id])
