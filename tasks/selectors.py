"""Reads of the work plan that are more than one line: task states, the agenda, the overview.

Everything is computed as of a day from dated facts, in a fixed number of queries whatever the number of
tasks, units and settlements.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, Prefetch
from django.utils import timezone

from settlements.dates import add_months
from settlements.models import ResponsibleUnit, Settlement, UnitKind, WorkTeam

from . import indicators, snapshots
from .models import (
    Deadline,
    FollowUpAction,
    Meeting,
    MeetingStatus,
    ProgressReport,
    ReportStatus,
    Target,
    Task,
    TaskCoUnit,
    first_of_month,
)
from .status import STATUS_ORDER, DeadlineFact, TaskProgress, TaskStatus, open_deadlines, task_status

STALLED_MONTHS = 2


def end_of_day(*, day: datetime.date) -> datetime.datetime:
    """The first instant after `day` in the portal's time zone: facts recorded before it count on `day`."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def months_before(*, period: datetime.date, months: int) -> datetime.date:
    return add_months(period, -months)


# --- task states -------------------------------------------------------------------------------------------


@dataclass
class TaskState:
    task: Task
    status: TaskStatus
    deadlines: list[Deadline]
    open_deadlines: list[Deadline]
    last_reported_period: datetime.date | None

    @property
    def next_deadline(self) -> Deadline | None:
        return self.open_deadlines[0] if self.open_deadlines else None

    @property
    def units(self):
        return [self.task.lead_unit, *self.co_units]

    @property
    def co_units(self):
        return [link.unit for link in self.task.co_unit_links.all()]

    @property
    def is_done(self):
        return self.status == TaskStatus.DONE


def with_plan_details(*, tasks):
    return tasks.select_related("work_team", "lead_unit").prefetch_related(
        Prefetch("deadlines", queryset=Deadline.objects.select_related("settlement")),
        Prefetch("co_unit_links", queryset=TaskCoUnit.objects.select_related("unit")),
    )


def progress_as_of(*, tasks, day: datetime.date) -> dict[int, TaskProgress]:
    """What reports say about each task in the `tasks` queryset as of `day` (three queries)."""
    cutoff = end_of_day(day=day)
    task_ids = tasks.values("pk")
    progress = defaultdict(TaskProgress)
    accepted = ProgressReport.objects.filter(task__in=task_ids, status=ReportStatus.ACCEPTED, reviewed_at__lt=cutoff)
    for task_id in accepted.filter(claims_done=True).values_list("task_id", flat=True):
        progress[task_id].accepted_done = True
    met = ProgressReport.completes_deadlines.through.objects.filter(progressreport__in=accepted.values("pk"))
    for task_id, deadline_id in met.values_list("deadline__task_id", "deadline_id"):
        progress[task_id].met_deadline_ids.add(deadline_id)
    submitted = ProgressReport.objects.filter(task__in=task_ids, submitted_at__lt=cutoff)
    for row in submitted.values("task_id").annotate(last=Max("period")):
        progress[row["task_id"]].last_reported_period = row["last"]
    return progress


def task_states(*, tasks, day: datetime.date) -> list[TaskState]:
    """Each task of the `tasks` queryset with its status as of `day`: six queries whatever the plan's size."""
    progress = progress_as_of(tasks=tasks, day=day)
    states = []
    for task in with_plan_details(tasks=tasks):
        deadlines = list(task.deadlines.all())
        facts = [DeadlineFact(d.id, d.due_on) for d in deadlines]
        task_progress = progress.get(task.pk, TaskProgress())
        pending_ids = {fact.id for fact in open_deadlines(facts, task_progress)}
        states.append(
            TaskState(
                task=task,
                status=task_status(facts, task_progress, day),
                deadlines=deadlines,
                open_deadlines=[d for d in deadlines if d.id in pending_ids],
                last_reported_period=task_progress.last_reported_period,
            )
        )
    return states


def task_state(*, task: Task, day: datetime.date) -> TaskState:
    return task_states(tasks=Task.objects.filter(pk=task.pk), day=day)[0]


def count_by_status(*, states) -> dict[TaskStatus, int]:
    counts = Counter(state.status for state in states)
    return {status: counts.get(status, 0) for status in STATUS_ORDER}


# --- reporting completeness ------------------------------------------------------------------------------------


@dataclass
class UnitGap:
    """A unit and the open tasks it has not reported on for a month."""

    unit: ResponsibleUnit
    missing: list[Task] = field(default_factory=list)


def reporting_units(*, state: TaskState):
    """The units expected to report on a task: every named unit except collective designations (各乡镇…)."""
    return [unit for unit in state.units if unit.kind != UnitKind.COLLECTIVE]


def reported_pairs(*, period: datetime.date, day: datetime.date) -> set[tuple[int, int]]:
    """(task id, unit id) of the reports for `period` submitted by the end of `day`."""
    reports = ProgressReport.objects.filter(period=period, submitted_at__lt=end_of_day(day=day))
    return set(reports.values_list("task_id", "unit_id"))


def tasks_reported_by(*, unit_id: int, period: datetime.date, day: datetime.date) -> set[int]:
    """Ids of the tasks `unit_id` has reported on for `period` by the end of `day`."""
    reports = ProgressReport.objects.filter(period=period, unit_id=unit_id, submitted_at__lt=end_of_day(day=day))
    return set(reports.values_list("task_id", flat=True))


@dataclass
class Completeness:
    expected: int
    reported: int
    gaps: list[UnitGap]

    @property
    def percent(self):
        return round(100 * self.reported / self.expected) if self.expected else 100


def reporting_completeness(*, states, period: datetime.date, day: datetime.date) -> Completeness:
    """Which units have reported on their open tasks for `period`, as of `day` (one query)."""
    reported = reported_pairs(period=period, day=day)
    gaps: dict[int, UnitGap] = {}
    expected = done = 0
    for state in states:
        if state.is_done:
            continue
        for unit in reporting_units(state=state):
            expected += 1
            if (state.task.pk, unit.pk) in reported:
                done += 1
            else:
                gaps.setdefault(unit.pk, UnitGap(unit)).missing.append(state.task)
    ordered = sorted(gaps.values(), key=lambda gap: (-len(gap.missing), gap.unit.sort_order, gap.unit.name))
    return Completeness(expected=expected, reported=done, gaps=ordered)


# --- meetings and their agenda ---------------------------------------------------------------------------------


def meeting_as_of(*, meeting: Meeting, today: datetime.date) -> datetime.date:
    """The day a meeting's agenda and report stand on: its date once come, until then today."""
    return min(meeting.held_on, today) if meeting.status == MeetingStatus.SCHEDULED else meeting.held_on


def next_meeting_date(*, meeting: Meeting) -> datetime.date:
    """The next scheduled meeting's date, or the same day a month later when none is scheduled yet."""
    following = Meeting.objects.filter(held_on__gt=meeting.held_on).order_by("held_on").first()
    return following.held_on if following else add_months(meeting.held_on, 1)


@dataclass
class Agenda:
    meeting: Meeting
    as_of: datetime.date
    horizon: datetime.date
    states: list[TaskState]
    due: list[TaskState]
    stalled: list[TaskState]
    completeness: Completeness
    carried_actions: list[FollowUpAction]
    new_actions: list[FollowUpAction]


def is_due_before(*, state: TaskState, horizon: datetime.date) -> bool:
    return state.status == TaskStatus.OVERDUE or any(d.due_on < horizon for d in state.open_deadlines)


def is_stalled(*, state: TaskState, period: datetime.date) -> bool:
    """Not done and no report in this month or the month before."""
    if state.is_done:
        return False
    since = months_before(period=period, months=STALLED_MONTHS - 1)
    return state.last_reported_period is None or state.last_reported_period < since


def meeting_agenda(*, meeting: Meeting, today: datetime.date) -> Agenda:
    """The agenda that builds itself: due and overdue tasks, stalled tasks, units that have not reported,
    and every action from earlier meetings still open."""
    as_of = meeting_as_of(meeting=meeting, today=today)
    horizon = next_meeting_date(meeting=meeting)
    states = task_states(tasks=Task.objects.all(), day=as_of)
    actions = FollowUpAction.objects.select_related("meeting", "owner_unit", "task")
    return Agenda(
        meeting=meeting,
        as_of=as_of,
        horizon=horizon,
        states=states,
        due=sorted(
            (s for s in states if is_due_before(state=s, horizon=horizon)), key=lambda s: s.next_deadline.due_on
        ),
        stalled=[s for s in states if is_stalled(state=s, period=meeting.period)],
        completeness=reporting_completeness(states=states, period=meeting.period, day=as_of),
        carried_actions=list(actions.open_on(as_of).filter(meeting__held_on__lt=meeting.held_on)),
        new_actions=list(actions.filter(meeting=meeting)),
    )


# --- the office's overview --------------------------------------------------------------------------------------


@dataclass
class TeamRow:
    team: WorkTeam
    counts: dict[TaskStatus, int]

    @property
    def total(self):
        return sum(self.counts.values())


@dataclass
class UnitOverdue:
    unit: ResponsibleUnit
    led: int = 0
    shared: int = 0

    @property
    def total(self):
        return self.led + self.shared


def teams_by_status(*, states) -> list[TeamRow]:
    by_team = defaultdict(list)
    for state in states:
        by_team[state.task.work_team_id].append(state)
    return [TeamRow(team, count_by_status(states=by_team[team.pk])) for team in WorkTeam.objects.order_by("sort_order")]


def overdue_by_unit(*, states) -> list[UnitOverdue]:
    rows: dict[int, UnitOverdue] = {}
    for state in states:
        if state.status != TaskStatus.OVERDUE:
            continue
        rows.setdefault(state.task.lead_unit_id, UnitOverdue(state.task.lead_unit)).led += 1
        for unit in state.co_units:
            rows.setdefault(unit.pk, UnitOverdue(unit)).shared += 1
    return sorted(rows.values(), key=lambda row: (-row.led, -row.total, row.unit.sort_order))


@dataclass
class Overview:
    today: datetime.date
    states: list[TaskState]
    counts: dict[TaskStatus, int]
    teams: list[TeamRow]
    overdue_units: list[UnitOverdue]
    completeness: Completeness
    next_meeting: Meeting | None
    open_actions: list[FollowUpAction]
    indicators: "IndicatorTable"


def overview(*, today: datetime.date) -> Overview:
    states = task_states(tasks=Task.objects.all(), day=today)
    next_meeting = (
        Meeting.objects.filter(status=MeetingStatus.SCHEDULED, held_on__gte=today).order_by("held_on").first()
    )
    open_actions = FollowUpAction.objects.open_on(today).select_related("meeting", "owner_unit", "task")
    return Overview(
        today=today,
        states=states,
        counts=count_by_status(states=states),
        teams=teams_by_status(states=states),
        overdue_units=overdue_by_unit(states=states),
        completeness=reporting_completeness(states=states, period=first_of_month(today), day=today),
        next_meeting=next_meeting,
        open_actions=list(open_actions),
        indicators=indicator_table(day=today),
    )


# --- indicators --------------------------------------------------------------------------------------------------


@dataclass
class IndicatorRow:
    indicator: indicators.Indicator
    values: dict[int, object]
    total: object


@dataclass
class IndicatorTable:
    """Every indicator as of `day`, read from the snapshots, with the time they were computed."""

    day: datetime.date
    rows: list[IndicatorRow]
    computed_at: datetime.datetime | None
    stale: bool  # a correction made some values stale; a job is computing them again

    def by_key(self) -> dict[str, IndicatorRow]:
        return {row.indicator.key: row for row in self.rows}


def indicator_table(*, day: datetime.date, refresh_stale: bool = False) -> IndicatorTable:
    read = snapshots.read(day, refresh_stale=refresh_stale)
    rows = [
        IndicatorRow(indicator, read.values[indicator.key], indicator.county_total(read.values[indicator.key]))
        for indicator in indicators.all_indicators()
    ]
    return IndicatorTable(day, rows, read.computed_at, read.stale)


@dataclass
class IndicatorLine:
    """One indicator per settlement and for the county, beside the plan's target tied to it (if any). A target
    set for each settlement (`per_settlement`) is the settlements' to reach: `short` marks each settlement the
    indicator reports below it."""

    key: str
    label: str
    unit: str
    values: list
    total: object
    target: object = None
    target_due: datetime.date | None = None
    per_settlement: bool = False
    short: list = field(default_factory=list)

    @property
    def cells(self) -> list[tuple]:
        """(value, below a target set for each settlement) per settlement."""
        return list(zip(self.values, self.short or [False] * len(self.values), strict=True))


@dataclass
class IndicatorPanel:
    """The lines of a page's indicator table, with the time the snapshot computed them."""

    lines: list[IndicatorLine]
    computed_at: datetime.datetime | None
    stale: bool


def _targets_by_indicator() -> dict:
    """The plan's targets tied to an indicator, the earliest due first, one per indicator key."""
    targets = {}
    for target in Target.objects.exclude(indicator_key="").order_by("-due_on", "-id"):
        targets[target.indicator_key] = target
    return targets


def plan_target(*, indicator_key: str):
    return _targets_by_indicator().get(indicator_key)


def indicator_panel(*, day: datetime.date, settlements, prefixes: tuple[str, ...]) -> IndicatorPanel:
    """The indicators whose key starts with one of `prefixes` (an app's label: "settlements", "employment"),
    for `settlements` and the county, as of `day` (from the indicators' snapshots), each beside its target."""
    targets = _targets_by_indicator()
    table = indicator_table(day=day)
    lines = []
    for row in table.rows:
        if row.indicator.key.split(".")[0] not in prefixes:
            continue
        target = targets.get(row.indicator.key)
        per_settlement = bool(target and target.per_settlement)
        lines.append(
            IndicatorLine(
                key=row.indicator.key,
                label=row.indicator.label,
                unit=row.indicator.unit,
                values=[row.values.get(settlement.pk, 0) for settlement in settlements],
                total=row.total,
                target=target.value if target else None,
                target_due=target.due_on if target else None,
                per_settlement=per_settlement,
                short=[per_settlement and _is_short(row, settlement.pk, target) for settlement in settlements],
            )
        )
    return IndicatorPanel(lines, table.computed_at, table.stale)


def _is_short(row: IndicatorRow, settlement_id: int, target: Target) -> bool:
    """A settlement the indicator reports (a value, 0 included) below a target set for each settlement."""
    return settlement_id in row.values and row.values[settlement_id] < target.value


@dataclass(frozen=True)
class Correction:
    """A figure the meeting saw that the data, corrected since, no longer gives."""

    place: str  # a settlement's name, or 全县
    then: object
    now: object

    def __str__(self):
        return f"{self.place}：会时 {self.then}，现为 {self.now}"


@dataclass
class ReportIndicators:
    """The indicators of a meeting's report: as the meeting saw them once it is held (frozen), with what
    data corrected since changed; before that, as they stand."""

    rows: list[IndicatorRow]
    corrections: dict[str, list[Correction]]  # by indicator key
    frozen: bool
    computed_at: datetime.datetime | None  # when the figures shown were computed

    def county_correction(self, key: str) -> Correction | None:
        return next((c for c in self.corrections.get(key, []) if c.place == COUNTY), None)


COUNTY = "全县"


def report_indicators(*, meeting: Meeting, day: datetime.date) -> ReportIndicators:
    """The report's indicators as of `day` (the meeting's, once it has come)."""
    now = indicator_table(day=day, refresh_stale=True)
    figures = meeting.figures.select_related("settlement")
    ordered = figures.order_by("sort_order", "indicator_key", "settlement__sort_order")
    figures = list(ordered) if meeting.status == MeetingStatus.HELD else []
    if not figures:
        return ReportIndicators(now.rows, {}, frozen=False, computed_at=now.computed_at)
    rows, names = _frozen_rows(figures)
    current = now.by_key()
    corrections = {}
    for row in rows:
        live = current.get(row.indicator.key)
        live_values = live.values if live else {}
        changed = [
            Correction(names[pk], then, live_values.get(pk, 0))
            for pk, then in row.values.items()
            if live_values.get(pk, 0) != then
        ]
        if changed:
            changed.append(Correction(COUNTY, row.total, sum(live_values.values())))
            corrections[row.indicator.key] = changed
    computed_at = min(figure.computed_at for figure in figures)
    return ReportIndicators(rows, corrections, frozen=True, computed_at=computed_at)


def _frozen_rows(figures) -> tuple[list[IndicatorRow], dict[int, str]]:
    by_key: dict[str, IndicatorRow] = {}
    names = {}
    for figure in figures:
        row = by_key.get(figure.indicator_key)
        if row is None:
            indicator = indicators.Indicator(figure.indicator_key, figure.label, figure.unit, "", figure.sort_order)
            row = by_key[figure.indicator_key] = IndicatorRow(indicator, {}, 0)
        row.values[figure.settlement_id] = snapshots.as_number(figure.value)
        names[figure.settlement_id] = figure.settlement.name
    for row in by_key.values():
        row.total = row.indicator.county_total(row.values)
    return list(by_key.values()), names


@dataclass(frozen=True)
class SettlementsReaching:
    """A target set for each settlement, as the settlements the indicator reports stand towards it."""

    reached: int
    reported: int
    short: list[str]  # the names of those below it
    per_settlement = True

    def __str__(self):
        text = f"{self.reported} 个安置点中 {self.reached} 个达到"
        return f"{text}（未达到：{'、'.join(self.short)}）" if self.short else text


def target_progress(*, target, rows_by_key: dict[str, IndicatorRow], day: datetime.date | None = None):
    """The county figure towards a target from its indicator (for a target set for each settlement, how many
    settlements reach it; for a county indicator, its value as of `day`), or None when the target has none."""
    row = rows_by_key.get(target.indicator_key)
    if row is None:
        county = indicators.county(target.indicator_key)
        return county.value_as_of(day) if county is not None and day is not None else None
    if not target.per_settlement:
        return row.total
    reported = Settlement.objects.filter(pk__in=list(row.values)).values_list("pk", "name")  # in the plan's order
    short = [name for pk, name in reported if _is_short(row, pk, target)]
    return SettlementsReaching(len(row.values) - len(short), len(row.values), short)


# --- lists ---------------------------------------------------------------------------------------------------


def reports_for_review():
    return ProgressReport.objects.filter(status=ReportStatus.SUBMITTED)


@dataclass(frozen=True)
class LatestReport:
    unit_name: str
    period: datetime.date
    progress: str
    problems: str


def latest_reports_as_of(*, day: datetime.date) -> dict[int, list[LatestReport]]:
    """Per task id, the reports of its most recent reported month as they stood at the end of `day` (read
    from the change history, so a report resubmitted later shows its earlier text), one per unit."""
    cutoff = end_of_day(day=day)
    units = dict(ResponsibleUnit.objects.values_list("pk", "name"))
    historical = ProgressReport.history.as_of(cutoff - datetime.timedelta(microseconds=1))
    latest: dict[int, list[LatestReport]] = defaultdict(list)
    for report in historical.filter(submitted_at__lt=cutoff).order_by("task_id", "-period", "unit_id"):
        reports = latest[report.task_id]
        if not reports or reports[0].period == report.period:
            reports.append(LatestReport(units[report.unit_id], report.period, report.progress, report.problems))
    return latest
