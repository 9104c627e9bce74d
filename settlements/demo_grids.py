"""Demo grids, grid members and heads: in every settlement a governance grid (resident group) per ~150 households
and a security grid per ~350, each with a grid member; most households assigned, a few left in no governance grid;
every building with a head but one in the first settlement, so the structure page's incomplete list shows each case.

A grid holds 100 households or more only in a settlement that large: with the demo's default of 40 households per
settlement every grid is below its band (shown as such); `seed_demo --households-per-settlement 400` gives grids
within their bands. Does nothing once a grid exists."""

import datetime

from django.db import transaction

from . import services
from .models import Building, BuildingHead, Grid, GridKind, GridMember, Household, Settlement, User

D = datetime.date
SINCE = D(2019, 6, 30)  # 附件5: "2019年6月完成网格划分……配齐配强网格员、楼栋长"
LEFT_OUT = 2  # households per settlement left in no governance grid
HEADS = ["杨秀英", "吴光明", "龙梅", "潘志强", "石春花", "王德明", "杨文才", "吴金花", "欧阳平", "韦小兰"]
MEMBERS = ["潘网格", "石网格", "龙网格", "韦网格"]
SIZES = {GridKind.GOVERNANCE: 150, GridKind.SECURITY: 350}


@transaction.atomic
def seed_demo_grids() -> int:
    """Make the demo structure unless a grid exists; returns how many grids were made."""
    if Grid.objects.exists():
        return 0
    office = User.objects.get(username="office")
    made = 0
    for number, settlement in enumerate(Settlement.objects.order_by("sort_order")):
        households = list(Household.objects.filter(settlement=settlement).order_by("code").values_list("pk", flat=True))
        if not households:
            continue
        for kind, size in SIZES.items():
            chosen = households[LEFT_OUT:] if kind == GridKind.GOVERNANCE else households
            made += _grids(office, settlement, kind, chosen, size)
        _heads(office, settlement, skip_last=number == 0)
    return made


def _grids(office, settlement, kind, household_ids, size) -> int:
    count = max(1, round(len(household_ids) / size))
    share = -(-len(household_ids) // count)
    label = "居民小组" if kind == GridKind.GOVERNANCE else "治安网格"
    for index in range(count):
        grid = services.grid_save(
            actor=office,
            grid=Grid(
                settlement=settlement, kind=kind, name=f"{settlement.name}第{index + 1}{label}", established_on=SINCE
            ),
        )
        name = MEMBERS[index % len(MEMBERS)]
        member = GridMember(grid=grid, name=name, phone=f"1390000{grid.pk % 10000:04d}", start_date=SINCE)
        services.grid_member_save(actor=office, member=member)
        part = household_ids[index * share : (index + 1) * share]
        if part:
            services.grid_assign(actor=office, grid=grid, household_ids=part, day=SINCE)
    return count


def _heads(office, settlement, *, skip_last: bool) -> None:
    buildings = list(Building.objects.filter(settlement=settlement).order_by("name"))
    if skip_last:
        buildings = buildings[:-1]  # one building without a head
    for index, building in enumerate(buildings):
        services.building_head_save(
            actor=office,
            head=BuildingHead(
                building=building, name=HEADS[index % len(HEADS)], phone=f"1380000{index:04d}", start_date=SINCE
            ),
        )
