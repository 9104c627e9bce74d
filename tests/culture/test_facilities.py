"""Culture facilities (issue 13 items 4, 5, part of 7): the culture kinds and who owns each, the standards at the
issue's edges, the 乡愁馆's steps in the printed order and its collection, the book stock, the teams and the
volunteer-team rule, the county's art work feeding the plan's target, the indicators and the deadlines."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from culture import facility_indicators as keys
from culture.models import NostalgiaStepKind
from culture.selectors import facilities as selectors
from settlements import facilities
from settlements.models import Facility, FacilityKind, Settlement
from tasks import indicators
from tasks import selectors as task_selectors
from tasks.facility_deadlines import State, facility_deadlines
from tasks.models import Deadline, Target

from . import facility_factories as make

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = D(2026, 6, 1)

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
CENTRE = {
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


def reasons(facility, day=DAY):
    return [failure.reason for judgement in facilities.judge(facility, day) for failure in judgement.failures]


# --- kinds and their units ----------------------------------------------------------------------------------------


def test_every_culture_kind_of_annex_3_is_there_with_the_unit_the_seed_makes_responsible(users):
    units = {kind.name: str(kind.default_unit or "") for kind in selectors.culture_kinds()}
    assert units == {
        "农家书屋": "县文体广电旅游局",
        "综合文化服务中心": "县文明办",
        "广播室": "县文体广电旅游局",
        "乡愁馆": "县文体广电旅游局",
        "道德讲堂": "县文明办",
        "文体活动室": "县文体广电旅游局",
        "远程教育站点": "县委组织部",
        "公共数字文化服务室": "县文体广电旅游局",
        "图书室": "县文体广电旅游局",
        "广电网络": "县文体广电旅游局",
        "文化体育活动广场": "",  # “有条件的安置点”：the seed names no unit
        "社会工作志愿服务站": "团县委",  # annex 3's 志愿者服务工作站 is annex 1's station
    }


def test_the_facility_form_starts_a_new_facility_with_its_kinds_unit(client, users):
    client.force_login(users["clerk_wenti"])
    library = FacilityKind.objects.get(code="rural_library")
    page = client.get(reverse("facility_create"), {"kind": "rural_library"})
    form = page.context["form"]
    assert form["responsible_unit"].value() == library.default_unit_id
    assert [str(pk) for pk in form["kinds"].value()] == [str(library.pk)]
    assert "每天开放时间（小时）" in page.content.decode()
    refreshed = client.post(reverse("facility_create"), {"name": "富民书屋", "kinds": [library.pk], "refresh": "1"})
    assert refreshed.context["form"]["responsible_unit"].value() == str(library.default_unit_id)
    chosen = client.post(
        reverse("facility_create"), {"name": "富民书屋", "kinds": [library.pk], "responsible_unit": "1", "refresh": "1"}
    )
    assert chosen.context["form"]["responsible_unit"].value() == "1"  # a unit already chosen is kept
    detail = make.facility("富民书屋", ["rural_library"], ["fumin"])
    assert "原文由县文体广电旅游局负责" in client.get(reverse("facility_detail", args=[detail.pk])).content.decode()


# --- standards at the edges ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        ({"area_m2": "19.9"}, ["面积 19.9 平方米，应不少于 20 平方米"]),
        ({"open_hours": "5.5"}, ["每天开放时间 5.5 小时，应不少于 6 小时"]),
        ({"area_m2": "20.0", "open_hours": "6.0"}, []),
    ],
)
def test_the_rural_library_standard_at_its_edges(users, changes, expected):
    library = make.facility("富民农家书屋", ["rural_library"], ["fumin"], D(2019, 8, 1), {**LIBRARY, **changes})
    assert reasons(library) == expected


@pytest.mark.parametrize(
    ("height", "expected"),
    [("0.8", []), ("0.7", ["简易戏台高 0.7 米，应不少于 0.8 米"]), ("0.80", [])],
)
def test_the_seven_ones_stage_at_its_edge(users, height, expected):
    centre = make.facility(
        "丰乐中心", ["culture_centre"], ["fengle"], D(2019, 11, 1), {**CENTRE, "stage_height_m": height}
    )
    assert reasons(centre) == expected


def test_a_broadcast_room_needs_its_broadcast_kit(users):
    room = make.facility("凤凰广播室", ["broadcast_room"], ["fenghuang"], D(2019, 10, 1), {"broadcast_kit": False})
    assert reasons(room) == ["广播器材：无"]
    (judgement,) = facilities.judge(room, DAY)
    assert "为七个移民社区设置广播室，配备广播器材" in judgement.basis


# --- the 乡愁馆 --------------------------------------------------------------------------------------------------


def test_the_nostalgia_halls_steps_follow_the_printed_order(users):
    hall = make.facility("富民乡愁馆", ["nostalgia_hall"], ["fumin"])
    with pytest.raises(ValidationError) as refused:
        make.step(hall, NostalgiaStepKind.PLAN, D(2019, 8, 1))
    assert refused.value.message_dict["step"] == [
        "须先完成“实地调查、研究”，才能登记“制定具体实施方案”"
        "（乡愁馆建设按原文顺序：实地调查、研究 → 制定具体实施方案 → 物件、图片、文字征集 → 场馆布置）。"
    ]
    make.step(hall, NostalgiaStepKind.SURVEY, D(2019, 7, 10))
    with pytest.raises(ValidationError) as early:
        make.step(hall, NostalgiaStepKind.PLAN, D(2019, 7, 9))
    assert early.value.message_dict["done_on"] == [
        "“制定具体实施方案”的完成日期不能早于上一步“实地调查、研究”的完成日期（2019-07-10）。"
    ]
    make.step(hall, NostalgiaStepKind.PLAN, D(2019, 7, 10))  # the same day is in order
    with pytest.raises(ValidationError) as twice:
        make.step(hall, NostalgiaStepKind.SURVEY, D(2019, 7, 1))
    assert twice.value.message_dict["step"] == ["该乡愁馆已登记过“实地调查、研究”，请修改原记录。"]
    steps = [step and step.done_on for _, step in selectors.nostalgia_steps(hall)]
    assert steps == [D(2019, 7, 10), D(2019, 7, 10), None, None]


def test_steps_and_items_belong_to_a_nostalgia_hall_the_clerk_keeps(users):
    library = make.facility("富民农家书屋", ["rural_library"], ["fumin"])
    with pytest.raises(ValidationError) as refused:
        make.step(library, NostalgiaStepKind.SURVEY, D(2019, 7, 1))
    assert refused.value.message_dict["facility"] == ["“富民农家书屋”不是乡愁馆。"]
    fengle = make.facility("丰乐乡愁馆", ["nostalgia_hall"], ["fengle"])
    with pytest.raises(PermissionDenied):
        make.item(fengle, "纺车", D(2019, 11, 1), actor=users["clerk_wenti"])
    with pytest.raises(PermissionDenied):
        make.item(fengle, "纺车", D(2019, 11, 1), actor=users["leader"])


# --- book stock ---------------------------------------------------------------------------------------------------


def test_the_book_stock_is_the_facilitys_books_and_each_update_adds_to_it(users):
    library = make.facility("富民农家书屋", ["rural_library"], ["fumin"], attributes={**LIBRARY, "books": "1500"})
    update = make.books(library, D(2020, 3, 10), 120, 300, actor=users["clerk_wenti"])
    library.refresh_from_db()
    assert library.attributes["books"] == "1800"
    update.volumes_added = 250
    make.books.__globals__["services"].book_stock_update_save(update=update, actor=users["clerk_wenti"])
    library.refresh_from_db()
    assert library.attributes["books"] == "1750"  # a correction moves the stock by the difference
    assert library.history.first().history_change_reason == "藏书更新 2020-03-10：-50 册"
    with pytest.raises(ValidationError) as fewer:
        make.books(library, D(2020, 4, 1), 10, 5)
    assert fewer.value.message_dict["volumes_added"] == ["新增册数不能少于新增种数（每种至少一册）。"]
    hall = make.facility("富民乡愁馆", ["nostalgia_hall"], ["fumin"])
    with pytest.raises(ValidationError):
        make.books(hall, D(2020, 4, 1), 1, 1)


# --- teams and the volunteer-team rule -----------------------------------------------------------------------------


def test_a_settlement_without_an_active_volunteer_team_is_flagged_and_the_disbanding_day_still_counts(users):
    settlements = Settlement.objects.filter(code__in=["fumin", "wolong"]).order_by("sort_order")
    make.team("fumin", "富民志愿服务队", D(2019, 6, 1), disbanded_on=D(2025, 12, 31))
    make.team("wolong", "卧龙广场舞队", D(2019, 6, 1), kind="fitness")
    short = selectors.settlements_without_volunteer_team
    assert [s.code for s in short(settlements=settlements, day=D(2025, 12, 31))] == ["wolong"]
    assert [s.code for s in short(settlements=settlements, day=D(2026, 1, 1))] == ["fumin", "wolong"]
    assert [s.code for s in short(settlements=settlements, day=D(2019, 5, 31))] == ["fumin", "wolong"]


def test_a_team_takes_members_of_its_own_settlement_only(users):
    from tests.factories import household_with_head

    _, fumin_person = household_with_head("fumin")
    _, fengle_person = household_with_head("fengle")
    team = make.team("fumin", "富民志愿服务队", D(2019, 6, 1), members=[fumin_person], count=1)
    assert list(team.members.all()) == [fumin_person]
    with pytest.raises(ValidationError) as outside:
        make.team("fumin", "另一队", D(2019, 6, 1), members=[fengle_person])
    assert "不是富民" in outside.value.message_dict["members"][0]
    with pytest.raises(ValidationError) as count:
        make.team("fumin", "第三队", D(2019, 6, 1), members=[fumin_person], count=0)
    assert count.value.message_dict["members_count"] == ["成员人数（0）不能少于选中的户籍台账成员（1 人）。"]


# --- indicators and the plan ---------------------------------------------------------------------------------------


def test_the_indicators_count_facilities_passing_and_failing_the_broadcast_rooms_halls_and_teams(users):
    make.facility("富民书屋", ["rural_library"], ["fumin"], D(2019, 8, 1), LIBRARY)
    make.facility("卧龙书屋", ["rural_library"], ["wolong"], D(2019, 8, 1), {**LIBRARY, "area_m2": "19.5"})
    make.facility("卧龙中心", ["culture_centre", "broadcast_room"], ["wolong"], D(2019, 12, 1), CENTRE)
    make.facility("富民广播室", ["broadcast_room"], ["fumin"], D(2020, 1, 1), {"broadcast_kit": True})
    make.facility("富民乡愁馆", ["nostalgia_hall"], ["fumin"], D(2019, 12, 20))
    make.team("fumin", "富民志愿服务队", D(2019, 6, 1))
    fumin, wolong = (Settlement.objects.get(code=code).pk for code in ("fumin", "wolong"))
    values = indicators.group("culture.facilities").compute(D(2019, 12, 31))
    assert (values[keys.PASSING][fumin], values[keys.FAILING][fumin]) == (1, 0)  # the hall has no standard
    assert (values[keys.PASSING][wolong], values[keys.FAILING][wolong]) == (1, 1)
    assert (values[keys.BROADCAST_ROOMS][fumin], values[keys.BROADCAST_ROOMS][wolong]) == (0, 1)  # 富民's from 2020
    assert values[keys.NOSTALGIA_HALLS][fumin] == 1 and values[keys.NOSTALGIA_HALLS][wolong] == 0
    assert (values[keys.VOLUNTEER_TEAMS][fumin], values[keys.VOLUNTEER_TEAMS][wolong]) == (1, 0)
    assert sum(indicators.group("culture.facilities").compute(D(2020, 1, 1))[keys.BROADCAST_ROOMS].values()) == 2


def test_the_county_art_work_feeds_the_plans_target_without_a_settlement(users):
    from django.core.management import call_command

    call_command("load_plan", verbosity=0)
    (target,) = Target.objects.filter(task__document=0, task__number="12")
    assert target.indicator_key == keys.ART_WORKS and not target.per_settlement
    make.art_work("《新家》", D(2019, 12, 31))
    progress = task_selectors.target_progress
    assert progress(target=target, rows_by_key={}, day=D(2019, 12, 31)) == 1
    assert progress(target=target, rows_by_key={}, day=D(2019, 12, 30)) == 0
    assert progress(target=target, rows_by_key={}) is None  # no day, no county figure
    assert indicators.get(keys.ART_WORKS) is None  # not a per-settlement indicator: no snapshot holds it
    with pytest.raises(ValueError):
        indicators.register_county(keys.PASSING, "重名", "处")(lambda day: 0)


def test_only_the_office_records_the_countys_art_works(users):
    with pytest.raises(PermissionDenied) as refused:
        make.art_work("《新家》", D(2019, 12, 20), actor=users["clerk_wenti"])
    assert str(refused.value) == "文艺作品是全县的记录，由领导小组办公室登记和修改。"


def test_the_nostalgia_hall_and_public_culture_deadlines_name_their_kinds(users):
    from django.core.management import call_command

    call_command("load_plan", verbosity=0)
    halls = Deadline.objects.filter(facility_kinds__code="nostalgia_hall")
    assert {(d.task.document, d.task.number) for d in halls} == {(0, "14"), (3, "五")}
    public = Deadline.objects.get(task__document=3, task__number="三", label="完善安置点配套公共设施")
    assert sorted(public.facility_kinds.values_list("code", flat=True)) == sorted(
        [
            "culture_centre",
            "rural_library",
            "moral_lecture_hall",
            "remote_education_site",
            "broadcast_room",
            "cable_network",
        ]
    )
    assert "结合实际设置" in public.reading
    make.facility("富民乡愁馆", ["nostalgia_hall"], ["fumin"], D(2019, 12, 31))
    make.facility("丰乐乡愁馆", ["nostalgia_hall"], ["fengle"], D(2020, 1, 1))
    rows = facility_deadlines(settlements=Settlement.objects.filter(code__in=["fumin", "fengle", "tehe"]), day=DAY)
    states = {
        (row.settlement.code, row.deadline.task.number): row.kinds[0].state
        for row in rows
        if row.deadline.task.document == 0 and row.deadline.task.number == "14"
    }
    assert states == {("fumin", "14"): State.ON_TIME, ("fengle", "14"): State.LATE, ("tehe", "14"): State.OVERDUE}


def test_a_facilitys_attributes_corrected_mark_the_indicators_snapshots_stale(users):
    from tasks import snapshots
    from tasks.models import IndicatorSnapshot

    library = make.facility("富民书屋", ["rural_library"], ["fumin"], D(2019, 8, 1), LIBRARY)
    snapshots.take(DAY, "culture.facilities")
    from settlements import services as registry_services

    registry_services.facility_save(
        actor=users["office"],
        facility=Facility.objects.get(pk=library.pk),
        kinds=library.kinds.all(),
        settlements=library.settlements.all(),
        attributes={**LIBRARY, "area_m2": "19"},
    )
    assert IndicatorSnapshot.objects.get(day=DAY, group="culture.facilities").stale_since is not None


def test_the_tasks_page_shows_the_county_figure_towards_its_target(client, users):
    from django.core.management import call_command

    from tasks.models import Task

    call_command("load_plan", verbosity=0)
    make.art_work("《新家》", D(2019, 12, 20))
    task = Task.objects.get(document=0, number="12")
    client.force_login(users["office"])
    page = client.get(reverse("tasks:task_detail", args=[task.pk])).content.decode()
    assert "反映搬迁群众生产生活巨变的优秀文艺作品" in page and ">1部<" in page.replace(" ", "")
