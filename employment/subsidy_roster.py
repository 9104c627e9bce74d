"""The subsidy roster of a month (补贴花名册) as a small styled workbook, printable on A4 landscape.

`build(month, rows)` takes the rows of `employment.subsidies.roster(month)`. Sheet 补贴花名册 lists every item
due, rule by rule, each rule closed by its subtotal and the sheet by the grand total; sheet 汇总 gives count and
amount per rule. Totals are computed before the rows are written. ID numbers are text cells, masked
(522632********0017) unless `full_ids` is asked for by a user allowed to see them.
"""

import datetime
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import PatternFill

from settlements import id_numbers
from settlements.report_sheets import BOLD, BORDER, HEADER_ROW, WRAP, fit_row_height, start_sheet

TEXT = "@"
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


def filename(month: datetime.date) -> str:
    return f"培训和就业补贴花名册_{month:%Y年%m月}.xlsx"


def title(month: datetime.date) -> str:
    return f"榕江县易地扶贫搬迁培训和就业补贴花名册（{month:%Y年%m月}）"


def build(month: datetime.date, rows, *, full_ids: bool = False) -> bytes:
    """The roster's .xlsx bytes: the items of `rows` (in their order, grouped by rule) with totals."""
    groups = _groups(rows)
    total = sum((row.amount for row in rows), Decimal("0"))
    workbook = Workbook()
    workbook.remove(workbook.active)
    _write_roster(workbook, month, groups, total, len(rows), full_ids)
    _write_summary(workbook, month, groups, total, len(rows))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _groups(rows) -> list[tuple]:
    """[(rule, its rows, their total)] in the order the rules first appear."""
    by_rule = {}
    for row in rows:
        by_rule.setdefault(row.rule.pk, (row.rule, []))[1].append(row)
    return [(rule, items, sum((item.amount for item in items), Decimal("0"))) for rule, items in by_rule.values()]


def _write_roster(workbook, month, groups, total, count, full_ids):
    ids = "身份证号完整显示" if full_ids else "身份证号已隐藏中间位"
    subtitle = f"共 {count} 项，合计 {total:,.2f} 元；{ids}"
    sheet = start_sheet(workbook, ROSTER_SHEET, title(month), subtitle, ROSTER_COLUMNS, freeze=2)
    row, number = HEADER_ROW + 1, 0
    for rule, items, subtotal in groups:
        for item in items:
            number += 1
            id_number = item.id_number if full_ids else id_numbers.mask(item.id_number) if item.id_number else ""
            values = [
                number,
                rule.name,
                item.subject_label,
                item.person_name,
                id_number or None,
                item.settlement,
                item.amount,
                item.fund,
                item.basis_detail,
            ]
            _write_line(sheet, row, values)
            row += 1
        _write_line(
            sheet,
            row,
            [None, f"{rule.name} {SUBTOTAL}", None, None, None, None, subtotal, None, f"{len(items)} 项"],
            total=True,
        )
        row += 1
    _write_line(sheet, row, [None, GRAND_TOTAL, None, None, None, None, total, None, f"{count} 项"], total=True)


def _write_summary(workbook, month, groups, total, count):
    sheet = start_sheet(workbook, SUMMARY_SHEET, title(month), f"共 {count} 项，合计 {total:,.2f} 元", SUMMARY_COLUMNS)
    row = HEADER_ROW + 1
    for rule, items, subtotal in groups:
        funds = "、".join(dict.fromkeys(item.fund for item in items if item.fund))
        standard = f"{rule.amount:,.2f}".rstrip("0").rstrip(".") + rule.get_unit_display()
        _write_line(sheet, row, [rule.name, standard, len(items), subtotal, funds], amount_column=4)
        row += 1
    _write_line(sheet, row, [GRAND_TOTAL, None, count, total, None], amount_column=4, total=True)


def _write_line(sheet, row, values, *, amount_column=AMOUNT_COLUMN, total=False):
    """Bordered, wrapped cells; amounts as money, the ID column as text, totals bold on grey."""
    cells = []
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        cell.border, cell.alignment = BORDER, WRAP
        if column == amount_column:
            cell.number_format = MONEY
        elif sheet.title == ROSTER_SHEET and column == ID_COLUMN:
            cell.number_format = TEXT
        if total:
            cell.font, cell.fill = BOLD, TOTAL_FILL
        cells.append(cell)
    fit_row_height(sheet, row, cells)
