"""What every app's pages share: the day a page counts as of, a list read one page at a time, and a form that
calls a service.

`day_of(request)` is ?day= within the portal's range of dates, today when it is missing or refused (the page
says why).
`page_of(request, items)` pages a queryset by ?page= (a page out of range shows the last, garbage the first).
`save_or_show(...)` validates a form, calls the write (a service) with its cleaned data and, on success, flashes
a message and redirects; a service's ValidationError is shown beside the field it names.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from . import input_ranges
from .forms import add_service_errors

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
