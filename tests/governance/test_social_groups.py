"""Social organisations and volunteer teams (附件4 六 17): the indicators count the active groups of each family as
of a day (the culture volunteer team among the volunteer teams, a culture group in neither), the settlement page
lists them and the kinds still missing, and the list's Excel holds the clerk's settlements only."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from governance import social_groups
from settlements.models import Settlement
from tasks import indicators
from tests.factories import community_group

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def fumin_groups(users):
    office = users["office"]
    community_group("fumin", "富民夕阳红互助会", D(2019, 8, 1), "elderly_disabled_ill", actor=office)
    community_group("fumin", "富民义务消防队", D(2019, 7, 15), "fire_volunteers", disbanded_on=D(2024, 12, 31))
    community_group("fumin", "富民文化志愿服务队", D(2019, 6, 15), actor=office)
    community_group("fumin", "富民广场舞队", D(2019, 7, 1), "fitness", actor=office)
    community_group("fengle", "丰乐义务消防队", D(2019, 11, 5), "fire_volunteers", actor=office)
    return Settlement.objects.get(code="fumin")


def test_the_indicators_count_each_family_as_of_a_day(fumin_groups):
    fumin, fengle = fumin_groups.pk, Settlement.objects.get(code="fengle").pk
    group = indicators.group("governance.social_groups")
    on_2024 = group.compute(D(2024, 12, 31))  # the disbanding day still counts
    assert on_2024[social_groups.SOCIAL_ORGANISATIONS].get(fumin) == 1
    assert on_2024[social_groups.VOLUNTEER_TEAMS].get(fumin) == 2  # 消防 and the culture volunteer team
    assert on_2024[social_groups.VOLUNTEER_TEAMS].get(fengle) == 1
    on_2025 = group.compute(D(2025, 1, 1))
    assert on_2025[social_groups.VOLUNTEER_TEAMS].get(fumin) == 1
    before = group.compute(D(2019, 6, 14))
    assert not before[social_groups.SOCIAL_ORGANISATIONS].get(fumin) and not before[social_groups.VOLUNTEER_TEAMS]


def test_the_settlement_page_lists_the_active_groups_and_the_kinds_missing(client, users, fumin_groups):
    client.force_login(users["clerk_wenti"])
    page = client.get(reverse("governance:settlement", args=[fumin_groups.pk]), {"day": "2025-01-01"})
    text = page.content.decode()
    assert "富民夕阳红互助会</a>（为老年人残疾人重病人服务" in text
    assert "富民文化志愿服务队</a>" in text and "富民义务消防队</a>" not in text  # disbanded the day before
    assert "富民广场舞队" not in text  # a culture group is not annex 4's
    (section,) = [shown for shown in page.context["sections"] if shown.key == "social_groups"]
    social_missing, volunteer_missing = section.context["families"]
    assert [kind.name for kind in social_missing["missing"]] == [
        "关爱留守儿童困境儿童",
        "邻里互帮互助",
        "教育培训",
        "扶贫济困",
    ]
    assert "义务消防志愿者队伍" in [kind.name for kind in volunteer_missing["missing"]]


def test_the_export_holds_the_clerks_settlements_and_governance_kinds_only(client, users, fumin_groups):
    client.force_login(users["clerk_wenti"])
    response = client.get(reverse("governance:group_export"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["社会组织和志愿者队伍"]
    values = {cell for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str)}
    assert {"富民夕阳红互助会", "富民义务消防队", "富民文化志愿服务队"} <= values
    assert not values & {"富民广场舞队", "丰乐义务消防队"}


def test_the_demo_makes_groups_in_most_settlements_none_in_dingwei_and_is_made_once(reference):
    from governance import demo_social_groups
    from settlements import demo as registry_demo
    from settlements.models import CommunityGroup

    registry_demo.ensure_demo_users()
    made = demo_social_groups.seed_demo_social_groups()
    assert made == len(demo_social_groups.GROUPS) == CommunityGroup.objects.count()
    counts = social_groups.social_group_figures(datetime.date.today())
    dingwei = Settlement.objects.get(code="dingwei").pk
    assert counts[social_groups.SOCIAL_ORGANISATIONS].get(Settlement.objects.get(code="fumin").pk) == 2
    assert (
        dingwei not in counts[social_groups.SOCIAL_ORGANISATIONS]
        and dingwei not in counts[social_groups.VOLUNTEER_TEAMS]
    )
    assert demo_social_groups.seed_demo_social_groups() == 0
