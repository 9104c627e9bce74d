"""The nightly out-of-school check: each child of compulsory age found out of school (失学辍学) is reported to the
centre of the settlement they live in, once per episode. An episode ends when the child is enrolled again (or is
no longer a resident of compulsory age); a later dropout is a new episode, alerted again.

The open episode is the claim (`tasks.episodes`), so a rerun, a late run or two workers send each alert once.
"""

import datetime

from celery import shared_task
from django.urls import reverse
from django.utils import timezone

from settlements.models import User
from tasks.episodes import episodes_track
from tasks.reminders import email_pending
from tasks.services import notifications_create

from .models import OutOfSchoolEpisode
from .selectors.schooling import out_of_school_reason, out_of_school_stays


def out_of_school_alerts_send(day: datetime.date) -> int:
    """Open an episode (and alert the centre) for each child newly out of school on `day`; close ended ones."""
    stays = out_of_school_stays(day).select_related("person", "household__settlement").order_by("person_id")
    current = {stay.person_id: stay for stay in stays}
    return episodes_track(
        model=OutOfSchoolEpisode, subject="person", current=current, day=day, alert=lambda stay: _alert(stay, day)
    )


def _alert(stay, day: datetime.date) -> None:
    settlement, person = stay.household.settlement, stay.person
    notifications_create(
        recipients=User.objects.filter(is_active=True, unit_id=settlement.administered_by_id),
        title=f"义务教育适龄儿童未在读：{settlement.name} {stay.household.code} {person.name}",
        body=f"{day:%Y-%m-%d} 起未在读：{out_of_school_reason(stay)}。请落实控辍保学，劝返入学后登记就读记录。",
        link=reverse("services:household", args=[stay.household_id]),
    )


@shared_task
def alert_out_of_school_children(day: str | None = None) -> int:
    """Nightly: alert each settlement's centre of its children of compulsory age newly out of school."""
    checked = datetime.date.fromisoformat(day) if day else timezone.localdate()
    sent = out_of_school_alerts_send(checked)
    email_pending()
    return sent
