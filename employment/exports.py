"""Employment's exports, registered with the portal's export registry (`settlements.exports`).

- The labour ledger (家庭就业扶贫台账): one row per person counted as labour on a day, streamed in chunks: for
  each chunk of persons, their current jobs, profiles and training counts are read in three queries.
- The subsidy roster of a month (补贴花名册): a small styled workbook, printable on A4 landscape. Sheet 补贴花名册
  lists every item due in the user's settlements, rule by rule, each rule closed by its subtotal and the sheet
  by the grand total; sheet 汇总 gives count and amount per rule. Totals are computed before the rows are
  written.

ID numbers are text cells, masked (522632********0017) unless a user allowed to see them asks for full ones.
"""

from decimal import Decimal

from django.db.models import Count
from openpyxl.styles import PatternFill

from settlements import exports
from settlements.models import Settlement
from settlements.report_sheets import BOLD, BORDER, HEADER_ROW, WRAP, fit_row_height, start_sheet
from settlements.xlsx_writer import DATE, TEXT, SheetColumn

from . import labour, subsidies
from .capabilities import READ_EMPLOYMENT
from .forms import labour_ledger_query, month_of
from .models import Employment, LabourProfile, TrainingRecord
from .selectors import WorkStatus, work_status

COLUMNS = [
    SheetColumn("安置点", 8),
    SheetColumn("户编号", 14, TEXT),
    SheetColumn("姓名", 10),
    SheetColumn("身份证号", 22, TEXT),
    SheetColumn("性别", 6),
    SheetColumn("年龄", 6),
    SheetColumn("文化程度", 10),
    SheetColumn("健康状况", 10),
    SheetColumn("劳动技能", 16),
    SheetColumn("培训意愿", 14),
    SheetColumn("就业意愿", 14),
    SheetColumn("就业状态", 14),
    SheetColumn("就业类型", 16),
    SheetColumn("用工单位", 24),
    SheetColumn("上岗日期", 12, DATE),
    SheetColumn("月收入（元）", 10),
    SheetColumn("已结业培训（次）", 10),
]


@exports.register
class LabourLedger(exports.LedgerExporter):
    """The labour ledger page's rows (its filters, in the user's scope) on the day it names."""

    identifier = "employment.labour_ledger"
    verbose_name = "家庭就业扶贫台账"
    capability = READ_EMPLOYMENT
    sheet_name = "家庭就业扶贫台账"
    columns = COLUMNS

    def __init__(self, user, params=None, **options):
        super().__init__(user, params, **options)
        _, self.day, self.stays = labour_ledger_query(user, self.params)

    def file_name(self) -> str:
        return f"家庭就业扶贫台账_{self.day:%Y%m%d}.xlsx"

    def description(self) -> str:
        return f"{self.day:%Y-%m-%d}劳动力台账"

    def rows(self):
        for chunk in exports.chunks(self.stays, self.chunk_size):
            facts = _facts([stay.person_id for stay in chunk], self.day)
            for stay in chunk:
                yield self._row(stay, facts)

    def _row(self, stay, facts) -> list:
        jobs, profiles, trainings = facts
        person, job, profile = stay.person, jobs.get(stay.person_id), profiles.get(stay.person_id)
        return [
            stay.household.settlement.name,
            stay.household.code,
            person.name,
            self.id_number(person.id_number),
            person.get_sex_display(),
            labour.age_on(person.birth_date, self.day),
            person.get_education_display(),
            person.get_health_display(),
            profile.skills if profile else "",
            profile.training_wish if profile else "",
            profile.job_wish if profile else "",
            WorkStatus.LABELS[work_status(stay=stay)],
            job.get_kind_display() if job else "",
            job.employer_label if job else "",
            job.start_date if job else None,
            job.monthly_pay if job else None,
            trainings.get(stay.person_id, 0),
        ]


def _facts(person_ids, day):
    jobs = Employment.objects.active_on(day).filter(person_id__in=person_ids).select_related("employer")
    profiles = LabourProfile.objects.filter(person_id__in=person_ids)
    trainings = (
        TrainingRecord.objects.filter(person_id__in=person_ids, completed=True, end_date__lte=day)
        .values("person_id")
        .annotate(n=Count("id"))
    )
    return (
        {job.person_id: job for job in jobs},
        {profile.person_id: profile for profile in profiles},
        {row["person_id"]: row["n"] for row in trainings},
    )


# --- the subsidy roster --------------------------------------------------------------------------------

TEXT_FORMAT = "@"
MONEY = "#,##0.00"
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")

ROSTER_SHEET = "补贴花名册"
SUMMARY_SHEET = "汇总"
ROSTER_COLUMNS = [
    ("序号", 6),
    ("补贴项目", 22),
    ("领取对象", 20),
    ("人员姓名", 10),
    ("身份证号", 21),
    ("安置点", 8),
    ("金额（元）", 13),
    ("资金来源", 20),
    ("计发依据", 48),
]
ID_COLUMN = 5
AMOUNT_COLUMN = 7
SUMMARY_COLUMNS = [("补贴项目", 26), ("计发标准", 18), ("项数", 8), ("金额（元）", 14), ("资金来源", 30)]
SUBTOTAL = "小计"
GRAND_TOTAL = "合计"


@exports.register
class SubsidyRoster(exports.ReportExporter):
    """What is due in the month `?month=YYYY-MM` names (default this month) in the user's settlements."""

    identifier = "employment.subsidy_roster"
    verbose_name = "培训和就业补贴花名册"
    capability = READ_EMPLOYMENT

    def __init__(self, user, params=None, **options):
        super().__init__(user, params, **options)
        self.month = month_of(self.params)
        self.items = subsidies.roster(self.month, settlements=Settlement.objects.for_user(user))

    def file_name(self) -> str:
        return f"培训和就业补贴花名册_{self.month:%Y年%m月}.xlsx"

    def description(self) -> str:
        return f"{self.month:%Y年%m月}培训和就业补贴花名册"

    def title(self) -> str:
        return f"榕江县易地扶贫搬迁培训和就业补贴花名册（{self.month:%Y年%m月}）"

    def build(self, workbook) -> int:
        groups = _groups(self.items)
        total = sum((item.amount for item in self.items), Decimal("0"))
        self._write_roster(workbook, groups, total)
        self._write_summary(workbook, groups, total)
        return len(self.items)

    def _write_roster(self, workbook, groups, total):
        ids = "身份证号完整显示" if self.full_ids else "身份证号已隐藏中间位"
        subtitle = f"共 {len(self.items)} 项，合计 {total:,.2f} 元；{ids}"
        sheet = start_sheet(workbook, ROSTER_SHEET, self.title(), subtitle, ROSTER_COLUMNS, freeze=2)
        row, number = HEADER_ROW + 1, 0
        for rule, items, subtotal in groups:
            for item in items:
                number += 1
                values = [
                    number,
                    rule.name,
                    item.subject_label,
                    item.person_name,
                    self.id_number(item.id_number) or None,
                    item.settlement,
                    item.amount,
                    item.fund,
                    item.basis_detail,
                ]
                _write_line(sheet, row, values)
                row += 1
            subtotal_line = [None, f"{rule.name} {SUBTOTAL}", None, None, None, None, subtotal, None]
            _write_line(sheet, row, [*subtotal_line, f"{len(items)} 项"], total=True)
            row += 1
        total_line = [None, GRAND_TOTAL, None, None, None, None, total, None, f"{len(self.items)} 项"]
        _write_line(sheet, row, total_line, total=True)

    def _write_summary(self, workbook, groups, total):
        subtitle = f"共 {len(self.items)} 项，合计 {total:,.2f} 元"
        sheet = start_sheet(workbook, SUMMARY_SHEET, self.title(), subtitle, SUMMARY_COLUMNS)
        row = HEADER_ROW + 1
        for rule, items, subtotal in groups:
            funds = "、".join(dict.fromkeys(item.fund for item in items if item.fund))
            standard = f"{rule.amount:,.2f}".rstrip("0").rstrip(".") + rule.get_unit_display()
            _write_line(sheet, row, [rule.name, standard, len(items), subtotal, funds], amount_column=4)
            row += 1
        _write_line(sheet, row, [GRAND_TOTAL, None, len(self.items), total, None], amount_column=4, total=True)


def _groups(rows) -> list[tuple]:
    """[(rule, its rows, their total)] in the order the rules first appear."""
    by_rule = {}
    for row in rows:
        by_rule.setdefault(row.rule.pk, (row.rule, []))[1].append(row)
    return [(rule, items, sum((item.amount for item in items), Decimal("0"))) for rule, items in by_rule.values()]


def _write_line(sheet, row, values, *, amount_column=AMOUNT_COLUMN, total=False):
    """Bordered, wrapped cells; amounts as money, the ID column as text, totals bold on grey."""
    cells = []
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        cell.border, cell.alignment = BORDER, WRAP
        if column == amount_column:
            cell.number_format = MONEY
        elif sheet.title == ROSTER_SHEET and column == ID_COLUMN:
            cell.number_format = TEXT_FORMAT
        if total:
            cell.font, cell.fill = BOLD, TOTAL_FILL
        cells.append(cell)
    fit_row_height(sheet, row, cells)
