"""The dispatch meeting's Excel report: its sheets, its figures as of the meeting date, its print setup and
its fixed number of queries. Every workbook is read back with openpyxl, as Excel would open it.

Facts are recorded at the moment they happen (time_machine), because the change history that the report
reads stamps its rows with the time of the write.
"""

import datetime
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from settlements import exports
from settlements.models import ResponsibleUnit, Settlement
from settlements.roles import Role
from settlements.services import household_move_out
from tasks import services, snapshots
from tasks.dispatch_report import DispatchReport
from tasks.models import Deadline, Target, Task
from tests.factories import household_with_head, registry_keeper
from tests.tasks.factories import at, make_action, make_meeting, make_report, make_task

MEETING_DAY = datetime.date(2026, 6, 18)
LATER = datetime.date(2026, 9, 1)
HEADER_ROW = 3
EDUCATION = "县教育科技局"
CIVIL_AFFAIRS = "县民政局"

SHEET_HEADERS = {
    "汇总": ["专班", "任务数", "已逾期", "即将到期", "推进中", "未开始", "已完成"],
    "任务进展": [
        "文件",
        "编号",
        "任务",
        "专班",
        "牵头单位",
        "配合单位",
        "下一完成时限",
        "时限说明",
        "状态",
        "最近报告月份",
        "最近进展",
        "存在问题",
        "目标",
        "系统指标数",
    ],
    "逾期任务": ["单位", "承担方式", "任务编号", "任务", "完成时限", "逾期天数"],
    "督办事项": [
        "提出会议",
        "督办事项",
        "相关任务",
        "责任单位",
        "完成时限",
        "状态（截至会议日）",
        "办结日期",
        "办结情况",
    ],
    "安置点指标": ["指标", "单位", "富民", "卧龙", "阳光", "特和", "丰乐", "凤凰", "定威", "全县"],
}


@pytest.fixture
def meeting(users):
    return make_meeting(MEETING_DAY, users["office"], held=True)


def workbook_for(meeting, today=LATER):
    return openpyxl.load_workbook(exports.run(DispatchReport, meeting.scheduled_by, pk=meeting.pk, today=today).file)


def header(sheet):
    return [cell.value for cell in sheet[HEADER_ROW]]


def records(sheet):
    """The rows below the header row as {header: value}."""
    names = header(sheet)
    rows = sheet.iter_rows(min_row=HEADER_ROW + 1, max_col=len(names), values_only=True)
    return [dict(zip(names, row, strict=True)) for row in rows]


def task_rows(workbook):
    return {row["编号"]: row for row in records(workbook["任务进展"])}


def all_values(workbook):
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


def submit(time_machine, task, reporter, day, progress="按计划推进。", **fields):
    """`reporter` reports on `task` for `day`'s month, on `day`, through the service."""
    time_machine.move_to(at(day), tick=False)
    return services.report_submit(task=task, actor=reporter, period=day, progress=progress, **fields)


def accept(time_machine, report, office, day):
    time_machine.move_to(at(day), tick=False)
    return services.report_accept(report=report, actor=office)


def test_sheets_headers_title_and_file_name(meeting):
    workbook = workbook_for(meeting)

    assert workbook.sheetnames == list(SHEET_HEADERS)
    for name, expected in SHEET_HEADERS.items():
        assert header(workbook[name]) == expected, name
    summary = workbook["汇总"]
    assert summary["A1"].value == "榕江县易地扶贫搬迁后续扶持 2026年06月调度会 调度报告"
    assert summary["A1"].font.b
    assert "A1:G1" in {str(cells) for cells in summary.merged_cells.ranges}
    assert summary["A2"].value == "数据截至 2026年06月18日"
    assert all(cell.font.b and cell.fill.fgColor.rgb.endswith("DDEBF7") for cell in summary[HEADER_ROW])
    assert DispatchReport(meeting.scheduled_by, pk=meeting.pk).file_name() == "2026年06月调度会调度报告.xlsx"


def test_one_task_row_per_task_with_code_status_and_units(meeting, users, time_machine):
    overdue = make_task(lead=EDUCATION, co=[CIVIL_AFFAIRS, "县财政局"], deadlines=[datetime.date(2026, 5, 31)])
    due_soon = make_task(lead=CIVIL_AFFAIRS, deadlines=[datetime.date(2026, 6, 25)], title="即将到期的任务")
    not_started = make_task(deadlines=[datetime.date(2026, 12, 31)], targets=[("培训人数", Decimal("500.00"))])
    in_progress = make_task(lead=EDUCATION, deadlines=[(datetime.date(2026, 12, 31), "fumin")])
    submit(time_machine, in_progress, users["reporter"], datetime.date(2026, 6, 5), problems="场地不足")

    rows = task_rows(workbook_for(meeting))

    assert len(rows) == Task.objects.count() == 4
    assert rows[overdue.code]["状态"] == "已逾期"
    assert rows[overdue.code]["牵头单位"] == EDUCATION
    assert rows[overdue.code]["配合单位"] == "县民政局、县财政局"
    assert rows[due_soon.code]["状态"] == "即将到期"
    assert rows[due_soon.code]["牵头单位"] == CIVIL_AFFAIRS
    assert rows[due_soon.code]["任务"] == "即将到期的任务"
    assert rows[due_soon.code]["下一完成时限"] == datetime.datetime(2026, 6, 25)
    assert rows[not_started.code]["状态"] == "未开始"
    assert rows[not_started.code]["牵头单位"] == "县人力资源社会保障局"
    assert rows[not_started.code]["专班"] == "培训和就业服务体系建设专班"
    assert rows[not_started.code]["文件"] == "附件2 培训和就业服务体系"
    assert rows[not_started.code]["目标"] == "培训人数 500 人"
    assert rows[not_started.code]["最近报告月份"] == "—"
    assert rows[in_progress.code]["状态"] == "推进中"
    assert rows[in_progress.code]["时限说明"] == "2026年12月底 富民"
    assert rows[in_progress.code]["最近报告月份"] == datetime.datetime(2026, 6, 1)
    assert rows[in_progress.code]["存在问题"] == "场地不足"


def test_only_reports_accepted_by_the_meeting_complete_a_task(meeting, users, time_machine):
    accepted_before = make_task(lead=EDUCATION, deadlines=[datetime.date(2026, 12, 31)])
    accepted_after = make_task(lead=EDUCATION, deadlines=[datetime.date(2026, 12, 31)])
    for task, accepted_on in [
        (accepted_before, datetime.date(2026, 6, 10)),
        (accepted_after, datetime.date(2026, 6, 25)),
    ]:
        report = submit(time_machine, task, users["reporter"], datetime.date(2026, 6, 5), claims_done=True)
        accept(time_machine, report, users["office"], accepted_on)

    workbook = workbook_for(meeting)

    rows = task_rows(workbook)
    assert rows[accepted_before.code]["状态"] == "已完成"
    assert rows[accepted_before.code]["下一完成时限"] == "—"
    assert rows[accepted_after.code]["状态"] == "推进中"
    assert rows[accepted_after.code]["下一完成时限"] == datetime.datetime(2026, 12, 31)
    teams = {row["专班"]: row for row in records(workbook["汇总"])}
    assert (teams["培训和就业服务体系建设专班"]["任务数"], teams["培训和就业服务体系建设专班"]["已完成"]) == (2, 1)
    assert teams["培训和就业服务体系建设专班"]["推进中"] == 1
    assert (teams["合计"]["任务数"], teams["合计"]["已完成"], teams["合计"]["推进中"]) == (2, 1, 1)


def test_progress_shows_the_text_as_it_stood_at_the_meeting(meeting, users, time_machine):
    task = make_task(lead=EDUCATION, deadlines=[datetime.date(2026, 12, 31)])
    submit(time_machine, task, users["reporter"], datetime.date(2026, 6, 5), progress="已完成选址。")
    submit(time_machine, task, users["reporter"], datetime.date(2026, 6, 25), progress="已开工建设。")  # resubmitted
    submit(time_machine, task, users["reporter"], datetime.date(2026, 7, 5), progress="七月进展。")

    row = task_rows(workbook_for(meeting))[task.code]

    assert row["最近进展"] == "已完成选址。"
    assert row["最近报告月份"] == datetime.datetime(2026, 6, 1)


def test_progress_of_several_units_is_shown_unit_by_unit(meeting, users, make_user, time_machine):
    task = make_task(lead=EDUCATION, co=[CIVIL_AFFAIRS], deadlines=[datetime.date(2026, 12, 31)])
    civil_affairs = make_user(Role.REPORTER, CIVIL_AFFAIRS)
    submit(time_machine, task, users["reporter"], datetime.date(2026, 5, 10), progress="五月进展。")
    submit(time_machine, task, users["reporter"], datetime.date(2026, 6, 5), progress="已完成选址。")
    submit(
        time_machine, task, civil_affairs, datetime.date(2026, 6, 8), progress="已摸排困难户。", problems="经费未到位。"
    )

    row = task_rows(workbook_for(meeting))[task.code]

    assert row["最近进展"] == f"{EDUCATION}：已完成选址。\n{CIVIL_AFFAIRS}：已摸排困难户。"
    assert row["存在问题"] == f"{CIVIL_AFFAIRS}：经费未到位。"


def test_actions_carried_first_with_their_status_as_of_the_meeting(meeting, users):
    office = users["office"]
    earlier = make_meeting(datetime.date(2026, 5, 15), office, held=True)
    make_action(earlier, office, closed_on=datetime.date(2026, 6, 1))  # closed before the meeting: not listed
    make_action(earlier, office, unit=CIVIL_AFFAIRS, closed_on=datetime.date(2026, 6, 25))
    make_action(meeting, office, closed_on=MEETING_DAY)
    closed_later = make_action(meeting, office, closed_on=datetime.date(2026, 6, 30), task=make_task())

    rows = records(workbook_for(meeting)["督办事项"])

    assert [(row["提出会议"], row["责任单位"]) for row in rows] == [
        ("2026年05月调度会", CIVIL_AFFAIRS),
        ("2026年06月调度会", EDUCATION),
        ("2026年06月调度会", EDUCATION),
    ]
    carried_row, at_meeting_row, later_row = rows
    assert (carried_row["状态（截至会议日）"], carried_row["办结日期"], carried_row["办结情况"]) == (
        "未办结",
        None,
        None,
    )
    assert at_meeting_row["状态（截至会议日）"] == "已办结"
    assert at_meeting_row["办结日期"] == datetime.datetime(2026, 6, 18)
    assert at_meeting_row["办结情况"] == "已完成"
    assert (later_row["状态（截至会议日）"], later_row["办结日期"]) == ("未办结", None)
    assert later_row["相关任务"] == f"{closed_later.task.code} 测试任务"
    assert later_row["完成时限"] == datetime.datetime(2026, 7, 8)


def test_overdue_tasks_by_unit_then_longest_overdue(meeting, users, time_machine):
    shared = make_task(
        lead=EDUCATION, co=[CIVIL_AFFAIRS], deadlines=[datetime.date(2026, 5, 31), datetime.date(2026, 6, 10)]
    )
    led = make_task(lead=CIVIL_AFFAIRS, deadlines=[datetime.date(2026, 4, 30)])
    met = make_task(lead=EDUCATION, deadlines=[datetime.date(2026, 5, 1)])
    report = submit(
        time_machine, met, users["reporter"], datetime.date(2026, 4, 28), completes_deadlines=met.deadlines.all()
    )
    accept(time_machine, report, users["office"], datetime.date(2026, 4, 29))

    rows = records(workbook_for(meeting)["逾期任务"])

    assert [(row["单位"], row["承担方式"], row["任务编号"], row["逾期天数"]) for row in rows] == [
        (CIVIL_AFFAIRS, "牵头", led.code, 49),
        (CIVIL_AFFAIRS, "配合", shared.code, 18),
        (CIVIL_AFFAIRS, "配合", shared.code, 8),
        (EDUCATION, "牵头", shared.code, 18),
        (EDUCATION, "牵头", shared.code, 8),
    ]
    assert rows[0]["完成时限"] == datetime.datetime(2026, 4, 30)


def test_reporting_completeness_names_the_units_that_have_not_reported(meeting, users, time_machine):
    task = make_task(lead=EDUCATION, co=[CIVIL_AFFAIRS], deadlines=[datetime.date(2026, 12, 31)])
    submit(time_machine, task, users["reporter"], datetime.date(2026, 6, 5))

    summary = workbook_for(meeting)["汇总"]

    values = [row for row in summary.iter_rows(values_only=True) if any(v is not None for v in row)]
    completeness_at = values.index(("应报", "已报", "报送率", None, None, None, None))
    assert values[completeness_at + 1][:3] == (2, 1, 0.5)
    gaps_at = values.index(("单位", "未报任务数", "未报任务编号", None, None, None, None))
    assert values[gaps_at + 1][:3] == (CIVIL_AFFAIRS, 1, task.code)
    assert len(values) == gaps_at + 2


def test_indicators_count_households_moved_in_by_the_meeting(meeting):
    household_with_head("fumin", move_in_date=datetime.date(2026, 6, 1))
    household_with_head("fumin", move_in_date=datetime.date(2026, 7, 1))
    household_with_head("wolong", move_in_date=MEETING_DAY)
    task = make_task()
    Target.objects.create(task=task, label="在住搬迁户", value=5000, unit="户", indicator_key="settlements.households")

    workbook = workbook_for(meeting)

    indicators = {row["指标"]: row for row in records(workbook["安置点指标"])}
    households = indicators["在住搬迁户"]
    assert (households["单位"], households["富民"], households["卧龙"], households["阳光"]) == ("户", 1, 1, 0)
    assert households["全县"] == 2
    assert indicators["在住搬迁人口"]["全县"] == 2
    assert task_rows(workbook)[task.code]["系统指标数"] == 2


def test_print_setup_on_every_sheet(meeting):
    workbook = workbook_for(meeting)

    freeze = {"汇总": "A4", "任务进展": "D4", "逾期任务": "A4", "督办事项": "A4", "安置点指标": "C4"}
    for sheet in workbook:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4), sheet.title
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.print_title_rows == "$3:$3", sheet.title
        assert sheet.freeze_panes == freeze[sheet.title]
        assert sheet.oddFooter.center.text == "第 &P 页 / 共 &N 页", sheet.title


def test_dates_are_date_cells(meeting, users):
    make_task(deadlines=[datetime.date(2026, 12, 31)])
    make_action(meeting, users["office"])

    workbook = workbook_for(meeting)

    deadline = workbook["任务进展"].cell(row=HEADER_ROW + 1, column=7)
    assert deadline.is_date and deadline.number_format == "yyyy-mm-dd"
    due = workbook["督办事项"].cell(row=HEADER_ROW + 1, column=5)
    assert due.is_date and due.number_format == "yyyy-mm-dd"


def test_built_again_later_the_report_is_the_same(users, time_machine):
    office, reporter = users["office"], users["reporter"]
    task = make_task(lead=EDUCATION, co=[CIVIL_AFFAIRS], deadlines=[datetime.date(2026, 6, 10)])
    other = make_task(lead=EDUCATION, deadlines=[datetime.date(2026, 12, 31)])
    report = submit(time_machine, task, reporter, datetime.date(2026, 6, 5), progress="已完成选址。", claims_done=True)
    household_with_head("fumin", move_in_date=datetime.date(2026, 6, 1))
    meeting = make_meeting(MEETING_DAY, office, held=True)
    action = make_action(meeting, office, task=task)
    time_machine.move_to(at(datetime.date(2026, 6, 19)), tick=False)
    first = all_values(workbook_for(meeting, datetime.date(2026, 6, 19)))

    submit(time_machine, task, reporter, datetime.date(2026, 6, 22), progress="已开工。", claims_done=True)
    accept(time_machine, report, office, datetime.date(2026, 6, 23))
    submit(time_machine, other, reporter, datetime.date(2026, 6, 24))
    services.action_close(action=action, closed_on=datetime.date(2026, 6, 24), note="已落实", actor=office)
    household_with_head("fumin", move_in_date=datetime.date(2026, 6, 20))
    again = all_values(workbook_for(meeting, LATER))

    assert again == first
    assert task_rows(workbook_for(meeting, LATER))[task.code]["状态"] == "已逾期"


def add_plan(count, meeting, users):
    """`count` tasks with co-units, deadlines, targets, reports and actions, and a household for each."""
    codes = list(Settlement.objects.values_list("code", flat=True))
    for index in range(count):
        task = make_task(
            lead=EDUCATION,
            co=[CIVIL_AFFAIRS, "县财政局"],
            deadlines=[datetime.date(2026, 5, 31), (datetime.date(2026, 12, 31), "fumin")],
            targets=[("培训人数", 100)],
        )
        Target.objects.create(task=task, label="户数", value=10, indicator_key="settlements.households")
        deadline = Deadline.objects.filter(task=task).first()
        report = make_report(task, EDUCATION, datetime.date(2026, 6, 1), submitted_on=datetime.date(2026, 6, 5))
        report.completes_deadlines.set([deadline])
        make_action(meeting, users["office"], task=task)
        household_with_head(codes[index % len(codes)], move_in_date=datetime.date(2026, 1, index + 1))


def build_queries(meeting):
    office = meeting.scheduled_by
    with CaptureQueriesContext(connection) as context:
        exports.run(DispatchReport, office, pk=meeting.pk, today=LATER)
    return len(context.captured_queries)


def test_query_count_does_not_grow_with_the_plan(users):
    meeting = make_meeting(MEETING_DAY, users["office"], held=True)
    add_plan(3, meeting, users)
    snapshots.read(MEETING_DAY)  # the nightly job took the day's indicators (computing them is fixed, per group)
    small = build_queries(meeting)

    add_plan(27, meeting, users)
    Settlement.objects.create(
        code="test",
        name="测试点",
        full_name="测试安置点",
        administered_by=ResponsibleUnit.objects.get(name="文体社区服务中心"),
        sort_order=80,
    )
    household_with_head("test")
    snapshots.read(MEETING_DAY, refresh_stale=True)  # and the job recomputed what the new household made stale
    large = build_queries(meeting)

    assert Task.objects.count() == 30
    assert small == large, f"{small} queries for 3 tasks, {large} for 30"


# --- figures frozen when the meeting is held --------------------------------------------------------------------

CORRECTIONS = "会后数据更正（会时数值，现在数值）"


def test_a_held_meetings_report_keeps_its_figures_and_names_a_later_correction(users):
    office = users["office"]
    meeting = make_meeting(MEETING_DAY, office)
    moved_out_later, _ = household_with_head("fumin", move_in_date=datetime.date(2026, 6, 1))
    household_with_head("wolong", move_in_date=datetime.date(2026, 5, 1))
    task = make_task()
    Target.objects.create(task=task, label="在住搬迁户", value=5000, unit="户", indicator_key="settlements.households")
    services.meeting_hold(meeting=meeting, minutes="通报各安置点入住情况。", actor=office)
    at_the_meeting = workbook_for(meeting)

    # found after the meeting: the 富民 household had left on 10 June, before it
    household_move_out(
        actor=registry_keeper(), household=moved_out_later, date=datetime.date(2026, 6, 10), reason="返迁"
    )
    reprinted = workbook_for(meeting)

    for workbook in (at_the_meeting, reprinted):
        households = {row["指标"]: row for row in records(workbook["安置点指标"])}["在住搬迁户"]
        assert (households["富民"], households["卧龙"], households["全县"]) == (1, 1, 2)
    before = {row["指标"]: row for row in records(at_the_meeting["安置点指标"])}
    after = {row["指标"]: row for row in records(reprinted["安置点指标"])}
    assert before["在住搬迁户"][CORRECTIONS] == "—"
    assert after["在住搬迁户"][CORRECTIONS] == "富民：会时 1，现为 0；全县：会时 2，现为 1"
    assert after["在住搬迁人口"][CORRECTIONS] == "富民：会时 1，现为 0；全县：会时 2，现为 1"
    assert after["累计搬迁入住人口"][CORRECTIONS] == "—"  # they had moved in, even if they left since
    assert task_rows(at_the_meeting)[task.code]["系统指标数"] == 2
    assert task_rows(reprinted)[task.code]["系统指标数"] == "2（会后数据更正，现为 1）"
    frozen_at = timezone.localtime(meeting.figures.first().computed_at)
    assert reprinted["安置点指标"]["A2"].value == f"数据截至 2026年06月18日；指标计算于 {frozen_at:%Y-%m-%d %H:%M}"


def test_a_meeting_not_yet_held_shows_the_figures_as_they_stand(users):
    meeting = make_meeting(MEETING_DAY, users["office"])
    household, _ = household_with_head("fumin", move_in_date=datetime.date(2026, 6, 1))
    assert {row["指标"]: row for row in records(workbook_for(meeting)["安置点指标"])}["在住搬迁户"]["全县"] == 1

    household_move_out(actor=registry_keeper(), household=household, date=datetime.date(2026, 6, 10), reason="返迁")

    sheet = workbook_for(meeting)["安置点指标"]
    assert CORRECTIONS not in header(sheet)
    assert {row["指标"]: row for row in records(sheet)}["在住搬迁户"]["全县"] == 0
