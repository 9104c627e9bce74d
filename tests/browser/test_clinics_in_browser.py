"""The office opens a clinic that fails the woman-doctor rule, from the public-services pages, and sees why: the
rule that fails, the figures, the seed's sentence; then the clinic meets every rule once a woman doctor joins."""

import datetime

import pytest

from services.models import MedicalStaff
from settlements import services as registry_services
from settlements.roles import Role
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD
from tests.services import factories as make
from tests.services import health_factories as build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WHY = "配备 2 名乡村医生，无女乡村医生（原文：配备 2 名以上乡村医生的村卫生室，应有 1 名女乡村医生）"


def test_the_office_opens_a_clinic_failing_the_woman_doctor_rule_and_sees_why(page, reference, screenshot_dir):
    registry_services.user_create(username="office", password=PASSWORD, role=Role.OFFICE, full_name="领导小组办公室")
    clinic = build.clinic(("fenghuang",), name="凤凰小区卫生室")
    build.staff(clinic, "吴国华")
    build.staff(clinic, "潘德明", both=False)
    build.staff(build.clinic(("fumin",), name="富民小区卫生室"), "龙光明")
    make.resident("fenghuang", name="杨凤", moved_in=datetime.date(2019, 5, 1))

    log_in(page, "office", PASSWORD)
    page.get_by_role("link", name="公共服务").first.click()
    page.get_by_role("link", name="卫生室", exact=True).click()
    row = page.get_by_test_id("clinics").locator("tr", has_text="凤凰小区卫生室")
    assert WHY in row.inner_text()
    row.get_by_role("link", name="凤凰小区卫生室").click()

    assert page.get_by_test_id("clinic-verdict").inner_text() == "未达到 1 项要求"
    assert page.get_by_test_id("served-population").inner_text().startswith("服务人口 1 人（凤凰当日在住人员合计）")
    failing = page.get_by_test_id("check-services.clinic_woman_doctor")
    assert "至少 1 名" in failing.inner_text() and WHY in failing.inner_text()
    assert page.get_by_test_id("rule-failure").count() == 1
    page.screenshot(path=screenshot_dir / "clinic-woman-doctor.png", full_page=True)

    page.get_by_role("link", name="登记医务人员").click()
    page.fill("#id_name", "吴秀英")
    page.select_option("#id_sex", "F")
    page.select_option("#id_role", "village_doctor")
    page.fill("#id_trained_on", "2019-04-02")
    page.fill("#id_start_date", "2019-04-02")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert "已保存医务人员。" in page.locator(".alert-success").inner_text()
    assert page.get_by_test_id("clinic-verdict").inner_text() == "达到全部配备要求"
    assert MedicalStaff.objects.filter(facility=clinic).count() == 3
