"""Two ledgers of the place structure through the shared import framework (`settlements.imports`): the grid roster
(网格花名册: which household is in which grid) and the building heads (楼长、院长名册).

Every row is checked first against the importing user's scope (a household, building or person outside it reads as
unknown); the write goes through the services (`grid_assign`, `building_head_save`) in the framework's one
transaction, so each change keeps its history and the import its one audit entry. The same file twice changes
nothing the second time.
"""

from collections import defaultdict
from dataclasses import dataclass

from . import grids, imports, services
from .imports import cells
from .models import (
    Building,
    BuildingHead,
    Grid,
    GridAssignment,
    GridKind,
    Household,
    Person,
    Relation,
    Settlement,
)

MSG_HOUSEHOLD_NEEDED = "请填写户编号或户主身份证号。"
MSG_HOUSEHOLD_UNKNOWN = "您管理范围内没有这个户编号。"
MSG_HEAD_UNKNOWN = "您管理范围内没有以此身份证号登记的在册户主。"
MSG_HOUSEHOLD_MISMATCH = "户编号与户主身份证号不是同一户（该身份证号的户主属于 {code}）。"
MSG_GRID_UNKNOWN = "{settlement}没有名为“{name}”的{kind}：请先在“网格与楼长”页面新建该网格。"
MSG_DUPLICATE_HOUSEHOLD = "与第{row}行是同一户的同一类网格，请只保留一行。"
MSG_SETTLEMENT_UNKNOWN = "您管理范围内没有这个安置点。"
MSG_BUILDING_UNKNOWN = "{settlement}没有名为“{name}”的楼栋（院落）。"
MSG_PERSON_UNKNOWN = "您管理范围内没有这个身份证号的搬迁人员（非搬迁人员请留空身份证号，填写联系电话）。"
MSG_NAME_MISMATCH = "与户籍台账中该身份证号人员的姓名“{name}”不一致。"
MSG_CONTACT_NEEDED = "请填写身份证号（搬迁人员）或联系电话。"
MSG_DUPLICATE_BUILDING = "与第{row}行是同一楼栋，同一时间每栋楼只能有一名楼长（院长）。"


# --- the grid roster ----------------------------------------------------------------------------------------------

CODE = imports.Column("户编号", "code", width=16, kind=imports.TEXT)
HEAD_ID = imports.Column("户主身份证号", "id_number", width=22, kind=imports.TEXT)
GRID_NAME = imports.Column("网格名称", "grid", required=True, width=18)
GRID_KIND = imports.Column(
    "网格类型",
    "kind",
    required=True,
    width=20,
    choices=tuple(GridKind.choices),
    synonyms={GridKind.GOVERNANCE.label: ("治理网格", "居民小组")},
)
START = imports.Column("划入日期", "day", width=13, kind=imports.DATE)


@dataclass
class RosterPlan:
    row: imports.LedgerRow
    household: Household | None = None
    grid: Grid | None = None
    outcome: str = imports.WRONG


class GridRosterImporter(imports.Importer):
    kind = "grid_roster"
    title = "网格花名册"
    columns = (CODE, HEAD_ID, GRID_NAME, GRID_KIND, START)
    header_keys = ("网格名称", "网格类型")
    guide = (
        "填写说明（网格花名册）",
        "1. 每行一户、一类网格：一户既属于一个治理网格（居民小组），也属于一个治安网格，可写两行。",
        "2. 用户编号或户主身份证号指明一户，两者都填时须为同一户。",
        "3. 网格须已在“网格与楼长”页面建立；网格类型从下拉列表中选择。",
        "4. 划入日期留空为导入当天；已在其他网格的户从该日起调整到新网格。",
    )
    order = 60
    text_fields = {"code": (Household, "code"), "grid": (Grid, "name")}
    dated_models = (GridAssignment,)

    def extra_parsers(self):
        return {"day": cells.date_parser(field="day", future_message="划入日期不能晚于今天。")}

    def plan(self, result, *, user, context, progress):
        households = _households_named(result.rows, user)
        grids = {(g.settlement_id, g.kind, g.name): g for g in Grid.objects.for_user(user).select_related("settlement")}
        first_rows = {}
        for row in result.rows:
            plan = RosterPlan(row=row)
            result.plans.append(plan)
            plan.household = _household_of(row, households)
            if plan.household is not None and {"grid", "kind"} <= row.values.keys():
                plan.grid = _grid_of(row, plan.household, grids)
            if plan.household is not None and plan.grid is not None:
                key = (plan.household.pk, plan.grid.kind)
                if key in first_rows:
                    row.error(GRID_NAME, MSG_DUPLICATE_HOUSEHOLD.format(row=first_rows[key]))
                first_rows.setdefault(key, row.number)
        _classify(result.plans)

    def counts(self, result):
        counts = dict.fromkeys(imports.OUTCOMES, 0)
        for plan in result.plans:
            counts[plan.outcome] += 1
        return counts

    def write(self, result, *, user, valid_only, reason):
        batches = defaultdict(list)
        for plan in result.plans:
            if plan.outcome in (imports.NEW, imports.CHANGED):
                batches[(plan.grid, plan.row.values.get("day") or result.today)].append(plan.household.pk)
        for (grid, day), household_ids in batches.items():
            services.grid_assign(actor=user, grid=grid, household_ids=household_ids, day=day)
        written = [plan.outcome for plan in result.plans]
        return {"created": written.count(imports.NEW), "updated": written.count(imports.CHANGED)}

    def confirm_sentence(self, summary):
        return f"新划入网格 {summary.get(imports.NEW, 0):,} 户次、调整网格 {summary.get(imports.CHANGED, 0):,} 户次"

    def written_sentence(self, written):
        return f"已导入网格花名册：新划入 {written.get('created', 0):,} 户次，调整 {written.get('updated', 0):,} 户次。"

    def check_notes(self, summary):
        return ["已在所填网格的户不会重复划入。"]


def _households_named(rows, user) -> dict:
    """{("code", code) | ("id", number): household} for the households the rows name, from the user's scope."""
    scoped = Household.objects.for_user(user).select_related("settlement")
    codes = {row.values["code"] for row in rows if "code" in row.values}
    found = {("code", household.code): household for household in scoped.filter(code__in=codes)}
    numbers = [row.values["id_number"] for row in rows if "id_number" in row.values]
    heads = Person.objects.for_user(user).active().filter(relation=Relation.HEAD).with_id_numbers(numbers)
    for head in heads.select_related("household__settlement"):
        found[("id", head.id_number)] = head.household
    return found


def _household_of(row, households) -> Household | None:
    by_code = households.get(("code", row.values.get("code")))
    by_head = households.get(("id", row.values.get("id_number")))
    if "code" in row.values and by_code is None:
        row.error(CODE, MSG_HOUSEHOLD_UNKNOWN)
    if "id_number" in row.values and by_head is None:
        row.error(HEAD_ID, MSG_HEAD_UNKNOWN)
    if not ({"code", "id_number"} & row.values.keys()) and not ({"code", "id_number"} & row.failed):
        row.error(CODE, MSG_HOUSEHOLD_NEEDED)
    if by_code is not None and by_head is not None and by_code.pk != by_head.pk:
        row.error(HEAD_ID, MSG_HOUSEHOLD_MISMATCH.format(code=by_head.code))
    return None if row.errors else by_code or by_head


def _grid_of(row, household, grids) -> Grid | None:
    kind, name = row.values["kind"], row.values["grid"]
    grid = grids.get((household.settlement_id, kind, name))
    if grid is None:
        row.error(
            GRID_NAME,
            MSG_GRID_UNKNOWN.format(settlement=household.settlement.name, name=name, kind=GridKind(kind).label),
        )
    return grid


def _classify(plans) -> None:
    named = [plan for plan in plans if plan.grid is not None and not plan.row.errors]
    open_rows = GridAssignment.objects.filter(
        household_id__in=[plan.household.pk for plan in named], end_date__isnull=True
    ).values_list("household_id", "kind", "grid_id")
    current = {(household, kind): grid for household, kind, grid in open_rows}
    for plan in plans:
        if plan.row.errors or plan.grid is None:
            plan.outcome = imports.WRONG
            continue
        now = current.get((plan.household.pk, plan.grid.kind))
        plan.outcome = imports.NEW if now is None else imports.UNCHANGED if now == plan.grid.pk else imports.CHANGED


# --- building and courtyard heads --------------------------------------------------------------------------------

SETTLEMENT = imports.Column("安置点", "settlement", required=True, width=12)
BUILDING = imports.Column("楼栋", "building", required=True, width=12, header_aliases=("楼栋（院落）", "院落"))
NAME = imports.Column("姓名", "name", required=True, width=10)
ID_NUMBER = imports.Column("身份证号", "id_number", width=22, kind=imports.TEXT)
PHONE = imports.Column("联系电话", "phone", width=14, kind=imports.TEXT)
FROM = imports.Column("任职日期", "start_date", required=True, width=13, kind=imports.DATE)


@dataclass
class HeadPlan:
    row: imports.LedgerRow
    building: Building | None = None
    person: Person | None = None
    current: BuildingHead | None = None  # the open head of the building
    outcome: str = imports.WRONG


class BuildingHeadImporter(imports.Importer):
    kind = "building_heads"
    title = "楼长院长名册"
    columns = (SETTLEMENT, BUILDING, NAME, ID_NUMBER, PHONE, FROM)
    header_keys = ("楼栋", "姓名", "任职日期")
    guide = (
        "填写说明（楼长院长名册）",
        "1. 每行一栋楼（或一个院落）的现任楼长（院长）。",
        "2. 搬迁人员填身份证号（须与户籍台账中的姓名一致）；非搬迁人员留空身份证号，填联系电话。",
        "3. 楼栋已有另一名现任楼长时，该行有误：请先在平台上填写原楼长的卸任日期。",
    )
    order = 61
    text_fields = {"building": (Building, "name"), "name": (BuildingHead, "name")}
    dated_models = (BuildingHead,)

    def extra_parsers(self):
        return {
            "settlement": cells.text_parser(Settlement, "name"),
            "phone": cells.parse_phone,
            "start_date": cells.date_parser(field="start_date", future_message="任职日期不能晚于今天。"),
        }

    def template_choices(self, column, *, user):
        if column is SETTLEMENT:
            return list(Settlement.objects.for_user(user).values_list("name", flat=True))
        return super().template_choices(column, user=user)

    def plan(self, result, *, user, context, progress):
        buildings = {
            (b.settlement.name, b.name): b for b in Building.objects.for_user(user).select_related("settlement")
        }
        settlements = set(Settlement.objects.for_user(user).values_list("name", flat=True))
        numbers = [row.values["id_number"] for row in result.rows if "id_number" in row.values]
        persons = {p.id_number: p for p in Person.objects.for_user(user).with_id_numbers(numbers)}
        heads = {head.building_id: head for head in BuildingHead.objects.for_user(user).filter(end_date__isnull=True)}
        first_rows = {}
        for row in result.rows:
            plan = HeadPlan(row=row)
            result.plans.append(plan)
            plan.building = _building_of(row, buildings, settlements)
            plan.person = _person_of(row, persons)
            if plan.building is not None:
                if plan.building.pk in first_rows:
                    row.error(BUILDING, MSG_DUPLICATE_BUILDING.format(row=first_rows[plan.building.pk]))
                first_rows.setdefault(plan.building.pk, row.number)
                plan.current = heads.get(plan.building.pk)
            plan.outcome = _head_outcome(plan)

    def counts(self, result):
        counts = dict.fromkeys(imports.OUTCOMES, 0)
        for plan in result.plans:
            counts[plan.outcome] += 1
        return counts

    def write(self, result, *, user, valid_only, reason):
        created = 0
        for plan in result.plans:
            if plan.outcome != imports.NEW:
                continue
            values = plan.row.values
            head = BuildingHead(
                building=plan.building,
                person=plan.person,
                name=values["name"],
                phone=values.get("phone", ""),
                start_date=values["start_date"],
            )
            services.building_head_save(actor=user, head=head)
            created += 1
        return {"created": created, "updated": 0}

    def confirm_sentence(self, summary):
        return f"新增楼长（院长） {summary.get(imports.NEW, 0):,} 名"

    def written_sentence(self, written):
        return f"已导入楼长院长名册：新增 {written.get('created', 0):,} 名。"

    def check_notes(self, summary):
        return ["已是该楼栋现任楼长（院长）的行不会重复登记。"]


def _building_of(row, buildings, settlements) -> Building | None:
    settlement, name = row.values.get("settlement"), row.values.get("building")
    if settlement is None or name is None:
        return None
    if settlement not in settlements:
        row.error(SETTLEMENT, MSG_SETTLEMENT_UNKNOWN)
        return None
    building = buildings.get((settlement, name))
    if building is None:
        row.error(BUILDING, MSG_BUILDING_UNKNOWN.format(settlement=settlement, name=name))
    return building


def _person_of(row, persons) -> Person | None:
    if "id_number" not in row.values:
        if "phone" not in row.values and not ({"id_number", "phone"} & row.failed):
            row.error(PHONE, MSG_CONTACT_NEEDED)
        return None
    person = persons.get(row.values["id_number"])
    if person is None:
        row.error(ID_NUMBER, MSG_PERSON_UNKNOWN)
    elif "name" in row.values and person.name != row.values["name"]:
        row.error(NAME, MSG_NAME_MISMATCH.format(name=person.name))
    return person


def _same_head(plan: HeadPlan) -> bool:
    current, values = plan.current, plan.row.values
    if plan.person is not None:
        return current.person_id == plan.person.pk
    return current.person_id is None and current.name == values.get("name") and current.phone == values.get("phone")


def _head_outcome(plan: HeadPlan) -> str:
    if plan.row.errors or plan.building is None:
        return imports.WRONG
    if plan.current is None:
        return _checked_new(plan)
    if _same_head(plan):
        return imports.UNCHANGED
    title = plan.building.head_title
    plan.row.error(
        NAME,
        services.MSG_HEAD_OVERLAP.format(
            building=plan.building,
            title=title,
            name=plan.current.name,
            period=f"{plan.current.start_date:%Y-%m-%d}起，现任",
        ),
    )
    return imports.WRONG


def _checked_new(plan: HeadPlan) -> str:
    """A head of a building with none open: refused when the period overlaps an earlier, closed one."""
    values = plan.row.values
    head = BuildingHead(building=plan.building, name=values.get("name", ""), start_date=values["start_date"])
    other = grids.overlapping_head(head)
    if other is not None:
        plan.row.error(
            FROM,
            services.MSG_HEAD_OVERLAP.format(
                building=plan.building,
                title=plan.building.head_title,
                name=other.name,
                period=f"{other.start_date:%Y-%m-%d}至{other.end_date:%Y-%m-%d}",
            ),
        )
        return imports.WRONG
    return imports.NEW


GRID_IMPORTERS = (GridRosterImporter(), BuildingHeadImporter())

__all__ = ["GRID_IMPORTERS", "BuildingHeadImporter", "GridRosterImporter"]
