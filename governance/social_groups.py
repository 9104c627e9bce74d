"""Social organisations and volunteer teams (附件4 六 17): the core's community groups of the two families
annex 4 names, counted per settlement as of a day. Annex 4 asks the settlements to grow them (“培育发展…社会组织，
支持成立…志愿者队伍”) and sets no number, so the indicators are counts beside no target and the section lists the
kinds a settlement has none of yet, as information rather than a failure.

The culture volunteer team (附件3) is annex 4's 文化娱乐 volunteer team: one team, counted by both apps (the
reading is in the kind's `source`, fixtures/group_kinds.json)."""

from settlements import community_groups
from settlements.models import GroupFamily
from tasks.indicators import Spec, register_group

READS = ("settlements.CommunityGroup",)
SOCIAL_ORGANISATIONS = "governance.social_organisations"
VOLUNTEER_TEAMS = "governance.volunteer_teams"


def group_kinds():
    """The kinds governance counts: annex 4's social organisations and volunteer teams."""
    return community_groups.kinds(families=[GroupFamily.SOCIAL, GroupFamily.VOLUNTEERS])


def _family(family):
    return community_groups.kinds(families=[family])


@register_group(
    "governance.social_groups",
    [
        Spec(SOCIAL_ORGANISATIONS, "在活动的社会组织", "个", sort_order=470),
        Spec(VOLUNTEER_TEAMS, "在活动的志愿者队伍", "支", sort_order=480),
    ],
    reads=READS,
)
def social_group_figures(day):
    return {
        SOCIAL_ORGANISATIONS: community_groups.active_counts(day, _family(GroupFamily.SOCIAL)),
        VOLUNTEER_TEAMS: community_groups.active_counts(day, _family(GroupFamily.VOLUNTEERS)),
    }


def settlement_section(user, settlement, day) -> dict:
    """A settlement's active groups of each annex-4 family on `day`, and the kinds it has none of."""
    active = community_groups.active_in(settlement, day, group_kinds())
    present = {group.kind_id for group in active}
    families = []
    for family in (GroupFamily.SOCIAL, GroupFamily.VOLUNTEERS):
        kinds = list(_family(family))
        families.append(
            {
                "label": family.label,
                "groups": [group for group in active if group.kind.family == family],
                "missing": [kind for kind in kinds if kind.pk not in present],
            }
        )
    return {"day": day, "families": families}
