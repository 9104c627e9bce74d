"""Hostile dates and numbers on the employment pages (issue 10): refused in Chinese naming the field and the limit,
never a 500, and a stored row at the calendar's edge never breaks a page."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from employment import services, subsidies
from employment.models import Employer, EmployerKind, Employment, EmploymentKind, JobPost, JobPush, TrainingRecord
from settlements import input_ranges
from settlements.dates import add_months

from .factories import D, family

pytestmark = pytest.mark.django_db
HUGE = "99999999999999999999"


def warnings(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def worker(reference):
    _, (person,) = family("fumin")
    return person


@pytest.fixture
def post():
    employer = Employer.objects.create(name="榕江县苗绣公司", kind=EmployerKind.ENTERPRISE)
    return JobPost.objects.create(
        employer=employer,
        title="刺绣工",
        place="古州镇",
        openings=5,
        published_on=D(2026, 1, 1),
        valid_until=timezone.localdate() + datetime.timedelta(days=30),
    )


@pytest.mark.parametrize("day", ["0001-01-01", "0001-02-28", "1899-12-31", "9999-12-31"])
@pytest.mark.parametrize("page", ["employment:overview", "employment:settlement", "employment:workshop_list"])
def test_a_day_outside_the_calendars_range_is_refused_and_today_shown(client, users, worker, day, page):
    client.force_login(users["office"])
    args = [worker.settlement_id] if page == "employment:settlement" else []
    response = client.get(reverse(page, args=args), {"day": day})
    low, high = input_ranges.fact_range()
    assert response.status_code == 200
    assert response.context["day"] == timezone.localdate()
    assert warnings(response) == [f"统计日期应在{low}至{high}之间。"]


def test_the_first_day_in_range_counts_as_of_it(client, users, worker):
    client.force_login(users["office"])
    response = client.get(reverse("employment:overview"), {"day": "1900-01-01"})
    assert response.status_code == 200 and response.context["day"] == D(1900, 1, 1)
    assert warnings(response) == []


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "2026-13"])
def test_a_roster_month_outside_the_range_is_refused_and_its_export_takes_this_month(client, users, month):
    client.force_login(users["office"])
    response = client.get(reverse("employment:roster"), {"month": month})
    assert response.status_code == 200
    assert response.context["month"] == timezone.localdate().replace(day=1)
    assert len(warnings(response)) == 1 and "月份" in warnings(response)[0]
    assert client.get(reverse("employment:roster_export"), {"month": month}).status_code == 200


def test_a_push_naming_a_post_by_a_number_too_large_for_the_database_is_refused(client, users, worker, post):
    client.force_login(users["clerk_wenti"])
    data = {
        "settlement": worker.settlement_id,
        "held_on": timezone.localdate(),
        "title": "岗位推送会",
        "posts": [post.pk, HUGE],
        "persons": worker.id_number,
    }
    response = client.post(reverse("employment:push_list"), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {"posts": ["推送岗位：所选项不存在或不可选。"]}
    response = client.post(reverse("employment:push_list"), {**data, "settlement": HUGE, "posts": [post.pk]})
    assert response.context["form"].errors == {"settlement": ["安置点：所选项不存在或不可选。"]}
    assert not JobPush.objects.exists()


def test_a_job_with_numbers_too_large_for_their_columns_is_refused_naming_them(client, users, worker):
    client.force_login(users["clerk_wenti"])
    response = client.post(
        reverse("employment:employment_create", args=[worker.pk]),
        {
            "kind": EmploymentKind.LOCAL_FIRM,
            "employer_name": "某厂",
            "place": "county",
            "start_date": "2025-01-01",
            "contract_months": HUGE,
            "monthly_pay": "12345678901",
            "follow_up_months": "32768",
            "job_post": HUGE,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "contract_months": ["劳动合同期限（月）不能大于32767。"],
        "monthly_pay": ["月收入（元）不能大于9999999.99。"],
        "follow_up_months": ["跟踪服务月数不能大于32767。"],
        "job_post": ["岗位信息：所选项不存在或不可选。"],
    }
    assert not Employment.objects.exists()


@pytest.mark.parametrize("field", ["start_date", "business_registered_on"])
def test_a_job_dated_far_in_the_future_is_refused_at_entry(client, users, worker, field):
    client.force_login(users["clerk_wenti"])
    data = {"kind": EmploymentKind.SELF_EMPLOYED, "employer_name": "刺绣店", "place": "county"}
    data.update({"start_date": "2025-01-01", field: "9999-06-01"})
    response = client.post(reverse("employment:employment_create", args=[worker.pk]), data)
    low, high = input_ranges.fact_range()
    label = Employment._meta.get_field(field).verbose_name
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [f"{label}应在{low}至{high}之间。"]}
    assert not Employment.objects.exists()


def test_the_persons_page_stands_a_job_stored_at_the_calendars_edge(client, users, worker):
    """Rows written before the ranges (or by hand in the database) must not break the pages that read them."""
    clerk = users["clerk_wenti"]
    services.employment_start(
        person=worker, actor=clerk, kind=EmploymentKind.SELF_EMPLOYED, employer_name="刺绣店", start_date=D(2025, 1, 1)
    )
    Employment.objects.update(start_date=D(9999, 12, 1), business_registered_on=D(9999, 12, 31))
    client.force_login(clerk)
    for name, args in (
        ("employment:person", [worker.pk]),
        ("employment:settlement", [worker.settlement_id]),
        ("employment:overview", []),
        ("employment:ledger", []),
        ("employment:roster", []),
    ):
        assert client.get(reverse(name, args=args)).status_code == 200, name
    Employment.objects.update(start_date=D(1, 1, 1), business_registered_on=D(1, 1, 1), end_date=D(1, 2, 1))
    assert client.get(reverse("employment:person", args=[worker.pk])).status_code == 200


def test_a_course_ending_at_the_calendars_edge_is_counted_not_stepped_through():
    def stepped(start, end):
        months = 1
        while add_months(start, months) <= end:
            months += 1
        return months

    days = [D(2024, 1, 1) + datetime.timedelta(days=n) for n in range(0, 500, 7)] + [D(2024, 1, 31), D(2024, 2, 29)]
    assert all(subsidies.months_of(a, b) == stepped(a, b) for a in days[::4] for b in days)
    assert subsidies.months_of(D(2024, 3, 1), datetime.date.max) == (9999 - 2024) * 12 + 10


def test_the_persons_page_stands_a_training_stored_as_ending_at_the_calendars_edge(client, users, worker):
    clerk = users["clerk_wenti"]
    services.training_record(
        person=worker,
        actor=clerk,
        course="刺绣",
        kind="directed",
        provider="县职校",
        start_date=D(2025, 3, 1),
        end_date=D(2025, 3, 10),
        days=10,
    )
    TrainingRecord.objects.update(end_date=datetime.date.max)
    client.force_login(clerk)
    assert client.get(reverse("employment:person", args=[worker.pk])).status_code == 200
    assert client.get(reverse("employment:roster")).status_code == 200


@pytest.mark.parametrize("post_query", ["abc", HUGE, "-1", "１"])
def test_a_job_form_named_after_a_post_that_cannot_exist_opens_empty_with_the_reason(client, users, worker, post_query):
    client.force_login(users["clerk_wenti"])
    response = client.get(reverse("employment:employment_create", args=[worker.pk]), {"post": post_query})
    assert response.status_code == 200
    assert response.context["post"] is None
    assert warnings(response) == ["岗位：所选项不存在或不可选。"]


def test_a_job_form_named_after_a_post_fills_in_the_post(client, users, worker, post):
    client.force_login(users["clerk_wenti"])
    response = client.get(reverse("employment:employment_create", args=[worker.pk]), {"post": post.pk})
    assert response.context["post"] == post and response.context["form"].initial["job_title"] == "刺绣工"
