"""Reads for the administrators' pages."""

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ..models import User
from .forms import UserFilterForm


def user_list(*, params) -> tuple[UserFilterForm, object]:
    """The portal's accounts (not the set-up superuser), narrowed by the filter form's search, role, status."""
    form = UserFilterForm(params)
    users = User.objects.filter(is_superuser=False).select_related("unit", "work_team").order_by("username")
    if not form.is_valid():
        return form, users
    query, role, status = form.cleaned_data["q"], form.cleaned_data["role"], form.cleaned_data["status"]
    if query:
        users = users.filter(
            Q(username__icontains=query) | Q(full_name__icontains=query) | Q(unit__name__icontains=query)
        )
    if role:
        users = users.filter(role="" if role == "none" else role)
    if status:
        users = users.filter(is_active=status == "active")
    return form, users


def lockouts():
    """django-axes' records of failed logins, newest first, each marked whether it locks its account now."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = list(AccessAttempt.objects.order_by("-attempt_time"))
    for attempt in attempts:
        attempt.locks = attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT and attempt.attempt_time > since
    return attempts
