"""Service facilities in the core: kinds and their attributes, standards as dated rule data judged at their
edges, the scope of who reads and keeps a facility, the ledger export, and the indicators they feed."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from PIL import Image

from settlements import facilities, services
from settlements.models import DatedRule, Facility, FacilityKind, Photo, Settlement
from tasks import snapshots
from tasks.indicators import group
from tasks.models import IndicatorSnapshot

D = datetime.date
DAY = D(2026, 6, 1)


def kinds(*codes):
    return list(FacilityKind.objects.filter(code__in=codes))


def settlements(*codes):
    return list(Settlement.objects.filter(code__in=codes))


def facility(actor, name, kind_codes, settlement_codes, attributes=None, **dates):
    return services.facility_save(
        actor=actor,
        facility=Facility(name=name, **dates),
        kinds=kinds(*kind_codes),
        settlements=settlements(*settlement_codes),
        attributes=attributes or {},
    )


LIBRARY = {
    "area_m2": "20",
    "open_hours": "6",
    "keeper": "龙梅",
    "library_room": True,
    "sign": True,
    "bookcases": True,
    "reading_tables": True,
    "rules": True,
}


def failures(built, day=DAY):
    return [failure.reason for judgement in facilities.judge(built, day) for failure in judgement.failures]


# --- standards ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_rural_library_at_the_edge_of_its_standard_passes_and_just_under_fails_naming_the_measured_value(users):
    office = users["office"]
    assert failures(facility(office, "富民农家书屋", ["rural_library"], ["fumin"], LIBRARY)) == []
    small = facility(office, "卧龙农家书屋", ["rural_library"], ["wolong"], {**LIBRARY, "area_m2": "19.9"})
    assert failures(small) == ["面积 19.9 平方米，应不少于 20 平方米"]
    short = facility(office, "阳光农家书屋", ["rural_library"], ["yangguang"], {**LIBRARY, "open_hours": "5.5"})
    assert failures(short) == ["每天开放时间 5.5 小时，应不少于 6 小时"]
    no_keeper = {key: value for key, value in LIBRARY.items() if key not in ("keeper", "sign")}
    assert failures(facility(office, "特和农家书屋", ["rural_library"], ["tehe"], no_keeper)) == [
        "“农家书屋”牌子未登记",
        "专兼职管理员未登记",
    ]


@pytest.mark.django_db
def test_a_stage_lower_than_printed_fails_the_culture_centres_seven_ones(users):
    stage = {
        "activity_site_m2": "600",
        "activity_room_m2": "90",
        "stage_length_m": "10",
        "stage_width_m": "5",
        "stage_height_m": "0.8",
        "notice_board": True,
        "culture_kit": True,
        "broadcast_kit": True,
        "sports_kit": True,
    }
    centre = facility(users["office"], "丰乐综合文化服务中心", ["culture_centre"], ["fengle"], stage)
    assert failures(centre) == []
    centre.attributes["stage_height_m"] = "0.7"
    assert failures(centre) == ["简易戏台高 0.7 米，应不少于 0.8 米"]


@pytest.mark.django_db
def test_a_standard_applies_from_its_day_and_a_new_row_changes_it_without_rewriting_the_past(users):
    library = facility(users["office"], "富民农家书屋", ["rural_library"], ["fumin"], {**LIBRARY, "area_m2": "25"})
    assert facilities.judge(library, D(2019, 5, 19)) == []  # before the plan, no standard to judge by
    DatedRule.objects.filter(code="facilities.standard.rural_library").update(valid_to=D(2027, 1, 1))
    stricter = DatedRule.objects.get(code="facilities.standard.rural_library")
    stricter.pk, stricter.valid_from, stricter.valid_to = None, D(2027, 1, 1), None
    stricter.params = {"conditions": [{"attribute": "area_m2", "at_least": 30}]}
    stricter.save()
    assert failures(library, D(2026, 12, 31)) == []
    assert failures(library, D(2027, 1, 1)) == ["面积 25 平方米，应不少于 30 平方米"]


def test_a_kinds_attribute_list_and_a_standard_the_code_cannot_apply_are_refused():
    assert facilities.attributes_problem([{"key": "x", "label": "X", "type": "colour"}]).startswith("属性“X”的类型")
    assert (
        facilities.attributes_problem([{"key": "x", "label": "X", "type": "choice"}]) == "选项属性“X”须列出 choices。"
    )
    assert "at_least" in facilities._standard_problem({"conditions": [{"attribute": "area_m2", "at_least": "大"}]})
    assert "present" in facilities._standard_problem({"conditions": [{"attribute": "sign", "present": False}]})


# --- attributes and scope -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_attributes_are_checked_against_the_kinds_and_a_bad_value_names_the_attribute(users):
    with pytest.raises(ValidationError) as refused:
        facility(users["office"], "富民农家书屋", ["rural_library"], ["fumin"], {"area_m2": "二十", "books": "-3"})
    assert refused.value.message_dict == {"area_m2": ["“面积”须为数字。"], "books": ["“藏书”不能为负数。"]}
    coop = facility(
        users["office"], "富民物业合作社", ["property_coop"], ["fumin"], {"org_form": "合作社", "area_m2": "9"}
    )
    assert coop.attributes == {"org_form": "合作社"}  # a market's area is not a cooperative's attribute
    assert not Facility.objects.filter(name="富民农家书屋").exists()


@pytest.mark.django_db
def test_a_clerk_keeps_the_facilities_of_their_centre_only(users):
    clerk = users["clerk_wenti"]
    market = facility(clerk, "富民农贸市场", ["farmers_market"], ["fumin"])
    with pytest.raises(ValidationError) as refused:
        facility(clerk, "丰乐农贸市场", ["farmers_market"], ["fumin", "fengle"])
    assert refused.value.message_dict["settlements"] == ["只能登记本中心所辖安置点的设施：丰乐不在您的范围内。"]
    with pytest.raises(ValidationError, match="全县性设施由领导小组办公室登记"):
        facility(clerk, "车江小学", ["primary_school"], [])
    with pytest.raises(PermissionDenied):
        facility(users["leader"], "富民老年服务中心", ["elderly_service_centre"], ["fumin"])
    shared = facility(users["office"], "文体社区卫生服务中心", ["community_health_centre"], ["wolong", "fengle"])
    services.facility_save(  # the clerk changes their own settlements and leaves 丰乐 as it was
        actor=clerk,
        facility=shared,
        kinds=kinds("community_health_centre"),
        settlements=[*settlements("wolong", "tehe", "fengle")],
        attributes={},
    )
    assert {s.code for s in shared.settlements.all()} == {"wolong", "tehe", "fengle"}
    assert {record.history_user for record in market.history.all()} == {clerk}
    assert [s.settlement.code for s in market.history.first().settlements.all()] == ["fumin"]


@pytest.mark.django_db
def test_pages_answer_within_scope_and_404_outside(client, users):
    office = users["office"]
    wenti = facility(office, "富民农贸市场", ["farmers_market"], ["fumin"], in_use_on=D(2019, 5, 20))
    changba = facility(office, "丰乐农贸市场", ["farmers_market"], ["fengle"])
    county = facility(office, "车江小学", ["primary_school"], [], {"ownership": "公办"})
    client.force_login(users["clerk_wenti"])
    listed = client.get(reverse("facility_list")).content.decode()
    assert "富民农贸市场" in listed and "车江小学" in listed and "丰乐农贸市场" not in listed
    assert client.get(reverse("facility_detail", args=[wenti.pk])).status_code == 200
    assert client.get(reverse("facility_detail", args=[county.pk])).status_code == 200
    for name in ("facility_detail", "facility_edit"):
        assert client.get(reverse(name, args=[changba.pk])).status_code == 404
    assert client.get(reverse("facility_edit", args=[county.pk])).status_code == 404  # read, not kept
    client.force_login(users["leader"])
    assert client.get(reverse("facility_detail", args=[changba.pk])).status_code == 200
    assert client.get(reverse("facility_create")).status_code == 403
    assert client.get(reverse("facility_edit", args=[wenti.pk])).status_code == 403
    client.force_login(users["reporter"])
    assert client.get(reverse("facility_list")).status_code == 403


@pytest.mark.django_db
def test_the_form_shows_the_chosen_kinds_attributes_and_saves_them(client, users):
    client.force_login(users["clerk_wenti"])
    library, fumin = FacilityKind.objects.get(code="rural_library"), Settlement.objects.get(code="fumin")
    chosen = {"name": "富民农家书屋", "kinds": [library.pk], "settlements": [fumin.pk]}
    refreshed = client.post(reverse("facility_create"), {**chosen, "refresh": "1"})
    assert refreshed.status_code == 200 and "每天开放时间（小时）" in refreshed.content.decode()
    assert not Facility.objects.exists()
    wrong = client.post(reverse("facility_create"), {**chosen, "attr_area_m2": "abc"})
    assert wrong.status_code == 200 and not Facility.objects.exists()
    saved = client.post(
        reverse("facility_create"), {**chosen, "attr_area_m2": "19.9", "attr_keeper": "龙梅", "attr_sign": "on"}
    )
    created = Facility.objects.get()
    unticked = dict.fromkeys(["library_room", "bookcases", "reading_tables", "rules"], False)
    assert saved.status_code == 302
    assert created.attributes == {"area_m2": "19.9", "keeper": "龙梅", "sign": True, **unticked}
    page = client.get(reverse("facility_detail", args=[created.pk])).content.decode()
    assert "面积 19.9 平方米，应不少于 20 平方米" in page and "图书柜：无" in page and "每天开放时间未登记" in page


@pytest.mark.django_db
def test_the_ledger_export_lists_the_facilities_in_scope_with_their_standards(client, users):
    facility(
        users["office"],
        "富民农家书屋",
        ["rural_library"],
        ["fumin"],
        {**LIBRARY, "area_m2": "19.9"},
        in_use_on=D(2019, 6, 1),
    )
    facility(users["office"], "丰乐农贸市场", ["farmers_market"], ["fengle"])
    client.force_login(users["clerk_wenti"])
    response = client.get(reverse("facility_export"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("设施名称", "设施类型", "服务安置点")
    assert [row[0] for row in rows[1:]] == ["富民农家书屋"]
    assert rows[1][7] == datetime.datetime(2019, 6, 1) and rows[1][9] == "已投入使用"
    assert rows[1][10] == "未达标：面积 19.9 平方米，应不少于 20 平方米"


# --- status and indicators ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_status_in_python_and_in_the_list_filter_agree_on_every_edge(users):
    built = facility(
        users["office"],
        "富民老年服务中心",
        ["elderly_service_centre"],
        ["fumin"],
        started_on=D(2019, 3, 1),
        in_use_on=D(2019, 6, 30),
        closed_on=D(2024, 1, 1),
    )
    expected = {
        D(2019, 2, 28): "planned",
        D(2019, 3, 1): "building",
        D(2019, 6, 29): "building",
        D(2019, 6, 30): "in_use",
        D(2023, 12, 31): "in_use",
        D(2024, 1, 1): "closed",
    }
    for day, status in expected.items():
        assert facilities.status_on(built, day) == status, day
        assert Facility.objects.filter(facilities.status_condition(status, day)).get() == built, day


@pytest.mark.django_db
def test_one_room_counts_for_each_six_ones_kind_it_serves_and_only_while_in_use(users):
    office = users["office"]
    facility(
        office,
        "富民综合服务楼",
        ["community_service_centre", "elderly_service_centre", "children_centre"],
        ["fumin"],
        in_use_on=D(2019, 6, 30),
    )
    facility(office, "富民平价超市", ["discount_store"], ["fumin"], in_use_on=D(2019, 7, 1), closed_on=D(2020, 1, 1))
    facility(office, "富民农贸市场", ["farmers_market"], ["fumin"], in_use_on=D(2019, 5, 31))
    fumin = Settlement.objects.get(code="fumin").pk
    figures = group("settlements.facilities").compute
    assert figures(D(2019, 6, 29))["settlements.six_ones_in_use"] == {}
    assert figures(D(2019, 6, 30))["settlements.six_ones_in_use"] == {fumin: 3}
    assert figures(D(2019, 7, 1))["settlements.six_ones_in_use"] == {fumin: 4}
    assert figures(D(2020, 1, 1))["settlements.six_ones_in_use"] == {fumin: 3}
    assert figures(D(2019, 5, 31))["settlements.farmers_markets"] == {fumin: 1}


@pytest.mark.django_db
def test_a_facility_whose_kinds_change_after_a_snapshot_marks_it_stale_and_the_refresh_brings_the_live_value(users):
    office = users["office"]
    building = facility(office, "富民综合服务楼", ["community_service_centre"], ["fumin"], in_use_on=D(2019, 6, 30))
    snapshots.take(D(2019, 7, 1), "settlements.facilities")
    fumin = Settlement.objects.get(code="fumin").pk
    assert snapshots.read(D(2019, 7, 1)).values["settlements.six_ones_in_use"] == {fumin: 1}
    services.facility_save(
        actor=office,
        facility=building,
        kinds=kinds("community_service_centre", "children_centre"),
        settlements=settlements("fumin"),
        attributes={},
    )
    assert snapshots.read(D(2019, 7, 1)).stale
    assert snapshots.read(D(2019, 7, 1), refresh_stale=True).values["settlements.six_ones_in_use"] == {fumin: 2}
    assert not IndicatorSnapshot.objects.filter(group="settlements.facilities", stale_since__isnull=False).exists()


@pytest.mark.django_db
def test_a_clerk_adds_photos_to_their_centres_facilities_and_only_views_the_countys(client, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    office, clerk = users["office"], users["clerk_wenti"]
    market = facility(office, "富民农贸市场", ["farmers_market"], ["fumin"])
    school = facility(office, "车江小学", ["primary_school"], [])
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 30)).save(picture, "JPEG")

    def upload(owner):
        photo = io.BytesIO(picture.getvalue())
        photo.name = "现场.jpg"
        return client.post(reverse("photo_add", args=["settlements.facility", owner.pk]), {"photos": [photo]})

    client.force_login(clerk)
    assert upload(market).status_code == 302
    assert client.get(reverse("facility_detail", args=[school.pk])).context["gallery"].may_change is False
    assert upload(school).status_code == 403
    assert Photo.objects.filter(object_id=market.pk).count() == 1
    assert not Photo.objects.filter(object_id=school.pk).exists()
