"""The check of a whole ledger, common to every importer: find the header row, read every cell with its
column's parser, then let the importer match the rows with the database (`Importer.plan`).

Nothing is written. The result holds each row's values and errors (sheet, Excel row, column, Chinese
reason), the readings the parsers made, the first rows as the file shows them, and the importer's plans.
"""

import datetime
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from openpyxl.utils import get_column_letter

from .. import id_numbers
from .cells import MSG_REQUIRED, CellError, Reading, cell_text, header_text
from .columns import Column
from .reader import HEADER_SEARCH_ROWS, MAX_ROWS, MSG_TOO_MANY_ROWS, LedgerFileError, is_blank, read_rows

CHUNK_SIZE = 1000  # rows between two progress reports (and per bulk write)
MAX_STORED_ERRORS = 1000
MAX_STORED_CHANGES = 500
MAX_STORED_READINGS = 200
PREVIEW_ROWS = 20
PREVIEW_CELL_CHARS = 60  # a longer cell is cut in the preview
ID_NUMBER_FIELD = "id_number"  # the column of resident ID numbers: parsed as such, masked in the preview

MSG_NO_HEADER = "前{rows}行中没有找到{title}的表头行：表头行须包含{keys}。"
MSG_MISSING_COLUMNS = "缺少必填列：{columns}。"
MSG_DUPLICATE_COLUMN = "“{header}”列出现了不止一次（第{first}列和第{second}列）。"
MSG_NO_ROWS = "表头行以下没有数据。"

NEW, CHANGED, UNCHANGED, WRONG = "new", "changed", "unchanged", "wrong"
OUTCOMES = (NEW, CHANGED, UNCHANGED, WRONG)

Progress = Callable[[float], None] | None


@dataclass(frozen=True)
class LedgerError:
    """One thing wrong with the file: where (sheet, Excel row, column header) and why, in Chinese."""

    sheet: str
    row: int | None
    column: str
    message: str

    @property
    def text(self) -> str:
        """As shown to the user: “第12行 身份证号：身份证号校验位不正确，请核对号码。”"""
        place = " ".join(part for part in (f"第{self.row}行" if self.row else "", self.column) if part)
        return f"{place}：{self.message}" if place else self.message

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message, "text": self.text}


@dataclass
class LedgerRow:
    """One data row: its Excel row number, the cells as shown, the parsed values by field, its errors."""

    sheet: str
    number: int
    cells: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[LedgerError] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)  # fields whose cell could not be read
    resident: id_numbers.ResidentId | None = None
    duplicate: bool = False

    def error(self, column: Column, message: str) -> None:
        self.errors.append(LedgerError(self.sheet, self.number, column.header, message))


@dataclass
class CheckResult:
    """What a check found: the rows, the errors, the readings, a preview, and the importer's plans."""

    importer: Any
    today: datetime.date
    sheet: str = ""
    header_row: int | None = None
    headers: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    absent_columns: list[str] = field(default_factory=list)
    file_errors: list[LedgerError] = field(default_factory=list)
    rows: list[LedgerRow] = field(default_factory=list)
    preview_rows: list[dict] = field(default_factory=list)
    readings: dict[tuple[str, str], dict] = field(default_factory=dict)
    plans: list = field(default_factory=list)  # the importer's, one per record or household
    found: dict = field(default_factory=dict)  # what the importer's plan needs to describe its changes

    @property
    def fatal(self) -> bool:
        return bool(self.file_errors)

    @property
    def errors(self) -> list[LedgerError]:
        order = {header: i for i, header in enumerate(self.headers)}
        row_errors = [error for row in self.rows for error in row.errors]
        row_errors.sort(key=lambda e: (e.row or 0, order.get(e.column, len(order))))
        return self.file_errors + row_errors

    @property
    def wrong_rows(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    def counts(self) -> dict[str, int]:
        return {**self.importer.counts(self), "rows": len(self.rows)}

    def summary(self) -> dict:
        errors = self.errors
        return {
            "kind": self.importer.kind,
            **self.counts(),
            "rows_wrong": self.wrong_rows,
            "errors_total": len(errors),
            "errors_stored": min(len(errors), MAX_STORED_ERRORS),
        }

    def stored_errors(self) -> list[dict]:
        return [error.as_dict() for error in self.errors[:MAX_STORED_ERRORS]]

    def preview(self) -> dict:
        changes = list(self.importer.changes(self))
        readings = sorted(self.readings.values(), key=lambda reading: reading["first_row"])
        return {
            "sheet": self.sheet,
            "header_row": self.header_row,
            "headers": [_cut(header) for header in self.headers],
            "ignored_columns": [_cut(header) for header in self.ignored_columns],
            "absent_columns": self.absent_columns,
            "notes": self.importer.column_notes(self.ignored_columns),
            "rows": self.preview_rows,
            "readings": readings[:MAX_STORED_READINGS],
            "readings_total": len(readings),
            "changes": changes[:MAX_STORED_CHANGES],
            "changes_total": len(changes),
        }

    def note_reading(self, column: Column, text: str, reading: Reading, row: int) -> None:
        entry = self.readings.get((column.header, text))
        if entry is None:
            self.readings[(column.header, text)] = {
                "column": column.header,
                "text": _cut(text),
                "shown": reading.shown,
                "rows": 1,
                "first_row": row,
            }
        else:
            entry["rows"] += 1


def chunks(items: Sequence, size: int = CHUNK_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def check(importer, source, user, *, today: datetime.date | None = None, progress: Progress = None) -> CheckResult:
    """Read and check a whole ledger of `importer`'s kind for `user`; write nothing.

    `source` is an .xlsx file (path, bytes or binary file) or the sheet's rows (sequences of cell values,
    the first being Excel row 1). `progress(fraction)` is called as the check goes.
    """
    result = CheckResult(importer=importer, today=today or timezone.localdate(), sheet=importer.title)
    report = progress or (lambda fraction: None)
    try:
        if isinstance(source, (str, bytes, os.PathLike)) or hasattr(source, "read"):
            sheet, rows = read_rows(source, importer.is_header_row)
            result.sheet = sheet or result.sheet
        else:
            rows = [(n, tuple(values)) for n, values in enumerate(source, start=1) if not all(map(is_blank, values))]
        report(0.2)
        columns = _find_header(result, rows)
    except LedgerFileError as error:
        result.file_errors.append(LedgerError(result.sheet, None, "", error.message))
        return result
    data = [(number, values) for number, values in rows if number > result.header_row]
    if not data:
        result.file_errors.append(LedgerError(result.sheet, None, "", MSG_NO_ROWS))
        return result
    if len(data) > MAX_ROWS:
        result.file_errors.append(LedgerError(result.sheet, None, "", MSG_TOO_MANY_ROWS))
        return result

    context = importer.context(user=user, today=result.today)
    parsers = importer.parsers()
    for index, chunk in enumerate(chunks(data)):
        for number, values in chunk:
            result.rows.append(_parse_row(result, number, values, columns, parsers, context))
        report(0.2 + 0.3 * min(1.0, (index + 1) * CHUNK_SIZE / len(data)))
    result.preview_rows = _preview_rows(data[:PREVIEW_ROWS], len(result.headers), columns)
    importer.plan(result, user=user, context=context, progress=lambda fraction: report(0.5 + 0.5 * fraction))
    report(1.0)
    return result


def no_header_message(importer) -> str:
    keys = "".join(f"“{key}”" for key in importer.header_keys)
    return MSG_NO_HEADER.format(rows=HEADER_SEARCH_ROWS, title=importer.title, keys=keys)


def _find_header(result: CheckResult, rows) -> list[tuple[int, Column]]:
    """Locate the header row; return the importer's columns present as (position, column)."""
    importer = result.importer
    for number, header_values in rows:
        if number > HEADER_SEARCH_ROWS:
            break
        if importer.is_header_row(header_values):
            result.header_row = number
            break
    else:
        header_values = None
    if result.header_row is None:
        raise LedgerFileError(importer.no_header_message())
    by_header = importer.by_header
    columns, seen = [], {}
    for position, value in enumerate(header_values):
        header = header_text(value)
        result.headers.append(cell_text(value))
        column = by_header.get(header)
        if column is not None:
            if column.header in seen:
                first, second = get_column_letter(seen[column.header] + 1), get_column_letter(position + 1)
                raise LedgerFileError(MSG_DUPLICATE_COLUMN.format(header=column.header, first=first, second=second))
            seen[column.header] = position
            columns.append((position, column))
            result.headers[-1] = header
        elif header:
            result.ignored_columns.append(cell_text(value))
    missing = [column.header for column in importer.columns if column.required and column.header not in seen]
    if missing:
        raise LedgerFileError(MSG_MISSING_COLUMNS.format(columns="、".join(missing)))
    result.absent_columns = [column.header for column in importer.columns if column.header not in seen]
    return columns


def _parse_row(result: CheckResult, number, values, columns, parsers, context) -> LedgerRow:
    row = LedgerRow(sheet=result.sheet, number=number, cells={})
    width = len(values)
    required_on_every_row = result.importer.required_on_every_row
    for position, column in columns:
        value = values[position] if position < width else None
        text = cell_text(value)
        if not text:
            if required_on_every_row(column):
                row.error(column, MSG_REQUIRED)
                row.failed.add(column.field)
            continue
        row.cells[column.header] = text
        try:
            parsed = parsers[column.field](value, text, context)
        except CellError as error:
            row.error(column, error.message)
            row.failed.add(column.field)
            continue
        if type(parsed) is Reading:
            result.note_reading(column, text, parsed, number)
            parsed = parsed.value
        if type(parsed) is id_numbers.ResidentId:
            row.resident = parsed
            parsed = parsed.number
        row.values[column.field] = parsed
    return row


def _preview_rows(data, width, columns) -> list[dict]:
    """The first rows as shown in the file, ID numbers masked (as on every page), long cells cut."""
    id_positions = {position for position, column in columns if column.field == ID_NUMBER_FIELD}
    preview = []
    for number, values in data:
        cells = [_cut(cell_text(values[i])) if i < len(values) else "" for i in range(width)]
        for position in id_positions:
            if cells[position]:
                cells[position] = id_numbers.mask(cells[position])
        preview.append({"number": number, "cells": cells})
    return preview


def _cut(text: str) -> str:
    return text if len(text) <= PREVIEW_CELL_CHARS else text[:PREVIEW_CELL_CHARS] + "…"
