import datetime

import pytest

from settlements import services
from settlements.models import Household, ResponsibleUnit
from settlements.roles import Role
from tests.conftest import PASSWORD
from tests.factories import make_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_adds_a_household_finds_it_by_partial_id_and_prints_its_file(page, reference, screenshot_dir):
    services.user_create(
        username="clerk",
        password=PASSWORD,
        role=Role.CLERK,
        full_name="龙文员",
        unit=ResponsibleUnit.objects.get(name="文体社区服务中心"),
    )
    head_id = make_id_number(datetime.date(1976, 8, 15))
    spouse_id = make_id_number(datetime.date(1979, 2, 3), male=False)

    page.goto("/accounts/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")

    page.get_by_role("link", name="户籍台账").click()
    page.get_by_role("link", name="登记新户").click()
    page.fill("#id_code", "FM-2026-0001")
    page.select_option("#id_settlement", label="富民")
    page.fill("#id_room_number", "1502")
    page.select_option("#id_project_year", value="2018")
    page.fill("#id_origin_township", "计划乡")
    page.fill("#id_origin_village", "加去村")
    page.fill("#id_move_in_date", "2019-07-01")
    page.fill("#id_members-0-name", "杨光明")
    page.fill("#id_members-0-id_number", head_id)
    page.select_option("#id_members-0-relation", value="head")
    page.fill("#id_members-0-phone", "13812345678")
    page.get_by_role("button", name="添加一行").click()
    page.fill("#id_members-1-name", "吴秀英")
    page.fill("#id_members-1-id_number", spouse_id)
    page.select_option("#id_members-1-relation", value="spouse")
    page.screenshot(path=screenshot_dir / "household-form.png", full_page=True)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/households/*/")
    assert "搬迁户 FM-2026-0001 已保存" in page.locator(".alert-success").inner_text()
    assert Household.objects.get(code="FM-2026-0001").members.count() == 2

    page.get_by_role("link", name="人员台账").click()
    page.fill("#id_q", spouse_id[6:14])
    page.get_by_role("button", name="查询").click()
    assert page.get_by_test_id("result-count").inner_text() == "共 1 人"
    page.get_by_role("link", name="FM-2026-0001").click()
    page.get_by_role("link", name="一户一册（打印）").click()
    assert page.get_by_role("heading", name="易地扶贫搬迁户一户一册").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".portal-navbar").is_visible()
    pdf = page.pdf(path=screenshot_dir / "household-file.pdf", format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    page.screenshot(path=screenshot_dir / "household-file.png", full_page=True)
