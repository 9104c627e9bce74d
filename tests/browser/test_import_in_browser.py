"""The shared import pages in a real browser: a clerk uploads a ledger written the way clerks write them,
reads how the portal understood it, confirms, and finds the households written."""

import datetime

import pytest

from settlements import services
from settlements.models import Household, ResponsibleUnit
from settlements.roles import Role
from tests.conftest import PASSWORD
from tests.settlements.test_import import HEADERS, household, ids, member, sheet, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_imports_a_ledger_sees_each_reading_and_confirms(page, reference, screenshot_dir, eager_jobs):
    services.user_create(
        username="clerk",
        password=PASSWORD,
        role=Role.CLERK,
        full_name="龙文员",
        unit=ResponsibleUnit.objects.get(name="文体社区服务中心"),
    )
    head, son = ids((datetime.date(1980, 1, 1), True), (datetime.date(2008, 6, 1), True))
    rows = sheet(
        household(
            "FM-101",
            member("杨明", "户主", head, 文化程度="文盲", 建档立卡="√"),
            member("杨小明", "儿子", son, 文化程度="初中毕业"),
        ),
        titles=[["富民小区搬迁户台账（2026年11月）"]],
    )
    rows[2][HEADERS.index("入住日期")] = 43586  # typed as a number: Excel's 2019-05-01

    page.goto("/accounts/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    page.goto("/imports/")
    page.get_by_label("户籍台账").check()
    page.set_input_files(
        "#id_file",
        files=[{"name": "富民台账.xlsx", "mimeType": "application/octet-stream", "buffer": xlsx(rows)}],
    )
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_url("**/imports/*/")

    assert "检查结果（共 2 行）" in page.content()
    readings = page.get_by_test_id("import-readings").inner_text()
    for text in ("文盲或半文盲", "2019-05-01（Excel 日期序号 43586）", "初中毕业", "儿子", "√"):
        assert text in readings
    page.screenshot(path=screenshot_dir / "import-preview.png", full_page=True)

    page.get_by_test_id("confirm-open").click()
    page.get_by_test_id("confirm-submit").click()
    page.wait_for_load_state()
    assert "已写入台账：新增 1 户" in page.get_by_test_id("import-written").inner_text()
    household_ = Household.objects.get(code="FM-101")
    assert household_.move_in_date == datetime.date(2019, 5, 1) and household_.registered_poor
    assert sorted(household_.members.values_list("education", flat=True)) == ["illiterate", "junior"]
