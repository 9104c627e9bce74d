import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from settlements import services
from settlements.models import ResponsibleUnit
from settlements.roles import Role
from tasks.models import FollowUpAction, Meeting, ProgressReport, ReportStatus
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD
from tests.tasks.factories import make_task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00"
    b"\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


def login(page, username):
    page.context.clear_cookies()
    log_in(page, username, PASSWORD)  # the office enrols its authenticator on the way


def test_a_unit_reports_with_a_photo_and_the_office_runs_the_meeting(page, reference, screenshot_dir, tmp_path):
    hr = ResponsibleUnit.objects.get(name="县人力资源社会保障局")
    services.user_create(username="hr", password=PASSWORD, role=Role.REPORTER, full_name="潘填报", unit=hr)
    services.user_create(username="office", password=PASSWORD, role=Role.OFFICE, full_name="吴主任")
    task = make_task(title="组织搬迁劳动力技能培训", deadlines=[timezone.localdate() + datetime.timedelta(days=60)])
    photo = tmp_path / "培训现场.png"
    photo.write_bytes(PNG)

    login(page, "hr")
    page.get_by_role("link", name="本单位承担的工作任务").click()
    page.get_by_role("link", name=task.title).click()
    page.get_by_test_id("report-button").click()
    page.fill("#id_progress", "本月在卧龙小区开展电工培训 2 期，培训 86 人。")
    page.fill("#id_problems", "部分学员因照顾老人缺课。")
    page.set_input_files("#id_files", str(photo))
    page.get_by_role("button", name="提交报告").click()
    page.wait_for_url("**/reports/*/")
    assert page.get_by_test_id("report-status").inner_text() == "待审核"
    assert page.get_by_test_id("evidence").locator("img").evaluate("img => img.naturalWidth") == 1

    login(page, "office")
    page.get_by_role("link", name="进展报告").click()
    page.get_by_role("link", name=f"{task.code} {task.title}").click()
    page.get_by_role("button", name="采纳").click()
    assert page.get_by_test_id("report-status").inner_text() == "已采纳"
    assert ProgressReport.objects.get().status == ReportStatus.ACCEPTED

    page.get_by_role("link", name="调度会").click()
    page.fill("#id_held_on", f"{timezone.localdate():%Y-%m-%d}")
    page.fill("#id_place", "县政府三楼会议室")
    page.get_by_role("button", name="安排").click()
    page.wait_for_url("**/meetings/*/")
    page.fill("#id_minutes", "听取各专班汇报，部署下月工作。")
    page.get_by_role("button", name="登记召开").click()
    page.fill("#id_text", "人社局牵头，12 月底前完成卧龙小区第二批培训名册。")
    page.select_option("#id_owner_unit", label="县人力资源社会保障局")
    page.fill("#id_due_on", f"{timezone.localdate() + datetime.timedelta(days=30):%Y-%m-%d}")
    page.select_option("#id_task", label=str(task))
    page.get_by_role("button", name="记录", exact=True).click()
    assert "已记录督办事项" in page.locator(".alert-success").inner_text()
    assert FollowUpAction.objects.get().meeting == Meeting.objects.get()
    page.screenshot(path=screenshot_dir / "meeting.png", full_page=True)

    with page.expect_download() as download_info:
        page.get_by_test_id("download-report").click()
    download = download_info.value
    assert download.suggested_filename.endswith("调度报告.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes()))  # the saved file has no suffix
    rows = list(workbook["任务进展"].iter_rows(values_only=True))
    assert any(task.code in row and "本月在卧龙小区开展电工培训 2 期，培训 86 人。" in row for row in rows)
    actions = list(workbook["督办事项"].iter_rows(values_only=True))
    assert any("人社局牵头，12 月底前完成卧龙小区第二批培训名册。" in row for row in actions)

    page.get_by_role("link", name="工作总览", exact=True).click()
    page.wait_for_selector("#chart-teams svg")
    page.screenshot(path=screenshot_dir / "overview.png", full_page=True)
