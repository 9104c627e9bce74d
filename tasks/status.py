"""A task's status, computed from dated facts as of a day; never typed.

- 已完成 (done): the office has accepted a report that claims the whole task done, or every deadline of
  the task has been met by accepted reports.
- 已逾期 (overdue): a deadline not met by accepted reports lies before the day.
- 即将到期 (due soon): a deadline not yet met falls within `DUE_SOON_DAYS` days (the day itself included).
- 推进中 (in progress): a report has been submitted.
- 未开始 (not started): none of the above.
"""

import datetime
from dataclasses import dataclass, field

from django.db import models

DUE_SOON_DAYS = 14


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "推进中"
    DUE_SOON = "due_soon", "即将到期"
    OVERDUE = "overdue", "已逾期"
    DONE = "done", "已完成"


# The order in which statuses are shown and counted.
STATUS_ORDER = [
    TaskStatus.OVERDUE,
    TaskStatus.DUE_SOON,
    TaskStatus.IN_PROGRESS,
    TaskStatus.NOT_STARTED,
    TaskStatus.DONE,
]

STATUS_COLOURS = {
    TaskStatus.OVERDUE: "danger",
    TaskStatus.DUE_SOON: "warning",
    TaskStatus.IN_PROGRESS: "primary",
    TaskStatus.NOT_STARTED: "secondary",
    TaskStatus.DONE: "success",
}


@dataclass(frozen=True)
class DeadlineFact:
    id: int
    due_on: datetime.date


@dataclass
class TaskProgress:
    """What the accepted and submitted reports say about one task as of a day."""

    accepted_done: bool = False
    met_deadline_ids: set[int] = field(default_factory=set)
    last_reported_period: datetime.date | None = None


def open_deadlines(deadlines: list[DeadlineFact], progress: TaskProgress) -> list[DeadlineFact]:
    if progress.accepted_done:
        return []
    return [deadline for deadline in deadlines if deadline.id not in progress.met_deadline_ids]


def is_done(deadlines: list[DeadlineFact], progress: TaskProgress) -> bool:
    if progress.accepted_done:
        return True
    return bool(deadlines) and not open_deadlines(deadlines, progress)


def task_status(deadlines: list[DeadlineFact], progress: TaskProgress, day: datetime.date) -> TaskStatus:
    if is_done(deadlines, progress):
        return TaskStatus.DONE
    pending = open_deadlines(deadlines, progress)
    if any(deadline.due_on < day for deadline in pending):
        return TaskStatus.OVERDUE
    if any((deadline.due_on - day).days <= DUE_SOON_DAYS for deadline in pending):
        return TaskStatus.DUE_SOON
    if progress.last_reported_period is not None:
        return TaskStatus.IN_PROGRESS
    return TaskStatus.NOT_STARTED


def days_overdue(deadline: DeadlineFact, day: datetime.date) -> int:
    return max((day - deadline.due_on).days, 0)
