"""What the culture pages share: the household a user may read."""

from django.shortcuts import get_object_or_404

from settlements.models import Household


def household_for_user(user, pk) -> Household:
    return get_object_or_404(Household.objects.for_user(user).select_related("settlement"), pk=pk)
