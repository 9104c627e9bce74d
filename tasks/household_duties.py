"""Duties every household owes by a date that depends on its relocation project year, dated by the plan.

The plan prints some deadlines per project year ("2016、2017年搬迁户在2019年4月完成新旧住房对比照片悬挂，2018年度
搬迁户在2019年12月完成"; the land's 确权登记 the same way). Those deadlines carry a duty code (`Deadline.duty`),
which the app that checks the duty declares here (`declare`); the app then reads the due date of each project
year from the plan (`due_dates`), or annotates households with it in SQL (`due_date_expression`) so that its
lists and indicators filter in the database. The office changes a date in the plan's admin, and every page and
indicator follows.

A project year the plan gives no deadline for has no due date: its households are not due (None).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case, DateField, Min, Value, When

from .models import Deadline


@dataclass(frozen=True)
class Duty:
    code: str  # "culture.house_photo"
    name: str  # "新旧住房对比照片悬挂"


_duties: dict[str, Duty] = {}


def declare(code: str, name: str) -> Duty:
    """Declare a duty an app checks per household (from its AppConfig.ready()); the same twice is harmless."""
    duty = Duty(code, name)
    existing = _duties.get(code)
    if existing is not None and existing != duty:
        raise ValueError(f"household duty {code!r} is declared twice, differently")
    _duties[code] = duty
    return duty


def declared(code: str) -> Duty | None:
    return _duties.get(code)


def due_dates(duty: str) -> dict[int, datetime.date]:
    """{project year: the date its households owe `duty` by}: the earliest of the duty's deadlines for that year
    (the master plan and an annex may print the same date twice)."""
    rows = (
        Deadline.objects.filter(duty=duty, project_year__isnull=False)
        .values("project_year")
        .annotate(due=Min("due_on"))
        .order_by("project_year")
    )
    return {row["project_year"]: row["due"] for row in rows}


def due_date_expression(duty: str, *, prefix: str = "", dates: dict[int, datetime.date] | None = None) -> Case:
    """An SQL expression giving each household (reached through `prefix`, e.g. "household__") the date it owes
    `duty` by, NULL for a project year without one: `Household.objects.annotate(due_on=due_date_expression(...))`.
    """
    dates = due_dates(duty) if dates is None else dates
    whens = [When(**{f"{prefix}project_year": year}, then=Value(due)) for year, due in sorted(dates.items())]
    return Case(*whens, default=Value(None, output_field=DateField()), output_field=DateField())
