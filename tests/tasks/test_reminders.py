"""Reminders and deadline checks: each reminder goes out exactly once, however often or late the jobs run."""

import datetime

import pytest
from django.core import mail

from settlements.roles import Role
from tasks import reminders
from tasks.models import Notification, ReminderClaim
from tasks.tasks import check_deadlines, remind_unreported_units
from tests.conftest import wait_until

from .factories import make_action, make_meeting, make_report, make_task

D = datetime.date
DUE = D(2019, 6, 30)


@pytest.fixture
def people(users, make_user):
    hr = make_user(Role.REPORTER, "县人力资源社会保障局")
    finance = make_user(Role.REPORTER, "县财政局")
    for user in (hr, users["office"], users["team_lead"]):
        user.email = f"{user.username}@example.gov.cn"
        user.save()
    return {"hr": hr, "finance": finance, **users}


def days_around(due, first, last):
    return [due + datetime.timedelta(days=n) for n in range(first, last + 1)]


def claims():
    return sorted(ReminderClaim.objects.values_list("key", flat=True))


@pytest.mark.parametrize("days_left", [7, 6, 4])
def test_the_7_day_tier(days_left):
    assert reminders.reminder_tier(days_left) == 7


@pytest.mark.parametrize(("days_left", "tier"), [(3, 3), (2, 3), (1, 1), (0, 1), (8, None), (-1, None)])
def test_the_other_tiers(days_left, tier):
    assert reminders.reminder_tier(days_left) == tier


@pytest.mark.django_db
def test_daily_runs_remind_at_7_3_and_1_days_then_escalate_once(people):
    task = make_task(co=["县财政局"], deadlines=[DUE])
    deadline = task.deadlines.get()
    for day in days_around(DUE, -10, 5):
        reminders.deadline_reminders_send(day)
        reminders.deadline_reminders_send(day)  # a second run the same day sends nothing
    assert claims() == sorted(
        [
            f"deadline:{deadline.pk}:7d",
            f"deadline:{deadline.pk}:3d",
            f"deadline:{deadline.pk}:1d",
            f"deadline-overdue:{deadline.pk}",
        ]
    )
    # the lead and co-units get the three reminders; the team's lead and the office get the escalation
    assert Notification.objects.filter(recipient=people["hr"]).count() == 3
    assert Notification.objects.filter(recipient=people["finance"]).count() == 3
    escalated = Notification.objects.filter(claim__kind="deadline_overdue")
    assert {n.recipient for n in escalated} == {people["team_lead"], people["office"]}
    assert escalated.first().title == f"任务逾期：{task.code} {task.title}"
    assert not Notification.objects.filter(recipient=people["reporter"]).exists()


@pytest.mark.django_db
def test_a_late_run_after_downtime_sends_the_current_tier_only(people):
    task = make_task(deadlines=[DUE])
    deadline = task.deadlines.get()
    reminders.deadline_reminders_send(DUE - datetime.timedelta(days=9))  # nothing yet
    reminders.deadline_reminders_send(DUE - datetime.timedelta(days=1))  # down from day -9 to day -1
    reminders.deadline_reminders_send(DUE + datetime.timedelta(days=30))  # down again for a month
    assert claims() == sorted([f"deadline:{deadline.pk}:1d", f"deadline-overdue:{deadline.pk}"])


@pytest.mark.django_db
def test_a_done_task_and_a_met_deadline_are_not_reminded(people):
    done = make_task(deadlines=[DUE])
    make_report(
        done,
        "县人力资源社会保障局",
        D(2019, 6, 1),
        submitted_on=D(2019, 6, 1),
        accepted_on=D(2019, 6, 2),
        claims_done=True,
    )
    reminders.deadline_reminders_send(DUE - datetime.timedelta(days=3))
    reminders.deadline_reminders_send(DUE + datetime.timedelta(days=1))
    assert claims() == []


@pytest.mark.django_db
def test_actions_are_reminded_and_escalated_once(people):
    meeting = make_meeting(D(2019, 6, 1), people["office"], held=True)
    task = make_task()
    action = make_action(meeting, people["office"], unit="县人力资源社会保障局", due_on=D(2019, 6, 20), task=task)
    for day in days_around(action.due_on, -2, 3):
        reminders.action_reminders_send(day)
        reminders.action_reminders_send(day)
    assert claims() == sorted([f"action:{action.pk}:3d", f"action:{action.pk}:1d", f"action-overdue:{action.pk}"])
    escalated = {n.recipient for n in Notification.objects.filter(claim__kind="action_overdue")}
    assert escalated == {people["hr"], people["team_lead"], people["office"]}


@pytest.mark.django_db
def test_units_that_have_not_reported_are_reminded_once_before_the_meeting(people):
    task = make_task(co=["县财政局"])
    meeting = make_meeting(D(2019, 9, 25), people["office"])
    make_report(task, "县财政局", D(2019, 9, 1), submitted_on=D(2019, 9, 10), by=people["finance"])
    reminders.meeting_reminders_send(D(2019, 9, 21))  # four days ahead: not yet
    assert claims() == []
    for day in (D(2019, 9, 22), D(2019, 9, 23), D(2019, 9, 25)):
        reminders.meeting_reminders_send(day)
    hr_unit = people["hr"].unit_id
    assert claims() == [f"unreported:{meeting.pk}:{hr_unit}"]
    note = Notification.objects.get(recipient=people["hr"])
    assert task.code in note.body
    reminders.meeting_reminders_send(D(2019, 9, 26))  # after the meeting day: nothing
    assert claims() == [f"unreported:{meeting.pk}:{hr_unit}"]


@pytest.mark.django_db
def test_each_notification_is_emailed_once_to_users_with_an_address(people, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_task(co=["县财政局"], deadlines=[DUE])
    reminders.deadline_reminders_send(DUE - datetime.timedelta(days=3))
    # the HR bureau's reporter and its team lead have an address; the finance reporter has none
    assert reminders.email_pending() == 2
    assert reminders.email_pending() == 0
    assert sorted(message.to[0] for message in mail.outbox) == sorted([people["hr"].email, people["team_lead"].email])
    assert "任务还有 3 天到期" in mail.outbox[0].subject


def test_the_jobs_are_scheduled_daily_in_shanghai_time(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["check-deadlines"]["task"] == check_deadlines.name
    assert schedule["remind-unreported-units"]["task"] == remind_unreported_units.name
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"


@pytest.mark.worker
def test_the_reminder_jobs_run_in_a_real_worker_twice_and_send_each_reminder_once(people, celery_worker_queue):
    from settlements.tasks import purge_expired_sessions
    from tests.settlements.test_jobs import make_session

    day = D(2019, 9, 22)
    due_soon = make_task(deadlines=[day + datetime.timedelta(days=3)])
    overdue = make_task(deadlines=[D(2019, 6, 30)])
    meeting = make_meeting(D(2019, 9, 25), people["office"])
    earlier = make_meeting(D(2019, 8, 20), people["office"], held=True)
    action = make_action(earlier, people["office"], unit="县人力资源社会保障局", due_on=D(2019, 9, 1))

    for run_day in (day, day, day + datetime.timedelta(days=1)):  # twice over the same day, then a day late
        check_deadlines.apply_async(args=[run_day.isoformat()], queue=celery_worker_queue)
        remind_unreported_units.apply_async(args=[run_day.isoformat()], queue=celery_worker_queue)
    marker = make_session(-datetime.timedelta(minutes=1))  # the solo worker runs jobs in order:
    purge_expired_sessions.apply_async(queue=celery_worker_queue)  # once this is done, all the above are
    assert wait_until(lambda: not _session_exists(marker))

    hr_unit = people["hr"].unit_id
    assert claims() == sorted(
        [
            f"deadline:{due_soon.deadlines.get().pk}:3d",
            f"deadline-overdue:{overdue.deadlines.get().pk}",
            f"action-overdue:{action.pk}",
            f"unreported:{meeting.pk}:{hr_unit}",
        ]
    )
    per_claim = {
        claim.key: sorted(n.recipient.username for n in claim.notifications.all())
        for claim in ReminderClaim.objects.prefetch_related("notifications__recipient")
    }
    assert all(len(names) == len(set(names)) for names in per_claim.values())
    assert Notification.objects.filter(recipient=people["hr"]).count() == 3  # due soon, action, unreported
    assert not Notification.objects.filter(emailed_at__isnull=True, recipient__email__gt="").exists()


def _session_exists(key):
    from django.contrib.sessions.models import Session

    return Session.objects.filter(session_key=key).exists()
