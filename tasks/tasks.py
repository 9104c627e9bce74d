"""Scheduled jobs of the work plan (beat, Asia/Shanghai). Each job only calls the reminder services.

A job takes the day it checks as an ISO date (default: today in the portal's time zone), so a test or an
operator can run it for any day; the reminder claims make reruns harmless.
"""

import datetime

from celery import shared_task
from django.utils import timezone

from . import reminders


def _day(day: str | None) -> datetime.date:
    return datetime.date.fromisoformat(day) if day else timezone.localdate()


@shared_task
def check_deadlines(day: str | None = None) -> int:
    """Deadlines and follow-up actions: reminders 7, 3 and 1 days ahead, escalation once past due."""
    checked = _day(day)
    sent = reminders.deadline_reminders_send(checked) + reminders.action_reminders_send(checked)
    reminders.email_pending()
    return sent


@shared_task
def remind_unreported_units(day: str | None = None) -> int:
    """Before the month's dispatch meeting, remind every unit that has not reported on its open tasks."""
    sent = reminders.meeting_reminders_send(_day(day))
    reminders.email_pending()
    return sent
