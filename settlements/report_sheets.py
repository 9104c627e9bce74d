"""Styled, printable report sheets: A4 landscape, fit to width, title and subtitle lines, a bordered header row
repeated on every printed page, frozen panes, page numbers, row heights that fit wrapped Chinese text.

`start_sheet` lays out a sheet's first rows (the title, a subtitle, the header row at `HEADER_ROW`) and its
print setup; the report writes its own rows below, bordered and wrapped (`BORDER`, `WRAP`), and gives each row
to `fit_row_height`, since LibreOffice keeps the default height of a wrapped row. Used by the reports of the
other apps (the dispatch meeting's report, the subsidy roster); this module imports none of them.
"""

import math
import unicodedata

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGNMENT = Alignment(wrap_text=True, horizontal="center", vertical="center")
FOOTER = "第 &P 页 / 共 &N 页"
LINE_HEIGHT = 16  # points per line of wrapped 11-point text
DEFAULT_WIDTH = 8  # what a column without a width set is taken to be
HEADER_ROW = 3  # row 1 the title, row 2 the subtitle


def start_sheet(workbook, name, title, subtitle, columns, *, freeze: int = 0):
    """A new sheet `name` of `workbook`, set up for printing: its `columns` ([(header, width)]) sized, `title`
    and `subtitle` across them, then the header row, repeated on every printed page.

    Panes freeze below the header row and after the first `freeze` columns.
    """
    sheet = workbook.create_sheet(name)
    page_setup(sheet)
    set_column_widths(sheet, columns)
    merged_line(sheet, 1, title, len(columns), TITLE_FONT)
    merged_line(sheet, 2, subtitle, len(columns))
    header_row(sheet, HEADER_ROW, [header for header, _ in columns])
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=freeze + 1)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    return sheet


def fit_a4_landscape(sheet):
    """Print on A4 landscape, scaled to the width of the page, on as many pages down as it takes."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def page_setup(sheet):
    """A4 landscape fit to width, centred on the page, page numbers in the footer."""
    fit_a4_landscape(sheet)
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = FOOTER
    sheet.evenFooter.center.text = FOOTER


def set_column_widths(sheet, columns):
    """Widths from [(header, width)], from column A on."""
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def merged_line(sheet, row, text, width, font=None):
    """`text` across the first `width` columns of `row`: centred in `font` when given (a title), else left."""
    cell = sheet.cell(row=row, column=1, value=text)
    cell.alignment = Alignment(horizontal="center" if font else "left", vertical="center")
    if font:
        cell.font = font
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def header_row(sheet, row, headers) -> list:
    """`headers` across `row` from column A as header cells, the row as high as its longest header."""
    cells = [sheet.cell(row=row, column=column, value=header) for column, header in enumerate(headers, start=1)]
    for cell in cells:
        header_style(cell)
    fit_row_height(sheet, row, cells)
    return cells


def header_style(cell):
    """Bold, filled, centred, wrapped and bordered."""
    cell.font, cell.fill, cell.alignment, cell.border = BOLD, HEADER_FILL, HEADER_ALIGNMENT, BORDER


def fit_row_height(sheet, row, cells, last_column=None):
    """Give `row` the height of its longest wrapped text: LibreOffice keeps the default height otherwise.

    `cells` are the row's written cells, left to right; the last one spans to `last_column` when given.
    """
    lines = 1
    for cell in cells:
        end = last_column if cell is cells[-1] and last_column else cell.column
        lines = max(lines, line_count(cell.value, columns_width(sheet, cell.column, end)))
    if lines > 1:
        sheet.row_dimensions[row].height = lines * LINE_HEIGHT


def columns_width(sheet, first: int, last: int):
    """The width of columns `first` to `last` together, in Excel's character units."""
    return sum(
        sheet.column_dimensions[get_column_letter(column)].width or DEFAULT_WIDTH for column in range(first, last + 1)
    )


def line_count(value, width) -> int:
    """How many lines `value` takes, wrapped in a cell `width` wide: one unless it is text."""
    if not isinstance(value, str):
        return 1
    room = max(width - 1, 1)
    return sum(max(math.ceil(display_width(line) / room), 1) for line in value.split("\n"))


def display_width(text: str) -> int:
    """Width in Excel's character units: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
