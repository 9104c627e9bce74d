"""Writes to the work plan and its monthly cycle. Each service refuses an actor without the capability it
needs (`capabilities.require`: PermissionDenied, nothing written), validates, writes and records who did it.
"""

import datetime
import json
import pathlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from settlements import audit, capabilities, uploads
from settlements.capabilities import REPORT_PROGRESS, RUN_DISPATCH
from settlements.models import FacilityKind, ResponsibleUnit, Settlement, User, WorkTeam
from settlements.services import save_with_history

from . import household_duties, reports, selectors
from .models import (
    ActionStatus,
    Deadline,
    Evidence,
    FollowUpAction,
    Meeting,
    MeetingFigure,
    MeetingStatus,
    Notification,
    ProgressReport,
    ReportStatus,
    Target,
    Task,
    TaskCoUnit,
    first_of_month,
)

MSG_NOT_OWN_TASK = "本单位不是该任务的责任单位，不能填报。"
MSG_FUTURE_PERIOD = "不能填报尚未到来的月份。"
MSG_PERIOD_CLOSED = "只能填报本月或上月的进展。"
MSG_REPORT_FINAL = "该报告已采纳，不能再修改。"
MSG_NOT_SUBMITTED = "只能审核待审核的报告。"
MSG_RETURN_REASON = "退回报告须写明原因。"
MSG_DEADLINE_OTHER_TASK = "所选时限节点不属于该任务。"
MSG_NOTHING_REPORTED = "请填写本月工作进展。"
MSG_EVIDENCE_KINDS = "佐证材料只能是图片（jpg、png、gif、webp）或文档（pdf、doc、docx、xls、xlsx、wps、ofd）。"
MSG_FILE_SIZE = "文件“{name}”超过 {mb} MB。"
MSG_TOO_MANY_FILES = "一次最多上传 {n} 个文件。"
MSG_MEETING_MONTH_TAKEN = "{month}已安排调度会，每月只开一次。"
MSG_MEETING_ALREADY_HELD = "该调度会已登记召开。"
MSG_MEETING_NOT_YET = "会议日期（{date}）未到，不能登记召开。"
MSG_ACTION_DUE_BEFORE_MEETING = "完成时限不能早于会议日期（{date}）。"
MSG_ACTION_BEFORE_HELD = "须先登记会议召开，再记录督办事项。"
MSG_ACTION_CLOSED = "该督办事项已办结。"
MSG_CLOSED_BEFORE_MEETING = "办结日期不能早于提出该事项的会议日期（{date}）。"
MSG_CLOSED_IN_FUTURE = "办结日期不能晚于今天。"
MSG_CLOSING_NOTE = "请填写办结情况。"

EVIDENCE_KINDS = uploads.IMAGES | uploads.DOCUMENTS
MAX_EVIDENCE_MB = 20
MAX_EVIDENCE_FILES = 10


# --- the plan ---------------------------------------------------------------------------------------------


def _unit_lookup():
    lookup = {}
    for unit in ResponsibleUnit.objects.all():
        for name in [unit.name, *unit.aliases]:
            lookup[name] = unit
    return lookup


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


@audit.audited("plan.load", "载入工作方案")
@transaction.atomic
def plan_load(*, path: pathlib.Path) -> dict[str, int]:
    """Load the plan's tasks, deadlines and targets from the fixture; running it again changes nothing."""
    data = json.loads(path.read_text(encoding="utf-8"))
    units = _unit_lookup()
    teams = {team.code: team for team in WorkTeam.objects.all()}
    settlements = {settlement.code: settlement for settlement in Settlement.objects.all()}
    counts = {"tasks": 0, "deadlines": 0, "targets": 0, "created": 0}
    for order, item in enumerate(data["tasks"]):
        task, created = _plan_task(item, order, units, teams)
        counts["created"] += created
        counts["tasks"] += 1
        counts["deadlines"] += _plan_deadlines(task, item["deadlines"], settlements)
        counts["targets"] += _plan_targets(task, item["targets"])
    return counts


def _plan_task(item, order, units, teams):
    named = [units[name] for name in item["units"]]
    task, created = Task.objects.update_or_create(
        document=item["document"],
        number=item["number"],
        defaults={
            "sort_order": order,
            "section": item["section"],
            "title": item["title"],
            "text": item["text"],
            "work_team": teams[item["work_team"]],
            "lead_unit": named[0],
            "units_as_printed": item["units_as_printed"],
        },
    )
    TaskCoUnit.objects.filter(task=task).exclude(unit__in=named[1:]).delete()
    for position, unit in enumerate(named[1:]):
        TaskCoUnit.objects.update_or_create(task=task, unit=unit, defaults={"position": position})
    return task, created


def _plan_deadlines(task, items, settlements):
    for item in items:
        deadline, _ = Deadline.objects.update_or_create(
            task=task,
            due_on=_date(item["due_on"]),
            settlement=settlements.get(item["settlement"]),
            project_year=item["project_year"],
            label=item["label"],
            defaults={"wording": item["wording"], "reading": item.get("reading", ""), "duty": _duty(item)},
        )
        deadline.facility_kinds.set(FacilityKind.objects.filter(code__in=item.get("facility_kinds", [])))
    return len(items)


def _duty(item) -> str:
    """The deadline's household duty (`tasks.household_duties`), one an app declared; '' for none."""
    duty = item.get("duty", "")
    if duty and household_duties.declared(duty) is None:
        raise ValueError(f"plan deadline {item['wording']!r}: duty {duty!r} is declared by no app")
    return duty


def _plan_targets(task, items):
    for item in items:
        Target.objects.update_or_create(
            task=task,
            label=item["label"],
            defaults={
                "value": Decimal(str(item["value"])),
                "unit": item["unit"],
                "due_on": _date(item["due_on"]),
                "wording": item["wording"],
                "indicator_key": item["indicator"],
                "per_settlement": item.get("per_settlement", False),
            },
        )
    return len(items)


# --- progress reports --------------------------------------------------------------------------------------


def _check_period(period: datetime.date, today: datetime.date):
    if period > first_of_month(today):
        raise ValidationError({"period": MSG_FUTURE_PERIOD})
    if period not in reports.reporting_periods(today=today):
        raise ValidationError({"period": MSG_PERIOD_CLOSED})


def _check_evidence(files) -> list[uploads.Kind]:
    """Each file's kind, by its content (`settlements.uploads`); a file too large or of another kind refuses all."""
    if len(files) > MAX_EVIDENCE_FILES:
        raise ValidationError({"files": MSG_TOO_MANY_FILES.format(n=MAX_EVIDENCE_FILES)})
    kinds = []
    for upload in files:
        if upload.size > MAX_EVIDENCE_MB * 1024 * 1024:
            raise ValidationError({"files": MSG_FILE_SIZE.format(name=upload.name, mb=MAX_EVIDENCE_MB)})
        try:
            kinds.append(uploads.check(upload, EVIDENCE_KINDS, hint=MSG_EVIDENCE_KINDS))
        except ValidationError as error:
            raise ValidationError({"files": error.messages}) from error
    return kinds


@audit.audited("progress_report.submit", "提交进展报告", target="task")
@transaction.atomic
def report_submit(
    *,
    task: Task,
    actor,
    period: datetime.date,
    progress: str,
    figure: Decimal | None = None,
    problems: str = "",
    claims_done: bool = False,
    completes_deadlines=(),
    files=(),
) -> ProgressReport:
    """The actor's unit reports on a task for this month or the last; a returned or unreviewed report is replaced
    (the rules of `tasks.reports`, which the report form and page ask too)."""
    capabilities.require(actor, REPORT_PROGRESS)
    if not reports.may_report(user=actor, task=task):
        raise ValidationError(MSG_NOT_OWN_TASK)
    period = first_of_month(period)
    _check_period(period, timezone.localdate())
    if not progress.strip():
        raise ValidationError({"progress": MSG_NOTHING_REPORTED})
    if any(deadline.task_id != task.pk for deadline in completes_deadlines):
        raise ValidationError({"completes_deadlines": MSG_DEADLINE_OTHER_TASK})
    kinds = _check_evidence(files)
    report = ProgressReport.objects.select_for_update().filter(task=task, unit_id=actor.unit_id, period=period).first()
    if report and report.status == ReportStatus.ACCEPTED:
        raise ValidationError(MSG_REPORT_FINAL)
    if report is None:
        report = ProgressReport(task=task, unit_id=actor.unit_id, period=period, submitted_at=timezone.now())
    report.progress = progress.strip()
    report.figure = figure
    report.problems = problems.strip()
    report.claims_done = claims_done
    report.status = ReportStatus.SUBMITTED
    report.submitted_by = actor
    report.reviewed_by = None
    report.reviewed_at = None
    save_with_history(instance=report, actor=actor, reason="提交进展报告")
    report.completes_deadlines.set(completes_deadlines)
    for upload, kind in zip(files, kinds, strict=True):
        _add_evidence(report, upload, kind, actor)
    return report


def _add_evidence(report: ProgressReport, upload, kind: uploads.Kind, actor) -> Evidence:
    suffix = uploads.suffix_of(upload)
    evidence = Evidence(
        report=report,
        original_name=pathlib.PurePath(upload.name).name[:200],
        is_image=kind in uploads.IMAGES,
        size=upload.size,
        uploaded_by=actor,
    )
    evidence.file.save(f"{timezone.now():%Y%m%d%H%M%S%f}{suffix}", upload, save=False)
    evidence.save()
    return evidence


def _review(report: ProgressReport, actor, status: ReportStatus, note: str, reason: str) -> ProgressReport:
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(MSG_NOT_SUBMITTED)
    report.status = status
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    report.review_note = note.strip()
    return save_with_history(instance=report, actor=actor, reason=reason)


@audit.audited("progress_report.accept", "采纳进展报告", target="report")
@transaction.atomic
def report_accept(*, report: ProgressReport, actor, note: str = "") -> ProgressReport:
    capabilities.require(actor, RUN_DISPATCH)
    return _review(report, actor, ReportStatus.ACCEPTED, note, "采纳")


@audit.audited("progress_report.return", "退回进展报告", target="report")
@transaction.atomic
def report_return(*, report: ProgressReport, actor, reason: str) -> ProgressReport:
    """Return a report with a reason; the unit is notified and may resubmit."""
    capabilities.require(actor, RUN_DISPATCH)
    if not reason.strip():
        raise ValidationError({"review_note": MSG_RETURN_REASON})
    report = _review(report, actor, ReportStatus.RETURNED, reason, "退回")
    _notify_units_users(
        [report.unit_id],
        title=f"进展报告被退回：{report.task.code} {report.task.title}",
        body=f"{report.period:%Y年%m月}的报告被退回，原因：{report.review_note}",
        link=reverse("tasks:report_form", args=[report.task_id]),
    )
    return report


# --- meetings and follow-up actions --------------------------------------------------------------------------


@audit.audited("meeting.schedule", "安排调度会")
@transaction.atomic
def meeting_schedule(*, held_on: datetime.date, place: str = "", actor) -> Meeting:
    capabilities.require(actor, RUN_DISPATCH)
    period = first_of_month(held_on)
    if Meeting.objects.filter(period=period).exists():
        raise ValidationError({"held_on": MSG_MEETING_MONTH_TAKEN.format(month=f"{period:%Y年%m月}")})
    return save_with_history(
        instance=Meeting(period=period, held_on=held_on, place=place.strip(), scheduled_by=actor),
        actor=actor,
        reason="安排",
    )


@audit.audited("meeting.hold", "登记调度会召开", target="meeting")
@transaction.atomic
def meeting_hold(*, meeting: Meeting, minutes: str, actor, today: datetime.date | None = None) -> Meeting:
    """Record that the meeting took place (on its date), with its minutes."""
    capabilities.require(actor, RUN_DISPATCH)
    today = today or timezone.localdate()
    if meeting.status == MeetingStatus.HELD:
        raise ValidationError(MSG_MEETING_ALREADY_HELD)
    if meeting.held_on > today:
        raise ValidationError(MSG_MEETING_NOT_YET.format(date=meeting.held_on))
    meeting.status = MeetingStatus.HELD
    meeting.minutes = minutes.strip()
    meeting.held_recorded_at = timezone.now()
    save_with_history(instance=meeting, actor=actor, reason="登记召开")
    _freeze_figures(meeting)
    return meeting


def _freeze_figures(meeting: Meeting) -> None:
    """Keep the indicators as the meeting saw them (as of its date, from fresh snapshots), every settlement's
    value, so its report printed again later gives the same cells."""
    table = selectors.indicator_table(day=meeting.held_on, refresh_stale=True)
    settlement_ids = list(Settlement.objects.values_list("pk", flat=True))
    MeetingFigure.objects.bulk_create(
        MeetingFigure(
            meeting=meeting,
            indicator_key=row.indicator.key,
            label=row.indicator.label,
            unit=row.indicator.unit,
            sort_order=row.indicator.sort_order,
            settlement_id=pk,
            value=row.values.get(pk, 0),
            computed_at=table.computed_at,
        )
        for row in table.rows
        for pk in settlement_ids
    )


@audit.audited("follow_up_action.create", "布置督办事项", target="meeting")
@transaction.atomic
def action_create(
    *, meeting: Meeting, text: str, owner_unit: ResponsibleUnit, due_on: datetime.date, task: Task | None = None, actor
) -> FollowUpAction:
    capabilities.require(actor, RUN_DISPATCH)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(MSG_ACTION_BEFORE_HELD)
    if due_on < meeting.held_on:
        raise ValidationError({"due_on": MSG_ACTION_DUE_BEFORE_MEETING.format(date=meeting.held_on)})
    action = FollowUpAction(
        meeting=meeting, text=text.strip(), owner_unit=owner_unit, due_on=due_on, task=task, created_by=actor
    )
    action = save_with_history(instance=action, actor=actor, reason="会议布置")
    _notify_units_users(
        [owner_unit.pk],
        title=f"{meeting}布置督办事项",
        body=f"{action.text}（完成时限：{due_on:%Y-%m-%d}，须在下次调度会汇报）",
        link=reverse("tasks:action_list"),
    )
    return action


@audit.audited("follow_up_action.close", "办结督办事项", target="action")
@transaction.atomic
def action_close(*, action: FollowUpAction, closed_on: datetime.date, note: str, actor) -> FollowUpAction:
    capabilities.require(actor, RUN_DISPATCH)
    if action.status == ActionStatus.CLOSED:
        raise ValidationError(MSG_ACTION_CLOSED)
    if closed_on < action.meeting.held_on:
        raise ValidationError({"closed_on": MSG_CLOSED_BEFORE_MEETING.format(date=action.meeting.held_on)})
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": MSG_CLOSED_IN_FUTURE})
    if not note.strip():
        raise ValidationError({"closing_note": MSG_CLOSING_NOTE})
    action.status = ActionStatus.CLOSED
    action.closed_on = closed_on
    action.closing_note = note.strip()
    return save_with_history(instance=action, actor=actor, reason="办结")


# --- notifications -----------------------------------------------------------------------------------------


def _notify_units_users(unit_ids, *, title, body="", link=""):
    recipients = User.objects.filter(is_active=True, unit_id__in=unit_ids)
    return notifications_create(recipients=recipients, title=title, body=body, link=link)


def notifications_create(*, recipients, title, body="", link="", claim=None) -> list[Notification]:
    return Notification.objects.bulk_create(
        [
            Notification(recipient=user, title=title[:200], body=body, link=link, claim=claim)
            for user in {user.pk: user for user in recipients}.values()
        ]
    )


def notifications_mark_read(*, user, ids=None) -> int:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
