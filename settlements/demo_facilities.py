"""Demo service facilities: what each settlement has of the plan's facilities, with some deadlines missed and
some standards not met, so the facility pages, the plan's facility deadlines and the indicators show both.

Names and places follow annex 1 (the schools and clinics it names). Does nothing once a facility exists.
"""

import datetime

from django.db import transaction

from . import services
from .models import Facility, FacilityKind, Settlement, User

D = datetime.date
SIX_ONES = [
    "community_service_centre",
    "civilization_practice_centre",
    "sports_culture_centre",
    "elderly_service_centre",
    "children_centre",
    "discount_store",
]
# name, kinds, settlements served (none: the county's), in use on (None: still being built), attributes
FACILITIES = [
    ("富民社区综合服务楼", SIX_ONES, ["fumin"], D(2019, 6, 20), {"area_m2": "1200"}),
    ("卧龙社区综合服务楼", SIX_ONES[:5], ["wolong"], D(2019, 6, 28), {"area_m2": "900"}),
    ("卧龙平价购物中心", SIX_ONES[5:], ["wolong"], D(2019, 8, 15), {"area_m2": "300"}),
    ("定威社区服务中心", SIX_ONES, ["dingwei"], D(2019, 6, 10), {"area_m2": "800"}),
    ("丰乐社区综合服务楼", SIX_ONES[:4], ["fengle"], D(2019, 5, 30), {"area_m2": "1000"}),
    ("凤凰社区综合服务楼", SIX_ONES, ["fenghuang"], D(2019, 6, 25), {"area_m2": "700"}),
    ("阳光社区综合服务楼", SIX_ONES, ["yangguang"], D(2019, 12, 18), {"area_m2": "950"}),
    ("特和社区综合服务楼", SIX_ONES[:3], ["tehe"], None, {"area_m2": "850"}),
    ("富民农贸市场", ["farmers_market"], ["fumin"], D(2019, 5, 28), {"area_m2": "2000", "stalls": "120"}),
    ("卧龙农贸市场", ["farmers_market"], ["wolong"], D(2019, 5, 30), {"area_m2": "1800", "stalls": "96"}),
    ("定威农贸市场", ["farmers_market"], ["dingwei"], D(2019, 7, 12), {"area_m2": "900", "stalls": "40"}),
    ("丰乐农贸市场", ["farmers_market"], ["fengle"], D(2019, 5, 20), {"area_m2": "1500", "stalls": "80"}),
    ("凤凰农贸市场", ["farmers_market"], ["fenghuang"], D(2019, 5, 31), {"area_m2": "800", "stalls": "36"}),
    ("特和农贸市场", ["farmers_market"], ["tehe"], D(2019, 12, 26), {"area_m2": "1200", "stalls": "60"}),
    ("富民小区物业管理合作社", ["property_coop"], ["fumin"], D(2019, 5, 15), {"org_form": "合作社"}),
    ("卧龙小区物业管理合作社", ["property_coop"], ["wolong"], D(2019, 5, 20), {"org_form": "合作社"}),
    ("阳光小区物业服务有限公司", ["property_coop"], ["yangguang"], D(2019, 5, 30), {"org_form": "公司"}),
    ("特和小区物业管理合作社", ["property_coop"], ["tehe"], D(2019, 9, 1), {"org_form": "合作社"}),
    ("定威小区物业管理合作社", ["property_coop"], ["dingwei"], D(2019, 5, 25), {"org_form": "合作社"}),
    ("丰乐社区物业管理合作社", ["property_coop"], ["fengle"], D(2019, 5, 18), {"org_form": "合作社"}),
    ("凤凰小区物业管理合作社", ["property_coop"], ["fenghuang"], D(2023, 3, 1), {"org_form": "合作社"}),
    ("文体社区社会工作志愿服务站", ["volunteer_station"], ["fumin", "wolong", "yangguang", "tehe"], D(2019, 5, 24), {}),
    ("场坝社区社会工作志愿服务站", ["volunteer_station"], ["fengle"], D(2019, 6, 12), {}),
    ("富民红白喜事场所", ["ceremony_venue"], ["fumin"], D(2020, 4, 1), {"area_m2": "400"}),
    ("富民小区卫生室", ["clinic"], ["fumin"], D(2019, 2, 1), {"area_m2": "120", "designated": True}),
    (
        "文体社区卫生服务中心",
        ["community_health_centre"],
        ["wolong", "yangguang", "tehe"],
        D(2019, 6, 28),
        {"designated": True},
    ),
    ("丰乐社区卫生室", ["clinic"], ["fengle"], D(2018, 12, 1), {"area_m2": "100", "designated": True}),
    ("凤凰小区卫生室", ["clinic"], ["fenghuang"], D(2018, 11, 1), {"area_m2": "80", "designated": False}),
    ("定威乡卫生院", ["township_hospital"], ["dingwei"], D(2008, 1, 1), {"designated": True}),
    ("卧龙小区幼儿园", ["kindergarten"], ["wolong"], D(2018, 9, 1), {"ownership": "公办", "places": "270"}),
    ("阳光小区幼儿园", ["kindergarten"], ["yangguang"], D(2020, 3, 1), {"ownership": "公办", "places": "360"}),
    ("特和小区幼儿园", ["kindergarten"], ["tehe"], D(2019, 12, 20), {"ownership": "公办", "places": "270"}),
    ("古州镇中心幼儿园", ["kindergarten"], [], D(2005, 9, 1), {"ownership": "公办"}),
    ("大榕树幼儿园", ["kindergarten"], [], D(2012, 9, 1), {"ownership": "民办"}),
    ("实验幼儿园", ["kindergarten"], [], D(2010, 9, 1), {"ownership": "民办"}),
    ("健康幼儿园", ["kindergarten"], [], D(2014, 9, 1), {"ownership": "民办"}),
    ("定威乡中心幼儿园", ["kindergarten"], ["dingwei"], D(2011, 9, 1), {"ownership": "公办"}),
    ("忠诚镇王岭村幼儿园", ["kindergarten"], ["fenghuang"], D(2013, 9, 1), {"ownership": "公办"}),
    ("古州四小", ["primary_school"], [], D(2020, 9, 1), {"ownership": "公办", "places": "2700"}),
    ("车江小学", ["primary_school"], [], D(1998, 9, 1), {"ownership": "公办"}),
    ("六佰塘小学", ["primary_school"], [], D(2001, 9, 1), {"ownership": "公办"}),
    ("车民小学", ["primary_school"], [], D(2003, 9, 1), {"ownership": "公办"}),
    ("古州三小", ["primary_school"], [], D(1995, 9, 1), {"ownership": "公办"}),
    ("定威乡中心校", ["primary_school"], ["dingwei"], D(1990, 9, 1), {"ownership": "公办"}),
    ("忠诚镇王岭小学", ["primary_school"], ["fenghuang"], D(1992, 9, 1), {"ownership": "公办"}),
    ("榕江四中", ["middle_school"], [], D(2000, 9, 1), {"ownership": "公办"}),
    ("榕江五中", ["middle_school"], [], D(2006, 9, 1), {"ownership": "公办"}),
    ("榕江一中", ["high_school"], [], D(1950, 9, 1), {"ownership": "公办"}),
    (
        "富民农家书屋",
        ["rural_library"],
        ["fumin"],
        D(2019, 8, 1),
        {
            "area_m2": "19.9",
            "open_hours": "8",
            "keeper": "吴秀英",
            "library_room": True,
            "sign": True,
            "bookcases": True,
            "reading_tables": True,
            "rules": True,
            "books": "1500",
        },
    ),
    (
        "丰乐综合文化服务中心",
        ["culture_centre", "broadcast_room"],
        ["fengle"],
        D(2019, 11, 1),
        {
            "activity_site_m2": "650",
            "activity_room_m2": "96",
            "stage_length_m": "10",
            "stage_width_m": "5",
            "stage_height_m": "0.7",
            "notice_board": True,
            "culture_kit": True,
            "broadcast_kit": True,
            "sports_kit": True,
        },
    ),
]


@transaction.atomic
def seed_demo_facilities() -> int:
    """Make the demo facilities unless any facility exists; returns how many were made."""
    if Facility.objects.exists():
        return 0
    office = User.objects.get(username="office")
    kinds = {kind.code: kind for kind in FacilityKind.objects.all()}
    settlements = {settlement.code: settlement for settlement in Settlement.objects.all()}
    for name, kind_codes, settlement_codes, in_use_on, attributes in FACILITIES:
        services.facility_save(
            actor=office,
            facility=Facility(
                name=name,
                in_use_on=in_use_on,
                started_on=D(2019, 3, 1) if in_use_on is None else None,
                planned_on=D(2019, 12, 31) if in_use_on is None else None,
            ),
            kinds=[kinds[code] for code in kind_codes],
            settlements=[settlements[code] for code in settlement_codes],
            attributes=attributes,
        )
    return len(FACILITIES)
