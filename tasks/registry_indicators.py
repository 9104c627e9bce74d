"""The household registry's own indicators (the core app cannot import `tasks`, so they are registered here):
one group, so the stays of the day are scanned once."""

from settlements import facilities, grids, selectors

from .indicators import Spec, register_group

REGISTRY_MODELS = ("settlements.Household", "settlements.Membership")


@register_group(
    "settlements.residents",
    [
        Spec("settlements.households", "在住搬迁户", "户", sort_order=10),
        Spec("settlements.persons", "在住搬迁人口", "人", sort_order=20),
        Spec("settlements.moved_in_persons", "累计搬迁入住人口", "人", sort_order=30),
    ],
    reads=REGISTRY_MODELS,
)
def residents(day):
    figures = selectors.resident_figures(day=day)
    return {
        "settlements.households": figures.households,
        "settlements.persons": figures.persons,
        "settlements.moved_in_persons": figures.moved_in_persons,
    }


@register_group(
    "settlements.facilities",
    [
        Spec("settlements.six_ones_in_use", "“六个一”设施已投入使用", "类", sort_order=40),
        Spec("settlements.farmers_markets", "农贸市场", "个", sort_order=41),
        Spec("settlements.property_coops", "物业管理合作社或公司", "个", sort_order=42),
        Spec("settlements.volunteer_stations", "社会工作志愿服务站", "个", sort_order=43),
    ],
    reads=("settlements.Facility",),
)
def facility_figures(day):
    """Per settlement: how many of the six "六个一" kinds have a facility in use (one room may serve several), and
    how many markets, property cooperatives and volunteer stations are in use."""
    by_kind = {
        facilities.FARMERS_MARKET: "settlements.farmers_markets",
        facilities.PROPERTY_COOP: "settlements.property_coops",
        facilities.VOLUNTEER_STATION: "settlements.volunteer_stations",
    }
    values = {key: {} for key in ("settlements.six_ones_in_use", *by_kind.values())}
    for row in selectors.facility_kinds_in_use(day=day):
        if row.kind_group == facilities.SIX_ONES:
            six_ones = values["settlements.six_ones_in_use"]
            six_ones[row.settlement_id] = six_ones.get(row.settlement_id, 0) + 1
        elif row.kind_code in by_kind:
            values[by_kind[row.kind_code]][row.settlement_id] = row.facilities
    return values


@register_group(
    "settlements.grids",
    [
        Spec("settlements.households_in_governance_grid", "在住户已划入治理网格（居民小组）", "户", sort_order=50),
        Spec("settlements.households_in_security_grid", "在住户已划入治安网格", "户", sort_order=51),
        Spec("settlements.grids_in_band", "户数在规定范围内的网格", "个", sort_order=52),
        Spec("settlements.buildings_with_head", "有现任楼长（院长）的楼栋", "栋", sort_order=53),
        Spec("settlements.buildings_without_head", "无现任楼长（院长）的楼栋", "栋", sort_order=54),
    ],
    reads=(
        *REGISTRY_MODELS,
        "settlements.Grid",
        "settlements.GridAssignment",
        "settlements.Building",
        "settlements.BuildingHead",
        "settlements.DatedRule",
    ),
)
def grid_figures(day):
    """Per settlement on `day`: resident households in a grid of each kind, grids whose resident households fall in
    their band (by the settlement's size that day), buildings with and without a current head."""
    figures = grids.grid_figures(day=day)
    return {
        "settlements.households_in_governance_grid": figures.in_governance_grid,
        "settlements.households_in_security_grid": figures.in_security_grid,
        "settlements.grids_in_band": figures.grids_in_band,
        "settlements.buildings_with_head": figures.buildings_with_head,
        "settlements.buildings_without_head": figures.buildings_without_head,
    }
