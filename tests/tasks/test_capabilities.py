"""The work plan's services refuse an actor without the capability whatever the page did, and one rule says
who may resubmit a returned report (the service, the page and its button ask the same function)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from settlements.capabilities import REPORT_PROGRESS, RUN_DISPATCH
from settlements.roles import Role
from tasks import reports, services
from tasks.models import ActionStatus, FollowUpAction, Meeting, Notification, ProgressReport, ReportStatus

from .factories import at, make_action, make_meeting, make_task

pytestmark = pytest.mark.django_db
RESUBMIT = "修改后重新提交"


@pytest.fixture
def hr_reporter(make_user):
    return make_user(Role.REPORTER, "县人力资源社会保障局")


def test_a_leader_may_not_report_even_calling_the_service(users):
    task = make_task(lead="县教育科技局")
    with pytest.raises(PermissionDenied, match=REPORT_PROGRESS.refusal):
        services.report_submit(task=task, actor=users["leader"], period=timezone.localdate(), progress="x")
    assert not ProgressReport.objects.exists()


def test_a_reporter_may_not_review_a_report_even_calling_the_service(users, hr_reporter):
    report = services.report_submit(task=make_task(), actor=hr_reporter, period=timezone.localdate(), progress="x")
    with pytest.raises(PermissionDenied, match=RUN_DISPATCH.refusal):
        services.report_return(report=report, actor=hr_reporter, reason="自己退回")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.reviewed_by is None
    assert not Notification.objects.exists()


def test_only_the_office_schedules_and_closes_even_calling_the_services(users):
    today = timezone.localdate()
    for key in ("leader", "team_lead", "reporter", "clerk_wenti"):
        with pytest.raises(PermissionDenied, match=RUN_DISPATCH.refusal):
            services.meeting_schedule(held_on=today, actor=users[key])
    assert not Meeting.objects.exists()
    meeting = make_meeting(today, users["office"], held=True)
    action = make_action(meeting, users["office"])
    with pytest.raises(PermissionDenied):
        services.action_close(action=action, closed_on=today, note="已办结", actor=users["reporter"])
    with pytest.raises(PermissionDenied):
        services.action_create(
            meeting=meeting, text="再布置一项", owner_unit=action.owner_unit, due_on=today, actor=users["leader"]
        )
    assert FollowUpAction.objects.get().status == ActionStatus.OPEN


def returned_report(users, reporter):
    report = services.report_submit(task=make_task(), actor=reporter, period=timezone.localdate(), progress="x")
    return services.report_return(report=report, actor=users["office"], reason="缺少名册")


def test_who_may_resubmit_a_returned_report(users, hr_reporter, make_user):
    report = returned_report(users, hr_reporter)
    today = timezone.localdate()
    colleague = make_user(Role.REPORTER, "县人力资源社会保障局")
    assert reports.may_resubmit(user=hr_reporter, report=report, today=today)
    assert reports.may_resubmit(user=colleague, report=report, today=today)
    for key in ("office", "leader", "reporter", "clerk_wenti"):
        assert not reports.may_resubmit(user=users[key], report=report, today=today), key
    next_month = report.period + datetime.timedelta(days=40)
    two_months_on = report.period + datetime.timedelta(days=70)
    assert reports.may_resubmit(user=hr_reporter, report=report, today=next_month)
    assert not reports.may_resubmit(user=hr_reporter, report=report, today=two_months_on)
    services.report_submit(task=report.task, actor=hr_reporter, period=report.period, progress="补充名册")
    report.refresh_from_db()
    assert not reports.may_resubmit(user=hr_reporter, report=report, today=today)


def test_the_report_page_offers_resubmission_to_those_the_rule_allows(client, users, hr_reporter):
    report = returned_report(users, hr_reporter)
    url = reverse("tasks:report_detail", args=[report.pk])
    for user, offered in ((hr_reporter, True), (users["office"], False)):
        client.force_login(user)
        response = client.get(url)
        assert response.context["may_resubmit"] is offered
        assert (RESUBMIT in response.content.decode()) is offered


def test_a_month_too_old_to_report_for_is_refused_by_the_service_too(users, hr_reporter, time_machine):
    report = returned_report(users, hr_reporter)
    time_machine.move_to(at(report.period + datetime.timedelta(days=70)), tick=False)
    with pytest.raises(ValidationError, match=services.MSG_PERIOD_CLOSED):
        services.report_submit(task=report.task, actor=hr_reporter, period=report.period, progress="迟到的修改")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.progress == "x"
