"""The monthly dispatch meeting's report (月度调度会调度报告): a small styled workbook, printable on A4, registered
with the portal's export registry (`settlements.exports`) for the office.

Every figure stands as of `selectors.meeting_as_of(meeting, today)` — the meeting date once it has come —
and is read through the selectors (indicators only through the registry), so a held meeting's report
printed again months later shows the same cells. Building it runs a fixed number of queries whatever the
number of tasks, units and settlements: the selectors prefetch what the rows need and the targets come in
one more query.
"""

import datetime
from dataclasses import dataclass

from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils import timezone
from openpyxl.styles import Font

from settlements import capabilities, exports
from settlements.models import Settlement
from settlements.report_sheets import BOLD, BORDER, HEADER_ROW, WRAP, fit_row_height, header_style, start_sheet

from . import selectors
from .models import ActionStatus, Deadline, FollowUpAction, Meeting, PlanDocument, Target
from .status import STATUS_ORDER, DeadlineFact, TaskStatus, days_overdue

DATE = "yyyy-mm-dd"
MONTH = 'yyyy"年"m"月"'
PERCENT = "0%"
NONE = "—"
SECTION_FONT = Font(bold=True, size=12)

# (header, column width) of each sheet's main table.
SUMMARY_COLUMNS = [("专班", 30), ("任务数", 9), *((status.label, 9) for status in STATUS_ORDER)]
COMPLETENESS_HEADERS = ["应报", "已报", "报送率"]
GAP_HEADERS = ["单位", "未报任务数", "未报任务编号"]
TASK_COLUMNS = [
    ("文件", 14),
    ("编号", 9),
    ("任务", 22),
    ("专班", 14),
    ("牵头单位", 14),
    ("配合单位", 18),
    ("下一完成时限", 12),
    ("时限说明", 16),
    ("状态", 9),
    ("最近报告月份", 11),
    ("最近进展", 36),
    ("存在问题", 22),
    ("目标", 22),
    ("系统指标数", 10),
]
OVERDUE_COLUMNS = [
    ("单位", 20),
    ("承担方式", 9),
    ("任务编号", 10),
    ("任务", 30),
    ("完成时限", 12),
    ("逾期天数", 9),
]
ACTION_COLUMNS = [
    ("提出会议", 16),
    ("督办事项", 36),
    ("相关任务", 24),
    ("责任单位", 16),
    ("完成时限", 12),
    ("状态（截至会议日）", 11),
    ("办结日期", 12),
    ("办结情况", 30),
]
INDICATOR_COLUMNS = [("指标", 20), ("单位", 6)]  # then one column per settlement, then 全县
SETTLEMENT_WIDTH = 9
COUNTY_COLUMN = ("全县", 10)
CORRECTIONS_COLUMN = ("会后数据更正（会时数值，现在数值）", 36)


@dataclass(frozen=True)
class Formatted:
    """A cell value with its own number format (a month, a percentage)."""

    value: object
    number_format: str


@dataclass
class ReportData:
    meeting: Meeting
    agenda: selectors.Agenda
    teams: list[selectors.TeamRow]
    overdue_units: list[selectors.UnitOverdue]
    indicators: selectors.ReportIndicators
    latest_reports: dict[int, list[selectors.LatestReport]]
    settlements: list[Settlement]

    @property
    def as_of(self) -> datetime.date:
        return self.agenda.as_of

    @property
    def report_title(self) -> str:
        return f"{self.meeting}调度报告"


@exports.register
class DispatchReport(exports.ReportExporter):
    """The report of meeting `pk`, every figure as of the meeting date (or `today`, before the meeting).

    County figures and units, no personal data: for the office, nothing to mask or log.
    """

    identifier = "tasks.dispatch_report"
    verbose_name = "调度会调度报告"
    capability = capabilities.RUN_DISPATCH
    personal_data = False

    def __init__(self, user, params=None, *, pk, today: datetime.date | None = None, **options):
        super().__init__(user, params, **options)
        self.meeting = get_object_or_404(Meeting, pk=pk)
        self.today = today or timezone.localdate()

    def file_name(self) -> str:
        return f"{self.meeting}调度报告.xlsx"

    def build(self, workbook) -> int:
        data = collect(self.meeting, self.today)
        for write_sheet in SHEETS:
            write_sheet(workbook, data)
        return len(data.agenda.states)


def collect(meeting: Meeting, today: datetime.date) -> ReportData:
    agenda = selectors.meeting_agenda(meeting=meeting, today=today)
    prefetch_related_objects([state.task for state in agenda.states], "targets")  # one query for all tasks
    return ReportData(
        meeting=meeting,
        agenda=agenda,
        teams=selectors.teams_by_status(states=agenda.states),
        overdue_units=selectors.overdue_by_unit(states=agenda.states),
        indicators=selectors.report_indicators(meeting=meeting, day=agenda.as_of),
        latest_reports=selectors.latest_reports_as_of(day=agenda.as_of),
        settlements=list(Settlement.objects.order_by("sort_order")),
    )


# --- sheets ------------------------------------------------------------------------------------------------


def write_summary(workbook, data: ReportData):
    title = f"榕江县易地扶贫搬迁后续扶持 {data.meeting} 调度报告"
    sheet = _start_sheet(workbook, "汇总", title, data.as_of, SUMMARY_COLUMNS)
    rows = [(team.team.name, team.total, *(team.counts[status] for status in STATUS_ORDER)) for team in data.teams]
    row = _write_rows(sheet, HEADER_ROW + 1, rows)
    row = _write_rows(sheet, row, [_total_row(rows)], font=BOLD)
    completeness = data.agenda.completeness
    row = _write_table(
        sheet,
        row + 1,
        f"{data.meeting.period:%Y年%m月}进展报告报送情况",
        COMPLETENESS_HEADERS,
        [(completeness.expected, completeness.reported, Formatted(completeness.percent / 100, PERCENT))],
    )
    gaps = [
        (gap.unit.name, len(gap.missing), "、".join(task.code for task in gap.missing)) for gap in completeness.gaps
    ]
    _write_table(sheet, row + 1, "未报送单位", GAP_HEADERS, gaps, last_column=len(SUMMARY_COLUMNS))


def _total_row(rows) -> tuple:
    return ("合计", *(sum(column) for column in zip(*(row[1:] for row in rows), strict=True)))


def write_tasks(workbook, data: ReportData):
    sheet = _start_sheet(workbook, "任务进展", f"{data.report_title} · 任务进展", data.as_of, TASK_COLUMNS, freeze=3)
    rows = [
        _task_row(state, data.latest_reports.get(state.task.pk, []), data.indicators) for state in data.agenda.states
    ]
    _write_rows(sheet, HEADER_ROW + 1, rows)


def _task_row(state: selectors.TaskState, reports, indicators: selectors.ReportIndicators) -> tuple:
    task, deadline = state.task, state.next_deadline
    targets = list(task.targets.all())
    return (
        PlanDocument(task.document).label,
        task.code,
        task.title,
        task.work_team.name,
        task.lead_unit.name,
        "、".join(unit.name for unit in state.co_units),
        deadline.due_on if deadline else NONE,
        _deadline_note(deadline) if deadline else "",
        state.status.label,
        Formatted(reports[0].period, MONTH) if reports else NONE,
        _by_unit(reports, "progress"),
        _by_unit(reports, "problems"),
        "；".join(_target_text(target) for target in targets),
        _indicator_figure(targets, indicators),
    )


def _by_unit(reports, field: str) -> str:
    """One unit's text as written; several units' texts each after the unit's name."""
    texts = [(report.unit_name, getattr(report, field)) for report in reports if getattr(report, field)]
    if len(reports) == 1:
        return texts[0][1] if texts else ""
    return "\n".join(f"{unit}：{text}" for unit, text in texts)


def _deadline_note(deadline: Deadline) -> str:
    return " ".join(part for part in (deadline.wording, deadline.scope_label) if part)


def _target_text(target: Target) -> str:
    return " ".join(part for part in (target.label, f"{target.value.normalize():f}", target.unit) if part)


def _indicator_figure(targets: list[Target], indicators: selectors.ReportIndicators):
    """The county figure of the indicator tied to the task's target; labelled text when several are, or when
    data corrected after the meeting changed it (the meeting's figure, then the figure now)."""
    rows_by_key = {row.indicator.key: row for row in indicators.rows}
    figures = [
        (target, selectors.target_progress(target=target, rows_by_key=rows_by_key))
        for target in targets
        if target.indicator_key
    ]
    figures = [(target, figure) for target, figure in figures if figure is not None]
    corrections = [indicators.county_correction(target.indicator_key) for target, _ in figures]
    if len(figures) == 1 and corrections[0] is None:
        figure = figures[0][1]  # a number, as the meeting saw it, or the settlements reaching a target set for each
        return str(figure) if isinstance(figure, selectors.SettlementsReaching) else figure
    texts = [
        (f"{target.label} {figure}" if len(figures) > 1 else f"{figure}")
        + (f"（会后数据更正，现为 {correction.now}）" if correction else "")
        for (target, figure), correction in zip(figures, corrections, strict=True)
    ]
    return "；".join(texts) or None


def write_overdue(workbook, data: ReportData):
    """One row per (unit, task, overdue open deadline): a unit that leads or shares a task with two missed
    deadlines has two rows, each with its own days overdue. Units in the order of `overdue_by_unit` (most
    overdue tasks led first), then the longest overdue first."""
    sheet = _start_sheet(workbook, "逾期任务", f"{data.report_title} · 逾期任务", data.as_of, OVERDUE_COLUMNS)
    rank = {row.unit.pk: index for index, row in enumerate(data.overdue_units)}
    rows = [row for state in data.agenda.states for row in _overdue_rows(state, data.as_of)]
    rows.sort(key=lambda row: (rank[row[0].pk], -row[1]))  # stable: tasks stay in plan order within a tie
    _write_rows(sheet, HEADER_ROW + 1, [values for _, _, values in rows])


def _overdue_rows(state: selectors.TaskState, as_of: datetime.date):
    if state.status != TaskStatus.OVERDUE:
        return
    missed = [deadline for deadline in state.open_deadlines if deadline.due_on < as_of]
    roles = [("牵头", state.task.lead_unit), *(("配合", unit) for unit in state.co_units)]
    for role, unit in roles:
        for deadline in missed:
            days = days_overdue(DeadlineFact(deadline.id, deadline.due_on), as_of)
            yield unit, days, (unit.name, role, state.task.code, state.task.title, deadline.due_on, days)


def write_actions(workbook, data: ReportData):
    """Actions still open from earlier meetings first, then this meeting's; status as of the meeting date."""
    sheet = _start_sheet(workbook, "督办事项", f"{data.report_title} · 督办事项", data.as_of, ACTION_COLUMNS)
    actions = [*data.agenda.carried_actions, *data.agenda.new_actions]
    _write_rows(sheet, HEADER_ROW + 1, [_action_row(action, data.as_of) for action in actions])


def _action_row(action: FollowUpAction, as_of: datetime.date) -> tuple:
    closed = action.closed_on is not None and action.closed_on <= as_of
    return (
        str(action.meeting),
        action.text,
        f"{action.task.code} {action.task.title}" if action.task else "",
        action.owner_unit.name,
        action.due_on,
        ActionStatus.CLOSED.label if closed else ActionStatus.OPEN.label,
        action.closed_on if closed else None,
        action.closing_note if closed else "",
    )


def write_indicators(workbook, data: ReportData):
    """Once the meeting is held, its figures as it saw them, and a last column naming what data corrected
    since changed (the meeting's value, the value now)."""
    report = data.indicators
    columns = [*INDICATOR_COLUMNS, *((s.name, SETTLEMENT_WIDTH) for s in data.settlements), COUNTY_COLUMN]
    if report.frozen:
        columns.append(CORRECTIONS_COLUMN)
    title = f"{data.report_title} · 安置点指标"
    computed = f"；指标计算于 {timezone.localtime(report.computed_at):%Y-%m-%d %H:%M}" if report.computed_at else ""
    sheet = _start_sheet(workbook, "安置点指标", title, data.as_of, columns, freeze=2, note=computed)
    rows = []
    for row in report.rows:
        values = [row.indicator.label, row.indicator.unit, *(row.values.get(s.pk, 0) for s in data.settlements)]
        values.append(row.total)
        if report.frozen:
            values.append("；".join(map(str, report.corrections.get(row.indicator.key, []))) or NONE)
        rows.append(values)
    _write_rows(sheet, HEADER_ROW + 1, rows)


SHEETS = [write_summary, write_tasks, write_overdue, write_actions, write_indicators]


# --- styling -------------------------------------------------------------------------------------------------


def _start_sheet(workbook, name, title, as_of: datetime.date, columns, *, freeze: int = 0, note: str = ""):
    """A sheet (see `report_sheets.start_sheet`) whose subtitle is the date its figures stand on."""
    return start_sheet(workbook, name, title, f"数据截至 {as_of:%Y年%m月%d日}{note}", columns, freeze=freeze)


def _write_table(sheet, row, title, headers, rows, *, last_column=None) -> int:
    """A titled table below the sheet's main one; returns the first row after it."""
    sheet.cell(row=row, column=1, value=title).font = SECTION_FONT
    _header_row(sheet, row + 1, headers, last_column=last_column)
    return _write_rows(sheet, row + 2, rows, last_column=last_column)


def _header_row(sheet, row, headers, *, last_column=None):
    """A section table's header row (see `_write_line` for `last_column`)."""
    for cell in _write_line(sheet, row, headers, last_column):
        header_style(cell)


def _write_rows(sheet, row, rows, *, last_column=None, font=None) -> int:
    """Bordered, wrapped rows from `row` on; dates are date cells. Returns the first row after them."""
    for values in rows:
        for cell in _write_line(sheet, row, values, last_column):
            cell.alignment = WRAP
            if font:
                cell.font = font
        row += 1
    return row


def _write_line(sheet, row, values, last_column=None) -> list:
    """Write `values` across `row` with borders; the last value spans to `last_column` when given."""
    cells = []
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, Formatted):
            cell.value, cell.number_format = value.value, value.number_format
        else:
            cell.value = value
            if isinstance(value, datetime.date):
                cell.number_format = DATE
        cell.border = BORDER
        cells.append(cell)
    if last_column and last_column > len(values):
        sheet.merge_cells(start_row=row, start_column=len(values), end_row=row, end_column=last_column)
        for column in range(len(values) + 1, last_column + 1):
            sheet.cell(row=row, column=column).border = BORDER
    fit_row_height(sheet, row, cells, last_column)
    return cells
