"""The place structure of a settlement: grids of two kinds, the households in them, grid members, and the head of
each building (楼长) or courtyard (院长).

The sizes a grid should have are dated rule data (`settlements.dated_rules`), one rule per kind, each a list of
bands by the settlement's size: `[settlement households from, to (null: no upper end), grid households from,
to]`, ends included. A grid is judged by the band its settlement's resident households on the day fall in.
The reads here (a grid's households on a day, the structure page, what a bulk move would do, the figures per
settlement) start from the user's scope where a user asks.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q

from . import dated_rules
from .models import (
    Building,
    BuildingHead,
    Grid,
    GridAssignment,
    GridKind,
    GridMember,
    Household,
    HouseholdStatus,
    Settlement,
)
from .selectors import resident_households

SIZE_RULES = {
    GridKind.GOVERNANCE: "settlements.grid_size.governance",
    GridKind.SECURITY: "settlements.grid_size.security",
}
PLAN_DATE = datetime.date(2019, 5, 20)  # 榕党办发〔2019〕20号
LISTED_UNASSIGNED = 20  # households in no grid the structure page names (the rest are counted, and linked)
# Households a grid takes when a building is assigned: those not moved out or dissolved.
CURRENT_STATUSES = (HouseholdStatus.ALLOCATED, HouseholdStatus.MOVED_IN)


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _size_problem(params) -> str | None:
    bands = params.get("bands")
    if not isinstance(bands, list) or not bands:
        return "“bands”须为列表，每段写作 [安置点户数下限, 上限（null 为不设上限）, 网格户数下限, 网格户数上限]。"
    previous_high = -1
    for index, band in enumerate(bands, start=1):
        if not isinstance(band, list) or len(band) != 4:
            return f"第{index}段须写作 [安置点户数下限, 上限, 网格户数下限, 网格户数上限]。"
        low, high, grid_low, grid_high = band
        if not (_is_count(low) and _is_count(grid_low) and _is_count(grid_high)) or grid_high < grid_low:
            return f"第{index}段的户数须为不小于 0 的整数，网格户数上限不小于下限。"
        if high is not None and (not _is_count(high) or high < low):
            return f"第{index}段的安置点户数上限须为不小于下限的整数，或 null（不设上限）。"
        if low != previous_high + 1:
            return f"第{index}段须从 {previous_high + 1} 户起：各段按安置点户数从小到大排列，首尾相接。"
        if high is None and index != len(bands):
            return "只有最后一段可以不设上限。"
        previous_high = high if high is not None else low
    if bands[-1][1] is not None:
        return "最后一段须不设上限（null），使任何户数的安置点都有网格规模。"
    return None


dated_rules.declare(SIZE_RULES[GridKind.GOVERNANCE], "治理网格（居民小组）户数", check=_size_problem)
dated_rules.declare(SIZE_RULES[GridKind.SECURITY], "治安网格户数", check=_size_problem)

SEED_ROWS = [
    {
        "code": SIZE_RULES[GridKind.GOVERNANCE],
        "name": "治理网格（居民小组）户数",
        "valid_from": PLAN_DATE,
        "params": {"bands": [[0, 800, 100, 150], [801, None, 100, 200]]},
        "basis": (
            "附件4 三、（二）：“户数在1000户左右的，设立一个居民委员会，每个居委会按照100户—200户设一个网格或"
            "居民小组，每个网格或居民小组又按每栋楼设一名楼长；户数在800户以下的不设立居民委员会，按照100户—150户"
            "设立若干个居民小组，直接并入就近的居民委员会进行管理。”"
        ),
        "reading": (
            "“800户以下”含800户：统计当日在住搬迁户不超过800户的安置点，居民小组按100—150户；801户及以上按"
            "100—200户。801户至约1000户之间原文没有哪一句规定（“1000户左右”设居委会，“800户以下”不设），"
            "本系统按“每个居委会按照100户—200户”计。两端均含本数：100户、200户在范围内，99户、201户不在；"
            "小安置点150户在内，151户不在。网格户数 = 统计当日在住且划入该网格的搬迁户数。"
        ),
    },
    {
        "code": SIZE_RULES[GridKind.SECURITY],
        "name": "治安网格户数",
        "valid_from": PLAN_DATE,
        "params": {"bands": [[0, None, 300, 400]]},
        "basis": (
            "附件6 三、（二）2：“深入推进网格化服务管理，按照 300-400 户为一网格的要求配齐网格员，建立健全“楼长”"
            "制度，构建“居委会、网格、楼栋”三级网格化服务管理”。"
        ),
        "reading": (
            "与附件4“100户—200户”的网格是两种网格（两份附件的规定不一致，冲突C1），两者都保留：每户既划入一个"
            "治理网格（居民小组），也划入一个治安网格。两端均含本数：300户、400户在范围内，299户、401户不在。"
        ),
    },
]
dated_rules.register_seed_rows("settlements.grids", lambda: SEED_ROWS)


# --- sizes ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    basis: str
    reading: str

    def holds(self, households: int) -> bool:
        return self.low <= households <= self.high

    @property
    def label(self) -> str:
        return f"{self.low}—{self.high} 户"


def band_for(kind: str, settlement_households: int, day: datetime.date) -> Band | None:
    """The size a grid of `kind` should have in a settlement of `settlement_households` resident households on
    `day`, or None when no rule is in force then."""
    rule = dated_rules.row_on(SIZE_RULES[kind], day)
    if rule is None:
        return None
    for low, high, grid_low, grid_high in rule.params["bands"]:
        if low <= settlement_households and (high is None or settlement_households <= high):
            return Band(grid_low, grid_high, rule.basis, rule.reading)
    return None


# --- households in grids ---------------------------------------------------------------------------------------


def active_grids(day: datetime.date):
    """Grids drawn by `day` (or undated) and not dissolved by then."""
    drawn = Q(established_on__isnull=True) | Q(established_on__lte=day)
    return Grid.objects.filter(drawn, Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day))


def grid_household_counts(grid_ids, day: datetime.date) -> dict[int, int]:
    """Resident households per grid on `day`."""
    rows = (
        GridAssignment.objects.on(day)
        .filter(grid_id__in=grid_ids, household__in=resident_households(day=day))
        .values("grid_id")
        .annotate(n=Count("id"))
    )
    return {row["grid_id"]: row["n"] for row in rows}


def unassigned_households(households, kind: str, day: datetime.date):
    """Of `households`, the resident ones on `day` in no grid of `kind`."""
    assigned = GridAssignment.objects.on(day).filter(kind=kind).values("household_id")
    return households.filter(pk__in=resident_households(day=day)).exclude(pk__in=assigned)


def current_heads(day: datetime.date):
    return BuildingHead.objects.on(day)


def current_members(day: datetime.date):
    return GridMember.objects.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gt=day))


def overlapping_head(head: BuildingHead) -> BuildingHead | None:
    """Another head of the head's building whose term overlaps its own (the earliest), or None."""
    others = BuildingHead.objects.filter(building_id=head.building_id).exclude(pk=head.pk)
    if head.end_date:
        others = others.filter(start_date__lt=head.end_date)
    return others.filter(Q(end_date__isnull=True) | Q(end_date__gt=head.start_date)).order_by("start_date").first()


def households_of(*, user, household_ids=(), building_ids=()):
    """The households a bulk assignment names: those chosen and those of the buildings chosen (not moved out or
    dissolved), read from `user`'s scope. Returns (households, ids named that the scope does not hold)."""
    scoped = Household.objects.for_user(user)
    household_ids, building_ids = set(household_ids), set(building_ids)
    found = set(scoped.filter(pk__in=household_ids).values_list("pk", flat=True))
    buildings = set(Building.objects.for_user(user).filter(pk__in=building_ids).values_list("pk", flat=True))
    missing = (household_ids - found) | (building_ids - buildings)
    in_buildings = scoped.filter(building_id__in=buildings, status__in=CURRENT_STATUSES).values_list("pk", flat=True)
    return found | set(in_buildings), missing


@dataclass
class MovePlan:
    """What assigning households to `grid` would do: how many join it, how many come from which other grid,
    how many are there already."""

    grid: Grid
    joining: int = 0
    moving_from: dict[str, int] = field(default_factory=dict)  # other grid's name -> households
    staying: int = 0

    @property
    def moving(self) -> int:
        return sum(self.moving_from.values())

    @property
    def sentence(self) -> str:
        moves = "；".join(f"将把 {n} 户从 {name} 调整到 {self.grid.name}" for name, n in self.moving_from.items())
        return moves + "。" if moves else ""


def move_plan(*, grid: Grid, household_ids) -> MovePlan:
    plan = MovePlan(grid=grid)
    open_rows = GridAssignment.objects.filter(household_id__in=household_ids, kind=grid.kind, end_date__isnull=True)
    by_grid = Counter(open_rows.values_list("grid__name", "grid_id"))
    for (name, grid_id), n in sorted(by_grid.items()):
        if grid_id == grid.pk:
            plan.staying = n
        else:
            plan.moving_from[name] = n
    plan.joining = len(set(household_ids)) - plan.staying - plan.moving
    return plan


# --- the structure page --------------------------------------------------------------------------------------------


@dataclass
class GridRow:
    grid: Grid
    households: int
    band: Band | None
    members: list

    @property
    def in_band(self) -> bool | None:
        return None if self.band is None else self.band.holds(self.households)


@dataclass
class KindSection:
    kind: str
    label: str
    grids: list[GridRow]
    band: Band | None
    unassigned_count: int
    unassigned: list

    @property
    def out_of_band(self) -> list[GridRow]:
        return [row for row in self.grids if row.in_band is False]


@dataclass
class BuildingRow:
    building: Building
    head: BuildingHead | None
    households: int


@dataclass
class Structure:
    settlement: Settlement
    day: datetime.date
    households: int
    kinds: list[KindSection]
    buildings: list[BuildingRow]

    @property
    def headless(self) -> list[BuildingRow]:
        return [row for row in self.buildings if row.head is None]

    @property
    def complete(self) -> bool:
        return not self.headless and all(not s.unassigned_count and not s.out_of_band for s in self.kinds)


def structure(*, settlement: Settlement, day: datetime.date) -> Structure:
    """The settlement's grids, members, buildings and heads on `day`, and what is incomplete."""
    households = resident_households(day=day).filter(settlement=settlement)
    count = households.count()
    grids = list(active_grids(day).filter(settlement=settlement).order_by("kind", "name"))
    counts = grid_household_counts([grid.pk for grid in grids], day)
    members = {}
    for member in current_members(day).filter(grid__in=grids).order_by("start_date", "pk"):
        members.setdefault(member.grid_id, []).append(member)
    sections = []
    for kind, label in GridKind.choices:
        band = band_for(kind, count, day)
        rows = [
            GridRow(grid, counts.get(grid.pk, 0), band, members.get(grid.pk, [])) for grid in grids if grid.kind == kind
        ]
        unassigned = unassigned_households(households, kind, day).select_related("building").order_by("code")
        sections.append(KindSection(kind, label, rows, band, unassigned.count(), list(unassigned[:LISTED_UNASSIGNED])))
    return Structure(settlement, day, count, sections, _building_rows(settlement, day))


def _building_rows(settlement, day) -> list[BuildingRow]:
    buildings = Building.objects.filter(settlement=settlement).order_by("name")
    heads = {head.building_id: head for head in current_heads(day).filter(building__settlement=settlement)}
    sizes = dict(
        resident_households(day=day)
        .filter(building__settlement=settlement)
        .values_list("building_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [BuildingRow(building, heads.get(building.pk), sizes.get(building.pk, 0)) for building in buildings]


# --- figures per settlement (the indicators) -------------------------------------------------------------------


@dataclass
class GridFigures:
    in_governance_grid: dict[int, int]
    in_security_grid: dict[int, int]
    grids_in_band: dict[int, int]
    buildings_with_head: dict[int, int]
    buildings_without_head: dict[int, int]


def grid_figures(*, day: datetime.date) -> GridFigures:
    """County-wide, per settlement id, on `day`: resident households in a grid of each kind, grids within their
    band, buildings with and without a current head."""
    resident = resident_households(day=day)
    sizes = dict(resident.values_list("settlement_id").annotate(n=Count("id")).order_by())
    in_grid = {}
    for kind in GridKind.values:
        rows = (
            GridAssignment.objects.on(day)
            .filter(kind=kind, household__in=resident)
            .values_list("household__settlement_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        in_grid[kind] = dict(rows)
    grids = list(active_grids(day))
    counts = grid_household_counts([grid.pk for grid in grids], day)
    in_band = Counter()
    for grid in grids:
        band = band_for(grid.kind, sizes.get(grid.settlement_id, 0), day)
        if band is not None and band.holds(counts.get(grid.pk, 0)):
            in_band[grid.settlement_id] += 1
    with_head = set(current_heads(day).values_list("building_id", flat=True))
    buildings = Counter(), Counter()
    for building_id, settlement_id in Building.objects.values_list("pk", "settlement_id"):
        buildings[building_id not in with_head][settlement_id] += 1
    return GridFigures(
        in_governance_grid=in_grid[GridKind.GOVERNANCE],
        in_security_grid=in_grid[GridKind.SECURITY],
        grids_in_band=dict(in_band),
        buildings_with_head=dict(buildings[False]),
        buildings_without_head=dict(buildings[True]),
    )


def households_in(*, grid: Grid, day: datetime.date):
    """The households in `grid` on `day` (resident or not), by code."""
    in_grid = GridAssignment.objects.on(day).filter(grid=grid).values("household_id")
    return Household.objects.filter(pk__in=in_grid).select_related("building").order_by("code")
