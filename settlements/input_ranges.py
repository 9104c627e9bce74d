"""The sane ranges of the dates and numbers the portal accepts, in one place, and the one mechanism that holds
every form field to them.

The ranges are rule data the office may change through the environment (settings, documented in the README):

- **Born** at most `max_age_years()` years ago (`INPUT_MAX_AGE_YEARS`, 120) and not after today: the rule of the
  resident ID number (`id_numbers`), which is where a birth date comes from.
- **A dated fact** (a move-in or move-out, a member joining or leaving, a job's start or end, a training, a
  condition, a follow-up visit, a push, a meeting, a report's month, a date or month in a query string) not
  before `earliest_date()` (`INPUT_EARLIEST_DATE`, 1900-01-01) and not after today + `INPUT_FACT_HORIZON_DAYS`
  (366) days. 1900 rather than the programme's start (2016): a fact about a person may go back to their birth
  (a disability since birth, a job held before the move), and the oldest person the portal accepts was born
  120 years ago; 1900 keeps all of them and still refuses a year 0001 or 1026, and keeps the portal's month
  arithmetic a long way from the calendar's first year. A year ahead: a post open for a year, a contract or a
  course starting next month, a meeting scheduled weeks ahead are facts typed in advance; a date further
  ahead is a typo (2206 for 2026). Where a fact cannot lie ahead at all (a job's start, a move-in), the
  services refuse a future date with their own message.
- **A time limit** (a deadline or target date `due_on`, the end of a post's or a rule's validity `valid_until`,
  `valid_to`: `TIME_LIMIT_FIELDS`, by name) not before the same floor and not after today +
  `INPUT_PLAN_HORIZON_YEARS` (10) years: a five-year plan and the next one.
- **A number** within its database column's range, as PostgreSQL stores it whatever the engine
  (PositiveSmallIntegerField 0–32767, IntegerField ±2,147,483,647, …; a DecimalField within its max_digits and
  decimal_places); a number in a form field with no column of its own, an IntegerField's. A record chosen in a
  form (a ModelChoiceField) is named by a whole number its primary key can hold, or it is refused before any
  query.

Every refusal is in Chinese and names the field and the limit. The mechanism is `limit_field(field, name,
model_field)`, applied to every field of the portal's forms (`PortalFormMixin`: the entry forms, the filter
forms of django-filter, the query-string forms) and of the admin (`settlements.admin.PortalAdminMixin`); the
imports read dates and numbers through `settlements.imports.cells`, which asks `check_date` and the ranges here.
"""

import datetime
import functools
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import DecimalValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from .dates import add_months

# Column ranges by internal type, as PostgreSQL stores them (SQLite would take any 64-bit integer).
INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges
PLAIN_INTEGER = INTEGER_RANGES["IntegerField"]
TIME_LIMIT_FIELDS = frozenset({"due_on", "valid_until", "valid_to"})

MSG_DATE_RANGE = "{label}应在{low}至{high}之间。"
MSG_TOO_SMALL = "{label}不能小于{limit}。"
MSG_TOO_LARGE = "{label}不能大于{limit}。"
MSG_DECIMAL_PLACES = "{label}最多保留{places}位小数。"
MSG_NOT_A_NUMBER = "{label}应为数字。"
MSG_NO_SUCH_CHOICE = "{label}：所选项不存在或不可选。"


# --- the limits ------------------------------------------------------------------------------------------------


def max_age_years() -> int:
    return settings.INPUT_MAX_AGE_YEARS


def earliest_date() -> datetime.date:
    return settings.INPUT_EARLIEST_DATE


def fact_range(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    return earliest_date(), today + datetime.timedelta(days=settings.INPUT_FACT_HORIZON_DAYS)


def time_limit_range(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    return earliest_date(), add_months(today, 12 * settings.INPUT_PLAN_HORIZON_YEARS)


def date_range(name: str, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The range of a date field called `name`: a time limit's or a fact's."""
    return time_limit_range(today) if name in TIME_LIMIT_FIELDS else fact_range(today)


def check_date(value: datetime.date, *, name: str, label: str, today: datetime.date | None = None) -> None:
    low, high = date_range(name, today)
    if not low <= value <= high:
        raise ValidationError(
            MSG_DATE_RANGE.format(label=label, low=low.isoformat(), high=high.isoformat()), code="date_range"
        )


def integer_range(model_field: models.Field | None) -> tuple[int, int]:
    """The range of the column `model_field` maps to (a foreign key: its target's); an IntegerField's without one."""
    if model_field is not None and model_field.is_relation and model_field.target_field is not None:
        model_field = model_field.target_field
    if model_field is None:
        return PLAIN_INTEGER
    return INTEGER_RANGES.get(model_field.get_internal_type(), PLAIN_INTEGER)


def decimal_limit(max_digits: int, decimal_places: int) -> Decimal:
    """The largest value a column of `max_digits` digits, `decimal_places` of them decimals, holds."""
    return Decimal(10) ** (max_digits - decimal_places) - Decimal(10) ** -decimal_places


# --- validators naming the field and the limit -------------------------------------------------------------


class DateInRange:
    """A date (or the date of a datetime) within `date_range(name)`, evaluated on the day it is checked."""

    def __init__(self, name: str, label: str):
        self.name, self.label = name, label

    def __call__(self, value):
        if isinstance(value, datetime.datetime):
            value = value.date()
        check_date(value, name=self.name, label=self.label)

    def bounds(self):
        return date_range(self.name)


class NumberInRange:
    def __init__(self, label: str, low, high, places: int | None = None):
        self.label, self.low, self.high, self.places = label, low, high, places

    def __call__(self, value):
        if isinstance(value, Decimal):
            if not value.is_finite():
                raise ValidationError(MSG_NOT_A_NUMBER.format(label=self.label), code="invalid")
            if self.places is not None and -value.as_tuple().exponent > self.places:
                raise ValidationError(MSG_DECIMAL_PLACES.format(label=self.label, places=self.places), code="places")
        if value < self.low:
            raise ValidationError(MSG_TOO_SMALL.format(label=self.label, limit=self.low), code="min_value")
        if value > self.high:
            raise ValidationError(MSG_TOO_LARGE.format(label=self.label, limit=self.high), code="max_value")


# --- the one mechanism: every field of a form ------------------------------------------------------------------


def limit_form(form, model=None) -> None:
    """Hold every field of `form` to its range; `model` (a ModelForm's) gives the columns of its fields."""
    for name, field in form.fields.items():
        limit_field(field, name, _model_field(model, name))


def _model_field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # a form field of its own, with no column of that name
        return None


def limit_field(field: forms.Field, name: str, model_field: models.Field | None = None) -> forms.Field:
    """Hold one form field to its range, once (a field deep-copied from a limited one is left as it is)."""
    if getattr(field, "input_range_limited", False):
        return field
    field.input_range_limited = True
    label = str(field.label or (model_field.verbose_name if model_field is not None else name))
    if isinstance(field, forms.ModelChoiceField):
        _check_keys(field, label)
    elif isinstance(field, forms.DateField | forms.DateTimeField | forms.SplitDateTimeField):
        _limit_dates(field, name, label)
    elif isinstance(field, forms.DecimalField):
        _limit_decimal(field, label)
    elif isinstance(field, forms.IntegerField):
        _limit_integer(field, label, model_field)
    return field


def _limit_dates(field, name, label):
    validator = DateInRange(name, label)
    field.validators.append(validator)
    kind = field.widget.attrs.get("type") or getattr(field.widget, "input_type", None)
    shown = {"date": datetime.date.isoformat, "month": lambda day: day.isoformat()[:7]}.get(kind)
    if shown:  # the browser's picker offers the same range
        low, high = validator.bounds()
        field.widget.attrs.setdefault("min", shown(low))
        field.widget.attrs.setdefault("max", shown(high))


def _limit_integer(field, label, model_field):
    low, high = integer_range(model_field)
    if field.min_value is not None:
        low = max(low, field.min_value)
    if field.max_value is not None:
        high = min(high, field.max_value)
    _replace_bounds(field, NumberInRange(label, low, high), low, high)


def _limit_decimal(field, label):
    high = decimal_limit(field.max_digits, field.decimal_places) if field.max_digits else Decimal(PLAIN_INTEGER[1])
    low = -high
    if field.min_value is not None:
        low = max(low, Decimal(field.min_value))
    if field.max_value is not None:
        high = min(high, Decimal(field.max_value))
    field.validators = [v for v in field.validators if not isinstance(v, DecimalValidator)]
    _replace_bounds(field, NumberInRange(label, low, high, field.decimal_places), low, high)


def _replace_bounds(field, validator, low, high):
    """Django's own bounds say neither the field nor, in every case, the limit: ours replace them."""
    field.validators = [v for v in field.validators if not isinstance(v, MinValueValidator | MaxValueValidator)]
    field.validators.append(validator)
    field.widget.attrs["min"], field.widget.attrs["max"] = str(low), str(high)


# A record chosen by its key: the key must be a whole number the primary key's column holds before the
# queryset is asked (an out-of-range number makes SQLite raise, and a text makes Django raise while the form is
# shown again). The field becomes a subclass of its own class with the check (`_key_checked_class`), so a
# library's subclass of ModelChoiceField (django-filter's) keeps what it adds.


def is_key(value, key_field: models.Field) -> bool:
    """Whether `value` can name a row by `key_field`: for an integer key, a whole number its column holds."""
    if key_field.get_internal_type() not in INTEGER_RANGES:
        return True
    text = str(value).strip()
    low, high = integer_range(key_field)
    return text.isascii() and text.lstrip("-").isdigit() and low <= int(text) <= high


def key_field_of(queryset, to_field_name: str | None = None) -> models.Field:
    meta = queryset.model._meta
    return meta.get_field(to_field_name) if to_field_name else meta.pk


class KeyCheckMixin:
    def _refuse_bad_keys(self, values):
        key_field = key_field_of(self.queryset, self.to_field_name)
        if not all(is_key(value, key_field) for value in values):
            raise ValidationError(self.input_range_refusal, code="invalid_choice")

    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, models.Model):
            self._refuse_bad_keys([value])
        return super().to_python(value)

    def _check_values(self, value):
        self._refuse_bad_keys(value)
        return super()._check_values(value)


@functools.cache
def _key_checked_class(field_class):
    return type(f"KeyChecked{field_class.__name__}", (KeyCheckMixin, field_class), {})


def _check_keys(field, label):
    field.__class__ = _key_checked_class(type(field))
    field.input_range_refusal = MSG_NO_SUCH_CHOICE.format(label=label)
    field.error_messages["invalid_choice"] = field.error_messages["invalid_pk_value"] = field.input_range_refusal


class PortalFormMixin:
    """Every field of the form held to its range (see the module's docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meta = getattr(self, "_meta", None)
        limit_form(self, getattr(meta, "model", None))


class PortalForm(PortalFormMixin, forms.Form):
    pass


class PortalModelForm(PortalFormMixin, forms.ModelForm):
    pass


# --- formsets: a management form claiming rows that are not there --------------------------------------------

MAX_FORMSET_ROWS = 100  # more rows than any inline of the portal holds; a claim of more is refused unbuilt
MSG_STALE_ROWS = "表单中的已有记录与系统中的不符（页面已过期或被改动），请刷新页面后重新填写。"


class CheckedInlineFormSetMixin:
    """An inline formset whose every "existing" row names a row of its parent: a tampered INITIAL_FORMS (or a
    row id of another parent) is refused with a message instead of being taken for a new row."""

    def clean(self):
        super().clean()
        if self.is_bound and any(form.instance.pk is None for form in self.initial_forms):
            raise ValidationError(MSG_STALE_ROWS, code="stale_rows")


class CheckedInlineFormSet(CheckedInlineFormSetMixin, BaseInlineFormSet):
    pass


# --- values read from a query string ----------------------------------------------------------------------------


class DayQuery(PortalForm):
    """?day=2026-05-01: the day a page counts as of."""

    day = forms.DateField(label="统计日期", required=False, error_messages={"invalid": "统计日期不是有效的日期。"})


class MonthQuery(PortalForm):
    """?month=2026-05: the month a page shows (its first day)."""

    month = forms.DateField(
        label="月份", required=False, input_formats=["%Y-%m"], error_messages={"invalid": "月份应写作 2026-05。"}
    )


def query_value(form_class, params, default):
    """The one value `form_class` reads from `params` (a query string): (value, []) when it is given and in range,
    (default, [the Chinese refusals]) when it is refused, (default, []) when it is missing."""
    form = form_class(params)
    (name,) = form.fields
    if not form.is_valid():
        return default, [message for field_errors in form.errors.values() for message in field_errors]
    value = form.cleaned_data[name]
    return (default if value in (None, "") else value), []


def value_from_query(request, form_class, default):
    """`query_value` of the request's query string; a refusal is shown on the page as a warning."""
    value, refusals = query_value(form_class, request.GET, default)
    for refusal in refusals:
        messages.warning(request, refusal)
    return value
