"""Task states, the agenda and the overview, computed as of a day from reports and actions in the database."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from settlements.models import ResponsibleUnit
from tasks import selectors, snapshots
from tasks.models import Task
from tasks.status import TaskStatus

from .factories import make_action, make_meeting, make_report, make_task

D = datetime.date
pytestmark = pytest.mark.django_db


def status_of(task, day):
    return selectors.task_state(task=task, day=day).status


def test_done_needs_the_office_to_accept_a_report_that_claims_it(users):
    task = make_task(deadlines=[D(2019, 6, 30)])
    make_report(task, "县人力资源社会保障局", D(2019, 6, 1), submitted_on=D(2019, 6, 20), claims_done=True)
    assert status_of(task, D(2019, 6, 25)) == TaskStatus.DUE_SOON  # claimed, not yet accepted
    assert status_of(task, D(2019, 7, 2)) == TaskStatus.OVERDUE
    task.reports.update(status="accepted", reviewed_at=selectors.end_of_day(day=D(2019, 7, 5)))
    assert status_of(task, D(2019, 7, 2)) == TaskStatus.OVERDUE  # as it stood before the acceptance
    assert status_of(task, D(2019, 7, 6)) == TaskStatus.DONE


def test_a_returned_report_does_not_complete_a_task(users):
    task = make_task(deadlines=[D(2019, 6, 30)])
    report = make_report(task, "县人力资源社会保障局", D(2019, 6, 1), submitted_on=D(2019, 6, 20), claims_done=True)
    report.status = "returned"
    report.reviewed_at = selectors.end_of_day(day=D(2019, 6, 21))
    report.save()
    assert status_of(task, D(2019, 6, 25)) == TaskStatus.DUE_SOON


def test_per_settlement_deadlines_are_met_one_by_one(users):
    task = make_task(deadlines=[(D(2019, 5, 31), "fumin"), (D(2019, 12, 31), "yangguang")])
    fumin = task.deadlines.get(settlement__code="fumin")
    make_report(
        task,
        "县人力资源社会保障局",
        D(2019, 5, 1),
        submitted_on=D(2019, 5, 28),
        accepted_on=D(2019, 5, 30),
        completes=[fumin],
    )
    state = selectors.task_state(task=task, day=D(2019, 7, 1))
    assert state.status == TaskStatus.IN_PROGRESS
    assert [d.settlement.code for d in state.open_deadlines] == ["yangguang"]
    assert status_of(task, D(2020, 1, 1)) == TaskStatus.OVERDUE


def test_the_agenda_lists_due_stalled_unreported_and_carried_over(users):
    office = users["office"]
    overdue = make_task(deadlines=[D(2019, 8, 31)], title="逾期任务")
    due_before_next = make_task(deadlines=[D(2019, 10, 5)], title="下次会议前到期")
    later = make_task(deadlines=[D(2019, 12, 31)], title="年底到期", co=["县教育科技局"])
    done = make_task(deadlines=[D(2019, 8, 31)], title="已完成")
    make_report(
        done,
        "县人力资源社会保障局",
        D(2019, 8, 1),
        submitted_on=D(2019, 8, 20),
        accepted_on=D(2019, 8, 25),
        claims_done=True,
    )
    make_report(later, "县人力资源社会保障局", D(2019, 9, 1), submitted_on=D(2019, 9, 10))

    august = make_meeting(D(2019, 8, 20), office, held=True)
    carried = make_action(august, office, due_on=D(2019, 9, 10))
    closed_before = make_action(august, office, closed_on=D(2019, 9, 1))
    closed_after = make_action(august, office, closed_on=D(2019, 9, 30))
    september = make_meeting(D(2019, 9, 25), office)
    this_meeting_action = make_action(september, office)

    agenda = selectors.meeting_agenda(meeting=september, today=D(2019, 9, 25))

    assert agenda.horizon == D(2019, 10, 25)
    assert [s.task for s in agenda.due] == [overdue, due_before_next]
    stalled = {s.task for s in agenda.stalled}
    assert overdue in stalled and due_before_next in stalled
    assert later not in stalled and done not in stalled  # reported this month / done
    gaps = {gap.unit.name: {t.pk for t in gap.missing} for gap in agenda.completeness.gaps}
    assert gaps["县人力资源社会保障局"] == {overdue.pk, due_before_next.pk}
    assert gaps["县教育科技局"] == {later.pk}  # a co-unit reports too
    assert set(agenda.carried_actions) == {carried, closed_after}
    assert closed_before not in agenda.carried_actions
    assert agenda.new_actions == [this_meeting_action]


def test_open_actions_reappear_on_every_later_agenda_until_closed(users):
    office = users["office"]
    july = make_meeting(D(2019, 7, 20), office, held=True)
    action = make_action(july, office, due_on=D(2019, 8, 1))
    august = make_meeting(D(2019, 8, 20), office, held=True)
    september = make_meeting(D(2019, 9, 20), office)
    assert action in selectors.meeting_agenda(meeting=august, today=D(2019, 9, 25)).carried_actions
    assert action in selectors.meeting_agenda(meeting=september, today=D(2019, 9, 25)).carried_actions
    action.status, action.closed_on = "closed", D(2019, 9, 5)
    action.save()
    assert action in selectors.meeting_agenda(meeting=august, today=D(2019, 9, 25)).carried_actions  # open on 20 August
    assert action not in selectors.meeting_agenda(meeting=september, today=D(2019, 9, 25)).carried_actions


def test_collective_units_are_not_expected_to_report(users):
    make_task(co=["各乡镇人民政府", "县教育科技局"])
    states = selectors.task_states(tasks=Task.objects.all(), day=D(2019, 9, 1))
    gaps = selectors.reporting_completeness(states=states, period=D(2019, 9, 1), day=D(2019, 9, 1)).gaps
    assert {gap.unit.name for gap in gaps} == {"县人力资源社会保障局", "县教育科技局"}


def queries_for(function):
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


def grow_plan(n, meetings):
    """`n` more tasks with two deadlines, a co-unit, an accepted report and an action each."""
    units = list(ResponsibleUnit.objects.exclude(kind="collective").values_list("name", flat=True))
    office = meetings[0].scheduled_by
    for i in range(n):
        lead = units[i % len(units)]
        task = make_task(
            lead=lead, co=[units[(i + 1) % len(units)]], deadlines=[D(2019, 6, 30), (D(2019, 12, 31), "tehe")]
        )
        make_report(task, lead, D(2019, 9, 1), submitted_on=D(2019, 9, 2), accepted_on=D(2019, 9, 3))
        make_action(meetings[i % len(meetings)], office, unit=lead, task=task)


def test_overview_and_agenda_run_a_fixed_number_of_queries(users):
    earlier = [make_meeting(D(2019, month, 20), users["office"], held=True) for month in (7, 8, 9)]
    meeting = make_meeting(D(2019, 10, 20), users["office"])

    def measure():
        return (
            queries_for(lambda: selectors.overview(today=D(2019, 10, 1))),
            queries_for(lambda: selectors.meeting_agenda(meeting=meeting, today=D(2019, 10, 1))),
        )

    grow_plan(3, earlier)
    snapshots.read(D(2019, 10, 1))  # the indicators of the overview's day, taken by the nightly job
    small = measure()
    grow_plan(30, earlier)
    assert measure() == small
