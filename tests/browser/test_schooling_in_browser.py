"""A clerk opens a settlement's services page, sees a child of compulsory age flagged as out of school, enrols
the child, and the flag clears."""

import datetime

import pytest
from django.utils import timezone

from services.models import SchoolEnrolment
from settlements import services as registry_services
from settlements.models import ResponsibleUnit
from settlements.roles import Role
from tests.conftest import PASSWORD
from tests.services import schooling_factories as make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clerk_enrols_a_child_flagged_out_of_school_and_the_flag_clears(page, reference, screenshot_dir):
    clerk = registry_services.user_create(
        username="clerk",
        password=PASSWORD,
        role=Role.CLERK,
        full_name="龙文员",
        unit=ResponsibleUnit.objects.get(name="文体社区服务中心"),
    )
    school = make.school("车江小学")
    household, child = make.child("fumin", name="吴小燕", birth=datetime.date(2016, 4, 1))
    today = timezone.localdate()

    page.goto("/accounts/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")

    page.get_by_role("link", name="公共服务", exact=True).click()
    page.get_by_test_id("indicators").get_by_role("link", name="富民").click()
    flagged = page.get_by_test_id("out-of-school-child")
    assert flagged.count() == 1
    assert "吴小燕" in flagged.inner_text() and "未登记入学" in flagged.inner_text()
    assert household.code in flagged.inner_text()
    page.screenshot(path=screenshot_dir / "schooling-flagged.png", full_page=True)
    settlement_url = page.url

    flagged.get_by_role("link", name="登记入学").click()
    page.select_option("#id_school", label="车江小学")
    page.fill("#id_grade", "五年级")
    page.fill("#id_start_date", "2015-09-01")
    page.get_by_role("button", name="保存").click()
    assert "入学日期不能早于出生日期（2016-04-01）。" in page.locator(".invalid-feedback").first.inner_text()
    page.fill("#id_start_date", f"{today:%Y-%m-%d}")
    page.get_by_role("button", name="保存").click()
    assert "已保存吴小燕的就读记录。" in page.inner_text("body")
    assert "在读" in page.get_by_test_id("member-schooling").inner_text()

    page.goto(settlement_url)
    assert page.get_by_test_id("out-of-school-child").count() == 0
    assert "义务教育适龄的在住儿童均在读。" in page.get_by_test_id("out-of-school").inner_text()
    page.screenshot(path=screenshot_dir / "schooling-cleared.png", full_page=True)
    enrolment = SchoolEnrolment.objects.get(person=child)
    assert (enrolment.school, enrolment.recorded_by, enrolment.start_date) == (school, clerk, today)
