"""Reading a clerk's .xlsx: the rows of the sheet that holds the ledger, streamed once, within limits.

A file is refused before it is read whole when it is larger unpacked than `MAX_UNPACKED_MB`, has more than
`MAX_SHEETS` sheets, more than `MAX_ROWS` rows or `MAX_COLUMNS` columns, or a cell longer than
`MAX_CELL_CHARS` characters: each with a Chinese message naming the limit. A 100 KB file whose one cell
unpacks to 100 MB is refused from the zip's directory and the first megabyte of that cell.
"""

import contextlib
import functools
import io
import itertools
import zipfile
from collections.abc import Callable

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet import _reader as openpyxl_reader
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

HEADER_SEARCH_ROWS = 30  # title rows may stand above the header row, within this many rows
MAX_UNPACKED_MB = 200
MAX_SHEETS = 30
MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 2_000  # no ledger field holds more than a few hundred characters
SCAN_CHUNK = 1 << 20
# Bytes of XML text (between two tags) that may hold a cell of MAX_CELL_CHARS characters: UTF-8 takes up
# to 4 bytes a character, and a character reference (openpyxl writes 甲 as &#30002;) up to 10.
MAX_TEXT_RUN_BYTES = MAX_CELL_CHARS * 10

ROW_TAG = f"{{{SHEET_MAIN_NS}}}row"
INLINE_STRING_TAG = f"{{{SHEET_MAIN_NS}}}is"
TEXT_TAG = f"{{{SHEET_MAIN_NS}}}t"
RUN_TAG = f"{{{SHEET_MAIN_NS}}}r"

MSG_UNREADABLE = "无法读取该文件：请确认是未加密的 Excel 文件（.xlsx）。"
MSG_UNPACKED_TOO_LARGE = f"文件解压后超过{MAX_UNPACKED_MB}MB（正常的台账远小于此），未读取：请检查文件，或分批导入。"
MSG_TOO_MANY_SHEETS = f"文件有{{count}}个工作表，超过上限{MAX_SHEETS}个：请只保留台账所在的工作表。"
MSG_TOO_MANY_ROWS = f"一次最多导入{MAX_ROWS:,}行，请分批导入。"
MSG_TOO_MANY_COLUMNS = f"第{{row}}行超过{MAX_COLUMNS}列（到了第{{column}}列），不是台账的正常内容：请删除多余的列。"
MSG_CELL_TOO_LONG = f"文件中有单元格超过{MAX_CELL_CHARS:,}个字，不是台账的正常内容，未读取：请检查文件。"
MSG_CELL_TOO_LONG_AT = f"第{{row}}行第{{column}}列的单元格超过{MAX_CELL_CHARS:,}个字，不是台账的正常内容：请检查文件。"


class LedgerFileError(Exception):
    """The file as a whole cannot be read as a ledger; `message` says why, in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def is_blank(value) -> bool:
    return value is None or (type(value) is str and not value.strip())


def read_rows(source, is_header_row: Callable[[tuple], bool]) -> tuple[str, list[tuple[int, tuple]]]:
    """The non-blank rows, with their Excel row numbers, of the first sheet that has a header row (as
    `is_header_row` judges a row's values), else of the first sheet.

    `source` is a path, bytes or a binary file. Raises LedgerFileError when it is not a readable .xlsx or
    passes a limit.
    """
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    _refuse_oversized(source)
    try:
        workbook = _Workbook(source)
    except Exception as error:  # zipfile, KeyError, openpyxl's own classes: whatever a broken file raises
        raise LedgerFileError(MSG_UNREADABLE) from error
    with contextlib.closing(workbook):
        sheets = workbook.sheets
        if len(sheets) > MAX_SHEETS:
            raise LedgerFileError(MSG_TOO_MANY_SHEETS.format(count=len(sheets)))
        if not sheets:
            return "", []
        title, path = next((sheet for sheet in sheets if _has_header_row(workbook, sheet[1], is_header_row)), sheets[0])
        rows = []
        for number, values in workbook.rows(path):
            if all(is_blank(value) for value in values):
                continue
            rows.append((number, values))
            if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise LedgerFileError(MSG_TOO_MANY_ROWS)
        return title, rows


def _has_header_row(workbook, path, is_header_row) -> bool:
    with contextlib.closing(workbook.rows(path)) as rows:
        head = itertools.takewhile(lambda row: row[0] <= HEADER_SEARCH_ROWS, rows)
        return any(is_header_row(values) for _, values in head)


def _refuse_oversized(source) -> None:
    """Refuse a zip that unpacks too large (from its directory) or holds an overlong text (streamed), before
    openpyxl reads any of it. A file that is no zip at all is left to the reader's own message."""
    position = source.tell() if hasattr(source, "tell") else None
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    try:
        members = archive.infolist()
        if sum(member.file_size for member in members) > MAX_UNPACKED_MB * 1024 * 1024:
            raise LedgerFileError(MSG_UNPACKED_TOO_LARGE)
        for member in members:
            if member.filename.endswith(".xml") and (
                member.filename.startswith("xl/worksheets/") or member.filename == "xl/sharedStrings.xml"
            ):
                _refuse_long_text(archive, member)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return  # corrupt or encrypted members: the reader says it cannot read the file
    finally:
        if position is not None:
            source.seek(position)


def _refuse_long_text(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Stream one XML member and refuse it at the first text longer than a cell may be.

    A text run longer than `MAX_TEXT_RUN_BYTES` holds a whole window of half that size, aligned to it, with
    no "<": so only one window in each half-limit of bytes is searched (a C `find`), and a window without a
    tag has its run measured exactly. The run after a chunk's last tag is carried into the next chunk.
    """
    if member.file_size <= MAX_TEXT_RUN_BYTES:
        return
    step = MAX_TEXT_RUN_BYTES // 2
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(SCAN_CHUNK):
            data = tail + chunk
            for start in range(0, len(data) - step + 1, step):
                if data.find(b"<", start, start + step) == -1:
                    end = data.find(b"<", start + step)
                    if (len(data) if end == -1 else end) - (data.rfind(b"<", 0, start) + 1) > MAX_TEXT_RUN_BYTES:
                        raise LedgerFileError(MSG_CELL_TOO_LONG)
            cut = data.rfind(b"<")
            tail = data[cut:] if cut >= 0 else data
            if len(tail) > MAX_TEXT_RUN_BYTES:
                raise LedgerFileError(MSG_CELL_TOO_LONG)


class _Workbook:
    """An .xlsx opened the way openpyxl's `load_workbook(read_only=True, data_only=True)` opens it, minus the
    worksheet objects: openpyxl's read-only worksheet first reads a sheet that lacks a recorded size (as
    openpyxl's own write-only files do) from end to end just to measure it. Here each sheet is streamed once,
    by openpyxl's own sheet parser (`_SheetParser`)."""

    def __init__(self, source):
        self.reader = ExcelReader(source, read_only=True, data_only=True)
        self.reader.read_manifest()
        self.reader.read_strings()
        self.reader.read_workbook()
        apply_stylesheet(self.reader.archive, self.reader.wb)  # which number formats are dates
        self.sheets = [
            (sheet.name, rel.target)
            for sheet, rel in self.reader.parser.find_sheets()
            if rel.target in self.reader.valid_files and "chartsheet" not in rel.Type
        ]

    def rows(self, path):
        """(Excel row number, cell values) of each row the sheet holds."""
        workbook = self.reader.wb
        with self.reader.archive.open(path) as source:
            parser = _SheetParser(
                source,
                self.reader.shared_strings,
                data_only=True,
                epoch=workbook.epoch,
                date_formats=workbook._date_formats,
                timedelta_formats=workbook._timedelta_formats,
            )
            yield from parser.parse()

    def close(self):
        self.reader.archive.close()


class _SheetParser(openpyxl_reader.WorkSheetParser):
    """openpyxl's sheet parser, giving each row as (Excel row number, tuple of cell values).

    Inline strings (what openpyxl itself writes for every text cell) are read straight from the XML instead
    of through rich-text objects, the same text several times faster; every other cell goes through
    openpyxl's own `parse_cell`.
    """

    def parse(self):
        """The rows only: the ledger needs no column widths, validations or other sheet properties."""
        for _, element in iterparse(self.source):
            if element.tag == ROW_TAG:
                yield self.parse_row(element)
                element.clear()

    def parse_row(self, row):
        number = row.get("r")
        self.row_counter = int(float(number)) if number else self.row_counter + 1
        self.col_counter = 0
        values = []
        for element in row:
            if element.get("t") == "inlineStr":
                coordinate = element.get("r")
                self.col_counter = _column_number(coordinate) if coordinate else self.col_counter + 1
                column, inline = self.col_counter, element.find(INLINE_STRING_TAG)
                value = None if inline is None else _inline_text(inline)
            else:
                cell = self.parse_cell(element)
                column, value = cell["column"], cell["value"]
            if value is not None:
                if column > MAX_COLUMNS:
                    raise LedgerFileError(MSG_TOO_MANY_COLUMNS.format(row=self.row_counter, column=column))
                if type(value) is str and len(value) > MAX_CELL_CHARS:
                    letter = get_column_letter(column)
                    raise LedgerFileError(MSG_CELL_TOO_LONG_AT.format(row=self.row_counter, column=letter))
                if column > len(values):
                    values.extend([None] * (column - len(values)))
                values[column - 1] = value
        return self.row_counter, tuple(values)


@functools.lru_cache(maxsize=1024)
def _column_letters_number(letters: str) -> int:
    return column_index_from_string(letters)


def _column_number(coordinate: str) -> int:
    return _column_letters_number(coordinate.rstrip("0123456789"))


def _inline_text(inline) -> str:
    """An inline string's plain text and its runs' text, joined as openpyxl's `Text.content` joins them."""
    parts = []
    for child in inline:
        if child.tag == TEXT_TAG:
            parts.append(child.text or "")
        elif child.tag == RUN_TAG:
            text = child.findtext(TEXT_TAG)
            if text is not None:
                parts.append(text)
    return parts[0] if len(parts) == 1 else "".join(parts)
