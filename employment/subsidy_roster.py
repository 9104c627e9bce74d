"""The subsidy roster of a month (补贴花名册) as a small styled workbook, printable on A4 landscape.

`build(month, rows)` takes the rows of `employment.subsidies.roster(month)`. Sheet 补贴花名册 lists every item
due, rule by rule, each rule closed by its subtotal and the sheet by the grand total; sheet 汇总 gives count and
amount per rule. Totals are computed before the rows are written. ID numbers are text cells, masked
(522632********0017) unless `full_ids` is asked for by a user allowed to see them.
"""

import datetime
import io
import math
import unicodedata
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from settlements import id_numbers

TEXT = "@"
MONEY = "#,##0.00"
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGNMENT = Alignment(wrap_text=True, horizontal="center", vertical="center")
FOOTER = "第 &P 页 / 共 &N 页"
LINE_HEIGHT = 16
HEADER_ROW = 3  # row 1 the title, row 2 the count, the total and how ID numbers are shown

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
    sheet = _start_sheet(workbook, ROSTER_SHEET, month, ROSTER_COLUMNS, f"共 {count} 项，合计 {total:,.2f} 元；{ids}")
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=3)
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
    sheet = _start_sheet(workbook, SUMMARY_SHEET, month, SUMMARY_COLUMNS, f"共 {count} 项，合计 {total:,.2f} 元")
    row = HEADER_ROW + 1
    for rule, items, subtotal in groups:
        funds = "、".join(dict.fromkeys(item.fund for item in items if item.fund))
        standard = f"{rule.amount:,.2f}".rstrip("0").rstrip(".") + rule.get_unit_display()
        _write_line(sheet, row, [rule.name, standard, len(items), subtotal, funds], amount_column=4)
        row += 1
    _write_line(sheet, row, [GRAND_TOTAL, None, count, total, None], amount_column=4, total=True)


def _start_sheet(workbook, name, month, columns, line):
    sheet = workbook.create_sheet(name)
    _page_setup(sheet)
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    _merged_line(sheet, 1, title(month), len(columns), TITLE_FONT)
    _merged_line(sheet, 2, line, len(columns))
    for column, (header, _) in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=header)
        cell.font, cell.fill, cell.alignment, cell.border = BOLD, HEADER_FILL, HEADER_ALIGNMENT, BORDER
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    return sheet


def _page_setup(sheet):
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = FOOTER
    sheet.evenFooter.center.text = FOOTER


def _merged_line(sheet, row, text, width, font=None):
    cell = sheet.cell(row=row, column=1, value=text)
    cell.alignment = Alignment(horizontal="center" if font else "left", vertical="center")
    if font:
        cell.font = font
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _write_line(sheet, row, values, *, amount_column=AMOUNT_COLUMN, total=False):
    """Bordered, wrapped cells; amounts as money, the ID column as text, totals bold on grey."""
    lines = 1
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        cell.border, cell.alignment = BORDER, WRAP
        if column == amount_column:
            cell.number_format = MONEY
        elif sheet.title == ROSTER_SHEET and column == ID_COLUMN:
            cell.number_format = TEXT
        if total:
            cell.font, cell.fill = BOLD, TOTAL_FILL
        width = sheet.column_dimensions[get_column_letter(column)].width or 8
        lines = max(lines, _line_count(value, width))
    if lines > 1:  # LibreOffice keeps the default height of a wrapped row otherwise
        sheet.row_dimensions[row].height = lines * LINE_HEIGHT


def _line_count(value, width) -> int:
    if not isinstance(value, str):
        return 1
    room = max(width - 1, 1)
    return sum(max(math.ceil(_display_width(line) / room), 1) for line in value.split("\n"))


def _display_width(text: str) -> int:
    """Width in Excel's character units: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
