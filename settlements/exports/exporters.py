"""The exporter classes: what every export declares, and the two ways of writing one."""

import itertools
from collections.abc import Iterator
from typing import ClassVar

from django.http import QueryDict
from openpyxl import Workbook

from .. import id_numbers, xlsx_writer
from ..capabilities import Capability
from ..models import PersonalDataAccessKind


class Exporter:
    """One Excel export for one user. Subclass `LedgerExporter` or `ReportExporter`, not this class.

    `__init__(user, params, *, full_ids, **url_kwargs)` reads what the export holds from `user`'s scope
    (`params` are the page's query parameters, `url_kwargs` the URL's, such as a household's `pk`); raise
    `Http404` there for an object outside the scope. Nothing is written until `write()`.
    """

    identifier: ClassVar[str] = ""
    verbose_name: ClassVar[str] = ""
    capability: ClassVar[Capability]
    personal_data: ClassVar[bool] = True  # holds resident ID numbers: masked unless asked for, always audited
    masked_log_kind: ClassVar[str] = PersonalDataAccessKind.EXPORT_MASKED  # the audit action of a masked export

    def __init__(self, user, params=None, *, full_ids: bool = False):
        self.user = user
        self.params = as_query(params)
        self.full_ids = full_ids and self.personal_data

    def id_number(self, number: str) -> str:
        """`number` as this export shows it: in full when asked for (and permitted), else masked."""
        if not number or self.full_ids:
            return number
        return id_numbers.mask(number)

    def file_name(self) -> str:
        raise NotImplementedError

    def description(self) -> str:
        """What the audit trail says was exported."""
        return self.verbose_name

    def audit_action(self) -> str | None:
        """The audit trail's action for this export: a personal-data action (full or masked) for an export of
        resident data, None (not recorded) for another unless a subclass names one."""
        if not self.personal_data:
            return None
        return PersonalDataAccessKind.EXPORT_FULL if self.full_ids else self.masked_log_kind

    def audit_target(self):
        """The record the export is of, for the audit trail (the household of 一户一册), or None for a list."""
        return None

    def write(self, output) -> int:
        """Write the workbook to the binary file `output`; returns how many records it holds."""
        raise NotImplementedError


class LedgerExporter(Exporter):
    """A long table streamed to one sheet with a styled, frozen header row.

    `rows()` yields one list per row, in the order of `columns`; it reads its queryset in chunks
    (`chunks(queryset, self.chunk_size)` or `.iterator(chunk_size=self.chunk_size)`) and computes anything
    it needs across rows before its loop. Columns of kind `TEXT` are text cells, `DATE` date cells.
    """

    sheet_name: ClassVar[str]
    columns: ClassVar[list[xlsx_writer.SheetColumn]]
    chunk_size: ClassVar[int] = 2000

    def rows(self) -> Iterator[list]:
        raise NotImplementedError

    def write(self, output) -> int:
        count = 0
        with xlsx_writer.XlsxSheetWriter(output, self.sheet_name, self.columns) as sheet:
            for row in self.rows():
                sheet.write_row(row)
                count += 1
        return count


class ListPageExporter(LedgerExporter):
    """A list page's rows: its query `query(user, params) -> (filter form, day, rows)` on the page's parameters, in
    the user's scope (the page and its export read the same rows); one `row(record)` per record, or
    `rows_of(chunk)` to read across a chunk. The file name carries the query's day as `stamp` formats it (none
    when blank or when the query gives no date)."""

    query: ClassVar = None
    stamp: ClassVar[str] = ""  # "%Y%m%d" for a day, "%Y%m" for a month

    def __init__(self, user, params=None, **options):
        super().__init__(user, params, **options)
        _, self.day, self.records = type(self).query(user, self.params)

    def file_name(self) -> str:
        if self.stamp and hasattr(self.day, "year"):
            return f"{self.verbose_name}_{self.day:{self.stamp}}.xlsx"
        return f"{self.verbose_name}.xlsx"

    def description(self) -> str:
        return self.verbose_name

    def rows(self) -> Iterator[list]:
        if isinstance(self.records, list):  # rows a rule flagged, already read
            yield from self.rows_of(self.records)
            return
        for chunk in chunks(self.records, self.chunk_size):
            yield from self.rows_of(chunk)

    def rows_of(self, chunk) -> Iterator[list]:
        for record in chunk:
            yield self.row(record)

    def row(self, record) -> list:
        raise NotImplementedError


class ReportExporter(Exporter):
    """A small styled workbook, printable on A4 (lay its sheets out with `settlements.report_sheets`).

    `build(workbook)` adds the sheets to an empty workbook and returns how many records they hold.
    """

    def build(self, workbook: Workbook) -> int:
        raise NotImplementedError

    def write(self, output) -> int:
        workbook = Workbook()
        workbook.remove(workbook.active)
        count = self.build(workbook)
        workbook.save(output)
        return count


def chunks(queryset, size: int) -> Iterator[list]:
    """The rows of `queryset` as lists of up to `size`, read from the database `size` at a time."""
    rows = queryset.iterator(chunk_size=size)
    while chunk := list(itertools.islice(rows, size)):
        yield chunk


def as_query(params) -> QueryDict:
    """The query parameters as a QueryDict: a request's as they are, a dict (from code or a job) converted."""
    if isinstance(params, QueryDict):
        return params
    query = QueryDict(mutable=True)
    for key, value in (params or {}).items():
        query[key] = str(value)
    return query
