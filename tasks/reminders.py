"""Reminders and deadline checks, run daily by beat (see `tasks.tasks`).

Each reminder is claimed by a unique `ReminderClaim` key in the same transaction as its notifications, so a
job that runs twice, runs late, or catches up after downtime sends each reminder exactly once:

- a deadline 7, 3 and 1 days ahead reminds the task's lead unit and co-units (one reminder per tier: the
  tier is the smallest of 7, 3, 1 that is at least the days left, so a late run sends the current tier only);
- a deadline passed without a done report escalates, once, to the work team's lead and the office;
- a follow-up action is reminded to its owner unit the same way, and escalated when past due;
- before each month's meeting, every unit that has not reported on its open tasks is reminded once.

Emails follow from the notifications: each is sent once and marked (`emailed_at`).
"""

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from settlements.models import User
from settlements.roles import Role

from . import selectors
from .models import FollowUpAction, Meeting, MeetingStatus, Notification, ReminderClaim, Task
from .services import notifications_create

logger = logging.getLogger(__name__)

REMINDER_TIERS = (1, 3, 7)
MEETING_REMINDER_DAYS = 3
EMAIL_BATCH = 500


def reminder_tier(days_left: int) -> int | None:
    """The tier a reminder for a date `days_left` ahead belongs to, or None outside the 7-day window."""
    return next((tier for tier in REMINDER_TIERS if 0 <= days_left <= tier), None)


class Recipients:
    """Active users by unit and by work team, and the office: read once per job."""

    def __init__(self):
        self.by_unit = defaultdict(list)
        self.team_leads = defaultdict(list)
        self.office = []
        for user in User.objects.filter(is_active=True):
            if user.unit_id:
                self.by_unit[user.unit_id].append(user)
            if user.role == Role.TEAM_LEAD and user.work_team_id:
                self.team_leads[user.work_team_id].append(user)
            if user.role == Role.OFFICE:
                self.office.append(user)

    def of_units(self, units):
        return [user for unit in units for user in self.by_unit[unit.pk]]

    def escalation(self, work_team_id):
        return self.team_leads[work_team_id] + self.office


def send_once(*, key: str, kind: str, recipients, title: str, body: str, link: str) -> bool:
    """Claim `key` and notify `recipients`, in one transaction; False when the reminder was already sent."""
    try:
        with transaction.atomic():
            claim = ReminderClaim.objects.create(key=key, kind=kind)
            notifications_create(recipients=recipients, title=title, body=body, link=link, claim=claim)
    except IntegrityError:
        return False
    return True


def deadline_reminders_send(day: datetime.date) -> int:
    recipients = Recipients()
    sent = 0
    for state in selectors.task_states(tasks=Task.objects.all(), day=day):
        link = reverse("tasks:task_detail", args=[state.task.pk])
        for deadline in state.open_deadlines:
            sent += _deadline_reminder(state, deadline, day, recipients, link)
    return sent


def _deadline_reminder(state, deadline, day, recipients, link) -> bool:
    task = state.task
    days_left = (deadline.due_on - day).days
    what = f"{task.code} {task.title}" + (f"（{deadline.scope_label}）" if deadline.scope_label else "")
    if days_left < 0:
        return send_once(
            key=f"deadline-overdue:{deadline.pk}",
            kind="deadline_overdue",
            recipients=recipients.escalation(task.work_team_id),
            title=f"任务逾期：{what}",
            body=f"完成时限 {deadline.due_on:%Y-%m-%d}（{deadline.wording}）已过，尚无已采纳的完成报告。"
            f"牵头单位：{task.lead_unit}。",
            link=link,
        )
    tier = reminder_tier(days_left)
    if tier is None:
        return False
    return send_once(
        key=f"deadline:{deadline.pk}:{tier}d",
        kind="deadline_due",
        recipients=recipients.of_units(state.units),
        title=f"任务还有 {days_left} 天到期：{what}",
        body=f"完成时限 {deadline.due_on:%Y-%m-%d}（{deadline.wording}）。请按时完成并报送进展。",
        link=link,
    )


def action_reminders_send(day: datetime.date) -> int:
    recipients = Recipients()
    actions = FollowUpAction.objects.open_on(day).select_related("meeting", "owner_unit", "task")
    link = reverse("tasks:action_list")
    return sum(_action_reminder(action, day, recipients, link) for action in actions)


def _action_reminder(action, day, recipients, link) -> bool:
    days_left = (action.due_on - day).days
    what = f"{action.meeting}督办事项：{action.text[:60]}"
    if days_left < 0:
        team_id = action.task.work_team_id if action.task else None
        return send_once(
            key=f"action-overdue:{action.pk}",
            kind="action_overdue",
            recipients=recipients.of_units([action.owner_unit]) + recipients.escalation(team_id),
            title=f"督办事项逾期：{action.text[:60]}",
            body=f"{what}。责任单位：{action.owner_unit}，完成时限 {action.due_on:%Y-%m-%d} 已过，尚未办结。",
            link=link,
        )
    tier = reminder_tier(days_left)
    if tier is None:
        return False
    return send_once(
        key=f"action:{action.pk}:{tier}d",
        kind="action_due",
        recipients=recipients.of_units([action.owner_unit]),
        title=f"督办事项还有 {days_left} 天到期",
        body=f"{what}。完成时限 {action.due_on:%Y-%m-%d}，须在下次调度会汇报。",
        link=link,
    )


def meeting_reminders_send(day: datetime.date) -> int:
    """Remind each unit that has not reported on its open tasks, once, in the days before the meeting."""
    window = day + datetime.timedelta(days=MEETING_REMINDER_DAYS)
    meetings = Meeting.objects.filter(status=MeetingStatus.SCHEDULED, held_on__gte=day, held_on__lte=window)
    sent = 0
    for meeting in meetings:
        recipients = Recipients()
        states = selectors.task_states(tasks=Task.objects.all(), day=day)
        for gap in selectors.reporting_completeness(states=states, period=meeting.period, day=day).gaps:
            sent += send_once(
                key=f"unreported:{meeting.pk}:{gap.unit.pk}",
                kind="unreported",
                recipients=recipients.of_units([gap.unit]),
                title=f"请在{meeting.held_on:%m月%d日}调度会前报送{meeting.period:%Y年%m月}进展",
                body="本单位尚未报送以下任务的本月进展：" + "；".join(task.code for task in gap.missing),
                link=reverse("tasks:task_list") + "?mine=1",
            )
    return sent


def email_pending() -> int:
    """Email each notification not yet emailed to a recipient with an address; each is sent once."""
    sent = 0
    with transaction.atomic():
        pending = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(emailed_at__isnull=True, recipient__email__gt="")
            .select_related("recipient")[:EMAIL_BATCH]
        )
        for notification in pending:
            try:
                send_mail(
                    subject=f"[{settings.PORTAL_TITLE}] {notification.title}",
                    message=f"{notification.body}\n\n{settings.PORTAL_URL}{notification.link}",
                    from_email=None,
                    recipient_list=[notification.recipient.email],
                )
            except OSError:
                logger.exception("email to %s failed; it will be retried", notification.recipient.email)
                continue
            Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
            sent += 1
    return sent
