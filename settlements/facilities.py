"""Facilities measured against their kinds' standards, and their status on a day.

A facility kind lists the attributes a facility of that kind records (area, opening hours, a keeper …). What
a kind must measure up to is dated rule data, one family of rules (`facilities.standard.<kind code>`), each
with the seed's sentence: its conditions say which attribute must reach which value ("at_least") or be there
("present"). A facility is judged against the standard of each of its kinds in force on the day asked, and
every condition says what was measured against what is required, so a page shows why a facility fails.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Q

from . import dated_rules
from .models import AttributeType, Facility, FacilityKind

STANDARD_PREFIX = "facilities.standard."
SIX_ONES = "六个一"  # the group of the six kinds every settlement must have (annex 1, task 9)
FARMERS_MARKET = "farmers_market"
PROPERTY_COOP = "property_coop"
VOLUNTEER_STATION = "volunteer_station"

MSG_NOT_RECORDED = "{label}未登记"
MSG_BELOW = "{label} {measured}{unit}，应不少于 {required}{unit}"
MSG_ABSENT = "{label}：无"
MSG_NUMBER = "“{label}”须为数字。"
MSG_NEGATIVE = "“{label}”不能为负数。"
MSG_CHOICE = "“{label}”须为以下之一：{choices}。"


class Status:
    PLANNED = "planned"
    BUILDING = "building"
    IN_USE = "in_use"
    CLOSED = "closed"
    LABELS = {PLANNED: "规划中", BUILDING: "在建（筹建）", IN_USE: "已投入使用", CLOSED: "已停用"}


def status_on(facility: Facility, day: datetime.date) -> str:
    if facility.closed_on and facility.closed_on <= day:
        return Status.CLOSED
    if facility.in_use_on and facility.in_use_on <= day:
        return Status.IN_USE
    if facility.started_on and facility.started_on <= day:
        return Status.BUILDING
    return Status.PLANNED


def status_condition(status: str, day: datetime.date) -> Q:
    """The facilities whose status on `day` is `status`: `status_on`'s rule, in SQL."""
    not_closed = Q(closed_on__isnull=True) | Q(closed_on__gt=day)
    not_in_use = Q(in_use_on__isnull=True) | Q(in_use_on__gt=day)
    return {
        Status.CLOSED: Q(closed_on__lte=day),
        Status.IN_USE: Q(in_use_on__lte=day) & not_closed,
        Status.BUILDING: Q(started_on__lte=day) & not_in_use & not_closed,
        Status.PLANNED: (Q(started_on__isnull=True) | Q(started_on__gt=day)) & not_in_use & not_closed,
    }[status]


# --- the attributes a kind records ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attribute:
    key: str
    label: str
    type: str
    unit: str = ""
    choices: tuple[str, ...] = ()


def attributes_problem(definitions) -> str | None:
    """What is wrong with a kind's list of attribute definitions (Chinese), or None."""
    if not isinstance(definitions, list):
        return "属性须为一个列表。"
    keys = set()
    for number, item in enumerate(definitions, start=1):
        if not isinstance(item, dict) or not item.get("key") or not item.get("label"):
            return f"第 {number} 个属性须有 key 和 label。"
        if item.get("type") not in AttributeType.values:
            return f"属性“{item['label']}”的类型须为 {'、'.join(AttributeType.values)} 之一。"
        if item["type"] == AttributeType.CHOICE and not item.get("choices"):
            return f"选项属性“{item['label']}”须列出 choices。"
        if item["key"] in keys:
            return f"属性 key“{item['key']}”重复。"
        keys.add(item["key"])
    return None


def attributes_of(kinds) -> list[Attribute]:
    """The attributes the facility's kinds record, each key once (the first kind that names it defines it)."""
    seen: dict[str, Attribute] = {}
    for kind in kinds:
        for item in kind.attributes:
            choices = tuple(item.get("choices", ()))
            seen.setdefault(
                item["key"], Attribute(item["key"], item["label"], item["type"], item.get("unit", ""), choices)
            )
    return list(seen.values())


def default_unit(kinds):
    """The unit the seed makes responsible for the first of `kinds` that names one (A3-R12), or None."""
    for kind in sorted(kinds, key=lambda kind: (kind.sort_order, kind.code)):
        if kind.default_unit_id:
            return kind.default_unit
    return None


def clean_attribute_values(attributes: list[Attribute], values: dict) -> dict:
    """`values` ({key: what was entered}) checked and normalised for `attributes`; keys no attribute names and
    empty values are dropped. Raises ValidationError naming the attribute and the reason."""
    cleaned, errors = {}, {}
    for attribute in attributes:
        value = values.get(attribute.key)
        if value in (None, ""):
            continue
        try:
            cleaned[attribute.key] = _clean_value(attribute, value)
        except ValidationError as error:
            errors[attribute.key] = error.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_value(attribute: Attribute, value):
    if attribute.type == AttributeType.NUMBER:
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise ValidationError(MSG_NUMBER.format(label=attribute.label)) from None
        if not number.is_finite():
            raise ValidationError(MSG_NUMBER.format(label=attribute.label))
        if number < 0:
            raise ValidationError(MSG_NEGATIVE.format(label=attribute.label))
        return str(number.normalize()) if number == number.to_integral() else str(number)
    if attribute.type == AttributeType.YES_NO:
        return value in (True, "true", "True", "1", "on", "yes", "是")
    if attribute.type == AttributeType.CHOICE and str(value) not in attribute.choices:
        raise ValidationError(MSG_CHOICE.format(label=attribute.label, choices="、".join(attribute.choices)))
    return str(value).strip()


# --- standards ------------------------------------------------------------------------------------------------


def _standard_problem(params) -> str | None:
    conditions = params.get("conditions")
    if not isinstance(conditions, list) or not conditions:
        return "须列出 conditions（每项为 attribute 加 at_least 或 present）。"
    for number, condition in enumerate(conditions, start=1):
        if not isinstance(condition, dict) or not condition.get("attribute"):
            return f"第 {number} 项条件须写明 attribute。"
        if "at_least" in condition:
            try:
                Decimal(str(condition["at_least"]))
            except InvalidOperation:
                return f"第 {number} 项条件的 at_least 须为数字。"
        elif condition.get("present") is not True:
            return f"第 {number} 项条件须为 at_least（数值下限）或 present: true（须具备）。"
    return None


dated_rules.declare(STANDARD_PREFIX, "设施建设标准", check=_standard_problem, family=True)


def standard_code(kind: FacilityKind) -> str:
    return f"{STANDARD_PREFIX}{kind.code}"


@dataclass(frozen=True)
class ConditionResult:
    label: str
    measured: str  # what the facility records, as shown ("19.9 平方米", "有", "未登记")
    required: str  # what the standard asks ("不少于 20 平方米", "须具备")
    passed: bool
    reason: str  # why it fails, naming the measured value; empty when it passes


@dataclass(frozen=True)
class KindJudgement:
    kind: FacilityKind
    basis: str  # the seed's sentence of the standard in force
    conditions: list[ConditionResult]

    @property
    def passed(self) -> bool:
        return all(condition.passed for condition in self.conditions)

    @property
    def failures(self) -> list[ConditionResult]:
        return [condition for condition in self.conditions if not condition.passed]


def judge(facility: Facility, day: datetime.date) -> list[KindJudgement]:
    """The facility against the standard of each of its kinds that has one in force on `day`."""
    kinds = list(facility.kinds.all())
    attributes = {attribute.key: attribute for attribute in attributes_of(kinds)}
    judgements = []
    for kind in kinds:
        rule = dated_rules.row_on(standard_code(kind), day)
        if rule is None:
            continue
        conditions = [_judge_condition(c, attributes, facility.attributes) for c in rule.params["conditions"]]
        judgements.append(KindJudgement(kind, rule.basis, conditions))
    return judgements


def _judge_condition(condition: dict, attributes: dict[str, Attribute], values: dict) -> ConditionResult:
    key = condition["attribute"]
    attribute = attributes.get(key, Attribute(key, key, AttributeType.TEXT))
    value = values.get(key)
    if "at_least" in condition:
        return _at_least(attribute, value, Decimal(str(condition["at_least"])))
    present = value is True or (isinstance(value, str) and value.strip() != "")
    measured = "未登记" if value in (None, "") else ("有" if present else "无")
    reason = "" if present else (MSG_NOT_RECORDED if value in (None, "") else MSG_ABSENT).format(label=attribute.label)
    return ConditionResult(attribute.label, measured, "须具备", present, reason)


def _at_least(attribute: Attribute, value, required: Decimal) -> ConditionResult:
    unit = f" {attribute.unit}" if attribute.unit else ""
    shown_required = f"不少于 {_plain(required)}{unit}"
    if value in (None, ""):
        return ConditionResult(
            attribute.label, "未登记", shown_required, False, MSG_NOT_RECORDED.format(label=attribute.label)
        )
    measured = Decimal(str(value))
    passed = measured >= required
    reason = (
        ""
        if passed
        else MSG_BELOW.format(label=attribute.label, measured=_plain(measured), required=_plain(required), unit=unit)
    )
    return ConditionResult(attribute.label, f"{_plain(measured)}{unit}", shown_required, passed, reason)


def _plain(number: Decimal) -> str:
    """19.90 → "19.9", 20.0 → "20"."""
    return format(number.normalize(), "f")
