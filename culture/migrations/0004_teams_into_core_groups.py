"""The culture teams move into the core's community groups (`settlements.CommunityGroup`), so governance counts
the same volunteer teams and the social organisations in one place.

Each team becomes a group with its kind (`TEAM_KINDS`), members, photos and change history (the rows and their
member sets); then the culture tables go. A team could not be deleted, so every history row has its group.
"""

from django.db import migrations

# the culture team kinds and the core group kinds they become (fixtures/group_kinds.json has the same rows)
TEAM_KINDS = {
    "volunteers": ("culture_volunteers", "社区文化志愿服务队（文化娱乐）", "volunteers", 90),
    "performers": ("performers", "演出团体", "culture", 100),
    "folk_arts": ("folk_arts", "民间文艺社团", "culture", 110),
    "fitness": ("fitness", "健身团队", "culture", 120),
    "film": ("film", "电影放映队", "culture", 130),
}
COPIED = ("settlement_id", "name", "founded_on", "disbanded_on", "leader", "members_count", "note", "recorded_by_id")
HISTORY = ("history_date", "history_change_reason", "history_type", "history_user_id")


def _kind(GroupKind, team_kind):
    code, name, family, sort_order = TEAM_KINDS[team_kind]
    kind, _ = GroupKind.objects.get_or_create(
        code=code, defaults={"name": name, "family": family, "sort_order": sort_order}
    )
    return kind


def teams_into_groups(apps, schema_editor):
    CultureTeam = apps.get_model("culture", "CultureTeam")
    HistoricalTeam = apps.get_model("culture", "HistoricalCultureTeam")
    HistoricalTeamMembers = apps.get_model("culture", "HistoricalCultureTeam_members")
    GroupKind = apps.get_model("settlements", "GroupKind")
    CommunityGroup = apps.get_model("settlements", "CommunityGroup")
    HistoricalGroup = apps.get_model("settlements", "HistoricalCommunityGroup")
    HistoricalGroupMembers = apps.get_model("settlements", "HistoricalCommunityGroup_members")
    Photo = apps.get_model("settlements", "Photo")
    ContentType = apps.get_model("contenttypes", "ContentType")

    new_id = {}
    for team in CultureTeam.objects.order_by("id"):
        group = CommunityGroup.objects.create(
            kind=_kind(GroupKind, team.kind), **{field: getattr(team, field) for field in COPIED}
        )
        group.members.set(team.members.all())
        new_id[team.id] = group.id
    if not new_id:
        return

    for row in HistoricalTeam.objects.filter(id__in=new_id).order_by("history_id"):
        copied = HistoricalGroup.objects.create(
            id=new_id[row.id],
            kind_id=_kind(GroupKind, row.kind).id,
            **{field: getattr(row, field) for field in COPIED + HISTORY},
        )
        for member in HistoricalTeamMembers.objects.filter(history_id=row.history_id):
            HistoricalGroupMembers.objects.create(
                id=member.id, history_id=copied.history_id, communitygroup_id=copied.id, person_id=member.person_id
            )

    team_type = ContentType.objects.filter(app_label="culture", model="cultureteam").first()
    if team_type is not None:
        group_type, _ = ContentType.objects.get_or_create(app_label="settlements", model="communitygroup")
        for team_id, group_id in new_id.items():
            Photo.objects.filter(content_type=team_type, object_id=team_id).update(
                content_type=group_type, object_id=group_id
            )


class Migration(migrations.Migration):
    dependencies = [
        ("culture", "0003_facilities"),
        ("settlements", "0024_community_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(teams_into_groups, migrations.RunPython.noop),
        migrations.DeleteModel(name="HistoricalCultureTeam_members"),
        migrations.DeleteModel(name="HistoricalCultureTeam"),
        migrations.DeleteModel(name="CultureTeam"),
    ]
