"""Small builders for work-plan tests: tasks with deadlines, reports, meetings, actions."""

import datetime
import itertools

from django.utils import timezone

from settlements.models import ResponsibleUnit, Settlement, WorkTeam
from tasks import services
from tasks.models import Deadline, FollowUpAction, Meeting, MeetingStatus, ProgressReport, Target, Task, TaskCoUnit

_numbers = itertools.count(1)


def make_task(
    *,
    team="employment",
    lead="县人力资源社会保障局",
    co=(),
    deadlines=(),
    document=2,
    title="测试任务",
    targets=(),
) -> Task:
    """A task of `team` led by `lead`; `deadlines` are dates or (date, settlement code) pairs."""
    number = str(900 + next(_numbers))
    task = Task.objects.create(
        document=document,
        number=number,
        sort_order=int(number),
        section="测试",
        title=title,
        text=f"{title}的内容。",
        work_team=WorkTeam.objects.get(code=team),
        lead_unit=ResponsibleUnit.objects.get(name=lead),
    )
    for position, name in enumerate(co):
        TaskCoUnit.objects.create(task=task, unit=ResponsibleUnit.objects.get(name=name), position=position)
    for item in deadlines:
        due_on, settlement = item if isinstance(item, tuple) else (item, None)
        Deadline.objects.create(
            task=task,
            due_on=due_on,
            wording=f"{due_on:%Y年%m月}底",
            settlement=Settlement.objects.get(code=settlement) if settlement else None,
        )
    for label, value in targets:
        Target.objects.create(task=task, label=label, value=value, unit="人")
    return task


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def make_report(
    task, unit_name, period, *, submitted_on, accepted_on=None, claims_done=False, completes=(), by=None
) -> ProgressReport:
    """A report as it would stand after being submitted on `submitted_on` (and accepted on `accepted_on`)."""
    from settlements.models import User

    author = by or User.objects.filter(is_superuser=False).first()
    report = ProgressReport.objects.create(
        task=task,
        unit=ResponsibleUnit.objects.get(name=unit_name),
        period=period.replace(day=1),
        progress="按计划推进。",
        claims_done=claims_done,
        submitted_by=author,
        submitted_at=at(submitted_on),
        status="accepted" if accepted_on else "submitted",
        reviewed_by=author if accepted_on else None,
        reviewed_at=at(accepted_on) if accepted_on else None,
    )
    report.completes_deadlines.set(completes)
    return report


def make_meeting(held_on, office, *, held=False) -> Meeting:
    meeting = Meeting.objects.create(
        period=held_on.replace(day=1), held_on=held_on, scheduled_by=office, status=MeetingStatus.SCHEDULED
    )
    if held:
        meeting.status = MeetingStatus.HELD
        meeting.save()
    return meeting


def make_action(meeting, office, *, unit="县教育科技局", due_on=None, closed_on=None, task=None) -> FollowUpAction:
    return FollowUpAction.objects.create(
        meeting=meeting,
        text="落实学位保障",
        owner_unit=ResponsibleUnit.objects.get(name=unit),
        due_on=due_on or meeting.held_on + datetime.timedelta(days=20),
        closed_on=closed_on,
        status="closed" if closed_on else "open",
        closing_note="已完成" if closed_on else "",
        task=task,
        created_by=office,
    )


__all__ = ["make_task", "make_report", "make_meeting", "make_action", "at", "services"]
