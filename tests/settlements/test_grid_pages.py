"""The pages of grids and heads: the structure page and its incomplete list, scope per URL, readers, the bulk action
with its confirmation, the exports read back, and the two imports (a bad row writes nothing)."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from settlements import importing, imports, services
from settlements.grid_imports import BuildingHeadImporter, GridRosterImporter
from settlements.imports import services as import_services
from settlements.models import AuditEntry, Building, BuildingHead, Grid, GridAssignment, GridKind, GridMember
from tests.factories import add_member
from tests.settlements.test_grids import households, settlement

D = datetime.date


@pytest.fixture
def place(users):
    """富民 with a building of two households and one without a building, a grid, a member, a head; and 丰乐's."""
    office = users["office"]
    block = Building.objects.create(settlement=settlement(), name="1栋")
    made = households(2, building=block) + households(1)
    grid = services.grid_save(actor=office, grid=Grid(settlement=settlement(), kind=GridKind.GOVERNANCE, name="一组"))
    member = services.grid_member_save(
        actor=office, member=GridMember(grid=grid, name="王网", phone="13800001111", start_date=D(2020, 1, 1))
    )
    head = services.building_head_save(
        actor=office, head=BuildingHead(building=block, name="杨秀", phone="13800002222", start_date=D(2020, 1, 1))
    )
    other_block = Building.objects.create(settlement=settlement("fengle"), name="9栋")
    other = services.grid_save(
        actor=office, grid=Grid(settlement=settlement("fengle"), kind=GridKind.GOVERNANCE, name="丰乐一组")
    )
    other_member = services.grid_member_save(
        actor=office, member=GridMember(grid=other, name="李网", phone="13800003333", start_date=D(2020, 1, 1))
    )
    other_head = services.building_head_save(
        actor=office,
        head=BuildingHead(building=other_block, name="吴丰", phone="13800004444", start_date=D(2020, 1, 1)),
    )
    return {
        "block": block,
        "households": made,
        "grid": grid,
        "member": member,
        "head": head,
        "other": other,
        "other_member": other_member,
        "other_head": other_head,
        "other_block": other_block,
    }


@pytest.mark.django_db
def test_the_structure_page_lists_what_is_incomplete_with_links_to_fix_it(client, users, place):
    client.force_login(users["clerk_wenti"])
    page = client.get(reverse("grid_structure"), {"settlement": settlement().pk}).content.decode()
    assert "未划入治理网格（居民小组）的在住户：<strong>3</strong> 户" in page
    assert f"{reverse('grid_assign')}?settlement={settlement().pk}&without=governance" in page
    assert "100—150 户" in page and "本系统的理解" in page
    assert "杨秀" in page and "王网" in page


@pytest.mark.django_db
def test_each_page_of_another_centres_grid_member_or_head_is_a_404(client, users, place):
    client.force_login(users["clerk_wenti"])
    other = place["other"]
    for url in (
        reverse("grid_detail", args=[other.pk]),
        reverse("grid_edit", args=[other.pk]),
        reverse("grid_member_add", args=[other.pk]),
        reverse("grid_member_edit", args=[place["other_member"].pk]),
        reverse("head_edit", args=[place["other_head"].pk]),
        f"{reverse('head_create')}?building={place['other_block'].pk}",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("grid_detail", args=[place["grid"].pk])).status_code == 200


@pytest.mark.django_db
def test_readers_see_the_pages_but_cannot_write(client, users, place):
    client.force_login(users["leader"])
    assert client.get(reverse("grid_structure")).status_code == 200
    assert client.get(reverse("grid_list")).status_code == 200
    for url in (reverse("grid_create"), reverse("grid_assign"), reverse("head_create")):
        assert client.get(url).status_code == 403
    ids = [str(h.pk) for h in place["households"]]
    response = client.post(reverse("grid_assign"), {"grid": place["grid"].pk, "day": "2026-06-01", "household": ids})
    assert response.status_code == 403
    assert not GridAssignment.objects.exists()


@pytest.mark.django_db
def test_the_bulk_action_asks_before_moving_households_and_then_moves_them_in_one_entry(client, users, place):
    office = users["office"]
    grid_b = services.grid_save(actor=office, grid=Grid(settlement=settlement(), kind=GridKind.GOVERNANCE, name="二组"))
    client.force_login(users["clerk_wenti"])
    response = client.post(
        reverse("grid_assign_buildings"), {"grid": place["grid"].pk, "day": "2026-01-01", "building": place["block"].pk}
    )
    assert response.status_code == 302
    assert GridAssignment.objects.filter(grid=place["grid"]).count() == 2
    entries = AuditEntry.objects.filter(action="grid.assign").count()
    ids = [str(h.pk) for h in place["households"]]
    asked = client.post(reverse("grid_assign"), {"grid": grid_b.pk, "day": "2026-06-01", "household": ids})
    assert "将把 2 户从 一组 调整到 二组。" in asked.content.decode()
    assert not GridAssignment.objects.filter(grid=grid_b).exists()
    done = client.post(
        reverse("grid_assign"), {"grid": grid_b.pk, "day": "2026-06-01", "household": ids, "confirmed": "1"}
    )
    assert done.status_code == 302
    assert GridAssignment.objects.filter(grid=grid_b, end_date__isnull=True).count() == 3
    assert AuditEntry.objects.filter(action="grid.assign").count() == entries + 1


@pytest.mark.django_db
def test_the_bulk_action_with_a_household_outside_the_scope_is_a_404_and_moves_nothing(client, users, place):
    outside = households(1, code="fengle")
    client.force_login(users["clerk_wenti"])
    ids = [str(h.pk) for h in place["households"] + outside]
    response = client.post(reverse("grid_assign"), {"grid": place["grid"].pk, "day": "2026-06-01", "household": ids})
    assert response.status_code == 404
    assert not GridAssignment.objects.exists()


@pytest.mark.django_db
def test_select_all_filtered_results_assigns_every_household_the_filter_finds(client, users, place):
    client.force_login(users["office"])
    query = f"settlement={settlement().pk}&without=governance"
    response = client.post(
        reverse("grid_assign"), {"grid": place["grid"].pk, "day": "2026-06-01", "all_filtered": "1", "query": query}
    )
    assert response.status_code == 302
    assert GridAssignment.objects.filter(grid=place["grid"]).count() == 3


def sheet_rows(response):
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


@pytest.mark.django_db
def test_the_exports_read_back_with_counts_grids_and_heads(client, users, place):
    services.grid_assign(
        actor=users["office"], grid=place["grid"], household_ids=[h.pk for h in place["households"]], day=D(2026, 1, 1)
    )
    client.force_login(users["clerk_wenti"])
    grids_sheet = sheet_rows(client.get(reverse("grid_export")))
    assert grids_sheet[0][:6] == ["安置点", "网格类型", "网格名称", "在住户数", "应有户数", "是否在范围内"]
    assert grids_sheet[1][:7] == ["富民", "治理网格（居民小组）", "一组", 3, "100—150 户", "否", "王网"]
    assert len(grids_sheet) == 2  # 丰乐's grid is outside the clerk's scope
    households_sheet = sheet_rows(client.get(reverse("grid_household_export")))
    assert households_sheet[0][:3] == ["户编号", "户主", "户主身份证号"]
    assert {row[7] for row in households_sheet[1:]} == {"一组"}
    assert {row[8] for row in households_sheet[1:]} == {"未划入"}
    heads_sheet = sheet_rows(client.get(reverse("head_export")))
    assert heads_sheet[1][:5] == ["富民", "1栋", "楼长", "杨秀", "13800002222"]
    assert len(heads_sheet) == 2


# --- imports --------------------------------------------------------------------------------------------------


def xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def run(importer, rows, user):
    result = imports.check(importer, xlsx(rows), user)
    return result, [error.text for error in result.errors]


@pytest.mark.django_db
def test_a_grid_roster_with_a_bad_row_names_it_and_writes_nothing_then_imports_once(users, place):
    clerk = users["clerk_wenti"]
    first, second, third = place["households"]
    head = add_member(third, name="龙梅")
    outside = households(1, code="fengle")[0]
    header = ["户编号", "户主身份证号", "网格名称", "网格类型", "划入日期"]
    rows = [
        header,
        [first.code, None, "一组", "治理网格（居民小组）", "2026-01-01"],
        [None, head.id_number, "一组", "居民小组", "2026-01-01"],
        [outside.code, None, "丰乐一组", "治理网格", None],
        [second.code, None, "三组", "治理网格", None],
    ]
    result, errors = run(GridRosterImporter(), rows, clerk)
    assert errors == [
        "第4行 户编号：您管理范围内没有这个户编号。",
        "第5行 网格名称：富民没有名为“三组”的治理网格（居民小组）：请先在“网格与楼长”页面新建该网格。",
    ]
    with pytest.raises(Exception):  # noqa: B017 - the framework refuses a file with wrong rows
        import_services.write(GridRosterImporter(), result, user=clerk)
    assert not GridAssignment.objects.exists()
    good = rows[:3]
    for expected in (2, 0):  # the same file twice: the second changes nothing
        result, errors = run(GridRosterImporter(), good, clerk)
        assert errors == []
        written = import_services.write(GridRosterImporter(), result, user=clerk)
        assert written["created"] == expected
    assert set(GridAssignment.objects.values_list("household_id", flat=True)) == {first.pk, third.pk}


@pytest.mark.django_db
def test_a_building_heads_roster_refuses_a_second_current_head_and_writes_nothing(users, place):
    clerk = users["clerk_wenti"]
    person = add_member(place["households"][0], name="吴英")
    Building.objects.create(settlement=settlement(), name="2栋")
    header = ["安置点", "楼栋", "姓名", "身份证号", "联系电话", "任职日期"]
    rows = [
        header,
        ["富民", "2栋", "吴英", person.id_number, None, "2026-01-01"],
        ["富民", "1栋", "赵六", None, "13800005555", "2026-01-01"],
        ["丰乐", "9栋", "钱七", None, "13800006666", "2026-01-01"],
    ]
    result, errors = run(BuildingHeadImporter(), rows, clerk)
    assert errors == [
        "第3行 姓名：富民 1栋在这段时间已有楼长杨秀（2020-01-01起，现任）："
        "每栋楼同一时间只能有一名楼长，请先填写其卸任日期。",
        "第4行 安置点：您管理范围内没有这个安置点。",
    ]
    assert BuildingHead.objects.count() == 2
    result, errors = run(BuildingHeadImporter(), rows[:2], clerk)
    assert errors == []
    assert import_services.write(BuildingHeadImporter(), result, user=clerk)["created"] == 1
    assert BuildingHead.objects.get(building__name="2栋").person == person


@pytest.mark.django_db
def test_the_grid_roster_template_offers_the_kinds_in_a_dropdown(client, users):
    client.force_login(users["clerk_wenti"])
    response = client.get(reverse("imports:template", args=["grid_roster"]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    validations = book.active.data_validations.dataValidation
    assert any("治安网格" in validation.formula1 for validation in validations)
    assert importing.REGISTRY.kind != "grid_roster"


@pytest.mark.django_db
def test_the_household_page_shows_its_grids_with_their_dates(client, users, place):
    first = place["households"][0]
    services.grid_assign(actor=users["office"], grid=place["grid"], household_ids=[first.pk], day=D(2026, 1, 1))
    client.force_login(users["clerk_wenti"])
    page = client.get(reverse("household_detail", args=[first.pk])).content.decode()
    assert "所属网格" in page and "一组" in page and "2026-01-01" in page


@pytest.mark.django_db
def test_a_clerk_marks_a_building_of_their_centre_as_a_courtyard_and_its_head_becomes_a_courtyard_head(
    client, users, place
):
    client.force_login(users["clerk_wenti"])
    url = reverse("building_kind", args=[place["block"].pk])
    assert "楼栋/院落" in client.get(reverse("head_list")).content.decode()
    refused = client.post(url, {"kind": "palace"})
    assert refused.status_code == 200 and refused.context["form"].errors["kind"]
    saved = client.post(url, {"kind": "courtyard"})
    assert saved.status_code == 302 and saved["Location"].endswith(f"?settlement={settlement().pk}")
    place["block"].refresh_from_db()
    assert place["block"].head_title == "院长"
    assert AuditEntry.objects.filter(action="building.kind", target_id=str(place["block"].pk)).exists()
    assert (
        client.post(reverse("building_kind", args=[place["other_block"].pk]), {"kind": "courtyard"}).status_code == 404
    )
    client.force_login(users["leader"])
    assert client.post(url, {"kind": "building"}).status_code == 403
    place["other_block"].refresh_from_db()
    assert place["other_block"].kind == "building" and Building.objects.get(pk=place["block"].pk).kind == "courtyard"
