"""What every app's pages share: the day a page counts as of, a list read one page at a time, and a form that
calls a service.

`day_of(request)` is ?day= within the portal's range of dates, today when it is missing or refused (the page
says why).
`page_of(request, items)` pages a queryset by ?page= (a page out of range shows the last, garbage the first).
`save_or_show(...)` validates a form, calls the write (a service) with its cleaned data and, on success, flashes
a message and redirects; a service's ValidationError is shown beside the field it names.
`record_for(user, queryset, pk)` is a record in the user's scope (else 404); `record_to_keep(...)` the same for a
user who must also hold the capability that writes it (else 403): the scope is asked first, so a reader never
learns that a record outside their scope exists.
`household_for(user, pk)` and `person_for(user, pk)` are the registry's records, read the same way.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from . import capabilities, input_ranges
from .forms import add_service_errors
from .models import Household, Person

PAGE_SIZE = 50


def day_of(request):
    return input_ranges.value_from_query(request, input_ranges.DayQuery, timezone.localdate())


def page_of(request, items, size: int | None = None):
    return Paginator(items, size or PAGE_SIZE).get_page(request.GET.get("page"))


def save_or_show(request, form, template, context, write, success, target):
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


def record_for(user, queryset, pk):
    """The record `pk` of `queryset` (a model with a scoped `for_user`) in `user`'s scope, else 404."""
    return get_object_or_404(queryset.for_user(user), pk=pk)


def record_to_keep(user, queryset, pk, capability: capabilities.Capability):
    """The record `pk` in `user`'s scope (else 404), for a user who holds `capability` (else 403)."""
    record = record_for(user, queryset, pk)
    capabilities.require(user, capability)
    return record


def household_for(user, pk) -> Household:
    return get_object_or_404(Household.objects.for_user(user).select_related("settlement"), pk=pk)


def person_for(user, pk) -> Person:
    return get_object_or_404(Person.objects.for_user(user).select_related("household__settlement"), pk=pk)
