"""The plan's pages: the loaded plan, the overview's fixed query count, the demo activity."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from settlements import demo as registry_demo
from settlements.models import ResponsibleUnit
from tasks import demo, snapshots
from tasks.models import Deadline, Meeting, PlanDocument, ProgressReport, Target, Task

from .factories import make_action, make_meeting, make_report, make_task

pytestmark = pytest.mark.django_db


def test_the_plan_loads_every_task_with_its_units_and_loading_again_changes_nothing(plan):
    per_document = {doc: Task.objects.filter(document=doc).count() for doc in PlanDocument.values}
    assert per_document == {0: 23, 1: 11, 2: 12, 3: 5, 4: 7, 5: 16, 6: 16, 7: 10}
    before = (Task.objects.count(), Deadline.objects.count(), Target.objects.count())
    training = Target.objects.get(task__document=2, label__contains="培训", value=1510)
    assert training.due_on == datetime.date(2019, 10, 31)
    call_command("load_plan", verbosity=0)
    assert (Task.objects.count(), Deadline.objects.count(), Target.objects.count()) == before
    assert before[1:] == (133, 34)


def test_a_task_page_shows_its_deadlines_targets_and_units(client, plan, users):
    task = Task.objects.get(document=2, number="12")
    client.force_login(users["office"])
    page = client.get(reverse("tasks:task_detail", args=[task.pk])).content.decode()
    assert "1510人" in page and "2019-10-31" in page and task.lead_unit.name in page
    assert 'data-testid="task-status">已逾期<' in page  # 2019's deadlines have passed, nothing reported


def page_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def grow(n, meeting, office):
    units = list(ResponsibleUnit.objects.exclude(kind="collective").values_list("name", flat=True))
    for i in range(n):
        lead = units[i % len(units)]
        task = make_task(
            lead=lead, co=[units[-1 - i % 5]], deadlines=[datetime.date(2019, 6, 30)], targets=[("人数", 10)]
        )
        make_report(task, lead, timezone.localdate(), submitted_on=timezone.localdate())
        make_action(meeting, office, unit=lead, task=task, due_on=timezone.localdate() - datetime.timedelta(days=1))


@pytest.mark.parametrize("page", ["overview", "meeting_report", "meeting_detail", "task_list"])
def test_pages_run_a_fixed_number_of_queries(client, users, page):
    office = users["office"]
    earlier = make_meeting(timezone.localdate() - datetime.timedelta(days=40), office, held=True)
    meeting = make_meeting(timezone.localdate(), office)
    url = reverse(f"tasks:{page}", args=[meeting.pk] if page.startswith("meeting") else [])
    client.force_login(office)
    grow(3, earlier, office)
    snapshots.read(timezone.localdate())  # the nightly job took today's indicators
    small = page_queries(client, url)
    grow(30, earlier, office)
    assert page_queries(client, url) == small


def test_the_demo_reports_and_meeting_are_made_once(plan):
    registry_demo.ensure_demo_users()
    made = demo.seed_demo_dispatch()
    assert made["reports"] == ProgressReport.objects.count() > 0
    assert made["accepted"] == ProgressReport.objects.filter(status="accepted").count() > 0
    assert Meeting.objects.count() == 1
    assert demo.seed_demo_dispatch() == {}
    assert Meeting.objects.count() == 1


def test_the_system_administrator_maintains_the_plan_and_the_office_reads_its_reminders(
    client, plan, users, administrators
):
    task = Task.objects.get(document=7, number="1")
    client.force_login(administrators["system_admin"])
    assert client.get(reverse("admin:tasks_task_changelist"), {"q": "确权"}).status_code == 200
    page = client.get(reverse("admin:tasks_task_change", args=[task.pk])).content.decode()
    assert "2020-06-30" in page and task.lead_unit.name in page
    assert client.get(reverse("admin:tasks_notification_changelist")).status_code == 403
    client.force_login(users["office"])
    assert client.get(reverse("admin:tasks_task_changelist")).status_code == 403
    assert client.get(reverse("admin:tasks_reminderclaim_changelist")).status_code == 200
    assert client.get(reverse("admin:tasks_notification_changelist")).status_code == 200
