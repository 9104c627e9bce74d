"""Community groups (社会组织、志愿者队伍、文体团体), kept once for every app that counts them.

The kinds are reference data (`GroupKind`, fixtures/group_kinds.json, with the seed's sentence for each). A group
is a settlement's, with its founding and disbanding dates, leader, head count and the members found in the
registry. An app counts the kinds it cares for: culture the culture volunteer team and the culture groups
(附件3 六), governance the social organisations and the volunteer teams (附件4 六 17). Each shows its kinds
through `settlements.group_pages.GroupPages`; the one writer is `save_group`.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet

from . import audit, capabilities
from .capabilities import KEEP_COMMUNITY_GROUPS
from .models import CommunityGroup, GroupKind, Settlement, group_active_condition
from .services import refuse_future, save_with_history

MSG_SETTLEMENT = "安置点“{settlement}”不在您的管辖范围内。"
MSG_KIND = "“{kind}”不是本页登记的类别。"
MSG_MEMBER_OUTSIDE = "成员“{name}”不是{settlement}的在册人员。"
MSG_MEMBERS_COUNT = "成员人数（{count}）不能少于选中的户籍台账成员（{chosen} 人）。"

# the entries written before the groups moved into the core (culture's teams) keep their label on the audit page
audit.define_action("culture_team.save", "保存文化队伍")


def kinds(*, families=(), codes=()) -> QuerySet:
    """The kinds of the given families, and those named by code."""
    return GroupKind.objects.filter(Q(family__in=families) | Q(code__in=codes))


@audit.audited("community_group.save", "保存社会组织或队伍")
@transaction.atomic
def save_group(*, group: CommunityGroup, members, actor, allowed_kinds: QuerySet | None = None) -> CommunityGroup:
    """Record or correct a group of a settlement the actor keeps; the members chosen from the registry are the
    settlement's persons, and the head count is at least theirs. `allowed_kinds`, when given, are the kinds the
    page writing it may record."""
    capabilities.require(actor, KEEP_COMMUNITY_GROUPS)
    if not Settlement.objects.for_user(actor).filter(pk=group.settlement_id).exists():
        raise PermissionDenied(MSG_SETTLEMENT.format(settlement=group.settlement))
    if allowed_kinds is not None and not allowed_kinds.filter(pk=group.kind_id).exists():
        raise ValidationError({"kind": MSG_KIND.format(kind=group.kind)})
    refuse_future(group.founded_on, field="founded_on", label="成立日期")
    refuse_future(group.disbanded_on, field="disbanded_on", label="解散日期")
    members = list(members)
    for person in members:
        if person.settlement_id != group.settlement_id:
            raise ValidationError({"members": MSG_MEMBER_OUTSIDE.format(name=person.name, settlement=group.settlement)})
    if group.members_count is not None and group.members_count < len(members):
        raise ValidationError(
            {"members_count": MSG_MEMBERS_COUNT.format(count=group.members_count, chosen=len(members))}
        )
    group.name, group.leader = group.name.strip(), group.leader.strip()
    if group.pk is None:
        group.recorded_by = actor
    save_with_history(instance=group, actor=actor, reason=f"保存{group.kind}")
    group.members.set(members)
    return group


def group_list(*, user, day, kinds: QuerySet, settlement=None, kind=None, active="", query="") -> QuerySet:
    """The groups of `kinds` in `user`'s scope, filtered as a list page asks (`active` is judged on `day`)."""
    rows = CommunityGroup.objects.for_user(user).filter(kind__in=kinds).select_related("settlement", "kind")
    if settlement is not None:
        rows = rows.filter(settlement=settlement)
    if kind is not None:
        rows = rows.filter(kind=kind)
    if active == "yes":
        rows = rows.filter(group_active_condition(day))
    elif active == "no":
        rows = rows.exclude(group_active_condition(day))
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(leader__icontains=query))
    return rows.order_by("settlement__sort_order", "kind__sort_order", "name", "id")


def active_counts(day: datetime.date, kinds: QuerySet) -> dict[int, int]:
    """Per settlement, the groups of `kinds` active on `day` (settlements with none are absent)."""
    rows = CommunityGroup.objects.active_on(day).filter(kind__in=kinds).values("settlement")
    return {row["settlement"]: row["n"] for row in rows.annotate(n=Count("id")).order_by()}


def active_in(settlement, day: datetime.date, kinds: QuerySet) -> list[CommunityGroup]:
    """A settlement's groups of `kinds` active on `day`, in the kinds' order."""
    return list(
        CommunityGroup.objects.active_on(day)
        .filter(settlement=settlement, kind__in=kinds)
        .select_related("kind")
        .order_by("kind__sort_order", "name", "id")
    )
