"""Import of a service centre's Excel ledger (台账): read, check, preview, write.

`check_ledger(source, user)` reads a whole ledger (an .xlsx file or rows) and checks every row against the
ledger's columns (`ledger.COLUMNS`), the composition rules (`rules.check_household`) and the registry, as
`user` may see it. It needs no request and writes nothing. It reads the settlements once, then the
households (by code) and persons (by ID number) the file names with one query per `LOOKUP_ROWS` rows, so a
check costs well under one query per thousand rows however large the file.

`write_ledger(result, user, ...)` writes what a check found new or changed, in one transaction, with bulk
operations that keep the change history (django-simple-history) in the importing user's name.

The `registry_import_*` services take a `RegistryImport` from upload through check and confirmation to
done; the Celery tasks in `tasks.py` only call them.
"""

import contextlib
import dataclasses
import datetime
import functools
import io
import itertools
import logging
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet import _reader as openpyxl_reader
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse
from simple_history.utils import bulk_update_with_history
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

from . import bulk, id_numbers, ledger, rules, xlsx_writer
from .models import (
    Building,
    Household,
    HouseholdEvent,
    HouseholdEventKind,
    HouseholdStatus,
    Membership,
    MembershipStart,
    Person,
    PersonStatus,
    ProjectYear,
    RegistryImport,
    RegistryImportStatus,
    Relation,
    Settlement,
)
from .validators import validate_phone

logger = logging.getLogger(__name__)

HEADER_KEYS = ("户编号", "姓名", "身份证号")  # a row with all of these is the header row
HEADER_SEARCH_ROWS = 30  # title rows may stand above the header row, within this many rows
CHUNK_SIZE = 1000  # rows per bulk write
LOOKUP_ROWS = 2000  # rows whose households and persons one query looks up (about 2,500 values in `__in`)
MAX_ROWS = 100_000
MAX_UPLOAD_MB = 30
MAX_STORED_ERRORS = 1000
MAX_STORED_CHANGES = 500
PREVIEW_ROWS = 20
ROW_TAG = f"{{{SHEET_MAIN_NS}}}row"
INLINE_STRING_TAG = f"{{{SHEET_MAIN_NS}}}is"
TEXT_TAG = f"{{{SHEET_MAIN_NS}}}t"
RUN_TAG = f"{{{SHEET_MAIN_NS}}}r"
EXACT_FLOAT_LIMIT = 2**53  # beyond this a float no longer holds every integer exactly
CHANGE_REASON = "台账导入 #{pk}"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_FILE_NAME = "台账导入模板.xlsx"
TEMPLATE_SHEET = "台账"
TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"

# --- messages (the tests use these constants) --------------------------------------------------------------

MSG_NO_PERMISSION = "您的角色无权导入户籍台账。"
MSG_NOT_XLSX = "只能导入 Excel 文件（.xlsx）。如为 .xls、.csv 或 WPS 格式，请先另存为 .xlsx 再上传。"
MSG_UNREADABLE = "无法读取该文件：请确认是未加密的 Excel 文件（.xlsx）。"
MSG_TOO_LARGE = f"文件超过{MAX_UPLOAD_MB}MB，请分批导入。"
MSG_NO_HEADER = f"前{HEADER_SEARCH_ROWS}行中没有找到表头行：表头行须包含“户编号”“姓名”“身份证号”。"
MSG_MISSING_COLUMNS = "缺少必填列：{columns}。"
MSG_DUPLICATE_COLUMN = "“{header}”列出现了不止一次（第{first}列和第{second}列）。"
MSG_NO_ROWS = "表头行以下没有数据。"
MSG_TOO_MANY_ROWS = f"一次最多导入{MAX_ROWS:,}行，请分批导入。"

MSG_REQUIRED = "此项为必填，不能为空。"
MSG_TOO_LONG = "内容过长，最多{max}个字。"
MSG_CHOICE = "“{value}”不是有效的选项，应为：{choices}。"
MSG_DATE = "“{value}”不是有效的日期，应为日期格式，或写作 2019-05-01、2019/5/1、2019年5月1日。"
MSG_DATE_FUTURE = "入住日期不能晚于今天。"
MSG_ID_AS_NUMBER = "身份证号被 Excel 存成了数字，后几位可能已丢失：请把“身份证号”列设置为“文本”格式后重新填写。"
MSG_SEX_MISMATCH = "与身份证号不符：身份证号表明为“{sex}”。"
MSG_SETTLEMENT_UNKNOWN = "没有名为“{value}”的安置点。"
MSG_SETTLEMENT_OUT_OF_SCOPE = "安置点“{value}”不在您的管理范围内，不能导入。"
MSG_DUPLICATE_ID = "身份证号与第{row}行重复。"
MSG_REGISTERED_IN = "该身份证号已登记在户 {code} 中。"
MSG_REGISTERED_ELSEWHERE = "该身份证号已登记在另一安置点的搬迁户中。"
MSG_HOUSEHOLD_CONFLICT = "与本户第{row}行填写的“{value}”不一致（户的信息以户主所在行为准）。"
MSG_HEAD_NAME = "与本户户主（第{row}行）的姓名“{name}”不一致。"
MSG_CODE_TAKEN = "户编号“{code}”已被另一安置点的搬迁户使用。"
MSG_SETTLEMENT_CHANGE = "户 {code} 已登记在{settlement}，导入不能更改搬迁户的安置点。"
MSG_EXISTING_MEMBER = "平台中已登记、未列在表中的本户成员“{name}”：{message}"

MSG_NOT_OWNER = "只有上传该文件的用户可以确认或取消导入。"
MSG_NOT_CHECKED = "该导入不在“已检查，待确认”状态，不能确认或取消。"
MSG_HAS_WRONG = "文件中有{rows}行存在错误：请修改后重新上传，或勾选“只导入无误的户”。"
MSG_RECHECK_FAILED = "确认导入时重新检查发现{rows}行存在错误（平台中的台账可能在检查后有变动），未写入任何数据。"
MSG_WRITE_CONFLICT = "写入时与平台中的数据冲突（可能有人同时修改了台账），未写入任何数据，请重新上传检查。"
MSG_UNEXPECTED = "处理文件时发生意外错误，未写入任何数据。请联系领导小组办公室。"

# --- outcomes ------------------------------------------------------------------------------------------------

NEW, CHANGED, UNCHANGED, WRONG, BLOCKED = "new", "changed", "unchanged", "wrong", "blocked"
OUTCOMES = (NEW, CHANGED, UNCHANGED, WRONG)

BY_FIELD = {column.field: column for column in ledger.COLUMNS}
CODE, SETTLEMENT, ID_NUMBER, SEX, HEAD_NAME = (
    BY_FIELD[name] for name in ("code", "settlement", "id_number", "sex", "head_name")
)
# Household columns that the household's rows must agree on (the code groups them; the head's name is
# checked against the head's row instead).
AGREED_HOUSEHOLD_COLUMNS = tuple(c for c in ledger.HOUSEHOLD_COLUMNS if c.field not in ("code", "head_name"))
HOUSEHOLD_FIELDS = (
    "building",
    "room_number",
    "project_year",
    "origin_township",
    "origin_village",
    "registered_poor",
    "move_in_date",
)
PERSON_FIELDS = ("name", "relation", "phone", "education", "health", "hukou_status")
DEFAULT_HEALTH = Person._meta.get_field("health").default
DEFAULT_HUKOU_STATUS = Person._meta.get_field("hukou_status").default
STATUS_LABEL = "状态"


# --- results -------------------------------------------------------------------------------------------------


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

    def error(self, column: ledger.Column, message: str) -> None:
        self.errors.append(LedgerError(self.sheet, self.number, column.header, message))


@dataclass
class PersonPlan:
    row: LedgerRow
    existing: Person | None = None
    changes: dict[str, tuple] = field(default_factory=dict)
    outcome: str = ""


@dataclass
class HouseholdPlan:
    code: str
    rows: list[LedgerRow]
    existing: Household | None = None
    values: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, tuple] = field(default_factory=dict)
    persons: list[PersonPlan] = field(default_factory=list)
    primary: LedgerRow | None = None  # the head's row (or the first row when there is no head)
    outcome: str = ""
    instance: Household | None = None

    @property
    def wrong(self) -> bool:
        return any(row.errors for row in self.rows)


@dataclass
class CheckResult:
    """What a check found: the households and persons with their outcome, the errors, a preview."""

    today: datetime.date
    sheet: str = TEMPLATE_SHEET
    header_row: int | None = None
    headers: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    absent_columns: list[str] = field(default_factory=list)
    file_errors: list[LedgerError] = field(default_factory=list)
    rows: list[LedgerRow] = field(default_factory=list)
    households: list[HouseholdPlan] = field(default_factory=list)
    preview_rows: list[dict] = field(default_factory=list)
    settlements: dict[int, Settlement] = field(default_factory=dict)

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
        counts = {f"{kind}_{outcome}": 0 for kind in ("households", "persons") for outcome in OUTCOMES}
        counts["persons_blocked"] = 0
        for plan in self.households:
            counts[f"households_{plan.outcome}"] += 1
            for person in plan.persons:
                counts[f"persons_{person.outcome}"] += 1
        counts["persons_wrong"] += sum(1 for row in self.rows if row.errors and "code" not in row.values)
        counts["rows"] = len(self.rows)
        counts["rows_wrong"] = self.wrong_rows
        return counts

    def summary(self) -> dict:
        errors = self.errors
        return {
            **self.counts(),
            "errors_total": len(errors),
            "errors_stored": min(len(errors), MAX_STORED_ERRORS),
        }

    def stored_errors(self) -> list[dict]:
        return [error.as_dict() for error in self.errors[:MAX_STORED_ERRORS]]

    def preview(self) -> dict:
        changes = list(self._changes())
        return {
            "sheet": self.sheet,
            "header_row": self.header_row,
            "headers": self.headers,
            "ignored_columns": self.ignored_columns,
            "absent_columns": self.absent_columns,
            "rows": self.preview_rows,
            "changes": changes[:MAX_STORED_CHANGES],
            "changes_total": len(changes),
        }

    def _changes(self):
        for plan in self.households:
            if plan.outcome != CHANGED:
                continue
            if plan.changes:
                yield {
                    "row": plan.primary.number,
                    "code": plan.code,
                    "kind": "户",
                    "name": plan.primary.values.get("name", ""),
                    "id": "",
                    "fields": [_change_dict(name, *values) for name, values in plan.changes.items()],
                }
            for person in plan.persons:
                if person.outcome == CHANGED:
                    yield {
                        "row": person.row.number,
                        "code": plan.code,
                        "kind": "人",
                        "name": person.existing.name,
                        "id": id_numbers.mask(person.existing.id_number),
                        "fields": [_change_dict(name, *values) for name, values in person.changes.items()],
                    }


def _change_dict(name, old, new) -> dict:
    label = STATUS_LABEL if name == "status" else BY_FIELD[name].header
    return {"field": name, "label": label, "old": display_value(name, old), "new": display_value(name, new)}


def display_value(name: str, value) -> str:
    """A stored value as the ledger writes it: labels for choices, 是/否, dates as 2019-05-01."""
    if value is None or value == "":
        return "（空）"
    if name == "status":
        return HouseholdStatus(value).label
    if name == "registered_poor":
        return "是" if value else "否"
    if isinstance(value, datetime.date):
        return value.isoformat()
    column = BY_FIELD.get(name)
    if column and column.choices:
        return dict(column.choices).get(str(value), str(value))
    return str(value)


# --- reading ---------------------------------------------------------------------------------------------------


class LedgerFileError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _is_blank(value) -> bool:
    return value is None or (type(value) is str and not value.strip())


def _header_text(value) -> str:
    """A header cell as a ledger header: no spaces or line breaks, no required-mark (*, （必填）)."""
    text = re.sub(r"\s+", "", str(value)) if value is not None else ""
    text = re.sub(r"[(（]必填[)）]$", "", text)
    return text.strip("*＊")


def _is_header_row(values) -> bool:
    texts = {_header_text(value) for value in values}
    return all(key in texts for key in HEADER_KEYS)


def read_workbook(source) -> tuple[str, list[tuple[int, tuple]]]:
    """The non-blank rows, with their Excel row numbers, of the first sheet that has a header row.

    `source` is a path, bytes or a binary file. Raises LedgerFileError when it is not a readable .xlsx.
    The workbook is opened with openpyxl in read-only mode and each sheet is streamed once (see `_Workbook`).
    """
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    try:
        workbook = _Workbook(source)
    except Exception as error:  # zipfile, KeyError, openpyxl's own classes: whatever a broken file raises
        raise LedgerFileError(MSG_UNREADABLE) from error
    with contextlib.closing(workbook):
        sheets = workbook.sheets
        if not sheets:
            raise LedgerFileError(MSG_NO_HEADER)
        title, path = next((sheet for sheet in sheets if _has_header_row(workbook, sheet[1])), sheets[0])
        rows = []
        for number, values in workbook.rows(path):
            if all(_is_blank(value) for value in values):
                continue
            rows.append((number, values))
            if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise LedgerFileError(MSG_TOO_MANY_ROWS)
        return title, rows


def _has_header_row(workbook, path) -> bool:
    with contextlib.closing(workbook.rows(path)) as rows:
        head = itertools.takewhile(lambda row: row[0] <= HEADER_SEARCH_ROWS, rows)
        return any(_is_header_row(values) for _, values in head)


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


# --- cells -----------------------------------------------------------------------------------------------------


class CellError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def cell_text(value) -> str:
    """A cell as text: numbers without a trailing .0, dates as 2019-05-01, booleans as 是/否."""
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer() and abs(value) < EXACT_FLOAT_LIMIT:
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if not value.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def _text_parser(model, field_name):
    max_length = model._meta.get_field(field_name).max_length

    def parse(value, text, context):
        if len(text) > max_length:
            raise CellError(MSG_TOO_LONG.format(max=max_length))
        return text

    return parse


def _choice_parser(column: ledger.Column, convert=str, aliases=None):
    lookup = {}
    for value, label in column.choices:
        lookup[_key(str(value))] = value
        lookup[_key(label)] = value
    for alias, value in (aliases or {}).items():
        lookup[_key(alias)] = value
    choices_text = "、".join(column.labels)

    exact = {**{str(value): value for value, _ in column.choices}, **{label: value for value, label in column.choices}}

    def parse(value, text, context):
        try:
            return convert(exact[text] if text in exact else lookup[_key(text)])
        except KeyError:
            raise CellError(MSG_CHOICE.format(value=text, choices=choices_text)) from None

    return parse


def _parse_settlement(value, text, context) -> int:
    names = context.settlements_by_name
    settlement = names[text] if text in names else names.get(_key(text))
    if settlement is None:
        raise CellError(MSG_SETTLEMENT_UNKNOWN.format(value=text))
    if not settlement.in_scope:
        raise CellError(MSG_SETTLEMENT_OUT_OF_SCOPE.format(value=text))
    return settlement.pk


SCIENTIFIC = re.compile(r"^\d+(\.\d+)?[eE]\+?\d+$")


def _parse_id_number(value, text, context) -> id_numbers.ResidentId:
    if isinstance(value, float):
        if not value.is_integer() or abs(value) >= EXACT_FLOAT_LIMIT:
            raise CellError(MSG_ID_AS_NUMBER)
        text = str(int(value))
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(value)  # an integer the file holds exactly (not Excel's 15-digit float)
    elif SCIENTIFIC.match(text):
        raise CellError(MSG_ID_AS_NUMBER)
    try:
        return resident_id(text, context.today)
    except ValidationError as error:
        raise CellError(error.messages[0]) from None


PLAIN_ID = re.compile(r"[0-9]{17}[0-9X]")


@functools.lru_cache(maxsize=8192)
def _known_birth_place(area: str, year: int) -> bool:
    try:
        ric.get_birth_place(f"{area}{year:04d}0101000X")
    except stdnum_errors.ValidationError:
        return False
    return True


def resident_id(text: str, today: datetime.date) -> id_numbers.ResidentId:
    """`id_numbers.parse`, with a fast lane for the common case of a plain, valid number.

    python-stdnum looks the place of birth up for every number, which makes 25,000 numbers take seconds;
    the fast lane makes the same checks with the place lookup cached per area and year. Anything the fast
    lane does not accept goes to `id_numbers.parse`, which decides and words the reason.
    """
    if PLAIN_ID.fullmatch(text) and ric.calc_check_digit(text) == text[-1]:
        try:
            birth_date = datetime.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
        except ValueError:
            birth_date = None
        if (
            birth_date is not None
            and birth_date <= today
            and id_numbers.age_on(birth_date, today) <= id_numbers.MAX_AGE_YEARS
            and _known_birth_place(text[:6], birth_date.year)
        ):
            sex = id_numbers.Sex.MALE if int(text[16]) % 2 else id_numbers.Sex.FEMALE
            return id_numbers.ResidentId(number=text, birth_date=birth_date, sex=sex)
    return id_numbers.parse(text, today=today)


def _parse_phone(value, text, context) -> str:
    text = re.sub(r"\s+", "", text)
    try:
        validate_phone(text)
    except ValidationError as error:
        raise CellError(error.messages[0]) from None
    return text


DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\s+0{1,2}:0{2}(?::0{2})?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)


def _parse_date(value, text, context) -> datetime.date:
    if isinstance(value, datetime.datetime):
        date = value.date()
    elif isinstance(value, datetime.date):
        date = value
    else:
        date = None
        for pattern in DATE_PATTERNS:
            match = pattern.match(text) if isinstance(value, str) else None
            if match:
                try:
                    date = datetime.date(*(int(part) for part in match.groups()))
                except ValueError:
                    date = None
                break
        if date is None:
            raise CellError(MSG_DATE.format(value=text))
    if date > context.today:
        raise CellError(MSG_DATE_FUTURE)
    return date


PARSERS: dict[str, Callable] = {
    "code": _text_parser(Household, "code"),
    "settlement": _parse_settlement,
    "building": _text_parser(Building, "name"),
    "room_number": _text_parser(Household, "room_number"),
    "head_name": _text_parser(Person, "name"),
    "name": _text_parser(Person, "name"),
    "id_number": _parse_id_number,
    "relation": _choice_parser(BY_FIELD["relation"]),
    "sex": _choice_parser(BY_FIELD["sex"]),
    "phone": _parse_phone,
    "project_year": _choice_parser(
        BY_FIELD["project_year"],
        convert=int,
        aliases={alias: str(year) for year in ProjectYear.values for alias in (f"{year}年", f"{year}年度")},
    ),
    "origin_township": _text_parser(Household, "origin_township"),
    "origin_village": _text_parser(Household, "origin_village"),
    "registered_poor": _choice_parser(BY_FIELD["registered_poor"], convert=lambda value: value == "1"),
    "move_in_date": _parse_date,
    "education": _choice_parser(BY_FIELD["education"]),
    "health": _choice_parser(BY_FIELD["health"]),
    "hukou_status": _choice_parser(BY_FIELD["hukou_status"]),
}
assert set(PARSERS) == set(BY_FIELD), "every ledger column needs a parser"


# --- the check -------------------------------------------------------------------------------------------------


@dataclass
class _Context:
    today: datetime.date
    settlements: dict[int, Settlement]
    settlements_by_name: dict[str, Settlement]


def _chunks(items: Sequence, size: int = CHUNK_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


Progress = Callable[[float], None] | None


def check_ledger(
    source,
    user,
    *,
    today: datetime.date | None = None,
    progress: Progress = None,
) -> CheckResult:
    """Read and check a whole ledger for `user`; write nothing.

    `source` is an .xlsx file (path, bytes or binary file) or the sheet's rows (sequences of cell values,
    the first being Excel row 1). `progress(fraction)` is called after every chunk.
    """
    today = today or timezone.localdate()
    result = CheckResult(today=today)
    report = progress or (lambda fraction: None)
    try:
        if isinstance(source, (str, bytes, os.PathLike)) or hasattr(source, "read"):
            result.sheet, rows = read_workbook(source)
        else:
            rows = [(n, tuple(values)) for n, values in enumerate(source, start=1) if not all(map(_is_blank, values))]
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

    settlements = _load_settlements(user)
    result.settlements = {s.pk: s for s in settlements}
    context = _Context(today, result.settlements, _settlement_names(settlements))
    for index, chunk in enumerate(_chunks(data)):
        for number, values in chunk:
            result.rows.append(_parse_row(result.sheet, number, values, columns, context))
        report(0.2 + 0.3 * min(1.0, (index + 1) * CHUNK_SIZE / len(data)))
    result.preview_rows = _preview_rows(data[:PREVIEW_ROWS], len(result.headers), columns)

    registry = _Registry.load(result.rows, result.settlements, lambda fraction: report(0.5 + 0.3 * fraction))
    groups = _group(result.rows)
    for index, (code, household_rows) in enumerate(groups.items()):
        result.households.append(_plan_household(code, household_rows, registry, context))
        if (index + 1) % CHUNK_SIZE == 0:
            report(0.8 + 0.2 * (index + 1) / len(groups))
    report(1.0)
    return result


def _find_header(result: CheckResult, rows) -> list[tuple[int, ledger.Column]]:
    """Locate the header row; return the ledger columns present as (position, column)."""
    for number, header_values in rows:
        if number > HEADER_SEARCH_ROWS:
            raise LedgerFileError(MSG_NO_HEADER)
        if _is_header_row(header_values):
            result.header_row = number
            break
    else:
        raise LedgerFileError(MSG_NO_HEADER)
    columns, seen = [], {}
    for position, value in enumerate(header_values):
        header = _header_text(value)
        result.headers.append(cell_text(value))
        if header in ledger.BY_HEADER:
            if header in seen:
                raise LedgerFileError(
                    MSG_DUPLICATE_COLUMN.format(
                        header=header, first=get_column_letter(seen[header] + 1), second=get_column_letter(position + 1)
                    )
                )
            seen[header] = position
            columns.append((position, ledger.BY_HEADER[header]))
            result.headers[-1] = header
        elif header:
            result.ignored_columns.append(cell_text(value))
    missing = [column.header for column in ledger.COLUMNS if column.required and column.header not in seen]
    if missing:
        raise LedgerFileError(MSG_MISSING_COLUMNS.format(columns="、".join(missing)))
    result.absent_columns = [column.header for column in ledger.COLUMNS if column.header not in seen]
    return columns


def _load_settlements(user) -> list[Settlement]:
    in_scope = Settlement.objects.for_user(user).filter(pk=OuterRef("pk"))
    return list(Settlement.objects.annotate(in_scope=Exists(in_scope)))


def _settlement_names(settlements) -> dict[str, Settlement]:
    names = {}
    for settlement in settlements:
        names[_key(settlement.name)] = settlement
        names[_key(settlement.full_name)] = settlement
    return names


def _parse_row(sheet, number, values, columns, context) -> LedgerRow:
    row = LedgerRow(sheet=sheet, number=number, cells={})
    width = len(values)
    for position, column in columns:
        value = values[position] if position < width else None
        text = cell_text(value)
        if not text:
            if column is CODE or (column.required and not column.household):
                row.error(column, MSG_REQUIRED)
                row.failed.add(column.field)
            continue
        row.cells[column.header] = text
        try:
            parsed = PARSERS[column.field](value, text, context)
        except CellError as error:
            row.error(column, error.message)
            row.failed.add(column.field)
            continue
        if column is ID_NUMBER:
            row.resident = parsed
            parsed = parsed.number
        row.values[column.field] = parsed
    if row.resident and "sex" in row.values and row.values["sex"] != row.resident.sex:
        row.error(SEX, MSG_SEX_MISMATCH.format(sex=dict(id_numbers.Sex.CHOICES)[row.resident.sex]))
    return row


def _preview_rows(data, width, columns) -> list[dict]:
    """The first rows as shown in the file, ID numbers masked (as on every page)."""
    id_position = next(position for position, column in columns if column is ID_NUMBER)
    preview = []
    for number, values in data:
        cells = [cell_text(values[i]) if i < len(values) else "" for i in range(width)]
        if cells[id_position]:
            cells[id_position] = id_numbers.mask(cells[id_position])
        preview.append({"number": number, "cells": cells})
    return preview


@dataclass
class _Registry:
    """What the check needs from the database: the households the file names by code, with all their
    members, and every person the file names by ID number, with their household."""

    households: dict[str, Household]
    persons: dict[str, Person]

    @classmethod
    def load(cls, rows: list[LedgerRow], settlements: dict[int, Settlement], progress) -> "_Registry":
        """One query per `LOOKUP_ROWS` rows: households by code and persons by ID number together."""
        registry = cls(households={}, persons={})
        chunks = list(_chunks(rows, LOOKUP_ROWS))
        for index, chunk in enumerate(chunks):
            codes = {row.values["code"] for row in chunk if "code" in row.values} - registry.households.keys()
            numbers = {row.resident.number for row in chunk if row.resident} - registry.persons.keys()
            if codes or numbers:
                registry._load_chunk(codes, numbers, settlements)
            progress((index + 1) / len(chunks))
        return registry

    def _load_chunk(self, codes: set[str], numbers: set[str], settlements) -> None:
        # A household matched by code comes with every member (or once, without any); a person matched by
        # ID number in another household comes alone with that household. One query (a UNION ALL, each
        # half served by its unique index).
        by_code = Household.objects.filter(code__in=codes).order_by().values_list(*REGISTRY_COLUMNS)
        by_number = (
            Household.objects.filter(members__id_number__in=numbers)
            .exclude(code__in=codes)
            .order_by()
            .values_list(*REGISTRY_COLUMNS)
        )
        found: dict[int, Household] = {}
        for values in by_code.union(by_number, all=True):
            household = found.get(values[HOUSEHOLD_PK_AT])
            if household is None:
                household = Household.from_db(by_code.db, HOUSEHOLD_ATTNAMES, values[:HOUSEHOLD_WIDTH])
                household.building_name = values[HOUSEHOLD_WIDTH] or ""
                household.visible = settlements[household.settlement_id].in_scope
                household.loaded_members = {}
                found[household.pk] = household
                if household.code in codes:
                    self.households[household.code] = household
            person_values = values[HOUSEHOLD_WIDTH + 1 :]
            if person_values[0] is None or person_values[0] in household.loaded_members:
                continue  # a household without members, or a member matched both by code and by number
            person = Person.from_db(by_code.db, PERSON_ATTNAMES, person_values)
            person.household = household
            household.loaded_members[person.pk] = person
            self.persons[person.id_number] = person


HOUSEHOLD_ATTNAMES = [f.attname for f in Household._meta.concrete_fields]
PERSON_ATTNAMES = [f.attname for f in Person._meta.concrete_fields]
HOUSEHOLD_WIDTH = len(HOUSEHOLD_ATTNAMES)
HOUSEHOLD_PK_AT = HOUSEHOLD_ATTNAMES.index(Household._meta.pk.attname)
REGISTRY_COLUMNS = (
    *(f.name for f in Household._meta.concrete_fields),
    "building__name",
    *(f"members__{f.name}" for f in Person._meta.concrete_fields),
)


def _group(rows: list[LedgerRow]) -> dict[str, list[LedgerRow]]:
    """Rows by household code, in file order; a repeated ID number is an error on its later row."""
    groups: dict[str, list[LedgerRow]] = {}
    first_row: dict[str, int] = {}
    for row in rows:
        if row.resident:
            number = row.resident.number
            if number in first_row:
                row.error(ID_NUMBER, MSG_DUPLICATE_ID.format(row=first_row[number]))
                row.duplicate = True
            else:
                first_row[number] = row.number
        if "code" in row.values:
            groups.setdefault(row.values["code"], []).append(row)
    return groups


def _plan_household(code: str, rows: list[LedgerRow], registry: _Registry, context: _Context) -> HouseholdPlan:
    plan = HouseholdPlan(code=code, rows=rows)
    existing = registry.households.get(code)
    plan.existing = existing if existing is not None and existing.visible else None
    if existing is not None and not existing.visible:
        rows[0].error(CODE, MSG_CODE_TAKEN.format(code=code))

    # Match each row's person with the registry.
    for row in rows:
        person_plan = PersonPlan(row=row)
        plan.persons.append(person_plan)
        if not row.resident or row.duplicate:
            continue
        person = registry.persons.get(row.resident.number)
        if person is None:
            continue
        if plan.existing is not None and person.household_id == plan.existing.pk:
            person_plan.existing = person
        elif person.household.visible:
            row.error(ID_NUMBER, MSG_REGISTERED_IN.format(code=person.household.code))
        else:
            row.error(ID_NUMBER, MSG_REGISTERED_ELSEWHERE)

    # Rows of persons still in the household (not left or deceased) make up its composition.
    current = [p for p in plan.persons if p.existing is None or p.existing.status == PersonStatus.ACTIVE]
    heads = [p.row for p in current if p.row.values.get("relation") == Relation.HEAD]
    plan.primary = heads[0] if heads else rows[0]
    _agree_on_household_values(plan)
    if len(heads) == 1 and "name" in heads[0].values:
        for row in rows:
            if "head_name" in row.values and row.values["head_name"] != heads[0].values["name"]:
                row.error(HEAD_NAME, MSG_HEAD_NAME.format(row=heads[0].number, name=heads[0].values["name"]))

    if plan.existing is not None:
        settlement_id = plan.values.get("settlement")
        if settlement_id is not None and settlement_id != plan.existing.settlement_id:
            settlement = context.settlements[plan.existing.settlement_id].full_name
            plan.primary.error(SETTLEMENT, MSG_SETTLEMENT_CHANGE.format(code=code, settlement=settlement))

    _check_composition(plan, current, context)
    _classify(plan)
    return plan


def _agree_on_household_values(plan: HouseholdPlan) -> None:
    """Take each household column from the head's row (else the first row that fills it); rows that fill
    it differently are wrong."""
    ordered = [plan.primary, *[row for row in plan.rows if row is not plan.primary]]
    for column in AGREED_HOUSEHOLD_COLUMNS:
        source = None
        for row in ordered:
            if column.field not in row.values:
                continue
            if source is None:
                source = row
                plan.values[column.field] = row.values[column.field]
            elif row.values[column.field] != plan.values[column.field]:
                row.error(column, MSG_HOUSEHOLD_CONFLICT.format(row=source.number, value=source.cells[column.header]))
        failed = any(column.field in row.failed for row in plan.rows)
        if source is None and column.required and not failed:
            plan.primary.error(column, MSG_REQUIRED)


def _check_composition(plan: HouseholdPlan, current: list[PersonPlan], context: _Context) -> None:
    """Exactly one head and relations the ages allow, among the file's rows and the members already
    registered in the household that the file does not list."""
    rows = [p.row for p in plan.persons]
    if not all(row.resident and "relation" in row.values and not row.duplicate for row in rows):
        return  # those rows are wrong already; their relations cannot be judged
    members, owners = [], []
    for person_plan in current:
        row = person_plan.row
        members.append(rules.Member(row.values["relation"], row.resident.birth_date, row.resident.sex))
        owners.append(row)
    if plan.existing is not None:
        listed = {row.resident.number for row in rows}
        for _, person in sorted(plan.existing.loaded_members.items()):
            if person.status == PersonStatus.ACTIVE and person.id_number not in listed:
                members.append(rules.Member(person.relation, person.birth_date, person.sex))
                owners.append(person)
    for problem in rules.check_household(members, context.today):
        owner = owners[problem.index] if problem.index is not None else plan.primary
        column = BY_FIELD[problem.field]
        if isinstance(owner, LedgerRow):
            owner.error(column, problem.message)
        else:
            plan.primary.error(column, MSG_EXISTING_MEMBER.format(name=owner.name, message=problem.message))


def _classify(plan: HouseholdPlan) -> None:
    if plan.wrong:
        plan.outcome = WRONG
        for person in plan.persons:
            person.outcome = WRONG if person.row.errors else BLOCKED
        return
    if plan.existing is not None:
        plan.changes = _household_changes(plan.existing, plan.values)
    for person in plan.persons:
        if person.existing is None:
            person.outcome = NEW
            continue
        person.changes = {
            name: (getattr(person.existing, name), person.row.values[name])
            for name in PERSON_FIELDS
            if name in person.row.values and person.row.values[name] != getattr(person.existing, name)
        }
        person.outcome = CHANGED if person.changes else UNCHANGED
    if plan.existing is None:
        plan.outcome = NEW
    elif plan.changes or any(person.outcome in (NEW, CHANGED) for person in plan.persons):
        plan.outcome = CHANGED
    else:
        plan.outcome = UNCHANGED


def _household_changes(household: Household, values: dict) -> dict[str, tuple]:
    changes = {}
    for name in HOUSEHOLD_FIELDS:
        if name not in values:
            continue  # a blank cell never clears what the registry holds
        old = household.building_name if name == "building" else getattr(household, name)
        if old != values[name]:
            changes[name] = (old, values[name])
    if household.status == HouseholdStatus.ALLOCATED and values.get("move_in_date"):
        changes["status"] = (HouseholdStatus.ALLOCATED, HouseholdStatus.MOVED_IN)
    return changes


# --- the write -------------------------------------------------------------------------------------------------


@dataclass
class WriteCounts:
    households_created: int = 0
    households_updated: int = 0
    persons_created: int = 0
    persons_updated: int = 0
    buildings_created: int = 0
    memberships_created: int = 0
    events_created: int = 0


@dataclass(frozen=True)
class _Written:
    """A household as written: what its new members and its move-in event need."""

    pk: int
    settlement_id: int
    move_in_date: datetime.date | None


PERSON_OPTIONAL_FIELDS = ("phone", "education", "health", "hukou_status")  # a blank cell keeps the default


def write_ledger(result: CheckResult, user, *, valid_only: bool = False, reason: str = "台账导入") -> WriteCounts:
    """Write the new and changed households and persons of `result`, in one transaction.

    Nothing is written while a row is wrong, unless `valid_only`: then the households whose rows are all
    right are written and the others left alone. Unchanged records are not touched, so writing the same
    file twice changes nothing the second time.

    New records go in by `bulk.create_with_history` (COPY on PostgreSQL) with their "+" history rows; changed
    ones by simple-history's `bulk_update_with_history` ("~" rows), each with `user`, `reason` and one date.
    """
    if result.fatal:
        raise ValidationError([error.text for error in result.file_errors])
    if result.wrong_rows and not valid_only:
        raise ValidationError(MSG_HAS_WRONG.format(rows=result.wrong_rows))
    plans = [plan for plan in result.households if plan.outcome in (NEW, CHANGED)]
    counts = WriteCounts()
    if not plans:
        return counts
    history = {"default_user": user, "default_change_reason": reason, "default_date": timezone.now()}
    with transaction.atomic(), _constraints_checked_per_statement():
        buildings = _create_buildings(plans, counts)
        written, move_ins = _write_households(plans, buildings, history, counts)
        _write_persons(plans, written, result.today, history, counts)
        _record_move_ins(move_ins, user, reason, counts)
    return counts


@contextlib.contextmanager
def _constraints_checked_per_statement():
    """On PostgreSQL, check the foreign keys of each bulk insert as it runs instead of at commit.

    Django declares foreign keys DEFERRABLE INITIALLY DEFERRED, so PostgreSQL queues one check per inserted
    row until the commit; for the 150,000 or so references a large ledger writes, checking them statement by
    statement is several seconds faster. The inserts go parents first, so no check can fail early that would
    have passed at commit. Deferred checking is restored afterwards for the rest of any outer transaction.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    yield  # on an error the transaction (or savepoint) rolls back, and the setting with it
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _create_buildings(plans, counts) -> dict[tuple[int, str], Building]:
    """The buildings the written households name, by (settlement, name); missing ones are created."""
    named = {(plan.values["settlement"], plan.values["building"]) for plan in plans if plan.values.get("building")}
    existing = Building.objects.filter(settlement_id__in={settlement_id for settlement_id, _ in named})
    buildings = {(b.settlement_id, b.name): b for b in existing}
    wanted = named - buildings.keys()
    created = Building.objects.bulk_create([Building(settlement_id=s, name=n) for s, n in sorted(wanted)])
    for building in created:
        buildings[(building.settlement_id, building.name)] = building
    counts.buildings_created = len(created)
    return buildings


def _write_households(plans, buildings, history, counts) -> tuple[list[_Written], list[tuple[int, datetime.date]]]:
    """Create the new households and update the changed ones; return each plan's household as written (in
    the order of `plans`) and the move-ins to record, as (household, date)."""
    new_rows, new_at, updated = [], [], []
    written: list[_Written | None] = []
    for index, plan in enumerate(plans):
        values = plan.values
        if plan.existing is None:
            move_in = values.get("move_in_date")
            new_rows.append(
                {
                    "code": plan.code,
                    "settlement_id": values["settlement"],
                    "building_id": buildings[(values["settlement"], values["building"])].pk
                    if values.get("building")
                    else None,
                    "room_number": values.get("room_number", ""),
                    "project_year": values["project_year"],
                    "origin_township": values["origin_township"],
                    "origin_village": values.get("origin_village", ""),
                    "registered_poor": values.get("registered_poor", False),
                    "move_in_date": move_in,
                    "status": HouseholdStatus.MOVED_IN if move_in else HouseholdStatus.ALLOCATED,
                }
            )
            new_at.append(index)
            written.append(None)
            continue
        household = plan.existing
        if plan.changes:
            for name, (_, new) in plan.changes.items():
                if name == "building":
                    household.building = buildings[(household.settlement_id, new)] if new else None
                else:
                    setattr(household, name, new)
            household.updated_at = history["default_date"]
            updated.append((household, plan.changes))
        written.append(_Written(household.pk, household.settlement_id, household.move_in_date))
    keys = bulk.create_with_history(
        Household,
        new_rows,
        user=history["default_user"],
        reason=history["default_change_reason"],
        date=history["default_date"],
    )
    for index, row, key in zip(new_at, new_rows, keys, strict=True):
        written[index] = _Written(key, row["settlement_id"], row["move_in_date"])
    _bulk_update_changed_fields(updated, Household, history)
    counts.households_created, counts.households_updated = len(new_rows), len(updated)
    move_ins = [
        (home.pk, home.move_in_date)
        for plan, home in zip(plans, written, strict=True)
        if (plan.existing is None and home.move_in_date) or "status" in plan.changes
    ]
    return written, move_ins


def _write_persons(plans, written: list[_Written], today, history, counts) -> None:
    new_rows, homes, stepping_down, updated, relation_changed = [], [], [], [], []
    for plan, home in zip(plans, written, strict=True):
        for person_plan in plan.persons:
            values, resident = person_plan.row.values, person_plan.row.resident
            if person_plan.outcome == NEW:
                new_rows.append(
                    {
                        "household_id": home.pk,
                        "settlement_id": home.settlement_id,
                        "name": values["name"],
                        "id_number": resident.number,
                        "sex": resident.sex,
                        "birth_date": resident.birth_date,
                        "relation": values["relation"],
                        **{name: values[name] for name in PERSON_OPTIONAL_FIELDS if name in values},
                    }
                )
                homes.append(home)
            elif person_plan.outcome == CHANGED:
                person = person_plan.existing
                was_head = person.relation == Relation.HEAD
                for name, (_, new) in person_plan.changes.items():
                    setattr(person, name, new)
                person.updated_at = history["default_date"]
                # A head who steps down is written first, so the household never has two heads.
                steps_down = was_head and person.relation != Relation.HEAD
                (stepping_down if steps_down else updated).append((person, person_plan.changes))
                if "relation" in person_plan.changes:
                    relation_changed.append(person)
    _bulk_update_changed_fields(stepping_down, Person, history)
    keys = bulk.create_with_history(
        Person,
        new_rows,
        user=history["default_user"],
        reason=history["default_change_reason"],
        date=history["default_date"],
    )
    _bulk_update_changed_fields(updated, Person, history)
    counts.memberships_created = _open_memberships(keys, new_rows, homes, today)
    _carry_relations_into_memberships(relation_changed)
    counts.persons_created, counts.persons_updated = len(new_rows), len(stepping_down) + len(updated)


def _bulk_update_changed_fields(changed, model, history) -> None:
    """Write each (object, changes) pair's changed fields only: one bulk update per set of fields."""
    by_fields = {}
    for instance, changes in changed:
        by_fields.setdefault(tuple(sorted(changes)), []).append(instance)
    for names, instances in by_fields.items():
        bulk_update_with_history(instances, model, [*names, "updated_at"], batch_size=CHUNK_SIZE, **history)


def _open_memberships(keys: list[int], persons: list[dict], homes: list[_Written], today: datetime.date) -> int:
    """Open each new person's stay in their household, as a `MembershipStart.MOVE_IN` from the household's
    move-in date (or the import date when it has none), or as a `MembershipStart.BIRTH` from the birth date
    for a person born after that."""
    rows = []
    birth, move_in = MembershipStart.BIRTH, MembershipStart.MOVE_IN
    for key, person, home in zip(keys, persons, homes, strict=True):
        start, born = home.move_in_date or today, person["birth_date"]
        rows.append(
            {
                "person_id": key,
                "household_id": home.pk,
                "relation": person["relation"],
                "start_date": born if start < born else start,
                "start_reason": birth if start < born else move_in,
            }
        )
    bulk.create(Membership, rows, keys=False)
    return len(rows)


def _record_move_ins(move_ins: list[tuple[int, datetime.date]], user, reason: str, counts) -> None:
    rows = [
        {
            "household_id": household_id,
            "kind": HouseholdEventKind.MOVE_IN,
            "date": date,
            "recorded_by_id": user.pk if user else None,
            "reason": reason,
        }
        for household_id, date in move_ins
    ]
    bulk.create(HouseholdEvent, rows, keys=False)
    counts.events_created = len(rows)


def _carry_relations_into_memberships(persons) -> None:
    relation = {person.pk: person.relation for person in persons}
    for chunk in _chunks(list(relation)):
        open_periods = list(Membership.objects.filter(person_id__in=chunk, end_date__isnull=True))
        for membership in open_periods:
            membership.relation = relation[membership.person_id]
        Membership.objects.bulk_update(open_periods, ["relation"], batch_size=CHUNK_SIZE)


# --- the blank template ----------------------------------------------------------------------------------------

TEMPLATE_FORMATTED_ROWS = 2000  # rows given the text and date formats explicitly (the columns have them too)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
REQUIRED_FONT = Font(bold=True, color="9C0006")
GUIDE = (
    "填写说明",
    "1. 每行填写一名人员；同一户的人员填写相同的户编号。",
    "2. 户的信息（户编号以外的安置点、楼栋、房号、户主姓名、搬迁年度、迁出乡镇、迁出村、建档立卡、入住日期）"
    "可以只填在户主所在行；其他行留空或填写相同内容。",
    "3. 红色表头为必填列。身份证号、联系电话、户编号请按文本填写，不要改为数字格式，以免 Excel 丢失末几位。",
    "4. 性别可不填；填写时须与身份证号一致。出生日期和性别均取自身份证号。",
    "5. 入住日期写作 2019-05-01、2019/5/1 或 2019年5月1日。",
    "6. 有下拉列表的列请从列表中选择。空白单元格不会清除平台中已有的内容。",
    "7. 表头行以上可以有标题行；可以增加其他列，导入时会被忽略。",
)


def template_choices(column: ledger.Column, user) -> list[str]:
    """The values the template offers in a column's dropdown (none for free-text columns)."""
    if column is SETTLEMENT:
        return list(Settlement.objects.for_user(user).values_list("name", flat=True))
    return column.labels


def build_template(user) -> bytes:
    """A blank ledger for `user`: headers, dropdowns, text-formatted number columns, frozen header."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = TEMPLATE_SHEET
    last = TEMPLATE_FORMATTED_ROWS + 1
    for index, column in enumerate(ledger.COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = REQUIRED_FONT if column.required else Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        dimension = sheet.column_dimensions[letter]
        dimension.width = max(column.width, 2 * len(column.header) + 4)
        number_format = {xlsx_writer.TEXT: TEXT_FORMAT, xlsx_writer.DATE: DATE_FORMAT}.get(column.kind)
        if number_format:
            dimension.number_format = number_format
            for row in range(2, last + 1):
                sheet.cell(row=row, column=index).number_format = number_format
        choices = template_choices(column, user)
        if choices:
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
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 22
    guide = workbook.create_sheet("填写说明")
    guide.column_dimensions["A"].width = 110
    for number, line in enumerate(GUIDE, start=1):
        guide.cell(row=number, column=1, value=line).font = Font(bold=number == 1)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# --- services: an import from upload to done ------------------------------------------------------------------


def imports_for_user(user):
    """The imports `user` may see: the office all, anyone who may import their own, others none."""
    imports = RegistryImport.objects.select_related("user")
    if not user.is_authenticated or not user.is_active:
        return imports.none()
    if user.is_office:
        return imports
    if user.can_edit_registry:
        return imports.filter(user=user)
    return imports.none()


def require_importer(user) -> None:
    if not (user.is_authenticated and user.is_active and user.can_edit_registry):
        raise PermissionDenied(MSG_NO_PERMISSION)


def validate_upload(upload) -> None:
    """An uploaded file the import can read: an .xlsx (a zip) of reasonable size."""
    if not upload.name.lower().endswith(".xlsx"):
        raise ValidationError(MSG_NOT_XLSX)
    if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
        raise ValidationError(MSG_TOO_LARGE)
    position = upload.tell() if hasattr(upload, "tell") else 0
    signature = upload.read(4)
    upload.seek(position)
    if signature != b"PK\x03\x04":
        raise ValidationError(MSG_NOT_XLSX)


def registry_import_start(*, user, upload) -> RegistryImport:
    """Store the upload and queue its check."""
    require_importer(user)
    validate_upload(upload)
    name = os.path.basename(upload.name)[:200]
    record = RegistryImport.objects.create(
        user=user, file=upload, file_name=name, status=RegistryImportStatus.CHECKING, progress=0
    )
    from . import tasks

    transaction.on_commit(lambda: tasks.check_registry_import.delay(record.pk))
    return record


def _progress_reporter(record: RegistryImport, low: int, high: int):
    last = {"value": record.progress}

    def report(fraction: float) -> None:
        value = int(low + (high - low) * min(max(fraction, 0.0), 1.0))
        if value != last["value"]:
            last["value"] = value
            RegistryImport.objects.filter(pk=record.pk).update(progress=value)

    return report


def _check_record(record: RegistryImport, low: int, high: int) -> CheckResult:
    with record.file.open("rb") as file:
        return check_ledger(file, record.user, progress=_progress_reporter(record, low, high))


def _store_check(record: RegistryImport, result: CheckResult) -> None:
    record.summary = result.summary()
    record.errors = result.stored_errors()
    record.preview = result.preview()


def registry_import_check(import_id: int) -> RegistryImport:
    """Check the stored file and record the preview; run by a Celery task."""
    record = RegistryImport.objects.select_related("user").get(pk=import_id)
    if record.status != RegistryImportStatus.CHECKING:
        return record  # already checked (a task that ran twice)
    try:
        result = _check_record(record, 0, 100)
    except Exception:
        logger.exception("Checking registry import %s failed", import_id)
        return _fail(record, MSG_UNEXPECTED)
    _store_check(record, result)
    record.status = RegistryImportStatus.FAILED if result.fatal else RegistryImportStatus.CHECKED
    record.progress = 100
    record.finished_at = timezone.now() if result.fatal else None
    record.save(update_fields=["summary", "errors", "preview", "status", "progress", "finished_at"])
    return record


def _owned_and_checked(user, record: RegistryImport) -> None:
    require_importer(user)
    if record.user_id != user.pk:
        raise PermissionDenied(MSG_NOT_OWNER)
    if record.status != RegistryImportStatus.CHECKED:
        raise ValidationError(MSG_NOT_CHECKED)


def registry_import_confirm(*, user, registry_import: RegistryImport, valid_only: bool = False) -> RegistryImport:
    """The user confirms a checked import; queue the write."""
    _owned_and_checked(user, registry_import)
    wrong_rows = registry_import.summary.get("rows_wrong", 0)
    if wrong_rows and not valid_only:
        raise ValidationError(MSG_HAS_WRONG.format(rows=wrong_rows))
    claimed = RegistryImport.objects.filter(pk=registry_import.pk, status=RegistryImportStatus.CHECKED).update(
        status=RegistryImportStatus.IMPORTING, valid_only=valid_only, progress=0
    )
    if not claimed:  # confirmed twice (a double click): the first one writes
        raise ValidationError(MSG_NOT_CHECKED)
    from . import tasks

    transaction.on_commit(lambda: tasks.write_registry_import.delay(registry_import.pk))
    registry_import.refresh_from_db()
    return registry_import


def registry_import_cancel(*, user, registry_import: RegistryImport) -> RegistryImport:
    _owned_and_checked(user, registry_import)
    registry_import.status = RegistryImportStatus.CANCELLED
    registry_import.finished_at = timezone.now()
    registry_import.save(update_fields=["status", "finished_at"])
    return registry_import


def registry_import_write(import_id: int) -> RegistryImport:
    """Check the file again against the registry as it is now, then write it; run by a Celery task."""
    record = RegistryImport.objects.select_related("user").get(pk=import_id)
    if record.status != RegistryImportStatus.IMPORTING:
        return record  # already written (a task that ran twice)
    try:
        result = _check_record(record, 0, 60)
    except Exception:
        logger.exception("Re-checking registry import %s failed", import_id)
        return _fail(record, MSG_UNEXPECTED)
    if result.fatal or (result.wrong_rows and not record.valid_only):
        _store_check(record, result)
        record.summary["notice"] = MSG_RECHECK_FAILED.format(rows=result.wrong_rows)
        record.status, record.progress = RegistryImportStatus.CHECKED, 100
        record.save(update_fields=["summary", "errors", "preview", "status", "progress"])
        return record
    try:
        counts = write_ledger(
            result, record.user, valid_only=record.valid_only, reason=CHANGE_REASON.format(pk=record.pk)
        )
    except IntegrityError:
        logger.exception("Writing registry import %s conflicted with the registry", import_id)
        return _fail(record, MSG_WRITE_CONFLICT)
    except Exception:
        logger.exception("Writing registry import %s failed", import_id)
        return _fail(record, MSG_UNEXPECTED)
    _store_check(record, result)
    record.summary["written"] = dataclasses.asdict(counts)
    record.status, record.progress, record.finished_at = RegistryImportStatus.DONE, 100, timezone.now()
    record.save(update_fields=["summary", "errors", "preview", "status", "progress", "finished_at"])
    return record


def _fail(record: RegistryImport, message: str) -> RegistryImport:
    record.status = RegistryImportStatus.FAILED
    record.errors = [LedgerError("", None, "", message).as_dict()]
    record.progress = 100
    record.finished_at = timezone.now()
    record.save(update_fields=["status", "errors", "progress", "finished_at"])
    return record
