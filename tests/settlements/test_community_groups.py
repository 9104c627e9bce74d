"""The community groups of the core (社会组织、志愿者队伍、文体团体): the kinds from the seeds, the one writer's
refusals, a group's active days at their edges, each app's pages showing its own kinds only, and the culture
teams moved into the core by the migration with their members, photos and history."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from settlements import community_groups
from settlements.models import CommunityGroup, GroupFamily, GroupKind, Photo, Settlement
from tests.factories import community_group, household_with_head
from tests.migration_steps import migrate

pytestmark = pytest.mark.django_db
D = datetime.date
ANNEX_4_KINDS = {
    "为老年人残疾人重病人服务": GroupFamily.SOCIAL,
    "关爱留守儿童困境儿童": GroupFamily.SOCIAL,
    "邻里互帮互助": GroupFamily.SOCIAL,
    "教育培训": GroupFamily.SOCIAL,
    "扶贫济困": GroupFamily.SOCIAL,
    "移风易俗志愿者队伍": GroupFamily.VOLUNTEERS,
    "义务消防志愿者队伍": GroupFamily.VOLUNTEERS,
    "环境卫生志愿者队伍": GroupFamily.VOLUNTEERS,
    "社区文化志愿服务队（文化娱乐）": GroupFamily.VOLUNTEERS,
}


def test_the_kinds_are_annex_4s_and_annex_3s_with_the_seeds_sentence(reference):
    kinds = {kind.name: kind for kind in GroupKind.objects.all()}
    assert {name: kinds[name].family for name in ANNEX_4_KINDS} == ANNEX_4_KINDS
    assert {kind.name for kind in kinds.values() if kind.family == GroupFamily.CULTURE} == {
        "演出团体",
        "民间文艺社团",
        "健身团队",
        "电影放映队",
    }
    shared = kinds["社区文化志愿服务队（文化娱乐）"].source
    assert "至少一支社区文化志愿服务队伍" in shared and "文化娱乐等志愿者队伍" in shared and "同一支队伍" in shared
    assert all(kind.source for kind in kinds.values())


# --- the writer ---------------------------------------------------------------------------------------------------


def _group(code="fumin", kind="fire_volunteers", **fields):
    values = {"name": "义务消防队", "founded_on": D(2020, 1, 1), "members_count": 5, **fields}
    return CommunityGroup(settlement=Settlement.objects.get(code=code), kind=GroupKind.objects.get(code=kind), **values)


def test_a_clerk_records_groups_of_their_centres_settlements_only(users):
    saved = community_groups.save_group(group=_group(), members=[], actor=users["clerk_wenti"])
    assert saved.recorded_by == users["clerk_wenti"] and saved.history.count() == 1
    with pytest.raises(PermissionDenied, match="丰乐"):
        community_groups.save_group(group=_group("fengle"), members=[], actor=users["clerk_wenti"])
    with pytest.raises(PermissionDenied):
        community_groups.save_group(group=_group(), members=[], actor=users["leader"])
    assert CommunityGroup.objects.count() == 1


def test_the_writer_refuses_a_future_founding_a_disbanding_before_it_and_a_kind_the_page_does_not_keep(users):
    office = users["office"]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as future:
        community_groups.save_group(group=_group(founded_on=tomorrow), members=[], actor=office)
    assert future.value.message_dict["founded_on"] == ["成立日期不能晚于今天。"]
    with pytest.raises(ValidationError) as before:
        community_groups.save_group(group=_group(disbanded_on=D(2019, 12, 31)), members=[], actor=office)
    assert before.value.message_dict["disbanded_on"] == ["解散日期不能早于成立日期。"]
    culture_only = community_groups.kinds(families=[GroupFamily.CULTURE])
    with pytest.raises(ValidationError) as kind:
        community_groups.save_group(group=_group(), members=[], actor=office, allowed_kinds=culture_only)
    assert kind.value.message_dict["kind"] == ["“义务消防志愿者队伍”不是本页登记的类别。"]
    assert not CommunityGroup.objects.exists()


def test_members_are_the_settlements_residents_and_no_more_than_the_head_count(users):
    _, fumin_person = household_with_head("fumin")
    _, fengle_person = household_with_head("fengle")
    group = community_group("fumin", "富民邻里互助会", D(2020, 1, 1), "neighbour_help", members=[fumin_person], count=1)
    assert list(group.members.all()) == [fumin_person]
    with pytest.raises(ValidationError, match="不是富民"):
        community_group("fumin", "另一会", D(2020, 1, 1), "neighbour_help", members=[fengle_person])
    with pytest.raises(ValidationError, match="不能少于"):
        community_group("fumin", "第三会", D(2020, 1, 1), "neighbour_help", members=[fumin_person], count=0)


def test_a_group_counts_from_its_founding_day_through_its_disbanding_day(users):
    community_group("fumin", "消防队", D(2020, 3, 1), "fire_volunteers", disbanded_on=D(2024, 6, 30))
    community_group("fumin", "健身队", D(2020, 3, 1), "fitness")
    fumin = Settlement.objects.get(code="fumin").pk
    volunteers = community_groups.kinds(families=[GroupFamily.VOLUNTEERS])
    counts = {day: community_groups.active_counts(day, volunteers).get(fumin, 0) for day in (
        D(2020, 2, 29), D(2020, 3, 1), D(2024, 6, 30), D(2024, 7, 1)
    )}  # fmt: skip
    assert counts == {D(2020, 2, 29): 0, D(2020, 3, 1): 1, D(2024, 6, 30): 1, D(2024, 7, 1): 0}


# --- each app's pages show its own kinds ---------------------------------------------------------------------


@pytest.fixture
def groups(users):
    office = users["office"]
    return {
        "fitness": community_group("fumin", "富民健身队", D(2020, 1, 1), "fitness", actor=office),
        "fire": community_group("fumin", "富民义务消防队", D(2020, 1, 1), "fire_volunteers", actor=office),
        "culture_volunteers": community_group("fumin", "富民文化志愿服务队", D(2020, 1, 1), actor=office),
        "fengle_fire": community_group("fengle", "丰乐义务消防队", D(2020, 1, 1), "fire_volunteers", actor=office),
    }


def _names(response) -> set[str]:
    return {group.name for group in response.context["page"]}


def test_each_app_lists_the_kinds_it_counts_and_the_shared_volunteer_team_in_both(client, users, groups):
    client.force_login(users["clerk_wenti"])
    governance = client.get(reverse("governance:group_list"))
    culture = client.get(reverse("culture:group_list"))
    assert _names(governance) == {"富民义务消防队", "富民文化志愿服务队"}  # 丰乐's is outside the clerk's centre
    assert _names(culture) == {"富民健身队", "富民文化志愿服务队"}
    kind_choices = {str(choice[1]) for choice in governance.context["form"].fields["kind"].choices}
    assert "健身团队" not in kind_choices and "义务消防志愿者队伍" in kind_choices


def test_a_group_of_another_apps_kind_or_outside_the_scope_is_a_404(client, users, groups):
    client.force_login(users["clerk_wenti"])
    assert client.get(reverse("culture:group_detail", args=[groups["fitness"].pk])).status_code == 200
    assert client.get(reverse("governance:group_detail", args=[groups["fitness"].pk])).status_code == 404
    assert client.get(reverse("governance:group_edit", args=[groups["fitness"].pk])).status_code == 404
    assert client.get(reverse("governance:group_detail", args=[groups["fengle_fire"].pk])).status_code == 404
    assert client.get(reverse("governance:group_detail", args=[groups["fire"].pk])).status_code == 200


def test_a_reader_may_read_and_not_write(client, users, groups):
    client.force_login(users["leader"])
    assert client.get(reverse("governance:group_detail", args=[groups["fengle_fire"].pk])).status_code == 200
    assert client.get(reverse("governance:group_create")).status_code == 403
    assert client.get(reverse("governance:group_edit", args=[groups["fire"].pk])).status_code == 403


def test_the_governance_form_refuses_a_culture_kind_and_saves_its_own(client, users):
    client.force_login(users["clerk_wenti"])
    fumin = Settlement.objects.get(code="fumin")
    data = {"settlement": fumin.pk, "name": "富民扶贫济困协会", "founded_on": "2020-05-01", "members_count": "8"}
    fitness, relief = (GroupKind.objects.get(code=code).pk for code in ("fitness", "poverty_relief"))
    refused = client.post(reverse("governance:group_create"), {**data, "kind": fitness})
    assert refused.status_code == 200 and refused.context["form"].errors["kind"]
    assert not CommunityGroup.objects.exists()
    saved = client.post(reverse("governance:group_create"), {**data, "kind": relief})
    group = CommunityGroup.objects.get(name="富民扶贫济困协会")
    assert saved.status_code == 302 and saved["Location"] == reverse("governance:group_detail", args=[group.pk])
    assert group.kind.code == "poverty_relief" and group.recorded_by == users["clerk_wenti"]


# --- the migration of the culture teams -------------------------------------------------------------------------

BEFORE = ("culture", "0003_facilities")


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_the_culture_teams_with_members_photos_and_history(reference):
    _, person = household_with_head("fumin")
    try:
        apps = migrate([BEFORE])
        model = apps.get_model
        user = model("settlements", "User").objects.create(username="before-groups")
        settlement = model("settlements", "Settlement").objects.get(code="fumin")
        team = model("culture", "CultureTeam").objects.create(
            settlement=settlement, kind="fitness", name="富民广场舞队", founded_on=D(2019, 7, 1),
            members_count=40, leader="吴英", recorded_by=user,
        )  # fmt: skip
        team.members.set([person.pk])
        history = model("culture", "HistoricalCultureTeam").objects.create(
            id=team.pk, settlement=settlement, kind="fitness", name="富民广场舞队", founded_on=D(2019, 7, 1),
            members_count=40, leader="吴英", recorded_by=user, history_date=timezone.now(), history_type="+",
            history_user=user, history_change_reason="保存文化队伍",
        )  # fmt: skip
        model("culture", "HistoricalCultureTeam_members").objects.create(
            id=1, history=history, cultureteam=team, person_id=person.pk
        )
        team_type = ContentType.objects.get_or_create(app_label="culture", model="cultureteam")[0]
        photo = Photo.objects.create(
            content_type_id=team_type.pk, object_id=team.pk, image="photos/old.jpg", thumbnail="photos/old-t.jpg",
            image_width=64, image_height=48, thumbnail_width=32, thumbnail_height=24, file_size=1000,
            uploaded_by_id=user.pk,
        )  # fmt: skip

        migrate(None)
        group = CommunityGroup.objects.get()
        assert (group.name, group.kind.code, group.leader, group.members_count) == (
            "富民广场舞队",
            "fitness",
            "吴英",
            40,
        )
        assert list(group.members.all()) == [person] and group.recorded_by_id == user.pk
        (record,) = group.history.all()
        assert record.history_change_reason == "保存文化队伍" and record.history_user_id == user.pk
        assert list(record.members.values_list("person_id", flat=True)) == [person.pk]
        photo.refresh_from_db()
        assert (photo.content_type.model_class(), photo.object_id) == (CommunityGroup, group.pk)
    finally:
        migrate(None)
