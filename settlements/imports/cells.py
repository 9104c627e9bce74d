"""Reading one cell of a clerk's ledger: its text, and a parser per kind of column.

A parser is `parse(value, text, context) -> value`: `value` is the cell as the file holds it (str, number,
date, bool), `text` the same as a trimmed string (`cell_text`), `context` whatever the importer passes (at
least `today`). It raises `CellError` with a Chinese reason. A parser that reads a cell other than as
written (an Excel serial number as a date, "文盲" as "文盲或半文盲", "√" as "是") returns a `Reading`, and the
check lists every such reading in the preview.
"""

import datetime
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from openpyxl.utils.datetime import from_excel
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

from .. import id_numbers, input_ranges
from ..validators import validate_phone
from .columns import NO, YES, Column

EXACT_FLOAT_LIMIT = 2**53  # beyond this a float no longer holds every integer exactly
FIRST_SERIAL, LAST_SERIAL = 1, 73050  # Excel's serial numbers of 1900-01-01 and 2099-12-31
CENT = Decimal("0.01")

MSG_REQUIRED = "此项为必填，不能为空。"
MSG_TOO_LONG = "内容过长，最多{max}个字。"
MSG_CHOICE = "“{value}”不是有效的选项，应为：{choices}。"
MSG_BELONGS_ELSEWHERE = "“{value}”是“{other}”列的内容，不是“{header}”：应为：{choices}。"
MSG_DATE = "“{value}”不是有效的日期，应为日期格式，或写作 2019-05-01、2019/5/1、2019年5月1日。"
MSG_ID_AS_NUMBER = "身份证号被 Excel 存成了数字，后几位可能已丢失：请把“身份证号”列设置为“文本”格式后重新填写。"
MSG_WHOLE_NUMBER = "“{value}”不是整数。"
MSG_NUMBER_RANGE = "应在{low}到{high}之间。"
MSG_AMOUNT = "“{value}”不是有效的金额，应写作数字，如 3500 或 3500.50。"


class CellError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Reading:
    """A cell read other than as written: the value the import takes and how the preview shows it."""

    value: Any
    shown: str


Parser = Callable[[Any, str, Any], Any]


def cell_text(value) -> str:
    """A cell as text: numbers without a trailing .0, dates as 2019-05-01, booleans as 是/否."""
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer() and abs(value) < EXACT_FLOAT_LIMIT:
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if not value.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def key(text: str) -> str:
    """Text compared loosely: without spaces, case-folded."""
    return re.sub(r"\s+", "", text).casefold()


def header_text(value) -> str:
    """A header cell as a ledger header: no spaces or line breaks, no required-mark (*, （必填）), （） for ()."""
    text = re.sub(r"\s+", "", str(value)) if value is not None else ""
    text = re.sub(r"[(（]必填[)）]$", "", text)
    return text.strip("*＊").replace("(", "（").replace(")", "）")


# --- text ---------------------------------------------------------------------------------------------------


def text_parser(model, field_name: str) -> Parser:
    """Free text no longer than the model field holds."""
    max_length = model._meta.get_field(field_name).max_length

    def parse(value, text, context):
        if len(text) > max_length:
            raise CellError(MSG_TOO_LONG.format(max=max_length))
        return text

    return parse


# --- choices --------------------------------------------------------------------------------------------------


def choice_parser(column: Column, convert: Callable = str, aliases: dict[str, str] | None = None) -> Parser:
    """One of the column's choices, by its label or stored value (loosely: spaces and case ignored), or by
    one of its synonyms (`column.synonyms`, label -> spellings; read as the label, shown in the preview).
    `aliases` (spelling -> stored value) are other exact spellings that need no mention (2019年 for 2019).
    A value that belongs to another column (`column.belongs_elsewhere`) is refused naming that column."""
    by_label = {label: value for value, label in column.choices}
    exact = {**{str(value): value for value, _ in column.choices}, **by_label}
    loose = {key(spelling): value for spelling, value in exact.items()}
    loose.update((key(alias), value) for alias, value in (aliases or {}).items())
    synonyms = {
        key(spelling): (by_label[label], label)
        for label, spellings in column.synonyms.items()
        for spelling in spellings
        if key(spelling) not in loose
    }
    elsewhere = {key(value): other for value, other in column.belongs_elsewhere.items()}
    choices_text = "、".join(column.labels)

    def parse(value, text, context):
        if text in exact:
            return convert(exact[text])
        loose_key = key(text)
        if loose_key in loose:
            return convert(loose[loose_key])
        if loose_key in synonyms:
            stored, label = synonyms[loose_key]
            return Reading(convert(stored), label)
        if loose_key in elsewhere:
            other = elsewhere[loose_key]
            raise CellError(
                MSG_BELONGS_ELSEWHERE.format(value=text, other=other, header=column.header, choices=choices_text)
            )
        raise CellError(MSG_CHOICE.format(value=text, choices=choices_text))

    return parse


def yes_no_parser(column: Column) -> Parser:
    """A yes-no column (`columns.yes_no_column`): True for 是 and its synonyms, False for 否 and its."""
    return choice_parser(column, convert=lambda value: value == "1")


# --- dates ----------------------------------------------------------------------------------------------------

DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\s+0{1,2}:0{2}(?::0{2})?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)
COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")  # 20190501
SERIAL_TEXT = re.compile(r"^\d{4,5}(\.\d+)?$")  # 43586: a serial number that lost its date format


def date_parser(*, field: str = "", future_message: str | None = None) -> Parser:
    """A date: a date cell, text as 2019-05-01 / 2019/5/1 / 2019年5月1日, or, read as such and shown in the
    preview, an Excel serial number in a General cell (43586 → 2019-05-01) or 20190501; within the portal's
    range for a date of the model field `field` (`input_ranges.date_range`). With `future_message`, a date after
    `context.today` is refused with it."""

    def parse(value, text, context):
        reading = _date_reading(value, text)
        date = reading.value if isinstance(reading, Reading) else reading
        if future_message and date > context.today:
            raise CellError(future_message)
        try:
            input_ranges.check_date(date, name=field, label="日期", today=context.today)
        except ValidationError as error:
            raise CellError(error.messages[0]) from None
        return reading

    return parse


def _date_reading(value, text):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serial_date(value, text)
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            return _date_or_error(match.groups(), text)
    match = COMPACT_DATE.match(text)
    if match:
        date = _date_or_error(match.groups(), text)
        return Reading(date, date.isoformat())
    if SERIAL_TEXT.match(text):
        return _serial_date(float(text), text)
    raise CellError(MSG_DATE.format(value=text))


def _date_or_error(parts, text) -> datetime.date:
    try:
        return datetime.date(*(int(part) for part in parts))
    except ValueError:
        raise CellError(MSG_DATE.format(value=text)) from None


def _serial_date(number: float, text: str) -> Reading:
    if not FIRST_SERIAL <= number <= LAST_SERIAL:
        raise CellError(MSG_DATE.format(value=text))
    date = from_excel(int(number)).date()
    return Reading(date, f"{date.isoformat()}（Excel 日期序号 {int(number)}）")


# --- numbers --------------------------------------------------------------------------------------------------


def whole_number_parser(low: int, high: int) -> Parser:
    def parse(value, text, context) -> int:
        if not re.fullmatch(r"\d+", text):
            raise CellError(MSG_WHOLE_NUMBER.format(value=text))
        number = int(text)
        if not low <= number <= high:
            raise CellError(MSG_NUMBER_RANGE.format(low=low, high=high))
        return number

    return parse


def whole_number_parser_for(model, field_name: str, *, low: int = 0) -> Parser:
    """A whole number from `low` up to what the model field's column holds."""
    column_low, high = input_ranges.integer_range(model._meta.get_field(field_name))
    return whole_number_parser(max(low, column_low), high)


def amount_parser_for(model, field_name: str) -> Parser:
    """An amount no larger than the model field's column holds (its max_digits and decimal_places)."""
    field = model._meta.get_field(field_name)
    return amount_parser(input_ranges.decimal_limit(field.max_digits, field.decimal_places))


def amount_parser(maximum: Decimal) -> Parser:
    """An amount of money in yuan, to the cent: 3500, 3,500.50, 3500元."""

    def parse(value, text, context) -> Decimal:
        try:
            amount = Decimal(re.sub(r"[,，\s]|元$", "", text))
        except InvalidOperation:
            raise CellError(MSG_AMOUNT.format(value=text)) from None
        if not amount.is_finite() or amount < 0:
            raise CellError(MSG_AMOUNT.format(value=text))
        amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
        if amount > maximum:
            raise CellError(MSG_NUMBER_RANGE.format(low=0, high=maximum))
        return amount

    return parse


# --- resident ID numbers and phones -------------------------------------------------------------------------

SCIENTIFIC = re.compile(r"^\d+(\.\d+)?[eE]\+?\d+$")
PLAIN_ID = re.compile(r"[0-9]{17}[0-9X]")


def parse_id_number(value, text, context) -> id_numbers.ResidentId:
    """A resident ID number (python-stdnum's `cn.ric` and the portal's date rules) as of `context.today`."""
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
            and id_numbers.age_on(birth_date, today) <= input_ranges.max_age_years()
            and _known_birth_place(text[:6], birth_date.year)
        ):
            sex = id_numbers.Sex.MALE if int(text[16]) % 2 else id_numbers.Sex.FEMALE
            return id_numbers.ResidentId(number=text, birth_date=birth_date, sex=sex)
    return id_numbers.parse(text, today=today)


def parse_phone(value, text, context) -> str:
    text = re.sub(r"\s+", "", text)
    try:
        validate_phone(text)
    except ValidationError as error:
        raise CellError(error.messages[0]) from None
    return text
