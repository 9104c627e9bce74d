"""Who may report on a task, for which months, and who may resubmit a returned report: one rule each, asked by
the report form and page (through the view's context) and by the submit service.
"""

import datetime

from settlements import capabilities

from .models import ProgressReport, ReportStatus, Task, first_of_month


def reporting_periods(*, today: datetime.date) -> list[datetime.date]:
    """The months a unit may report for on `today`: this month, or last month to catch up."""
    this_month = first_of_month(today)
    return [this_month, first_of_month(this_month - datetime.timedelta(days=1))]


def responsible_unit_ids(*, task: Task) -> set[int]:
    """The units named by the task, as lead or co-unit (reads the prefetched co-unit links when there are)."""
    return {task.lead_unit_id, *(link.unit_id for link in task.co_unit_links.all())}


def may_report(*, user, task: Task) -> bool:
    """`user` may report progress on `task`: they report for a unit, and the task names their unit."""
    return capabilities.has(user, capabilities.REPORT_PROGRESS) and user.unit_id in responsible_unit_ids(task=task)


def may_resubmit(*, user, report: ProgressReport, today: datetime.date) -> bool:
    """`user` may correct and resubmit `report` on `today`: it was returned, it is their unit's, they may
    still report on its task, and its month is one that may still be reported for."""
    return (
        report.status == ReportStatus.RETURNED
        and report.unit_id == user.unit_id
        and report.period in reporting_periods(today=today)
        and may_report(user=user, task=report.task)
    )
