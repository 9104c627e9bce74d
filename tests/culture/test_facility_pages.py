"""The culture facilities' pages: one test per URL for scope (404 outside the clerk's settlements), readers refused
every write (403), the forms' round trip with the services' messages, the settlement's section, the exports read
back, and the demo filling the pages."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from culture.models import ArtWork, BookStockUpdate, CollectionItem, NostalgiaStep
from settlements.models import CommunityGroup, Facility, GroupKind, Settlement, User

from . import facility_factories as make

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def world(users):
    """富民 (the 文体 clerk's) and 丰乐 (outside it): a library with a book update, a 乡愁馆 with a step and an
    item, a team; and the county's art work."""
    sides = {}
    for code in ("fumin", "fengle"):
        library = make.facility(f"{code}农家书屋", ["rural_library"], [code], D(2019, 8, 1), {"books": "100"})
        hall = make.facility(f"{code}乡愁馆", ["nostalgia_hall"], [code], D(2019, 12, 1))
        sides[code] = {
            "library": library,
            "hall": hall,
            "update": make.books(library, D(2020, 1, 1), 1, 2),
            "step": make.step(hall, "survey", D(2019, 7, 1)),
            "item": make.item(hall, f"{code}纺车", D(2019, 11, 1)),
            "team": make.team(code, f"{code}志愿服务队", D(2019, 6, 1)),
        }
    return {**users, **sides, "work": make.art_work("《新家》", D(2019, 12, 20))}


def get(client, user, name, *args, **query):
    client.force_login(user)
    return client.get(reverse(name, args=args), query)


READS = {  # url name -> the record of a side its path names
    "culture:facility": "library",
    "culture:collection_item": "item",
    "culture:group_detail": "team",
}
WRITES = {
    "culture:book_stock_create": "library",
    "culture:book_stock_edit": "update",
    "culture:nostalgia_step_create": "hall",
    "culture:collection_item_create": "hall",
    "culture:nostalgia_step_edit": "step",
    "culture:collection_item_edit": "item",
    "culture:group_edit": "team",
}
LISTS = ["culture:facility_list", "culture:collection_list", "culture:group_list", "culture:art_work_list"]


@pytest.mark.parametrize("name", [*READS, *WRITES])
def test_a_record_outside_the_clerks_settlements_is_a_404(client, world, name):
    key = {**READS, **WRITES}[name]
    assert get(client, world["clerk_wenti"], name, world["fengle"][key].pk).status_code == 404
    assert get(client, world["clerk_wenti"], name, world["fumin"][key].pk).status_code == 200


@pytest.mark.parametrize("name", WRITES)
def test_a_reader_is_refused_every_write(client, world, name):
    record = world["fumin"][WRITES[name]]
    assert get(client, world["leader"], name, record.pk).status_code == 403
    assert client.post(reverse(name, args=[record.pk]), {}).status_code == 403


@pytest.mark.parametrize("name", ["culture:group_create", "culture:art_work_create"])
def test_a_reader_cannot_create(client, world, name):
    assert get(client, world["leader"], name).status_code == 403


def test_the_art_works_are_the_offices_to_keep_and_everyones_to_read(client, world):
    work = world["work"]
    assert get(client, world["clerk_wenti"], "culture:art_work_detail", work.pk).status_code == 200
    refused = get(client, world["clerk_wenti"], "culture:art_work_edit", work.pk)
    assert refused.status_code == 403 and "由领导小组办公室登记和修改" in refused.content.decode()
    assert get(client, world["office"], "culture:art_work_edit", work.pk).status_code == 200
    assert get(client, world["reporter"], "culture:art_work_detail", work.pk).status_code == 403


@pytest.mark.parametrize("name", LISTS)
def test_the_lists_hold_the_clerks_settlements_only(client, world, name):
    page = get(client, world["clerk_wenti"], name).content.decode()
    if name != "culture:art_work_list":
        assert "fumin" in page and "fengle" not in page
    assert get(client, world["clerk_wenti"], name, q="x" * 500, settlement="abc").status_code == 200


def test_a_clerk_records_books_and_the_stock_moves(client, world):
    library = world["fumin"]["library"]
    client.force_login(world["clerk_wenti"])
    url = reverse("culture:book_stock_create", args=[library.pk])
    wrong = client.post(url, {"updated_on": "2020-02-01", "titles_added": "5", "volumes_added": "3"})
    assert "新增册数不能少于新增种数" in wrong.content.decode()
    saved = client.post(url, {"updated_on": "2020-02-01", "titles_added": "5", "volumes_added": "30"})
    assert saved.status_code == 302
    page = client.get(reverse("culture:facility", args=[library.pk])).content.decode()
    assert 'data-testid="stock">132<' in page  # 100 + 2 + 30


def test_a_step_out_of_order_is_refused_on_the_form_in_chinese(client, world):
    hall = world["fumin"]["hall"]
    client.force_login(world["clerk_wenti"])
    response = client.post(
        reverse("culture:nostalgia_step_create", args=[hall.pk]), {"step": "layout", "done_on": "2019-12-01"}
    )
    assert (
        response.status_code == 200
        and "须先完成“物件、图片、文字征集”，才能登记“场馆布置”" in response.content.decode()
    )
    assert NostalgiaStep.objects.filter(facility=hall).count() == 1


def test_a_clerk_adds_a_team_with_registry_members_by_id_number(client, world):
    from tests.factories import household_with_head

    _, person = household_with_head("fumin")
    client.force_login(world["clerk_wenti"])
    fumin = Settlement.objects.get(code="fumin")
    fitness = GroupKind.objects.get(code="fitness")
    data = {"settlement": fumin.pk, "kind": fitness.pk, "name": "富民健身队", "founded_on": "2020-01-01"}
    unknown = client.post(reverse("culture:group_create"), {**data, "members_count": "3", "add_members": "123"})
    assert "“123”不是身份证号" in unknown.content.decode()
    create = reverse("culture:group_create")
    saved = client.post(create, {**data, "members_count": "3", "add_members": person.id_number})
    team = CommunityGroup.objects.get(name="富民健身队")
    assert saved.status_code == 302 and list(team.members.all()) == [person]
    fengle = Settlement.objects.get(code="fengle")
    outside = client.post(create, {**data, "settlement": fengle.pk, "members_count": "1"})
    assert outside.status_code == 200
    assert not CommunityGroup.objects.filter(settlement=fengle, name="富民健身队").exists()


def test_the_settlement_section_shows_standards_broadcast_room_hall_and_teams(client, world):
    make.facility("富民小书屋", ["rural_library"], ["fumin"], D(2019, 8, 1), {"area_m2": "19.9"})
    make.step(world["fumin"]["hall"], "plan", D(2019, 8, 1))
    fumin = Settlement.objects.get(code="fumin")
    page = get(client, world["clerk_wenti"], "culture:settlement", fumin.pk).content.decode()
    assert "面积 19.9 平方米，应不少于 20 平方米" in page
    assert "没有投入使用的广播室" in page
    assert "已完成“制定具体实施方案”，2/4 步，藏品 1 件" in page
    assert "在活动 1 支" in page and 'data-testid="volunteer-short"' not in page
    dingwei = Settlement.objects.get(code="dingwei")
    assert (
        'data-testid="volunteer-short"'
        in get(client, world["office"], "culture:settlement", dingwei.pk).content.decode()
    )


@pytest.mark.parametrize(
    ("name", "title"), [("culture:collection_export", "fumin纺车"), ("culture:group_export", "fumin志愿服务队")]
)
def test_the_exports_read_back_with_the_lists_rows(client, world, name, title):
    response = get(client, world["clerk_wenti"], name)
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = {cell.value for row in workbook.active.iter_rows() for cell in row}
    assert title in values and "富民" in values
    assert not any(isinstance(value, str) and "fengle" in value for value in values)


def test_the_demo_fills_the_pages_and_a_second_run_makes_nothing(client, users):
    User.objects.filter(pk=users["office"].pk).update(username="office")
    call_command("seed_demo_culture", allow_production=True, verbosity=0)
    counts = [
        model.objects.count()
        for model in (Facility, NostalgiaStep, CollectionItem, BookStockUpdate, CommunityGroup, ArtWork)
    ]
    assert all(counts)
    call_command("seed_demo_culture", allow_production=True, verbosity=0)
    assert [
        model.objects.count()
        for model in (Facility, NostalgiaStep, CollectionItem, BookStockUpdate, CommunityGroup, ArtWork)
    ] == counts
    client.force_login(users["office"])
    listing = client.get(reverse("culture:facility_list"), {"result": "fail"}).content.decode()
    assert "卧龙农家书屋" in listing and "面积 19.5 平方米，应不少于 20 平方米" in listing
    assert "简易戏台高 0.6 米，应不少于 0.8 米" in listing
    teams = client.get(reverse("culture:group_list")).content.decode()
    assert 'data-testid="no-volunteer-team"' in teams and "定威" in teams
    for name in ("culture:collection_list", "culture:art_work_list", "culture:overview"):
        assert client.get(reverse(name)).status_code == 200
