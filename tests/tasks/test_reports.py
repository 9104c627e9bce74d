"""Monthly progress reports: who may report, evidence, acceptance and return."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from settlements.roles import Role
from tasks import selectors, services
from tasks.models import Notification, ReportStatus
from tasks.status import TaskStatus

from .factories import make_task

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def hr_reporter(make_user):
    return make_user(Role.REPORTER, "县人力资源社会保障局")


def photo(name="现场.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def test_a_unit_reports_with_a_photo_and_the_office_accepts_it(users, hr_reporter):
    task = make_task(deadlines=[datetime.date(2030, 6, 30)])
    report = services.report_submit(
        task=task,
        actor=hr_reporter,
        period=datetime.date.today(),
        progress="完成培训 300 人",
        claims_done=True,
        files=[photo()],
    )
    assert report.status == ReportStatus.SUBMITTED
    assert report.evidence.get().is_image
    assert selectors.task_state(task=task, day=datetime.date.today()).status == TaskStatus.IN_PROGRESS
    services.report_accept(report=report, actor=users["office"])
    assert selectors.task_state(task=task, day=datetime.date.today()).status == TaskStatus.DONE
    with pytest.raises(ValidationError, match="已采纳"):
        services.report_submit(task=task, actor=hr_reporter, period=datetime.date.today(), progress="改动")


def test_a_returned_report_carries_a_reason_notifies_the_unit_and_may_be_resubmitted(users, hr_reporter):
    task = make_task()
    report = services.report_submit(task=task, actor=hr_reporter, period=datetime.date.today(), progress="进展")
    with pytest.raises(ValidationError, match="原因"):
        services.report_return(report=report, actor=users["office"], reason=" ")
    services.report_return(report=report, actor=users["office"], reason="缺少培训名册")
    assert Notification.objects.get(recipient=hr_reporter).body.endswith("缺少培训名册")
    again = services.report_submit(task=task, actor=hr_reporter, period=datetime.date.today(), progress="补充名册")
    assert again.pk == report.pk and again.status == ReportStatus.SUBMITTED and again.reviewed_at is None
    assert [h.progress for h in again.history.order_by("history_date")] == ["进展", "进展", "补充名册"]


def test_only_the_tasks_units_report_and_only_the_office_reviews(users, hr_reporter):
    task = make_task()
    with pytest.raises(ValidationError, match="不是该任务的责任单位"):
        services.report_submit(task=task, actor=users["reporter"], period=datetime.date.today(), progress="x")
    with pytest.raises(PermissionDenied, match="不能填报进展"):
        services.report_submit(task=task, actor=users["leader"], period=datetime.date.today(), progress="x")
    report = services.report_submit(task=task, actor=hr_reporter, period=datetime.date.today(), progress="x")
    with pytest.raises(PermissionDenied, match="领导小组办公室"):
        services.report_accept(report=report, actor=users["team_lead"])


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (SimpleUploadedFile("脚本.exe", b"MZ"), "文件“脚本.exe”是可执行程序，不能上传。"),
        (SimpleUploadedFile("大图.png", b"0" * (20 * 1024 * 1024 + 1)), "超过 20 MB"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_written(hr_reporter, upload, reason):
    task = make_task()
    with pytest.raises(ValidationError, match=reason):
        services.report_submit(task=task, actor=hr_reporter, period=datetime.date.today(), progress="x", files=[upload])
    assert not task.reports.exists()


def test_a_future_month_is_refused(hr_reporter):
    next_month = (datetime.date.today().replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    with pytest.raises(ValidationError, match="尚未到来"):
        services.report_submit(task=make_task(), actor=hr_reporter, period=next_month, progress="x")


def test_the_report_page_shows_errors_beside_the_fields(client, hr_reporter):
    task = make_task()
    client.force_login(hr_reporter)
    response = client.post(
        reverse("tasks:report_form", args=[task.pk]),
        {"period": f"{datetime.date.today():%Y-%m}", "progress": "x", "files": [SimpleUploadedFile("a.exe", b"MZ")]},
    )
    assert response.status_code == 200
    assert "文件“a.exe”是可执行程序，不能上传。" in response.content.decode()
    assert not task.reports.exists()


def test_the_report_page_submits_and_the_office_accepts_through_the_pages(client, users, hr_reporter):
    task = make_task()
    client.force_login(hr_reporter)
    response = client.post(
        reverse("tasks:report_form", args=[task.pk]),
        {"period": f"{datetime.date.today():%Y-%m}", "progress": "本月完成", "files": [photo()]},
    )
    report = task.reports.get()
    assert response.status_code == 302 and response.url == reverse("tasks:report_detail", args=[report.pk])
    client.force_login(users["office"])
    client.post(reverse("tasks:report_review", args=[report.pk]), {"decision": "accept"})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    evidence = client.get(reverse("tasks:evidence", args=[report.evidence.get().pk]))
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content) == PNG


def test_the_task_list_shows_which_tasks_the_unit_has_reported_this_month(client, hr_reporter):
    reported, pending = make_task(title="已报任务"), make_task(title="未报任务")
    services.report_submit(task=reported, actor=hr_reporter, period=datetime.date.today(), progress="x")
    client.force_login(hr_reporter)
    page = client.get(reverse("tasks:task_list"), {"mine": "on"}).content.decode()
    assert page.count('<span class="text-success">已报</span>') == 1
    assert reverse("tasks:report_form", args=[pending.pk]) in page
    assert reverse("tasks:report_form", args=[reported.pk]) not in page
