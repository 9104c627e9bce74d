"""The blank template of an importer's ledger: headers (required ones in red), dropdowns for the choice
columns, text-formatted ID numbers and codes, date-formatted dates, a frozen header, a sheet of guidance."""

import io

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .columns import DATE, TEXT

TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"
NUMBER_FORMATS = {TEXT: TEXT_FORMAT, DATE: DATE_FORMAT}
TEMPLATE_FORMATTED_ROWS = 2000  # rows given the text and date formats explicitly (the columns have them too)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
REQUIRED_FONT = Font(bold=True, color="9C0006")
GUIDE_SHEET = "填写说明"


def build_template(importer, user) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = importer.title
    for index, column in enumerate(importer.columns, start=1):
        _header_cell(sheet, index, column)
        _format_column(sheet, index, column)
        choices = importer.template_choices(column, user=user)
        if choices:
            sheet.add_data_validation(_dropdown(get_column_letter(index), column, choices))
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 30
    guide = workbook.create_sheet(GUIDE_SHEET)
    guide.column_dimensions["A"].width = 110
    for number, line in enumerate(importer.guide, start=1):
        guide.cell(row=number, column=1, value=line).font = Font(bold=number == 1)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _header_cell(sheet, index, column) -> None:
    cell = sheet.cell(row=1, column=index, value=column.header)
    cell.font = REQUIRED_FONT if column.required else Font(bold=True)
    cell.fill = HEADER_FILL
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.column_dimensions[get_column_letter(index)].width = max(column.width, 2 * len(column.header) + 4)


def _format_column(sheet, index, column) -> None:
    number_format = NUMBER_FORMATS.get(column.kind)
    if not number_format:
        return
    sheet.column_dimensions[get_column_letter(index)].number_format = number_format
    for row in range(2, TEMPLATE_FORMATTED_ROWS + 2):
        sheet.cell(row=row, column=index).number_format = number_format


def _dropdown(letter, column, choices) -> DataValidation:
    validation = DataValidation(
        type="list",
        formula1='"{}"'.format(",".join(choices)),
        allow_blank=not column.required,
        showErrorMessage=True,
        errorTitle="输入有误",
        error=f"请从下拉列表中选择{column.header}。",
        promptTitle=column.header,
        prompt="请从下拉列表中选择。",
        showInputMessage=True,
    )
    validation.add(f"{letter}2:{letter}1048576")
    return validation
