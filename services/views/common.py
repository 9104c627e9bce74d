"""What the services' views share: scoped reads (404 outside scope, 403 for a reader asked to write) and the
form round trip on the services' form page (the day and the paging are the core's, `settlements.form_pages`)."""

from django.urls import reverse

from settlements import form_pages

from ..capabilities import KEEP_SERVICES


def for_keeper(user, queryset, pk):
    """The record `pk` of `queryset` in `user`'s scope (else 404), for a user who keeps the ledger (else 403)."""
    return form_pages.record_to_keep(user, queryset, pk, KEEP_SERVICES)


def save_or_show(request, form, context, write, success, target, template="form_page.html"):
    """The core's `save_or_show` with the services' form page."""
    return form_pages.save_or_show(request, form, template, context, write, success, target)


def household_url(household_id) -> str:
    return reverse("services:household", args=[household_id])
