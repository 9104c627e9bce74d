"""The catchments annex 1 task 1 prints (就学安排), loaded by `manage.py load_catchments`: each created once (per
level, settlement and school), so a row the office has corrected is left alone.

The schools are facilities (`settlements.Facility` of a school kind), found by name; a school the portal does not
hold yet is created as a facility of that kind, serving the settlement the seed places it in (卧龙、阳光、特和小区
幼儿园) or the county (all others), with only what the seed says of it (民办; a planned date). Its other dates
and attributes are for the office to complete on its facility page.

Readings: the interim primary arrangement (2019: 车江小学、六佰塘小学、车民小学, no split per settlement) holds
from the plan's date to 2020-08-31, 古州四小 from 2020-09-01 (its planned opening, “计划到2020年9月建成投入使用”);
阳光 and 特和's kindergartens from 2019-12-31 (“于2019年12月建成并投入使用”): the seed prints no kindergarten for
them before, so none is recorded. 初中 goes by the household's origin township (“原属榕江四中、榕江五中招生范围乡镇”):
the seed does not print which townships, so the office fills that table; the catchment page lists the townships
without one.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction

from settlements.models import Facility, FacilityKind, Settlement

from .models import Catchment, SchoolLevel
from .schooling_rules import PLAN_DATE

D = datetime.date
INTERIM_END = D(2020, 8, 31)
GUZHOU_FOUR_FROM = D(2020, 9, 1)
NEW_KINDERGARTENS_FROM = D(2019, 12, 31)
WENTI = ("fumin", "wolong", "yangguang", "tehe")

KINDERGARTEN_TEXT = "附件1第1项一是"
PRIMARY_TEXT = "附件1第1项二是"
LOADED = "按原文件载入"


@dataclass(frozen=True)
class SeedSchool:
    name: str
    level: str
    settlement: str = ""  # the settlement the seed places it in; "" for the county's
    ownership: str = ""  # only where the seed prints it
    planned_on: datetime.date | None = None


SCHOOLS = {
    school.name: school
    for school in [
        SeedSchool("古州镇中心幼儿园", SchoolLevel.KINDERGARTEN),
        SeedSchool("大榕树幼儿园", SchoolLevel.KINDERGARTEN, ownership="民办"),
        SeedSchool("卧龙小区幼儿园", SchoolLevel.KINDERGARTEN, "wolong"),
        SeedSchool("阳光小区幼儿园", SchoolLevel.KINDERGARTEN, "yangguang", planned_on=NEW_KINDERGARTENS_FROM),
        SeedSchool("特和小区幼儿园", SchoolLevel.KINDERGARTEN, "tehe", planned_on=NEW_KINDERGARTENS_FROM),
        SeedSchool("实验幼儿园", SchoolLevel.KINDERGARTEN, ownership="民办"),
        SeedSchool("健康幼儿园", SchoolLevel.KINDERGARTEN, ownership="民办"),
        SeedSchool("定威乡中心幼儿园", SchoolLevel.KINDERGARTEN),
        SeedSchool("忠诚镇王岭村幼儿园", SchoolLevel.KINDERGARTEN),
        SeedSchool("车江小学", SchoolLevel.PRIMARY),
        SeedSchool("六佰塘小学", SchoolLevel.PRIMARY),
        SeedSchool("车民小学", SchoolLevel.PRIMARY),
        SeedSchool("古州四小", SchoolLevel.PRIMARY, planned_on=GUZHOU_FOUR_FROM),
        SeedSchool("古州三小", SchoolLevel.PRIMARY),
        SeedSchool("定威乡中心校", SchoolLevel.PRIMARY),
        SeedSchool("忠诚镇王岭小学", SchoolLevel.PRIMARY),
    ]
}


@dataclass(frozen=True)
class SeedCatchment:
    settlement: str
    level: str
    school: str
    valid_from: datetime.date = PLAN_DATE
    valid_to: datetime.date | None = None
    note: str = ""


def _kindergartens() -> list[SeedCatchment]:
    level, text = SchoolLevel.KINDERGARTEN, KINDERGARTEN_TEXT
    rows = [
        SeedCatchment("fumin", level, "古州镇中心幼儿园", note=text),
        SeedCatchment("fumin", level, "大榕树幼儿园", note=text),
        SeedCatchment("wolong", level, "卧龙小区幼儿园", note=text),
        SeedCatchment("fengle", level, "实验幼儿园", note=text),
        SeedCatchment("fengle", level, "健康幼儿园", note=text),
        SeedCatchment("dingwei", level, "定威乡中心幼儿园", note=text),
        SeedCatchment("fenghuang", level, "忠诚镇王岭村幼儿园", note=text),
    ]
    new = f"{text}：2019年12月建成并投入使用（此前原文件未安排）"
    rows += [
        SeedCatchment("yangguang", level, "阳光小区幼儿园", NEW_KINDERGARTENS_FROM, note=new),
        SeedCatchment("tehe", level, "特和小区幼儿园", NEW_KINDERGARTENS_FROM, note=new),
    ]
    return rows


def _primary_schools() -> list[SeedCatchment]:
    level, text = SchoolLevel.PRIMARY, PRIMARY_TEXT
    interim = f"{text}：2019年先安排在车江小学、六佰塘小学和车民小学就学（过渡安排）"
    rows = []
    for settlement in WENTI:
        rows += [
            SeedCatchment(settlement, level, name, PLAN_DATE, INTERIM_END, interim)
            for name in ("车江小学", "六佰塘小学", "车民小学")
        ]
        opened = f"{text}：2020年9月建成投入使用"
        rows.append(SeedCatchment(settlement, level, "古州四小", GUZHOU_FOUR_FROM, note=opened))
    rows += [
        SeedCatchment("fengle", level, "古州三小", note=text),
        SeedCatchment("dingwei", level, "定威乡中心校", note=text),
        SeedCatchment("fenghuang", level, "忠诚镇王岭小学", note=text),
    ]
    return rows


CATCHMENTS = _kindergartens() + _primary_schools()

MSG_NOT_A_SCHOOL = "设施“{name}”已存在，但不是{kind}：请在设施中补上类型“{kind}”后重新载入。"
MSG_TWO_SCHOOLS = "有 {count} 处名为“{name}”的{kind}：请在设施中区分名称后重新载入。"


class CatchmentLoadError(ValueError):
    """A school the seed names is held in a way the loader cannot use (the message says how to fix it)."""


@dataclass
class Loaded:
    catchments: int = 0
    schools: int = 0


@transaction.atomic
def ensure_catchments() -> Loaded:
    """Create the seed's catchments that are missing, and the schools they name that the portal does not hold."""
    loaded = Loaded()
    kinds = {kind.code: kind for kind in FacilityKind.objects.filter(code__in=SchoolLevel.values)}
    settlements = {settlement.code: settlement for settlement in Settlement.objects.all()}
    schools: dict[str, Facility] = {}
    for row in CATCHMENTS:
        if row.school not in schools:
            schools[row.school], created = _school(SCHOOLS[row.school], kinds, settlements)
            loaded.schools += created
        settlement = settlements[row.settlement]
        held = Catchment.objects.filter(level=row.level, settlement=settlement, school=schools[row.school])
        if not held.exists():
            _create(row, settlement, schools[row.school])
            loaded.catchments += 1
    return loaded


def _create(row: SeedCatchment, settlement, school) -> Catchment:
    catchment = Catchment(
        level=row.level,
        school=school,
        settlement=settlement,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        note=row.note,
    )
    catchment.full_clean()
    catchment._change_reason = LOADED
    catchment.save()
    return catchment


def _school(seed: SeedSchool, kinds, settlements) -> tuple[Facility, bool]:
    """The facility named `seed.name` of the seed's kind: found by name, else created."""
    kind = kinds[seed.level]
    named = list(Facility.objects.filter(name=seed.name).prefetch_related("kinds"))
    of_kind = [facility for facility in named if kind in facility.kinds.all()]
    if len(of_kind) > 1:
        raise CatchmentLoadError(MSG_TWO_SCHOOLS.format(count=len(of_kind), name=seed.name, kind=kind.name))
    if of_kind:
        return of_kind[0], False
    if named:
        raise CatchmentLoadError(MSG_NOT_A_SCHOOL.format(name=seed.name, kind=kind.name))
    facility = Facility(
        name=seed.name,
        planned_on=seed.planned_on,
        attributes={"ownership": seed.ownership} if seed.ownership else {},
        note=f"{LOADED}（附件1第1项），其他日期和属性请补充。",
    )
    facility.full_clean()
    facility._change_reason = LOADED
    facility.save()
    facility.kinds.set([kind])
    if seed.settlement:
        facility.settlements.set([settlements[seed.settlement]])
    return facility, True
