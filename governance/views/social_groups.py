"""The pages of the social organisations and volunteer teams: the core's community-group pages
(`settlements.group_pages`) for the kinds governance counts."""

from settlements.group_pages import GroupPages

from ..capabilities import READ_GOVERNANCE
from ..social_groups import group_kinds

PAGES = GroupPages(
    app="governance",
    title="社会组织和志愿者队伍",
    read=READ_GOVERNANCE,
    kinds=group_kinds,
    export="governance.social_groups",
    prefix="social-groups/",
)
