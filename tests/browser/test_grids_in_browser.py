"""The office puts a building's households into a grid in one action and names the building's head; the
structure page's incomplete list shrinks accordingly."""

import pytest

from settlements import services
from settlements.models import Building, BuildingHead, Grid, GridAssignment, GridKind, ResponsibleUnit, Settlement
from settlements.roles import Role
from tests.conftest import PASSWORD
from tests.factories import HouseholdFactory

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_assigns_a_buildings_households_names_its_head_and_the_incomplete_list_shrinks(
    page, reference, screenshot_dir
):
    office = services.user_create(
        username="office",
        password=PASSWORD,
        role=Role.OFFICE,
        full_name="办公室",
        unit=ResponsibleUnit.objects.get(name="县生态移民局"),
    )
    fumin = Settlement.objects.get(code="fumin")
    block, other = (Building.objects.create(settlement=fumin, name=name) for name in ("1栋", "2栋"))
    for _ in range(3):
        HouseholdFactory(settlement=fumin, building=block)
    HouseholdFactory(settlement=fumin, building=other)
    services.grid_save(actor=office, grid=Grid(settlement=fumin, kind=GridKind.GOVERNANCE, name="富民第一居民小组"))

    log_in(page, "office", PASSWORD)
    page.get_by_role("link", name="网格与楼长").first.click()
    incomplete = page.get_by_test_id("incomplete")
    assert "未划入治理网格（居民小组）的在住户：4 户" in incomplete.inner_text()
    assert "（共 2 栋）" in page.get_by_test_id("headless").inner_text()

    page.get_by_role("link", name="按户划分网格").click()
    page.select_option("#id_building", label="富民 1栋")
    page.get_by_role("button", name="查询").click()
    assert page.get_by_test_id("result-count").inner_text() == "共 3 户"
    page.check("#check-page")  # 全选本页
    page.select_option("#assign_grid", label="富民 · 富民第一居民小组（治理网格（居民小组））")
    page.screenshot(path=screenshot_dir / "grid-assign.png", full_page=True)
    page.get_by_role("button", name="划入所选网格").click()
    assert "已将 3 户划入治理网格（居民小组）“富民第一居民小组”" in page.locator(".alert-success").inner_text()
    assert GridAssignment.objects.filter(household__building=block, end_date__isnull=True).count() == 3
    assert "未划入治理网格（居民小组）的在住户：1 户" in page.get_by_test_id("incomplete").inner_text()

    page.get_by_test_id("headless").get_by_role("link", name="1栋").click()
    page.fill("#id_name", "杨秀英")
    page.fill("#id_phone", "13800001234")
    page.get_by_role("button", name="保存").click()
    assert "楼长杨秀英" in page.locator(".alert-success").inner_text()
    headless = page.get_by_test_id("headless").inner_text()
    assert "（共 1 栋）" in headless and "1栋、" not in headless
    assert BuildingHead.objects.get(building=block).name == "杨秀英"
