"""A task's status around its deadlines, computed from dated facts."""

import datetime

import pytest

from tasks.status import DUE_SOON_DAYS, DeadlineFact, TaskProgress, TaskStatus, task_status

D = datetime.date
JUNE_30 = DeadlineFact(1, D(2019, 6, 30))
DEC_31 = DeadlineFact(2, D(2019, 12, 31))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2019, 6, 1), TaskStatus.NOT_STARTED),
        (JUNE_30.due_on - datetime.timedelta(days=DUE_SOON_DAYS + 1), TaskStatus.NOT_STARTED),
        (JUNE_30.due_on - datetime.timedelta(days=DUE_SOON_DAYS), TaskStatus.DUE_SOON),
        (D(2019, 6, 30), TaskStatus.DUE_SOON),  # due today is not yet overdue
        (D(2019, 7, 1), TaskStatus.OVERDUE),
    ],
)
def test_status_around_a_deadline_without_reports(day, expected):
    assert task_status([JUNE_30], TaskProgress(), day) == expected


def test_a_report_makes_a_task_in_progress_until_its_deadline_nears():
    reported = TaskProgress(last_reported_period=D(2019, 5, 1))
    assert task_status([JUNE_30], reported, D(2019, 6, 1)) == TaskStatus.IN_PROGRESS
    assert task_status([JUNE_30], reported, D(2019, 6, 20)) == TaskStatus.DUE_SOON
    assert task_status([JUNE_30], reported, D(2019, 7, 1)) == TaskStatus.OVERDUE


def test_an_accepted_done_report_makes_a_task_done_even_after_its_deadline():
    done = TaskProgress(accepted_done=True, last_reported_period=D(2019, 8, 1))
    assert task_status([JUNE_30], done, D(2019, 9, 1)) == TaskStatus.DONE


def test_a_met_deadline_no_longer_counts_and_all_met_is_done():
    first_met = TaskProgress(met_deadline_ids={JUNE_30.id}, last_reported_period=D(2019, 6, 1))
    assert task_status([JUNE_30, DEC_31], first_met, D(2019, 7, 15)) == TaskStatus.IN_PROGRESS
    assert task_status([JUNE_30, DEC_31], first_met, D(2020, 1, 1)) == TaskStatus.OVERDUE
    both_met = TaskProgress(met_deadline_ids={JUNE_30.id, DEC_31.id})
    assert task_status([JUNE_30, DEC_31], both_met, D(2020, 1, 1)) == TaskStatus.DONE


def test_an_unmet_earlier_deadline_keeps_a_task_overdue():
    second_met = TaskProgress(met_deadline_ids={DEC_31.id})
    assert task_status([JUNE_30, DEC_31], second_met, D(2020, 1, 1)) == TaskStatus.OVERDUE


def test_a_task_without_deadlines_is_never_overdue_and_done_only_when_accepted():
    assert task_status([], TaskProgress(), D(2030, 1, 1)) == TaskStatus.NOT_STARTED
    assert task_status([], TaskProgress(last_reported_period=D(2029, 12, 1)), D(2030, 1, 1)) == TaskStatus.IN_PROGRESS
    assert task_status([], TaskProgress(accepted_done=True), D(2030, 1, 1)) == TaskStatus.DONE
