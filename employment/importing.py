"""Import of the existing employment and training ledgers (就业台账, 培训台账): read, check, preview, write.

The same check-preview-write as the registry import (`settlements.importing`), whose reader, cell parsers
and messages this module reuses. Rows are keyed by ID number to persons already in the registry, as the
importing user may see them (`Person.objects.for_user`): a person outside the user's scope is reported
exactly like an unknown ID number.

`check_ledger(source, user, kind)` reads a whole ledger and checks every row: its cells, the person, the
named workshop and welfare post, and the rules the employment services keep (one open job at a time except
flexible work, a welfare post held by one person at a time), against the registry and the file's earlier
rows. It writes nothing, and costs a handful of queries per `LOOKUP_ROWS` rows however large the file.

`write_ledger(result, user, ...)` writes what the check found new or changed, in one transaction, with bulk
operations that keep the change history in the importing user's name and with the import's reason.

A row is the same record as one in the registry (and is updated, not added, when imported again) when it
has the same identity: for a job the person, the start date and the employer's name (or, without an
employer, the kind of employment); for a training the person, the course and the start date.

The `employment_import_*` services take an `EmploymentImport` from upload through check and confirmation to
done; the Celery tasks in `tasks.py` only call them.
"""

import contextlib
import dataclasses
import datetime
import io
import itertools
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from types import SimpleNamespace
from typing import Any

import openpyxl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from simple_history.utils import bulk_update_with_history

from settlements import bulk, id_numbers
from settlements.importing import (
    CHUNK_SIZE,
    DATE_FORMAT,
    HEADER_FILL,
    HEADER_SEARCH_ROWS,
    LOOKUP_ROWS,
    MAX_ROWS,
    MAX_STORED_CHANGES,
    MAX_STORED_ERRORS,
    MSG_DUPLICATE_COLUMN,
    MSG_MISSING_COLUMNS,
    MSG_NO_ROWS,
    MSG_NOT_CHECKED,
    MSG_NOT_OWNER,
    MSG_RECHECK_FAILED,
    MSG_REQUIRED,
    MSG_TOO_MANY_ROWS,
    MSG_UNEXPECTED,
    MSG_UNREADABLE,
    MSG_WRITE_CONFLICT,
    PREVIEW_ROWS,
    REQUIRED_FONT,
    TEMPLATE_FORMATTED_ROWS,
    TEXT_FORMAT,
    CellError,
    LedgerError,
    LedgerFileError,
    LedgerRow,
    _choice_parser,
    _chunks,
    _header_text,
    _is_blank,
    _key,
    _parse_date,
    _parse_id_number,
    _text_parser,
    _Workbook,
    cell_text,
    validate_upload,
)
from settlements.ledger import Column
from settlements.models import Person, RegistryImportStatus
from settlements.xlsx_writer import DATE, TEXT

from . import import_columns, services
from .import_columns import EMPLOYMENT, ID_NUMBER, SPECS, TRAINING, LedgerSpec
from .models import (
    Employer,
    Employment,
    EmploymentImport,
    EmploymentKind,
    JobPlace,
    LedgerKind,
    TrainingRecord,
    WelfarePost,
    Workshop,
)

logger = logging.getLogger(__name__)

CHANGE_REASON = {LedgerKind.EMPLOYMENT: "就业台账导入 #{pk}", LedgerKind.TRAINING: "培训台账导入 #{pk}"}
MAX_PAY = Decimal("9999999.99")  # Employment.monthly_pay: 9 digits, 2 decimals
MAX_SMALL = 32767  # PositiveSmallIntegerField
CENT = Decimal("0.01")

# --- messages (the tests use these constants) --------------------------------------------------------------

MSG_NO_PERMISSION = "您的角色无权导入就业和培训台账。"
MSG_NO_HEADER = "前{rows}行中没有找到{title}的表头行：表头行须包含{keys}。"
MSG_UNKNOWN_KIND = "没有这种台账。"

MSG_PERSON_UNKNOWN = "您管理范围内的搬迁人员中没有这个身份证号：请先在户籍台账中登记该人员。"
MSG_NAME_MISMATCH = "与户籍台账中该身份证号人员的姓名“{name}”不一致。"
MSG_WHOLE_NUMBER = "“{value}”不是整数。"
MSG_NUMBER_RANGE = "应在{low}到{high}之间。"
MSG_AMOUNT = "“{value}”不是有效的金额，应写作数字，如 3500 或 3500.50。"
MSG_START_FUTURE = services.MSG_START_IN_FUTURE
MSG_END_FUTURE = "离岗日期不能晚于今天。"
MSG_END_BEFORE_START = services.MSG_END_BEFORE_START
MSG_END_REASON_NEEDED = "填写了离岗日期，须同时选择离岗原因。"
MSG_END_DATE_NEEDED = "填写了离岗原因，须同时填写离岗日期。"
MSG_EMPLOYER_NEEDED = "除自主创业、灵活就业外，须填写用工单位。"
MSG_WORKSHOP_NEEDED = "就业类型为扶贫车间或基地时，须填写车间或基地的名称。"
MSG_POST_NEEDED = "就业类型为公益性岗位时，须填写公益性岗位编号。"
MSG_WORKSHOP_UNKNOWN = "没有名为“{value}”的就业扶贫车间或基地。"
MSG_WORKSHOP_AMBIGUOUS = "名为“{value}”的车间或基地不止一个，请联系领导小组办公室区分名称。"
MSG_POST_UNKNOWN = "没有编号为“{value}”的公益性岗位。"
MSG_OVERLAP = services.MSG_OVERLAP
MSG_POST_TAKEN = services.MSG_POST_TAKEN
MSG_OTHER_HOLDER = "其他人员"  # a welfare post's holder outside the user's scope is not named
MSG_TRAINING_DATES = services.MSG_TRAINING_DATES
MSG_DUPLICATE_RECORD = "与第{row}行是同一条记录（{identity}相同），请合并为一行。"
MSG_HAS_WRONG = "文件中有{rows}行存在错误：请修改后重新上传，或勾选“只导入无误的行”。"

IDENTITY = {
    LedgerKind.EMPLOYMENT: "身份证号、上岗日期、用工单位（未填时为就业类型）",
    LedgerKind.TRAINING: "身份证号、培训项目、开班日期",
}

# --- outcomes ------------------------------------------------------------------------------------------------

NEW, CHANGED, UNCHANGED, WRONG = "new", "changed", "unchanged", "wrong"
OUTCOMES = (NEW, CHANGED, UNCHANGED, WRONG)

# Model fields a row may change on a record the registry holds (the identity fields never change).
EMPLOYMENT_FIELDS = (
    "kind",
    "job_title",
    "place",
    "end_date",
    "end_reason",
    "contract_months",
    "social_insurance",
    "monthly_pay",
    "workshop_id",
    "welfare_post_id",
)
TRAINING_FIELDS = ("kind", "sector", "provider", "end_date", "days", "on_the_job", "completed")
FIELD_HEADERS = {
    LedgerKind.EMPLOYMENT: {
        **{column.field: column.header for column in import_columns.EMPLOYMENT_COLUMNS},
        "workshop_id": "车间或基地",
        "welfare_post_id": "公益性岗位编号",
    },
    LedgerKind.TRAINING: {column.field: column.header for column in import_columns.TRAINING_COLUMNS},
}


# --- results -------------------------------------------------------------------------------------------------


@dataclass
class RowPlan:
    """A data row with what the check decided: the person, the record it matches, the model values it sets,
    the changes to that record, and its outcome."""

    row: LedgerRow
    person: Person | None = None
    key: tuple | None = None  # the record's identity (see the module's docstring)
    existing: Employment | TrainingRecord | None = None
    fields: dict[str, Any] = field(default_factory=dict)  # model attribute -> value, for the write
    changes: dict[str, tuple] = field(default_factory=dict)  # model attribute -> (old, new)
    outcome: str = ""


@dataclass
class CheckResult:
    """What a check found: each row's outcome, the errors, a preview."""

    spec: LedgerSpec
    today: datetime.date
    sheet: str = ""
    header_row: int | None = None
    headers: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    absent_columns: list[str] = field(default_factory=list)
    file_errors: list[LedgerError] = field(default_factory=list)
    plans: list[RowPlan] = field(default_factory=list)
    preview_rows: list[dict] = field(default_factory=list)
    names: dict[str, dict[int, str]] = field(default_factory=dict)  # workshop_id / welfare_post_id -> shown

    @property
    def fatal(self) -> bool:
        return bool(self.file_errors)

    @property
    def errors(self) -> list[LedgerError]:
        order = {header: i for i, header in enumerate(self.headers)}
        row_errors = [error for plan in self.plans for error in plan.row.errors]
        row_errors.sort(key=lambda e: (e.row or 0, order.get(e.column, len(order))))
        return self.file_errors + row_errors

    @property
    def wrong_rows(self) -> int:
        return sum(1 for plan in self.plans if plan.row.errors)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(OUTCOMES, 0)
        for plan in self.plans:
            counts[plan.outcome] += 1
        counts["rows"] = len(self.plans)
        return counts

    def summary(self) -> dict:
        errors = self.errors
        return {
            "kind": self.spec.kind,
            **self.counts(),
            "errors_total": len(errors),
            "errors_stored": min(len(errors), MAX_STORED_ERRORS),
        }

    def stored_errors(self) -> list[dict]:
        return [error.as_dict() for error in self.errors[:MAX_STORED_ERRORS]]

    def preview(self) -> dict:
        changes = [self._change(plan) for plan in self.plans if plan.outcome == CHANGED]
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

    def _change(self, plan: RowPlan) -> dict:
        headers = FIELD_HEADERS[self.spec.kind]
        return {
            "row": plan.row.number,
            "name": plan.person.name,
            "id": id_numbers.mask(plan.person.id_number),
            "record": describe_record(plan.existing),
            "fields": [
                {"field": name, "label": headers[name], "old": self.display(name, old), "new": self.display(name, new)}
                for name, (old, new) in plan.changes.items()
            ],
        }

    def display(self, name: str, value) -> str:
        """A stored value as the ledger writes it: labels for choices, 是/否, dates as 2019-05-01."""
        if value is None or value == "":
            return "（空）"
        if name in self.names:
            return self.names[name].get(value, str(value))
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, datetime.date):
            return value.isoformat()
        column = self.spec.by_field.get(name)
        if column and column.choices:
            return dict(column.choices).get(str(value), str(value))
        return str(value)


def describe_record(record) -> str:
    """A record of the registry in a few words: “2020-03-01 上岗 · 榕江县某服装厂”, “2021-04-06 开班 · 电工”."""
    if isinstance(record, Employment):
        return f"{record.start_date.isoformat()} 上岗 · {_employment_label(record)}"
    return f"{record.start_date.isoformat()} 开班 · {record.course}"


def _employment_label(employment: Employment) -> str:
    return employment.employer_label or EmploymentKind(employment.kind).label


# --- reading ---------------------------------------------------------------------------------------------------


def _header(value) -> str:
    """A header cell as a ledger header (see `settlements.importing._header_text`), with （） for ()."""
    return _header_text(value).replace("(", "（").replace(")", "）")


def _is_header_row(values, spec: LedgerSpec) -> bool:
    texts = {_header(value) for value in values}
    return all(key in texts for key in spec.header_keys)


def _no_header(spec: LedgerSpec) -> str:
    keys = "".join(f"“{key}”" for key in spec.header_keys)
    return MSG_NO_HEADER.format(rows=HEADER_SEARCH_ROWS, title=spec.title, keys=keys)


def read_sheet(source, spec: LedgerSpec) -> tuple[str, list[tuple[int, tuple]]]:
    """The non-blank rows, with their Excel row numbers, of the first sheet that has the ledger's header row
    (else the first sheet): `settlements.importing.read_workbook` with this ledger's header."""
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    try:
        workbook = _Workbook(source)
    except Exception as error:  # zipfile, KeyError, openpyxl's own classes: whatever a broken file raises
        raise LedgerFileError(MSG_UNREADABLE) from error
    with contextlib.closing(workbook):
        if not workbook.sheets:
            raise LedgerFileError(_no_header(spec))
        title, path = next(
            (sheet for sheet in workbook.sheets if _has_header_row(workbook, sheet[1], spec)), workbook.sheets[0]
        )
        rows = []
        for number, values in workbook.rows(path):
            if all(_is_blank(value) for value in values):
                continue
            rows.append((number, values))
            if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise LedgerFileError(MSG_TOO_MANY_ROWS)
        return title, rows


def _has_header_row(workbook, path, spec: LedgerSpec) -> bool:
    with contextlib.closing(workbook.rows(path)) as rows:
        head = itertools.takewhile(lambda row: row[0] <= HEADER_SEARCH_ROWS, rows)
        return any(_is_header_row(values, spec) for _, values in head)


# --- cells -----------------------------------------------------------------------------------------------------

ANY_DAY = SimpleNamespace(today=datetime.date.max)  # dates are checked against today per column, below


def _parse_any_date(value, text, context) -> datetime.date:
    return _parse_date(value, text, ANY_DAY)


def _whole_number_parser(low: int, high: int):
    def parse(value, text, context) -> int:
        if not re.fullmatch(r"\d+", text):
            raise CellError(MSG_WHOLE_NUMBER.format(value=text))
        number = int(text)
        if not low <= number <= high:
            raise CellError(MSG_NUMBER_RANGE.format(low=low, high=high))
        return number

    return parse


def _parse_amount(value, text, context) -> Decimal:
    try:
        amount = Decimal(re.sub(r"[,，\s]|元$", "", text))
    except InvalidOperation:
        raise CellError(MSG_AMOUNT.format(value=text)) from None
    if not amount.is_finite() or amount < 0:
        raise CellError(MSG_AMOUNT.format(value=text))
    amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if amount > MAX_PAY:
        raise CellError(MSG_NUMBER_RANGE.format(low=0, high=MAX_PAY))
    return amount


def _yes_no(column: Column):
    return _choice_parser(column, convert=lambda value: value == "1")


def _parsers(spec: LedgerSpec, texts: dict[str, tuple], others: dict[str, Callable]) -> dict[str, Callable]:
    """A ledger's cell parsers: text columns by their model field's length, dates, choices, then `others`."""
    parsers = {"id_number": _parse_id_number, "name": _text_parser(Person, "name")}
    parsers.update((name, _text_parser(model, model_field)) for name, (model, model_field) in texts.items())
    for column in spec.columns:
        if column.kind == DATE:
            parsers[column.field] = _parse_any_date
        elif column.choices:
            parsers[column.field] = _yes_no(column) if column.labels == ["是", "否"] else _choice_parser(column)
    return {**parsers, **others}


PARSERS = {
    LedgerKind.EMPLOYMENT: _parsers(
        EMPLOYMENT,
        {
            "employer": (Employment, "employer_name"),
            "job_title": (Employment, "job_title"),
            "workshop": (Workshop, "name"),
            "welfare_post": (WelfarePost, "code"),
        },
        {"contract_months": _whole_number_parser(0, MAX_SMALL), "monthly_pay": _parse_amount},
    ),
    LedgerKind.TRAINING: _parsers(
        TRAINING,
        {
            "course": (TrainingRecord, "course"),
            "sector": (TrainingRecord, "sector"),
            "provider": (TrainingRecord, "provider"),
        },
        {"days": _whole_number_parser(1, MAX_SMALL)},
    ),
}
for _kind, _spec in SPECS.items():
    assert set(PARSERS[_kind]) == set(_spec.by_field), f"every {_spec.title} column needs a parser"


# --- the check -------------------------------------------------------------------------------------------------

Progress = Callable[[float], None] | None


def check_ledger(
    source, user, kind: str, *, today: datetime.date | None = None, progress: Progress = None
) -> CheckResult:
    """Read and check a whole ledger of `kind` (a `LedgerKind`) for `user`; write nothing.

    `source` is an .xlsx file (path, bytes or binary file) or the sheet's rows (sequences of cell values,
    the first being Excel row 1). `progress(fraction)` is called as the check goes.
    """
    spec = SPECS[kind]
    result = CheckResult(spec=spec, today=today or timezone.localdate(), sheet=spec.title)
    report = progress or (lambda fraction: None)
    try:
        if isinstance(source, (str, bytes, os.PathLike)) or hasattr(source, "read"):
            result.sheet, rows = read_sheet(source, spec)
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

    context = SimpleNamespace(today=result.today)  # what `_parse_id_number` reads
    parsers = PARSERS[spec.kind]
    for index, chunk in enumerate(_chunks(data)):
        for number, values in chunk:
            result.plans.append(RowPlan(row=_parse_row(result.sheet, number, values, columns, parsers, context)))
        report(0.2 + 0.3 * min(1.0, (index + 1) * CHUNK_SIZE / len(data)))
    result.preview_rows = _preview_rows(data[:PREVIEW_ROWS], len(result.headers), columns)

    registry = _Registry.load(result.plans, spec, user, lambda fraction: report(0.5 + 0.4 * fraction))
    if spec.kind == LedgerKind.EMPLOYMENT:
        result.names = {"workshop_id": registry.workshop_names(), "welfare_post_id": registry.post_codes()}
        _plan_employments(result, registry)
    else:
        _plan_trainings(result, registry)
    report(1.0)
    return result


def _find_header(result: CheckResult, rows) -> list[tuple[int, Column]]:
    """Locate the header row; return the ledger's columns present as (position, column)."""
    spec = result.spec
    for number, header_values in rows:
        if number > HEADER_SEARCH_ROWS:
            raise LedgerFileError(_no_header(spec))
        if _is_header_row(header_values, spec):
            result.header_row = number
            break
    else:
        raise LedgerFileError(_no_header(spec))
    by_header = spec.by_header
    columns, seen = [], {}
    for position, value in enumerate(header_values):
        header = _header(value)
        result.headers.append(cell_text(value))
        if header in by_header:
            if header in seen:
                first, second = get_column_letter(seen[header] + 1), get_column_letter(position + 1)
                raise LedgerFileError(MSG_DUPLICATE_COLUMN.format(header=header, first=first, second=second))
            seen[header] = position
            columns.append((position, by_header[header]))
            result.headers[-1] = header
        elif header:
            result.ignored_columns.append(cell_text(value))
    missing = [column.header for column in spec.columns if column.required and column.header not in seen]
    if missing:
        raise LedgerFileError(MSG_MISSING_COLUMNS.format(columns="、".join(missing)))
    result.absent_columns = [column.header for column in spec.columns if column.header not in seen]
    return columns


def _parse_row(sheet, number, values, columns, parsers, context) -> LedgerRow:
    row = LedgerRow(sheet=sheet, number=number, cells={})
    width = len(values)
    for position, column in columns:
        value = values[position] if position < width else None
        text = cell_text(value)
        if not text:
            if column.required:
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
        if column is ID_NUMBER:
            row.resident = parsed
            parsed = parsed.number
        row.values[column.field] = parsed
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
    """What the check needs from the database: the persons the file names (as the user may see them), their
    records of the ledger's kind and, for jobs, the employers, workshops and welfare posts the file names,
    with every job held on those posts (by anyone)."""

    persons: dict[str, Person] = field(default_factory=dict)  # by ID number
    records: list = field(default_factory=list)  # the persons' jobs or trainings
    employers: dict[str, Employer] = field(default_factory=dict)  # by name
    workshops: dict[str, list[Workshop]] = field(default_factory=dict)  # by name (names are not unique)
    posts: dict[str, WelfarePost] = field(default_factory=dict)  # by code
    post_jobs: list[Employment] = field(default_factory=list)  # with `visible`: the holder is in scope

    def workshop_names(self) -> dict[int, str]:
        return {workshop.pk: workshop.name for named in self.workshops.values() for workshop in named}

    def post_codes(self) -> dict[int, str]:
        return {post.pk: post.code for post in self.posts.values()}

    @classmethod
    def load(cls, plans: list[RowPlan], spec: LedgerSpec, user, progress) -> "_Registry":
        """Per `LOOKUP_ROWS` rows one query for the persons and one for their records; for jobs then one
        query each for the employers, the workshops, the welfare posts and the jobs held on those posts."""
        registry = cls()
        scoped = Person.objects.for_user(user)  # reads the user's settlements once
        jobs = spec.kind == LedgerKind.EMPLOYMENT
        records = Employment.objects.select_related("employer") if jobs else TrainingRecord.objects.all()
        chunks = list(_chunks(plans, LOOKUP_ROWS))
        for index, chunk in enumerate(chunks):
            numbers = {plan.row.resident.number for plan in chunk if plan.row.resident} - registry.persons.keys()
            if numbers:
                found = list(scoped.filter(id_number__in=numbers).order_by())
                registry.persons.update((person.id_number, person) for person in found)
                if found:
                    registry.records += records.filter(person_id__in=[person.pk for person in found]).order_by("pk")
            progress((index + 1) / len(chunks))
        if jobs:
            registry._load_references(plans, scoped)
        return registry

    def _load_references(self, plans: list[RowPlan], scoped) -> None:
        def named(name):
            return {plan.row.values[name] for plan in plans if name in plan.row.values}

        employer_names, workshop_names, post_codes = named("employer"), named("workshop"), named("welfare_post")
        if employer_names:
            self.employers = {employer.name: employer for employer in Employer.objects.filter(name__in=employer_names)}
        if workshop_names:
            for workshop in Workshop.objects.filter(name__in=workshop_names).order_by("pk"):
                self.workshops.setdefault(workshop.name, []).append(workshop)
        if post_codes:
            self.posts = {post.code: post for post in WelfarePost.objects.filter(code__in=post_codes)}
        if self.posts:
            in_scope = scoped.filter(pk=OuterRef("person_id"))
            self.post_jobs = list(
                Employment.objects.filter(welfare_post_id__in=[post.pk for post in self.posts.values()])
                .select_related("employer", "person")
                .annotate(visible=Exists(in_scope))
                .order_by("pk")
            )


def _match_person(plan: RowPlan, registry: _Registry) -> None:
    """The row's person by ID number, among those the user may see: an unknown number and one outside the
    user's scope are the same error. A name that differs from the registry's is an error too."""
    row = plan.row
    if not row.resident:
        return
    person = registry.persons.get(row.resident.number)
    if person is None:
        row.error(ID_NUMBER, MSG_PERSON_UNKNOWN)
        return
    plan.person = person
    if "name" in row.values and row.values["name"] != person.name:
        row.error(import_columns.NAME, MSG_NAME_MISMATCH.format(name=person.name))


def _is_repeated(plan: RowPlan, first_rows: dict, column: Column, kind: str) -> bool:
    """A later row with the identity of an earlier one is an error on the later row."""
    if plan.key in first_rows:
        plan.row.error(column, MSG_DUPLICATE_RECORD.format(row=first_rows[plan.key], identity=IDENTITY[kind]))
        return True
    first_rows[plan.key] = plan.row.number
    return False


def _classify(plan: RowPlan, names: tuple[str, ...]) -> None:
    """New, changed (which fields, old and new) or unchanged; a blank cell never clears a stored value."""
    if plan.row.errors:
        plan.outcome = WRONG
    elif plan.existing is None:
        plan.outcome = NEW
    else:
        existing = plan.existing
        plan.changes = {
            name: (getattr(existing, name), plan.fields[name])
            for name in names
            if name in plan.fields and plan.fields[name] != getattr(existing, name)
        }
        plan.outcome = CHANGED if plan.changes else UNCHANGED


# --- the check: jobs -------------------------------------------------------------------------------------------

BY_FIELD = EMPLOYMENT.by_field
KIND, EMPLOYER, START_DATE, END_DATE, END_REASON, WORKSHOP, WELFARE_POST = (
    BY_FIELD[name] for name in ("kind", "employer", "start_date", "end_date", "end_reason", "workshop", "welfare_post")
)
DIRECT_FIELDS = (
    "kind",
    "job_title",
    "place",
    "start_date",
    "end_date",
    "end_reason",
    "contract_months",
    "social_insurance",
    "monthly_pay",
)
NO_EMPLOYER_NEEDED = (EmploymentKind.SELF_EMPLOYED, EmploymentKind.FLEXIBLE)
NEW_JOB_DEFAULTS = {"place": JobPlace.COUNTY, "end_date": None, "end_reason": "", "workshop_id": None}


def employment_key(person_id: int, start_date: datetime.date, employer: str, kind: str) -> tuple:
    """A job's identity: the person, the start date and the employer's name, or the kind without one."""
    return (person_id, start_date, ("employer", _key(employer)) if employer else ("kind", kind))


@dataclass
class _Span:
    """A job as the rules see it: who, what kind, when, on which welfare post. A job of the registry has
    its `pk`; a job of the file its `row`."""

    person_id: int
    kind: str
    start: datetime.date
    end: datetime.date | None
    post_id: int | None
    label: str
    holder: str
    pk: int | None = None
    row: int | None = None

    def overlaps(self, other: "_Span") -> bool:
        """The periods share a day (the end day is not part of a job, as in `models.active_on`)."""
        return self.start < (other.end or datetime.date.max) and other.start < (self.end or datetime.date.max)

    @property
    def job(self) -> str:
        return f"第{self.row}行，{self.label}" if self.row else f"{self.start.isoformat()}起，{self.label}"


class _Jobs:
    """The jobs the rules compare: the registry's as they are, then each good row of the file in file order
    (a row that changes a registry job takes its place). Only rows that pass join, so the good rows written
    alone (“只导入无误的行”) keep the rules too."""

    def __init__(self, registry: _Registry):
        self.by_person: dict[int, list[_Span]] = {}
        self.by_post: dict[int, list[_Span]] = {}
        self.spans: dict[int, _Span] = {}
        names = {person.pk: person.name for person in registry.persons.values()}
        for job in registry.records:
            self._add(_span_of(job, names[job.person_id]))
        for job in registry.post_jobs:
            if job.pk not in self.spans:
                self._add(_span_of(job, job.person.name if job.visible else MSG_OTHER_HOLDER))

    def _add(self, span: _Span) -> None:
        if span.pk is not None:
            self.spans[span.pk] = span
        self.by_person.setdefault(span.person_id, []).append(span)
        if span.post_id:
            self.by_post.setdefault(span.post_id, []).append(span)

    def _replace(self, span: _Span) -> None:
        old = self.spans.pop(span.pk, None)
        if old is not None:
            self.by_person[old.person_id].remove(old)
            if old.post_id:
                self.by_post[old.post_id].remove(old)
        self._add(span)

    def claim(self, span: _Span) -> list[tuple[Column, str]]:
        """The rules `span` breaks against the jobs so far; if none, it joins them."""
        problems = []
        if span.kind != EmploymentKind.FLEXIBLE:
            for other in self.by_person.get(span.person_id, ()):
                if (span.pk is not None and other.pk == span.pk) or other.kind == EmploymentKind.FLEXIBLE:
                    continue
                if span.overlaps(other) and (span.end is None or other.end is None):
                    day = max(span.start, other.start).isoformat()
                    problems.append((START_DATE, MSG_OVERLAP.format(date=day, job=other.job)))
                    break
        if span.post_id:
            for other in self.by_post.get(span.post_id, ()):
                if other.person_id == span.person_id:
                    continue  # the same person twice is the rule above
                if span.overlaps(other):
                    day = max(span.start, other.start).isoformat()
                    problems.append((WELFARE_POST, MSG_POST_TAKEN.format(date=day, name=other.holder)))
                    break
        if not problems:
            self._replace(span)
        return problems


def _span_of(job: Employment, holder: str) -> _Span:
    return _Span(
        person_id=job.person_id,
        kind=job.kind,
        start=job.start_date,
        end=job.end_date,
        post_id=job.welfare_post_id,
        label=_employment_label(job),
        holder=holder,
        pk=job.pk,
    )


def _plan_employments(result: CheckResult, registry: _Registry) -> None:
    existing = {}
    for job in registry.records:
        key = employment_key(job.person_id, job.start_date, job.employer_label, job.kind)
        existing.setdefault(key, job)
    jobs = _Jobs(registry)
    first_rows: dict[tuple, int] = {}
    for plan in result.plans:
        row, values = plan.row, plan.row.values
        _match_person(plan, registry)
        _resolve_references(plan, registry)
        employer, kind = values.get("employer", ""), values.get("kind")
        identified = "start_date" in values and "employer" not in row.failed and (employer or kind)
        if plan.person is not None and identified:
            plan.key = employment_key(plan.person.pk, values["start_date"], employer, kind)
            if not _is_repeated(plan, first_rows, START_DATE, LedgerKind.EMPLOYMENT):
                plan.existing = existing.get(plan.key)
        plan.fields.update((name, values[name]) for name in DIRECT_FIELDS if name in values)
        _check_job(plan, result.today)
        _classify(plan, EMPLOYMENT_FIELDS)
        if plan.outcome in (NEW, CHANGED):
            for column, message in jobs.claim(_row_span(plan)):
                row.error(column, message)
            if row.errors:
                plan.outcome, plan.changes = WRONG, {}


def _resolve_references(plan: RowPlan, registry: _Registry) -> None:
    """The employer (linked when the registry knows it by that name), the workshop and the welfare post."""
    row, values = plan.row, plan.row.values
    if "employer" in values:
        employer = registry.employers.get(values["employer"])
        if employer is not None:
            plan.fields.update(employer_id=employer.pk, employer_name="")
        else:
            plan.fields.update(employer_id=None, employer_name=values["employer"])
    if "workshop" in values:
        named = registry.workshops.get(values["workshop"], [])
        if len(named) == 1:
            plan.fields["workshop_id"] = named[0].pk
        else:
            message = MSG_WORKSHOP_AMBIGUOUS if named else MSG_WORKSHOP_UNKNOWN
            row.error(WORKSHOP, message.format(value=values["workshop"]))
            row.failed.add("workshop")
    if "welfare_post" in values:
        post = registry.posts.get(values["welfare_post"])
        if post is not None:
            plan.fields["welfare_post_id"] = post.pk
        else:
            row.error(WELFARE_POST, MSG_POST_UNKNOWN.format(value=values["welfare_post"]))
            row.failed.add("welfare_post")


def _merged(plan: RowPlan, name: str):
    """A field as it will be once the row is written: the row's value, else the stored one, else the default."""
    if name in plan.fields:
        return plan.fields[name]
    if plan.existing is not None:
        return getattr(plan.existing, name)
    return NEW_JOB_DEFAULTS.get(name)


def _check_job(plan: RowPlan, today: datetime.date) -> None:
    """The rules of one job on its own (dates, end and reason, what its kind needs), as the services keep
    them; a cell that could not be read is not judged again."""
    row, failed = plan.row, plan.row.failed
    start, end = plan.fields.get("start_date"), _merged(plan, "end_date")
    if start and start > today:
        row.error(START_DATE, MSG_START_FUTURE)
    if "end_date" in plan.fields and end > today:
        row.error(END_DATE, MSG_END_FUTURE)
    if start and end and end < start:
        row.error(END_DATE, MSG_END_BEFORE_START.format(date=start.isoformat()))
    if end and not _merged(plan, "end_reason") and "end_reason" not in failed:
        row.error(END_REASON, MSG_END_REASON_NEEDED)
    if _merged(plan, "end_reason") and not end and "end_date" not in failed:
        row.error(END_DATE, MSG_END_DATE_NEEDED)
    kind = _merged(plan, "kind")
    if kind == EmploymentKind.WORKSHOP and not _merged(plan, "workshop_id") and "workshop" not in failed:
        row.error(WORKSHOP, MSG_WORKSHOP_NEEDED)
    if kind == EmploymentKind.WELFARE_POST and not _merged(plan, "welfare_post_id") and "welfare_post" not in failed:
        row.error(WELFARE_POST, MSG_POST_NEEDED)
    if kind and kind not in NO_EMPLOYER_NEEDED and "employer" not in plan.row.values and "employer" not in failed:
        row.error(EMPLOYER, MSG_EMPLOYER_NEEDED)


def _row_span(plan: RowPlan) -> _Span:
    kind = _merged(plan, "kind")
    employer = plan.row.values.get("employer", "")
    return _Span(
        person_id=plan.person.pk,
        kind=kind,
        start=plan.fields["start_date"],
        end=_merged(plan, "end_date"),
        post_id=_merged(plan, "welfare_post_id"),
        label=employer or EmploymentKind(kind).label,
        holder=plan.person.name,
        pk=plan.existing.pk if plan.existing is not None else None,
        row=plan.row.number,
    )


# --- the check: trainings --------------------------------------------------------------------------------------

COURSE, TRAINING_END = TRAINING.by_field["course"], TRAINING.by_field["end_date"]
TRAINING_DIRECT_FIELDS = ("course", "start_date", *TRAINING_FIELDS)


def _plan_trainings(result: CheckResult, registry: _Registry) -> None:
    existing = {(t.person_id, t.course, t.start_date): t for t in registry.records}
    first_rows: dict[tuple, int] = {}
    for plan in result.plans:
        values = plan.row.values
        _match_person(plan, registry)
        if plan.person is not None and "course" in values and "start_date" in values:
            plan.key = (plan.person.pk, values["course"], values["start_date"])
            if not _is_repeated(plan, first_rows, COURSE, LedgerKind.TRAINING):
                plan.existing = existing.get(plan.key)
        plan.fields.update((name, values[name]) for name in TRAINING_DIRECT_FIELDS if name in values)
        start = values.get("start_date")
        end = values.get("end_date", plan.existing.end_date if plan.existing else None)
        if start and end and end < start:
            plan.row.error(TRAINING_END, MSG_TRAINING_DATES)
        _classify(plan, TRAINING_FIELDS)


# --- the write -------------------------------------------------------------------------------------------------


@dataclass
class WriteCounts:
    created: int = 0
    updated: int = 0


def write_ledger(result: CheckResult, user, *, valid_only: bool = False, reason: str) -> WriteCounts:
    """Write the new and changed records of `result`, in one transaction, with history in `user`'s name.

    Nothing is written while a row is wrong, unless `valid_only`: then the good rows are written and the
    wrong ones left out. Unchanged records are not touched, so writing the same file twice changes nothing
    the second time.
    """
    if result.fatal:
        raise ValidationError([error.text for error in result.file_errors])
    if result.wrong_rows and not valid_only:
        raise ValidationError(MSG_HAS_WRONG.format(rows=result.wrong_rows))
    model = Employment if result.spec.kind == LedgerKind.EMPLOYMENT else TrainingRecord
    created = [
        model(person_id=plan.person.pk, recorded_by=user, **plan.fields) for plan in result.plans if plan.outcome == NEW
    ]
    changed: dict[tuple[str, ...], list] = {}
    for plan in result.plans:
        if plan.outcome == CHANGED:
            for name, (_, new) in plan.changes.items():
                setattr(plan.existing, name, new)
            changed.setdefault(tuple(sorted(plan.changes)), []).append(plan.existing)
    now = timezone.now()
    with transaction.atomic():
        bulk.insert_with_history(model, created, user=user, reason=reason, date=now)
        for names, records in changed.items():
            bulk_update_with_history(
                records,
                model,
                list(names),
                batch_size=CHUNK_SIZE,
                default_user=user,
                default_change_reason=reason,
                default_date=now,
            )
    return WriteCounts(created=len(created), updated=sum(len(records) for records in changed.values()))


# --- the blank template ----------------------------------------------------------------------------------------

NUMBER_FORMATS = {TEXT: TEXT_FORMAT, DATE: DATE_FORMAT}


def build_template(kind: str) -> bytes:
    """A blank ledger: headers (required ones in red), dropdowns for the choice columns, text-formatted ID
    numbers, date-formatted dates, a frozen header and a sheet of instructions."""
    spec = SPECS[kind]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = spec.title
    last = TEMPLATE_FORMATTED_ROWS + 1
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = REQUIRED_FONT if column.required else Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        dimension = sheet.column_dimensions[letter]
        dimension.width = max(column.width, 2 * len(column.header) + 4)
        number_format = NUMBER_FORMATS.get(column.kind)
        if number_format:
            dimension.number_format = number_format
            for row in range(2, last + 1):
                sheet.cell(row=row, column=index).number_format = number_format
        if column.choices:
            validation = DataValidation(
                type="list",
                formula1='"{}"'.format(",".join(column.labels)),
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
    sheet.row_dimensions[1].height = 30
    guide = workbook.create_sheet("填写说明")
    guide.column_dimensions["A"].width = 110
    for number, line in enumerate(spec.guide, start=1):
        guide.cell(row=number, column=1, value=line).font = Font(bold=number == 1)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# --- services: an import from upload to done ------------------------------------------------------------------


def imports_for_user(user):
    """The imports `user` may see: the office all, anyone who may import their own, others none."""
    imports = EmploymentImport.objects.select_related("user")
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


def employment_import_start(*, user, upload, kind: str) -> EmploymentImport:
    """Store the upload of a `kind` ledger and queue its check."""
    require_importer(user)
    if kind not in SPECS:
        raise ValidationError(MSG_UNKNOWN_KIND)
    validate_upload(upload)
    record = EmploymentImport.objects.create(
        kind=kind,
        user=user,
        file=upload,
        file_name=os.path.basename(upload.name)[:200],
        status=RegistryImportStatus.CHECKING,
        progress=0,
    )
    from . import tasks

    transaction.on_commit(lambda: tasks.check_employment_import.delay(record.pk))
    return record


def _progress_reporter(record: EmploymentImport, low: int, high: int):
    last = {"value": record.progress}

    def report(fraction: float) -> None:
        value = int(low + (high - low) * min(max(fraction, 0.0), 1.0))
        if value != last["value"]:
            last["value"] = value
            EmploymentImport.objects.filter(pk=record.pk).update(progress=value)

    return report


def _check_record(record: EmploymentImport, low: int, high: int) -> CheckResult:
    with record.file.open("rb") as file:
        return check_ledger(file, record.user, record.kind, progress=_progress_reporter(record, low, high))


def _store_check(record: EmploymentImport, result: CheckResult) -> None:
    record.summary = result.summary()
    record.errors = result.stored_errors()
    record.preview = result.preview()


def employment_import_check(import_id: int) -> EmploymentImport:
    """Check the stored file and record the preview; run by a Celery task."""
    record = EmploymentImport.objects.select_related("user").get(pk=import_id)
    if record.status != RegistryImportStatus.CHECKING:
        return record  # already checked (a task that ran twice)
    try:
        result = _check_record(record, 0, 100)
    except Exception:
        logger.exception("Checking employment import %s failed", import_id)
        return _fail(record, MSG_UNEXPECTED)
    _store_check(record, result)
    record.status = RegistryImportStatus.FAILED if result.fatal else RegistryImportStatus.CHECKED
    record.progress = 100
    record.finished_at = timezone.now() if result.fatal else None
    record.save(update_fields=["summary", "errors", "preview", "status", "progress", "finished_at"])
    return record


def _owned_and_checked(user, record: EmploymentImport) -> None:
    require_importer(user)
    if record.user_id != user.pk:
        raise PermissionDenied(MSG_NOT_OWNER)
    if record.status != RegistryImportStatus.CHECKED:
        raise ValidationError(MSG_NOT_CHECKED)


def employment_import_confirm(
    *, user, employment_import: EmploymentImport, valid_only: bool = False
) -> EmploymentImport:
    """The user confirms a checked import; queue the write."""
    _owned_and_checked(user, employment_import)
    wrong_rows = employment_import.summary.get(WRONG, 0)
    if wrong_rows and not valid_only:
        raise ValidationError(MSG_HAS_WRONG.format(rows=wrong_rows))
    claimed = EmploymentImport.objects.filter(pk=employment_import.pk, status=RegistryImportStatus.CHECKED).update(
        status=RegistryImportStatus.IMPORTING, valid_only=valid_only, progress=0
    )
    if not claimed:  # confirmed twice (a double click): the first one writes
        raise ValidationError(MSG_NOT_CHECKED)
    from . import tasks

    transaction.on_commit(lambda: tasks.write_employment_import.delay(employment_import.pk))
    employment_import.refresh_from_db()
    return employment_import


def employment_import_cancel(*, user, employment_import: EmploymentImport) -> EmploymentImport:
    _owned_and_checked(user, employment_import)
    employment_import.status = RegistryImportStatus.CANCELLED
    employment_import.finished_at = timezone.now()
    employment_import.save(update_fields=["status", "finished_at"])
    return employment_import


def employment_import_write(import_id: int) -> EmploymentImport:
    """Check the file again against the registry as it is now, then write it; run by a Celery task."""
    record = EmploymentImport.objects.select_related("user").get(pk=import_id)
    if record.status != RegistryImportStatus.IMPORTING:
        return record  # already written (a task that ran twice)
    try:
        result = _check_record(record, 0, 60)
    except Exception:
        logger.exception("Re-checking employment import %s failed", import_id)
        return _fail(record, MSG_UNEXPECTED)
    if result.fatal or (result.wrong_rows and not record.valid_only):
        _store_check(record, result)
        record.summary["notice"] = MSG_RECHECK_FAILED.format(rows=result.wrong_rows)
        record.status, record.progress = RegistryImportStatus.CHECKED, 100
        record.save(update_fields=["summary", "errors", "preview", "status", "progress"])
        return record
    EmploymentImport.objects.filter(pk=record.pk).update(progress=60)
    reason = CHANGE_REASON[record.kind].format(pk=record.pk)
    try:
        counts = write_ledger(result, record.user, valid_only=record.valid_only, reason=reason)
    except IntegrityError:
        logger.exception("Writing employment import %s conflicted with the ledger", import_id)
        return _fail(record, MSG_WRITE_CONFLICT)
    except Exception:
        logger.exception("Writing employment import %s failed", import_id)
        return _fail(record, MSG_UNEXPECTED)
    _store_check(record, result)
    record.summary["written"] = dataclasses.asdict(counts)
    record.status, record.progress, record.finished_at = RegistryImportStatus.DONE, 100, timezone.now()
    record.save(update_fields=["summary", "errors", "preview", "status", "progress", "finished_at"])
    return record


def _fail(record: EmploymentImport, message: str) -> EmploymentImport:
    record.status = RegistryImportStatus.FAILED
    record.errors = [LedgerError("", None, "", message).as_dict()]
    record.progress = 100
    record.finished_at = timezone.now()
    record.save(update_fields=["status", "errors", "progress", "finished_at"])
    return record
