"""Scope: a unit sees and reports on its own tasks only; the office runs the meetings. One test per URL."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from settlements.roles import Role
from tasks import services
from tasks.models import Notification

from .factories import make_action, make_meeting, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(users, make_user):
    """A task of the HR bureau with a report and evidence; an education reporter outside it."""
    hr = make_user(Role.REPORTER, "县人力资源社会保障局")
    task = make_task(lead="县人力资源社会保障局", co=["县财政局"])
    other = make_task(team="public_services", lead="县教育科技局")
    report = services.report_submit(
        task=task,
        actor=hr,
        period=datetime.date.today(),
        progress="x",
        files=[SimpleUploadedFile("a.pdf", b"%PDF-1.4", content_type="application/pdf")],
    )
    meeting = make_meeting(datetime.date.today(), users["office"], held=True)
    action = make_action(meeting, users["office"], unit="县人力资源社会保障局")
    note = Notification.objects.create(recipient=hr, title="提醒", link="/tasks/")
    return {
        "hr": hr,
        "task": task,
        "other": other,
        "report": report,
        "evidence": report.evidence.get(),
        "meeting": meeting,
        "action": action,
        "note": note,
        **users,
    }


def get(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(name, args=args))


def test_task_detail_is_404_outside_the_units_tasks(client, world):
    assert get(client, world["reporter"], "tasks:task_detail", world["task"].pk).status_code == 404
    assert get(client, world["hr"], "tasks:task_detail", world["task"].pk).status_code == 200
    assert get(client, world["leader"], "tasks:task_detail", world["task"].pk).status_code == 200


def test_a_team_lead_sees_the_teams_tasks_but_not_others(client, world):
    assert get(client, world["team_lead"], "tasks:task_detail", world["task"].pk).status_code == 200
    assert get(client, world["team_lead"], "tasks:task_detail", world["other"].pk).status_code == 404


def test_task_list_shows_own_tasks_only(client, world):
    page = get(client, world["reporter"], "tasks:task_list").content.decode()
    assert world["other"].title in page and world["task"].code not in page


def test_report_form_is_404_outside_scope_and_403_for_readers(client, world):
    assert get(client, world["reporter"], "tasks:report_form", world["task"].pk).status_code == 404
    assert get(client, world["leader"], "tasks:report_form", world["task"].pk).status_code == 403
    assert get(client, world["hr"], "tasks:report_form", world["task"].pk).status_code == 200


def test_report_detail_and_evidence_are_404_outside_scope(client, world):
    assert get(client, world["reporter"], "tasks:report_detail", world["report"].pk).status_code == 404
    assert get(client, world["reporter"], "tasks:evidence", world["evidence"].pk).status_code == 404
    assert get(client, world["hr"], "tasks:evidence", world["evidence"].pk).status_code == 200


def test_a_co_unit_sees_the_task_but_not_another_units_report(client, world, make_user):
    finance = make_user(Role.REPORTER, "县财政局")
    assert get(client, finance, "tasks:task_detail", world["task"].pk).status_code == 200
    assert get(client, finance, "tasks:report_detail", world["report"].pk).status_code == 404


def test_report_list_shows_own_reports_only(client, world):
    assert world["task"].title not in get(client, world["reporter"], "tasks:report_list").content.decode()
    assert world["task"].title in get(client, world["hr"], "tasks:report_list").content.decode()


def test_review_is_for_the_office(client, world):
    client.force_login(world["hr"])
    response = client.post(reverse("tasks:report_review", args=[world["report"].pk]), {"decision": "accept"})
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["tasks:meeting_detail", "tasks:meeting_report"])
def test_meeting_pages_are_for_the_office(client, world, name):
    assert get(client, world["hr"], name, world["meeting"].pk).status_code == 403
    assert get(client, world["office"], name, world["meeting"].pk).status_code == 200


def test_meeting_list_and_overview_access(client, world):
    assert get(client, world["hr"], "tasks:meeting_list").status_code == 403
    assert get(client, world["hr"], "tasks:overview").status_code == 403
    assert get(client, world["leader"], "tasks:overview").status_code == 200
    assert get(client, world["office"], "tasks:overview").status_code == 200


def test_action_list_shows_a_units_own_actions(client, world):
    assert world["action"].text not in get(client, world["reporter"], "tasks:action_list").content.decode()
    assert world["action"].text in get(client, world["hr"], "tasks:action_list").content.decode()
    assert get(client, world["hr"], "tasks:action_close", world["action"].pk).status_code == 403


def test_a_notification_is_404_to_anyone_but_its_recipient(client, world):
    assert get(client, world["reporter"], "tasks:notification_open", world["note"].pk).status_code == 404
    response = get(client, world["hr"], "tasks:notification_open", world["note"].pk)
    assert response.status_code == 302
    world["note"].refresh_from_db()
    assert world["note"].read_at is not None


def test_the_unread_count_is_on_every_page(client, world):
    page = get(client, world["hr"], "home").content.decode()
    assert 'data-testid="unread-count">1<' in page
