"""The nightly zero-employment check: each household that has become zero-employment is reported to its
settlement's centre once per episode (an episode ends when someone in the household works again).

The open episode is the claim: a partial unique index allows one open episode per household, created in the
same transaction as the notifications, so a rerun, a late run or two workers send each alert once.
"""

import datetime

from celery import shared_task
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from settlements.models import Household, User
from tasks.reminders import email_pending
from tasks.services import notifications_create

from . import labour, selectors
from .models import ZeroEmploymentEpisode


def zero_employment_alerts_send(day: datetime.date) -> int:
    """Open an episode (and alert the centre) for each new zero-employment household; close ended ones."""
    listed = selectors.zero_employment_households(day=day, refresh_stale=True)  # not from before a correction
    current = {entry.household.pk: entry for entry in listed}
    open_episodes = ZeroEmploymentEpisode.objects.filter(ended_on__isnull=True)
    open_episodes.exclude(household_id__in=current).update(ended_on=day)
    already = set(open_episodes.values_list("household_id", flat=True))
    sent = 0
    for household_id, entry in current.items():
        if household_id not in already:
            sent += _open_episode(entry, day)
    return sent


def _open_episode(entry: labour.ZeroEmploymentHousehold, day: datetime.date) -> bool:
    household: Household = entry.household
    centre_users = User.objects.filter(is_active=True, unit_id=household.settlement.administered_by_id)
    try:
        with transaction.atomic():
            ZeroEmploymentEpisode.objects.create(household=household, started_on=day)
            notifications_create(
                recipients=centre_users,
                title=f"零就业家庭：{household.settlement.name} {household.code}",
                body=f"{day:%Y-%m-%d} 起，{entry.reason}。请开展一对一就业帮扶。",
                link=reverse("employment:settlement", args=[household.settlement_id]),
            )
    except IntegrityError:
        return False
    return True


@shared_task
def alert_zero_employment_households(day: str | None = None) -> int:
    """Nightly: alert each settlement's centre of its households that became zero-employment."""
    checked = datetime.date.fromisoformat(day) if day else timezone.localdate()
    sent = zero_employment_alerts_send(checked)
    email_pending()
    return sent
