"""The culture facilities' indicators, registered with the work plan's registry (`tasks.indicators`), per
settlement as of a day: culture facilities in use passing and failing their standards, the broadcast room
(“为七个移民社区设置广播室”: the county's total is how many of the 7 have one), the 乡愁馆, the active culture
volunteer teams; and the county's art works, a county indicator tied to the plan's target of one by 2019-12-31."""

from tasks.indicators import Spec, register_county, register_group

from .selectors import facilities as selectors

PASSING = "culture.facilities_passing"
FAILING = "culture.facilities_failing"
BROADCAST_ROOMS = "culture.broadcast_rooms"
NOSTALGIA_HALLS = "culture.nostalgia_halls"
VOLUNTEER_TEAMS = "culture.volunteer_teams"
ART_WORKS = "culture.art_works"

READS = ("settlements.Facility", "settlements.DatedRule", "settlements.CommunityGroup")


@register_group(
    "culture.facilities",
    [
        Spec(PASSING, "在用文化设施达到建设标准", "处", sort_order=610),
        Spec(FAILING, "在用文化设施未达到建设标准", "处", sort_order=620),
        Spec(BROADCAST_ROOMS, "广播室已投入使用", "个", sort_order=630),
        Spec(NOSTALGIA_HALLS, "乡愁馆已投入使用", "个", sort_order=640),
        Spec(VOLUNTEER_TEAMS, "在活动的社区文化志愿服务队", "支", sort_order=650),
    ],
    reads=READS,
)
def facility_figures(day):
    figures = selectors.facility_figures(day)
    teams = selectors.volunteer_team_counts(day)
    return {
        PASSING: figures["passing"],
        FAILING: figures["failing"],
        BROADCAST_ROOMS: figures["broadcast"],
        NOSTALGIA_HALLS: figures["halls"],
        VOLUNTEER_TEAMS: {pk: teams.get(pk, 0) for pk in figures["passing"]},  # every settlement, 0 included
    }


@register_county(ART_WORKS, "反映搬迁群众生产生活巨变的优秀文艺作品（全县）", "部")
def art_works(day):
    return selectors.art_works_completed(day)
