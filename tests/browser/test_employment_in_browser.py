import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from employment import services
from employment.models import Employer, EmployerKind, EmploymentKind, JobPlace, JobPost, LabourProfile
from settlements import services as registry_services
from settlements.models import ResponsibleUnit
from settlements.roles import Role
from tasks import snapshots
from tests.conftest import PASSWORD
from tests.employment.factories import D, family

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_job_loss_puts_a_household_on_the_zero_list_and_a_matched_job_takes_it_off(
    page, reference, screenshot_dir, eager_jobs
):
    """The snapshots a change makes stale are computed again by a job queued on commit (run here in-process)."""
    clerk = registry_services.user_create(
        username="clerk",
        password=PASSWORD,
        role=Role.CLERK,
        full_name="龙文员",
        unit=ResponsibleUnit.objects.get(name="文体社区服务中心"),
    )
    household, (worker,) = family("fumin")
    services.employment_start(
        person=worker,
        actor=clerk,
        kind=EmploymentKind.LOCAL_FIRM,
        employer_name="榕江县某电子厂",
        start_date=D(2025, 3, 1),
    )
    LabourProfile.objects.create(person=worker, skills="缝纫、刺绣", job_wish="刺绣", place_wish=JobPlace.COUNTY)
    employer = Employer.objects.create(name="榕江县苗绣文化公司", kind=EmployerKind.ENTERPRISE)
    JobPost.objects.create(
        employer=employer,
        title="苗绣绣娘",
        skills="刺绣",
        place="古州镇富民小区扶贫车间",
        pay_min=2200,
        pay_max=3000,
        openings=10,
        published_on=timezone.localdate() - datetime.timedelta(days=10),
        valid_until=timezone.localdate() + datetime.timedelta(days=60),
    )
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    page.goto("/accounts/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")

    page.get_by_role("link", name="就业", exact=True).click()
    page.get_by_role("link", name="劳动力台账").click()
    page.fill("#id_q", worker.name)
    page.get_by_role("button", name="查询").click()
    page.get_by_role("link", name=worker.name).click()
    page.get_by_role("link", name="登记离岗").click()
    page.fill("#id_end_date", f"{yesterday:%Y-%m-%d}")
    page.select_option("#id_reason", value="lost")
    page.get_by_role("button", name="确认离岗").click()
    assert page.get_by_test_id("work-state").inner_text() == "失业登记中"

    page.get_by_role("link", name="就业指标").click()
    page.get_by_role("link", name="富民").click()
    zero = page.get_by_test_id("zero-household")
    assert zero.count() == 1 and household.code in zero.inner_text()
    assert f"{yesterday:%Y-%m-%d}离岗" in zero.inner_text()
    page.screenshot(path=screenshot_dir / "zero-employment.png", full_page=True)

    cache.delete(snapshots.REFRESH_QUEUED)  # the window of the last refresh has passed, as it would have by now
    zero.get_by_role("link", name=f"{worker.name}的就业服务卡").click()
    matches = page.get_by_test_id("matches")
    assert "苗绣绣娘" in matches.inner_text() and "技能或意愿相符：刺绣" in matches.inner_text()
    matches.get_by_role("link", name="按此岗位登记就业").click()
    page.select_option("#id_kind", value=EmploymentKind.WORKSHOP.value)
    page.get_by_role("button", name="保存").click()
    assert "请选择车间或基地" in page.locator(".invalid-feedback").first.inner_text()  # a workshop job needs one
    page.select_option("#id_kind", value=EmploymentKind.LOCAL_FIRM.value)
    page.fill("#id_monthly_pay", "2600")
    page.get_by_role("button", name="保存").click()
    assert page.get_by_test_id("work-state").inner_text() == "在岗"

    page.get_by_role("link", name="就业指标").click()
    page.get_by_role("link", name="富民").click()
    assert page.get_by_test_id("zero-household").count() == 0
    assert worker.employments.filter(end_date__isnull=True).get().job_post.title == "苗绣绣娘"
