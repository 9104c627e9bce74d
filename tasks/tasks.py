"""Scheduled jobs of the work plan (beat, Asia/Shanghai): reminders, and the indicators' snapshots.

A job takes the day it checks as an ISO date (default: today in the portal's time zone), so a test or an
operator can run it for any day; the reminder claims make reruns harmless.
"""

import datetime

from celery import shared_task
from django.utils import timezone

from . import indicators, reminders, snapshots


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


# --- indicator snapshots -----------------------------------------------------------------------------------


def _queue_of(task) -> str | None:
    """The queue `task` came from, so the tasks it fans out go where its workers listen."""
    delivery = task.request.delivery_info or {}
    return delivery.get("routing_key")


@shared_task(bind=True)
def take_snapshots(self, day: str | None = None) -> int:
    """Nightly: every indicator group's snapshot of the day before and of today, one task per group and day,
    so several workers share the work. A snapshot already fresh is left as it is (a second or late run)."""
    today = _day(day)
    queue = _queue_of(self)
    days = (today - datetime.timedelta(days=1), today)
    for each in days:
        for group in indicators.all_groups():
            take_snapshot.apply_async(args=[each.isoformat(), group.key], queue=queue)
    return len(days) * len(indicators.all_groups())


@shared_task
def take_snapshot(day: str, group: str) -> bool:
    return snapshots.take(datetime.date.fromisoformat(day), group)


@shared_task(bind=True)
def refresh_stale_snapshots(self) -> int:
    """Compute again every snapshot a correction made stale, one task each, the most recent day first."""
    queue = _queue_of(self)
    stale = snapshots.stale_snapshots()
    for day, group in stale:
        take_snapshot.apply_async(args=[day.isoformat(), group], queue=queue)
    return len(stale)
