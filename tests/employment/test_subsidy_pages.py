"""The subsidy pages: a person's and an employer's verdicts, the month's roster and its export."""

import io

import openpyxl
import pytest
from django.urls import reverse

from employment import subsidies
from settlements.models import AuditEntry, Settlement
from settlements.roles import Role
from tests.factories import HouseholdFactory, add_member

from .factories import D, family
from .subsidy_factories import employer, job, post_job, welfare_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def december_2021(clerk, make_user):
    """Two holders of 就业补助资金 posts in December 2021: one in 富民 (文体 centre), one in 丰乐 (场坝)."""
    changba = make_user(Role.CLERK, "场坝社区服务中心")
    _, (fumin,) = family("fumin")
    _, (fengle,) = family("fengle")
    post_job(fumin, D(2021, 6, 1), clerk, welfare_post(settlement="fumin"))
    post_job(fengle, D(2021, 6, 1), changba, welfare_post(settlement="fengle"))
    return fumin, fengle


def test_a_persons_card_explains_each_subsidy(client, clerk, december_2021):
    fumin, _ = december_2021
    client.force_login(clerk)
    page = client.get(reverse("employment:person", args=[fumin.pk])).content.decode()
    assert "就业扶贫援助补贴" in page and "执行期限至 2021-12-30" in page
    assert "✗" in page  # on today's date the assistance subsidy has expired: the failing condition is shown


def test_the_roster_lists_the_clerks_settlements_only(client, clerk, december_2021):
    fumin, fengle = december_2021
    client.force_login(clerk)
    page = client.get(reverse("employment:roster"), {"month": "2021-12"}).content.decode()
    assert fumin.name in page and "400" in page
    assert fengle.settlement.name not in page


def test_the_roster_export_masks_ids_and_is_logged(client, clerk, december_2021):
    fumin, _ = december_2021
    client.force_login(clerk)
    response = client.get(reverse("employment:roster_export"), {"month": "2021-12"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str)]
    assert fumin.id_number not in values
    assert any(value.startswith(fumin.id_number[:6]) and value.endswith(fumin.id_number[-4:]) for value in values)
    entry = AuditEntry.objects.get(actor=clerk, category="personal_data")
    assert (entry.action, entry.detail["record_count"]) == ("personal_data.export_masked", 1)

    full = client.get(reverse("employment:roster_export"), {"month": "2021-12", "full": "1"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(full.streaming_content))).worksheets[0]
    assert fumin.id_number in [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert AuditEntry.objects.filter(actor=clerk, action="personal_data.export_full").count() == 1


def test_full_ids_are_refused_to_readers(client, users, december_2021):
    client.force_login(users["leader"])
    assert client.get(reverse("employment:roster_export"), {"month": "2021-12", "full": "1"}).status_code == 403


def named_worker(settlement, name):
    household = HouseholdFactory(settlement=Settlement.objects.get(code=settlement), move_in_date=D(2019, 5, 1))
    return add_member(household, name=name, birth=D(1985, 1, 1))


def test_the_employer_page_lists_the_clerks_workers_only_and_the_employers_own_figures(client, clerk, make_user):
    changba = make_user(Role.CLERK, "场坝社区服务中心")
    firm = employer(staff_count=8, is_small=True)
    fumin, fengle = named_worker("fumin", "杨富民"), named_worker("fengle", "潘丰乐")
    job(fumin, D(2026, 1, 5), clerk, employer=firm, contract_months=12, social_insurance=True)
    job(fengle, D(2026, 1, 5), changba, employer=firm, contract_months=12, social_insurance=True)
    url = reverse("employment:employer", args=[firm.pk])

    client.force_login(clerk)
    page = client.get(url, {"day": "2026-06-01"}).content.decode()
    assert "杨富民" in page and "潘丰乐" not in page
    assert "新招用搬迁劳动力2人" in page  # the loan's share of new hires counts every worker of the employer

    client.force_login(make_user(Role.OFFICE, "县生态移民局"))
    page = client.get(url, {"day": "2026-06-01"}).content.decode()
    assert "杨富民" in page and "潘丰乐" in page


def test_the_roster_narrows_its_queries_to_the_settlements_given(december_2021):
    fumin, fengle = december_2021
    month = D(2021, 12, 1)
    county = subsidies.roster(month)
    assert {row.id_number for row in county} == {fumin.id_number, fengle.id_number}
    (row,) = subsidies.roster(month, settlements=Settlement.objects.filter(code="fumin"))
    assert (row.id_number, row.settlement) == (fumin.id_number, "富民")
    assert subsidies.roster(month, settlements=Settlement.objects.none()) == []
