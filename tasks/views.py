"""Pages of the work plan: tasks, reports, meetings, actions, the overview and the inbox.

Views parse input, call a service, redirect. Objects are read through `for_user`; outside scope is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from settlements import capabilities, exports
from settlements.capabilities import REPORT_PROGRESS, RUN_DISPATCH, SEE_ALL_TASKS, capability_required
from settlements.form_pages import day_of, page_of
from settlements.forms import add_service_errors
from settlements.models import Settlement

from . import reports, selectors, services
from .facility_deadlines import facility_deadlines as facility_deadline_rows
from .filters import ActionFilter, ReportFilter, TaskFilter
from .forms import ActionForm, CloseActionForm, HoldForm, MeetingForm, ReportForm, ReviewForm
from .models import Evidence, FollowUpAction, Meeting, Notification, ProgressReport, Task, first_of_month
from .status import STATUS_COLOURS, STATUS_ORDER


def _get_task_for_user(user, pk):
    return get_object_or_404(Task.objects.for_user(user), pk=pk)


def _get_report_for_user(user, pk):
    readable = ProgressReport.objects.for_user(user).select_related("task", "unit", "submitted_by", "reviewed_by")
    return get_object_or_404(readable, pk=pk)


def _get_meeting(pk):
    """A meeting (the office's pages: their views require `run_dispatch`)."""
    return get_object_or_404(Meeting, pk=pk)


# --- tasks ---------------------------------------------------------------------------------------------------


@login_required
def task_list(request):
    task_filter = TaskFilter(request.GET, Task.objects.for_user(request.user), user=request.user)
    today = timezone.localdate()
    states = selectors.task_states(tasks=task_filter.qs, day=today)
    if task_filter.wanted_status:
        states = [state for state in states if state.status == task_filter.wanted_status]
    reported = set()
    if capabilities.has(request.user, REPORT_PROGRESS):
        reported = selectors.tasks_reported_by(unit_id=request.user.unit_id, period=first_of_month(today), day=today)
    context = {
        "filter": task_filter,
        "page": page_of(request, states),
        "counts": selectors.count_by_status(states=states),
        "reported_task_ids": reported,
        "today": today,
    }
    return render(request, "tasks/task_list.html", context)


@login_required
def task_detail(request, pk):
    task = _get_task_for_user(request.user, pk)
    today = timezone.localdate()
    state = selectors.task_state(task=task, day=today)
    table = selectors.indicator_table(day=today) if task.targets.filter(indicator_key__gt="").exists() else None
    rows = table.by_key() if table else {}
    targets = [
        (target, selectors.target_progress(target=target, rows_by_key=rows, day=today)) for target in task.targets.all()
    ]
    task_reports = (
        ProgressReport.objects.for_user(request.user)
        .filter(task=task)
        .select_related("unit", "submitted_by")
        .prefetch_related("evidence")
    )
    context = {
        "task": task,
        "state": state,
        "targets": targets,
        "indicators": table,
        "reports": task_reports,
        "actions": FollowUpAction.objects.for_user(request.user).filter(task=task).select_related("meeting"),
        "can_report": reports.may_report(user=request.user, task=state.task),
    }
    return render(request, "tasks/task_detail.html", context)


@login_required
def report_form(request, pk):
    task = _get_task_for_user(request.user, pk)
    state = selectors.task_state(task=task, day=timezone.localdate())
    capabilities.require(request.user, REPORT_PROGRESS)
    if not reports.may_report(user=request.user, task=state.task):
        raise PermissionDenied(services.MSG_NOT_OWN_TASK)
    form = ReportForm(request.POST or None, request.FILES or None, task=task, open_deadlines=state.open_deadlines)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_submit(
                task=task,
                actor=request.user,
                period=data["period"],
                progress=data["progress"],
                figure=data.get("figure"),
                problems=data["problems"],
                claims_done=data["claims_done"],
                completes_deadlines=list(data.get("completes_deadlines") or []),
                files=data["files"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"已提交 {report.period:%Y年%m月} 的进展报告，等待领导小组办公室审核。")
            return redirect("tasks:report_detail", report.pk)
    existing = ProgressReport.objects.filter(task=task, unit_id=request.user.unit_id).order_by("-period").first()
    return render(request, "tasks/report_form.html", {"task": task, "form": form, "existing": existing})


# --- reports -------------------------------------------------------------------------------------------------


@login_required
def report_list(request):
    readable = ProgressReport.objects.for_user(request.user).select_related("task", "unit", "submitted_by")
    report_filter = ReportFilter(request.GET, readable)
    context = {
        "filter": report_filter,
        "page": page_of(request, report_filter.qs),
        "waiting": selectors.reports_for_review().count() if capabilities.has(request.user, RUN_DISPATCH) else None,
    }
    return render(request, "tasks/report_list.html", context)


@login_required
def report_detail(request, pk):
    return _report_page(request, _get_report_for_user(request.user, pk), ReviewForm())


def _report_page(request, report, form, status=200):
    """The report, the office's review form, and whether the user may correct and resubmit it today."""
    context = {
        "report": report,
        "form": form,
        "may_resubmit": reports.may_resubmit(user=request.user, report=report, today=timezone.localdate()),
    }
    return render(request, "tasks/report_detail.html", context, status=status)


@login_required
@require_POST
def report_review(request, pk):
    report = _get_report_for_user(request.user, pk)
    capabilities.require(request.user, RUN_DISPATCH)
    form = ReviewForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    try:
        if request.POST.get("decision") == "accept":
            services.report_accept(report=report, actor=request.user, note=note)
            messages.success(request, "已采纳该报告。")
        else:
            services.report_return(report=report, actor=request.user, reason=note)
            messages.success(request, "已退回该报告，填报单位会收到提醒。")
    except ValidationError as error:
        add_service_errors(form, error)
        return _report_page(request, report, form, status=400)
    return redirect("tasks:report_detail", report.pk)


@login_required
def evidence_download(request, pk):
    evidence = get_object_or_404(
        Evidence.objects.filter(report__in=ProgressReport.objects.for_user(request.user)), pk=pk
    )
    return FileResponse(evidence.file.open("rb"), filename=evidence.original_name, as_attachment=not evidence.is_image)


# --- meetings and actions ---------------------------------------------------------------------------------------


@capability_required(RUN_DISPATCH)
def meeting_list(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_schedule(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"已安排{meeting}（{meeting.held_on:%Y-%m-%d}）。")
            return redirect("tasks:meeting_detail", meeting.pk)
    meetings = Meeting.objects.all()
    return render(request, "tasks/meeting_list.html", {"form": form, "page": page_of(request, meetings)})


@capability_required(RUN_DISPATCH)
def meeting_detail(request, pk):
    meeting = _get_meeting(pk)
    return _meeting_page_with(request, meeting, status=200)


def _meeting_page_with(request, meeting, status=400, **forms):
    """The meeting page: its agenda, the form to record it held, the form to record an action."""
    context = {
        "meeting": meeting,
        "agenda": selectors.meeting_agenda(meeting=meeting, today=timezone.localdate()),
        "hold_form": HoldForm(),
        "action_form": ActionForm(initial={"due_on": meeting.held_on}),
        **forms,
    }
    return render(request, "tasks/meeting_detail.html", context, status=status)


@capability_required(RUN_DISPATCH)
@require_POST
def meeting_hold(request, pk):
    meeting = _get_meeting(pk)
    form = HoldForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_hold(meeting=meeting, minutes=form.cleaned_data["minutes"], actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "已登记会议召开，可以记录督办事项。")
            return redirect("tasks:meeting_detail", meeting.pk)
    return _meeting_page_with(request, meeting, hold_form=form)


@capability_required(RUN_DISPATCH)
@require_POST
def action_create(request, pk):
    meeting = _get_meeting(pk)
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            services.action_create(meeting=meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "已记录督办事项，责任单位会收到提醒。")
            return redirect("tasks:meeting_detail", meeting.pk)
    return _meeting_page_with(request, meeting, action_form=form)


meeting_report = exports.view("tasks.dispatch_report")


@login_required
def action_list(request):
    actions = FollowUpAction.objects.for_user(request.user).select_related("meeting", "owner_unit", "task")
    action_filter = ActionFilter(request.GET, actions)
    context = {"filter": action_filter, "page": page_of(request, action_filter.qs), "close_form": CloseActionForm()}
    return render(request, "tasks/action_list.html", context)


@capability_required(RUN_DISPATCH)
def action_close(request, pk):
    action = get_object_or_404(FollowUpAction.objects.select_related("meeting", "owner_unit"), pk=pk)
    form = CloseActionForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.action_close(
                action=action,
                closed_on=form.cleaned_data["closed_on"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "督办事项已办结。")
            return redirect("tasks:action_list")
    return render(request, "tasks/action_close.html", {"action": action, "form": form})


# --- overview and inbox -------------------------------------------------------------------------------------------


@capability_required(SEE_ALL_TASKS)
def overview(request):
    data = selectors.overview(today=timezone.localdate())
    return render(request, "tasks/overview.html", {"overview": data, "chart": _chart_data(data)})


def _chart_data(data):
    """The overview's figures for ECharts, read by the page's script from a json_script tag."""
    return {
        "teams": [row.team.name.replace("建设专班", "").replace("专班", "") for row in data.teams],
        "series": [
            {"name": status.label, "colour": STATUS_COLOURS[status], "data": [row.counts[status] for row in data.teams]}
            for status in STATUS_ORDER
        ],
        "units": [row.unit.name for row in data.overdue_units[:15]],
        "unit_led": [row.led for row in data.overdue_units[:15]],
        "unit_shared": [row.shared for row in data.overdue_units[:15]],
        "reported": data.completeness.reported,
        "missing": data.completeness.expected - data.completeness.reported,
    }


@login_required
def inbox(request):
    notifications = Notification.objects.filter(recipient=request.user)
    return render(request, "tasks/inbox.html", {"page": page_of(request, notifications)})


@login_required
def notification_open(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notifications_mark_read(user=request.user, ids=[notification.pk])
    return redirect(notification.link or "tasks:inbox")


@login_required
@require_POST
def inbox_mark_all_read(request):
    count = services.notifications_mark_read(user=request.user)
    messages.success(request, f"已将 {count} 条消息标为已读。")
    return redirect("tasks:inbox")


# --- facilities against the plan's deadlines ------------------------------------------------------------------


@capability_required(capabilities.READ_REGISTRY)
def facility_deadlines(request):
    """Each settlement of the user's scope against the plan's facility deadlines, as of ?day= (today)."""
    day = day_of(request)
    rows = facility_deadline_rows(settlements=Settlement.objects.for_user(request.user), day=day)
    context = {"day": day, "rows": rows, "unmet": sum(1 for row in rows if not row.met and row.kinds)}
    return render(request, "tasks/facility_deadlines.html", context)
