"""Demo community groups, for the apps' demo commands: each row made once (by its settlement and name), so a
second run makes nothing."""

from .community_groups import save_group
from .models import CommunityGroup, GroupKind


def make_groups(rows, *, settlements, actor) -> int:
    """`rows` of (settlement code, kind code, name, founded on, head count); `settlements` by code."""
    kinds = {kind.code: kind for kind in GroupKind.objects.all()}
    made = 0
    for code, kind, name, founded_on, members in rows:
        settlement = settlements[code]
        if CommunityGroup.objects.filter(settlement=settlement, name=name).exists():
            continue
        group = CommunityGroup(
            settlement=settlement, kind=kinds[kind], name=name, founded_on=founded_on, members_count=members
        )
        save_group(group=group, members=[], actor=actor)
        made += 1
    return made
