"""What the services' views share: scoped reads (404 outside scope, 403 for a reader asked to write), the
day a page counts as of, pagination, and the form round trip."""

import datetime

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from settlements import capabilities, form_pages, input_ranges
from settlements.form_pages import page_of
from settlements.models import Household, Person

from ..capabilities import KEEP_SERVICES

__all__ = ["page_of"]  # the services' views page their lists as every page of the portal does


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


def save_or_show(request, form, context, write, success, target, template="services/form.html"):
    """The core's `save_or_show` with the services' form page."""
    return form_pages.save_or_show(request, form, template, context, write, success, target)


def household_url(household_id) -> str:
    return reverse("services:household", args=[household_id])
