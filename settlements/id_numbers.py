"""Resident ID numbers (居民身份证号码, GB 11643): validation, derived facts and masking.

python-stdnum's `cn.ric` checks length, digits, check digit, date and place of birth; the portal adds
its own rule that a birth date may be neither in the future nor more than `input_ranges.max_age_years()` (120
unless the office sets INPUT_MAX_AGE_YEARS) years ago.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

from . import input_ranges

MSG_LENGTH = "身份证号应为18位。"
MSG_FORMAT = "身份证号前17位应为数字，最后一位为数字或X。"
MSG_CHECKSUM = "身份证号校验位不正确，请核对号码。"
MSG_BAD_DATE = "身份证号中的出生日期不存在。"
MSG_BAD_PLACE = "身份证号前6位不是有效的行政区划代码。"
MSG_FUTURE_BIRTH = "身份证号中的出生日期晚于今天。"
MSG_TOO_OLD = "身份证号中的出生日期表明年龄超过{years}岁，请核对。"

_STDNUM_MESSAGES = (
    (stdnum_errors.InvalidLength, MSG_LENGTH),
    (stdnum_errors.InvalidFormat, MSG_FORMAT),
    (stdnum_errors.InvalidChecksum, MSG_CHECKSUM),
)


class Sex:
    MALE = "M"
    FEMALE = "F"
    CHOICES = [(MALE, "男"), (FEMALE, "女")]


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: datetime.date
    sex: str


LENGTH = 18  # GB 11643: 17 digits and a check character


def normalize(value: str) -> str:
    return ric.compact(value or "")


def parse(value: str, today: datetime.date | None = None) -> ResidentId:
    """Validate `value` and return the number with the birth date and sex it encodes.

    Raises ValidationError with a Chinese message naming the reason.
    """
    number = normalize(value)
    _validate_with_stdnum(number)
    birth_date = ric.get_birth_date(number)
    _validate_birth_date(birth_date, today or timezone.localdate())
    sex = Sex.MALE if int(number[16]) % 2 else Sex.FEMALE
    return ResidentId(number=number, birth_date=birth_date, sex=sex)


def validate_resident_id(value: str) -> None:
    """Model-field validator."""
    parse(value)


def _validate_with_stdnum(number: str) -> None:
    try:
        ric.validate(number)
    except stdnum_errors.ValidationError as error:
        raise ValidationError(_message_for(error, number), code="invalid_id_number") from error


def _message_for(error: Exception, number: str) -> str:
    for error_class, message in _STDNUM_MESSAGES:
        if isinstance(error, error_class):
            return message
    # InvalidComponent: either the date or the place is impossible.
    try:
        ric.get_birth_date(number)
    except stdnum_errors.ValidationError:
        return MSG_BAD_DATE
    return MSG_BAD_PLACE


def _validate_birth_date(birth_date: datetime.date, today: datetime.date) -> None:
    if birth_date > today:
        raise ValidationError(MSG_FUTURE_BIRTH, code="future_birth_date")
    years = input_ranges.max_age_years()
    if age_on(birth_date, today) > years:
        raise ValidationError(MSG_TOO_OLD.format(years=years), code="too_old")


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def mask(number: str) -> str:
    """Show the first 6 and last 4 characters only: 522632********0017."""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


# A full ID number inside a longer text (a query string, a cell of another column): 18 characters between
# non-digits.
NUMBER_IN_TEXT = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")


def mask_in_text(text: str) -> str:
    """`text` with every full ID number in it masked: what a log or a stored preview may keep."""
    return NUMBER_IN_TEXT.sub(lambda match: mask(match[0]), text)


def mask_in_data(value):
    """`mask_in_text` through JSON data (lists, dicts, strings)."""
    if isinstance(value, str):
        return mask_in_text(value)
    if isinstance(value, list):
        return [mask_in_data(item) for item in value]
    if isinstance(value, dict):
        return {name: mask_in_data(item) for name, item in value.items()}
    return value
