"""What the services' views share: scoped reads (404 outside scope, 403 for a reader asked to write) and the
form round trip on the services' form page (the day and the paging are the core's, `settlements.form_pages`)."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from settlements import capabilities, form_pages
from settlements.models import Household, Person

from ..capabilities import KEEP_SERVICES


def person_for_user(user, pk) -> Person:
    return get_object_or_404(Person.objects.for_user(user).select_related("household__settlement"), pk=pk)


def household_for_user(user, pk) -> Household:
    return get_object_or_404(Household.objects.for_user(user).select_related("settlement"), pk=pk)


def for_keeper(user, queryset, pk):
    """The record `pk` of `queryset` in `user`'s scope (else 404), for a user who keeps the ledger (else 403)."""
    record = get_object_or_404(queryset.for_user(user), pk=pk)
    capabilities.require(user, KEEP_SERVICES)
    return record


def save_or_show(request, form, context, write, success, target, template="services/form.html"):
    """The core's `save_or_show` with the services' form page."""
    return form_pages.save_or_show(request, form, template, context, write, success, target)


def household_url(household_id) -> str:
    return reverse("services:household", args=[household_id])
