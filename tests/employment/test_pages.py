"""The employment pages: scope (one test per URL), the job-loss and matching flow, pushes, the ledger."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from employment import services
from employment.models import (
    Employer,
    EmployerKind,
    Employment,
    EmploymentKind,
    JobPlace,
    JobPost,
    LabourProfile,
    Unemployment,
    WelfarePost,
    Workshop,
)
from settlements import form_pages
from settlements.roles import Role
from tasks import snapshots
from tasks.tasks import refresh_stale_snapshots

from .factories import D, family

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(users, clerk):
    """A worker in 富民 (文体 centre) with a job, and one in 丰乐 (场坝 centre)."""
    _, (fumin_worker,) = family("fumin")
    _, (fengle_worker,) = family("fengle")
    job = services.employment_start(
        person=fumin_worker, actor=clerk, kind=EmploymentKind.LOCAL_FIRM, employer_name="某厂", start_date=D(2025, 1, 1)
    )
    employer = Employer.objects.create(name="榕江县苗绣公司", kind=EmployerKind.ENTERPRISE)
    post = JobPost.objects.create(
        employer=employer,
        title="刺绣工",
        skills="刺绣、缝纫",
        place="古州镇",
        openings=5,
        published_on=D(2026, 1, 1),
        valid_until=timezone.localdate() + datetime.timedelta(days=30),
    )
    return {"clerk": clerk, "fumin": fumin_worker, "fengle": fengle_worker, "job": job, "post": post, **users}


def get(client, user, name, *args, **query):
    client.force_login(user)
    return client.get(reverse(name, args=args), query)


@pytest.mark.parametrize(
    "name", ["employment:person", "employment:employment_create", "employment:profile", "employment:training_create"]
)
def test_person_pages_are_404_outside_the_clerks_centre(client, world, name):
    assert get(client, world["clerk"], name, world["fengle"].pk).status_code == 404
    assert get(client, world["clerk"], name, world["fumin"].pk).status_code == 200


def test_the_job_end_page_is_404_outside_scope_and_403_for_readers(client, world, make_user):
    changba = make_user(Role.CLERK, "场坝社区服务中心")
    assert get(client, changba, "employment:employment_end", world["job"].pk).status_code == 404
    assert get(client, world["leader"], "employment:employment_end", world["job"].pk).status_code == 403


def test_the_settlement_page_is_404_outside_scope(client, world):
    fengle = world["fengle"].settlement_id
    assert get(client, world["clerk"], "employment:settlement", fengle).status_code == 404
    assert get(client, world["office"], "employment:settlement", fengle).status_code == 200


def test_reporters_have_no_access_to_the_ledger(client, world):
    for name in ["employment:overview", "employment:ledger", "employment:post_list", "employment:push_list"]:
        assert get(client, world["reporter"], name).status_code == 403


def test_the_ledger_lists_the_centres_labour_only(client, world):
    page = get(client, world["clerk"], "employment:ledger").content.decode()
    assert world["fumin"].name in page and "共 1 人" in page


def test_a_job_loss_then_a_match_takes_the_household_off_the_zero_list(client, world, eager_jobs):
    clerk, worker = world["clerk"], world["fumin"]
    LabourProfile.objects.create(person=worker, skills="刺绣", place_wish=JobPlace.COUNTY)
    client.force_login(clerk)
    settlement_url = reverse("employment:settlement", args=[worker.settlement_id])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    response = client.post(
        reverse("employment:employment_end", args=[world["job"].pk]), {"end_date": yesterday, "reason": "lost"}
    )
    assert response.status_code == 302
    assert Unemployment.objects.get(person=worker).registered_on == yesterday
    assert worker.household.code in client.get(settlement_url).content.decode()

    card = client.get(reverse("employment:person", args=[worker.pk])).content.decode()
    assert "刺绣工" in card and "技能或意愿相符：刺绣" in card
    form_url = reverse("employment:employment_create", args=[worker.pk])
    assert "按岗位登记" in client.get(form_url, {"post": world["post"].pk}).content.decode()
    response = client.post(
        form_url,
        {
            "kind": EmploymentKind.LOCAL_FIRM,
            "employer": world["post"].employer.pk,
            "job_title": "刺绣工",
            "place": JobPlace.COUNTY,
            "start_date": timezone.localdate(),
            "job_post": world["post"].pk,
        },
    )
    assert response.status_code == 302
    assert Unemployment.objects.get(person=worker).ended_on == timezone.localdate()
    page = client.get(settlement_url).content.decode()
    assert worker.household.code in page and "数据已更正，正在重新计算" in page  # until the job has run
    refresh_stale_snapshots.apply()  # queued once the job was recorded; a worker runs it within seconds
    assert worker.household.code not in client.get(settlement_url).content.decode()


def test_an_overlapping_job_is_refused_beside_the_field(client, world):
    client.force_login(world["clerk"])
    response = client.post(
        reverse("employment:employment_create", args=[world["fumin"].pk]),
        {"kind": EmploymentKind.LOCAL_FIRM, "employer_name": "另一厂", "place": "county", "start_date": D(2026, 1, 1)},
    )
    assert response.status_code == 200
    assert "已有在岗记录" in response.content.decode()
    assert Employment.objects.filter(person=world["fumin"]).count() == 1


def test_a_welfare_post_is_held_by_one_person_at_a_time(world, clerk):
    _, (other,) = family("fumin")
    post = WelfarePost.objects.create(
        code="FM-001", title="cleaner", settlement=other.settlement, funding="employment_fund", created_on=D(2019, 6, 1)
    )
    services.employment_start(
        person=other,
        actor=clerk,
        kind=EmploymentKind.WELFARE_POST,
        welfare_post=post,
        start_date=D(2026, 1, 1),
        employer_name="社区",
    )
    _, (third,) = family("fumin")
    with pytest.raises(ValidationError, match="已由"):
        services.employment_start(
            person=third,
            actor=clerk,
            kind=EmploymentKind.WELFARE_POST,
            welfare_post=post,
            start_date=D(2026, 2, 1),
            employer_name="社区",
        )


def test_a_settlement_without_a_push_in_two_quarters_is_flagged(client, world):
    client.force_login(world["clerk"])
    page = client.get(reverse("employment:push_list")).content.decode()
    assert page.count("本季度和上季度均未开展") == 4  # the centre's four settlements
    response = client.post(
        reverse("employment:push_list"),
        {
            "settlement": world["fumin"].settlement_id,
            "held_on": timezone.localdate(),
            "title": "富民小区岗位推送会",
            "posts": [world["post"].pk],
            "persons": world["fumin"].id_number,
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("employment:push_list")).content.decode()
    assert page.count("本季度和上季度均未开展") == 3
    assert world["fumin"].job_offers.get().post == world["post"]


def test_a_push_refuses_persons_of_another_settlement(client, world):
    client.force_login(world["clerk"])
    response = client.post(
        reverse("employment:push_list"),
        {
            "settlement": world["fumin"].settlement_id,
            "held_on": timezone.localdate(),
            "title": "推送",
            "posts": [world["post"].pk],
            "persons": world["fengle"].id_number,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and f"身份证号 {world['fengle'].masked_id_number} 不是“富民”在册的居民" in page


def test_the_overview_shows_targets_beside_the_county_figures(client, world, reference):
    from django.core.management import call_command

    call_command("load_plan", verbosity=0)
    Workshop.objects.create(
        name="富民刺绣车间", kind="workshop", settlement=world["fumin"].settlement, opened_on=D(2019, 6, 1)
    )
    page = get(client, world["office"], "employment:overview").content.decode()
    assert "1510" in page and "1130" in page and "就业扶贫车间和基地" in page


def test_the_labour_ledger_exports_with_masked_ids_and_is_logged(client, world):
    import io

    import openpyxl

    from settlements.models import AuditEntry

    client.force_login(world["clerk"])
    response = client.get(reverse("employment:ledger_export"))
    rows = list(
        openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True)
    )
    assert rows[0][:4] == ("安置点", "户编号", "姓名", "身份证号")
    (row,) = rows[1:]
    assert row[2] == world["fumin"].name and row[3] == world["fumin"].masked_id_number
    assert row[11] == "稳定就业" and row[13] == "某厂"
    exported = AuditEntry.objects.get(actor=world["clerk"], category="personal_data")
    assert exported.action == "personal_data.export_masked"
    assert get(client, world["leader"], "employment:ledger_export", full="1").status_code == 403


# --- indicators from the snapshot; the zero-employment list page by page ---------------------------------------


def test_the_pages_show_when_their_indicators_were_computed_and_when_a_correction_awaits(client, world):
    clerk = world["clerk"]
    settlement_url = reverse("employment:settlement", args=[world["fumin"].settlement_id])
    day = timezone.localdate()
    for url in (reverse("employment:overview"), settlement_url):
        page = get_page(client, clerk, url)
        assert "指标计算于" in page and "正在重新计算" not in page, url

    services.employment_end(employment=world["job"], end_date=D(2026, 1, 1), reason="quit", actor=clerk)

    page = get_page(client, clerk, settlement_url)
    assert "数据已更正，正在重新计算" in page  # the old figures, with the time they were computed
    assert snapshots.read(day).stale


def get_page(client, user, url, **query):
    client.force_login(user)
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_zero_employment_list_is_read_page_by_page_in_household_order(client, world, monkeypatch):
    monkeypatch.setattr(form_pages, "PAGE_SIZE", 2)
    idle = sorted(family("fumin")[0].code for _ in range(3))
    url = reverse("employment:settlement", args=[world["fumin"].settlement_id])

    first, second = get_page(client, world["clerk"], url), get_page(client, world["clerk"], url, page=2)

    assert "零就业家庭（3 户" in first
    assert idle[0] in first and idle[1] in first and idle[2] not in first
    assert idle[2] in second and idle[0] not in second
    assert "第 1 / 2 页" in first
