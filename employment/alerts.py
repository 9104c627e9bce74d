"""The nightly zero-employment check: each household that has become zero-employment is reported to its
settlement's centre once per episode (an episode ends when someone in the household works again).

The open episode is the claim (`tasks.episodes`): a partial unique index allows one open episode per household,
created in the same transaction as the notifications, so a rerun, a late run or two workers send each alert once.
"""

import datetime

from celery import shared_task
from django.urls import reverse
from django.utils import timezone

from settlements.models import Household, User
from tasks.episodes import episodes_track
from tasks.reminders import email_pending
from tasks.services import notifications_create

from . import labour, selectors
from .models import ZeroEmploymentEpisode


def zero_employment_alerts_send(day: datetime.date) -> int:
    """Open an episode (and alert the centre) for each new zero-employment household; close ended ones."""
    listed = selectors.zero_employment_households(day=day, refresh_stale=True)  # not from before a correction
    current = {entry.household.pk: entry for entry in listed}
    return episodes_track(
        model=ZeroEmploymentEpisode,
        subject="household",
        current=current,
        day=day,
        alert=lambda entry: _alert(entry, day),
    )


def _alert(entry: labour.ZeroEmploymentHousehold, day: datetime.date) -> None:
    household: Household = entry.household
    notifications_create(
        recipients=User.objects.filter(is_active=True, unit_id=household.settlement.administered_by_id),
        title=f"零就业家庭：{household.settlement.name} {household.code}",
        body=f"{day:%Y-%m-%d} 起，{entry.reason}。请开展一对一就业帮扶。",
        link=reverse("employment:settlement", args=[household.settlement_id]),
    )


@shared_task
def alert_zero_employment_households(day: str | None = None) -> int:
    """Nightly: alert each settlement's centre of its households that became zero-employment."""
    checked = datetime.date.fromisoformat(day) if day else timezone.localdate()
    sent = zero_employment_alerts_send(checked)
    email_pending()
    return sent
