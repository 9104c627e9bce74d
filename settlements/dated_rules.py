"""Dated rule data: the plan's thresholds, bands, deadlines and weekdays, kept as rows the office can change.

An app declares each rule it reads (`declare`): its code, its Chinese name and a check of its parameters, so
an edit in the admin that the code could not apply is refused with the reason. It seeds the first row from the
seed with `ensure` (created once; a row the office has corrected is left alone) and reads the row in force on
a day with `in_force(code, day)`. A new reading is a new row with the day it takes effect, so every past figure
can be computed again as it stood.

The rows live in one table, `DatedRule`, whatever app reads them: one admin page, one history, one way of
saying where a number comes from (`basis`, the seed's sentence) and how the portal reads it (`reading`).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

from .models import DatedRule

ParamsCheck = Callable[[dict], str | None]  # params -> a Chinese sentence saying what is wrong, or None


@dataclass(frozen=True)
class Declared:
    code: str  # a rule's code, or for a family the prefix its codes share ("facilities.standard.")
    name: str
    check: ParamsCheck | None
    family: bool = False


_declared: dict[str, Declared] = {}
_seed_rows: dict[str, Callable[[], list[dict]]] = {}


class MissingRule(LookupError):
    """No row of a declared rule is in force on the day asked: the office must add one."""

    def __init__(self, code: str, day: datetime.date):
        name = declared(code).name if declared(code) else code
        super().__init__(f"“{name}”在 {day:%Y-%m-%d} 没有生效的规则数据，请在管理后台“规则数据”中补充。")
        self.code, self.day = code, day


def declare(code: str, name: str, *, check: ParamsCheck | None = None, family: bool = False) -> Declared:
    """Declare a rule an app reads (at import time, from its AppConfig.ready()). The same twice is harmless.

    A family (`family=True`, `code` ending in ".") is one rule per something the data names, such as a
    facility kind's standard ("facilities.standard.rural_library"): every code with the prefix is checked alike.
    """
    if family and not code.endswith("."):
        raise ValueError(f"a family of dated rules is declared by its prefix ending in '.', not {code!r}")
    declaration = Declared(code, name, check, family)
    existing = _declared.get(code)
    if existing is not None and existing != declaration:
        raise ValueError(f"dated rule {code!r} is declared twice, differently")
    _declared[code] = declaration
    return declaration


def declared(code: str) -> Declared | None:
    """The declaration of `code`: its own, or its family's."""
    if code in _declared and not _declared[code].family:
        return _declared[code]
    prefix = code.rpartition(".")[0] + "."
    family = _declared.get(prefix)
    return family if family is not None and family.family and code != prefix else None


def params_problem(code: str, params) -> str | None:
    """What is wrong with `params` for the rule `code` (Chinese), or None."""
    declaration = declared(code)
    if declaration is None:
        return "未知的规则代码：系统不读取这条规则。"
    if not isinstance(params, dict):
        return "参数须为一组“名称: 值”。"
    return declaration.check(params) if declaration.check else None


def in_force(code: str, day: datetime.date) -> DatedRule:
    """The row of rule `code` in force on `day` (from its valid_from, until the day before its valid_to)."""
    rule = (
        DatedRule.objects.filter(code=code, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .order_by("-valid_from")
        .first()
    )
    if rule is None:
        raise MissingRule(code, day)
    return rule


def row_on(code: str, day: datetime.date) -> DatedRule | None:
    """The row of `code` in force on `day`, or None when there is none (a page then says the rule is missing)."""
    try:
        return in_force(code, day)
    except MissingRule:
        return None


def params_on(code: str, day: datetime.date) -> dict | None:
    """The parameters of `code` in force on `day`, or None when no row is."""
    row = row_on(code, day)
    return row.params if row else None


def register_seed_rows(app: str, rows: Callable[[], list[dict]]) -> None:
    """An app's first rows as the seed gives them (`rows()` returns keyword sets for `ensure`), loaded by
    `manage.py load_rules` with every other app's."""
    _seed_rows[app] = rows


def ensure_seeded() -> int:
    """Create every app's seed rows that are missing; returns how many were created."""
    before = DatedRule.objects.count()
    for rows in _seed_rows.values():
        for row in rows():
            ensure(**row)
    return DatedRule.objects.count() - before


def overlapping(rule: DatedRule):
    """The other rows of `rule`'s code whose period overlaps its own."""
    others = DatedRule.objects.filter(code=rule.code).exclude(pk=rule.pk)
    if rule.valid_to:
        others = others.filter(valid_from__lt=rule.valid_to)
    return others.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=rule.valid_from))


def ensure(
    *, code: str, valid_from: datetime.date, name: str, params: dict, basis: str, reading: str = ""
) -> DatedRule:
    """The seed's row of `code` from `valid_from`: created once, then left as the office keeps it."""
    problem = params_problem(code, params)
    if problem:
        raise ValueError(f"{code}: {problem}")
    rule, _ = DatedRule.objects.get_or_create(
        code=code,
        valid_from=valid_from,
        defaults={"name": name, "params": params, "basis": basis, "reading": reading},
    )
    return rule
