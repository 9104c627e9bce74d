"""The services' pages: one test per URL for scope (404 outside the clerk's settlements), readers refused every
write (403), lists holding the clerk's settlements only, and the forms' round trip with the services' messages."""

import datetime

import pytest
from django.urls import reverse

from services.models import CitizenCard, ServiceDay
from settlements.models import ResponsibleUnit, Settlement
from settlements.roles import Role

from . import factories as make

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def world(users, clerk):
    """A resident of 富民 (文体 centre) and one of 丰乐 (场坝 centre), each with every record of the app."""
    sides = {}
    for code, name in (("fumin", "杨富民"), ("fengle", "潘丰乐")):
        household, person = make.resident(code, name=name, township="古州镇")
        sides[code] = {
            "household": household,
            "person": person,
            "settlement": household.settlement,
            "enrolment": make.enrol(person, D(2020, 1, 1), D(2020, 12, 30)),
            "dibao": make.dibao(household, D(2021, 1, 1)),
            "relief": make.relief(household, D(2020, 6, 1)),
            "posting": make.posting("古州镇", code),
            "service_day": make.service_day(code, D(2026, 11, 26)),
        }
        make.enrol(person, D(2021, 1, 1))  # a gap on 2020-12-31
    return {"clerk": clerk, **users, **sides}


def get(client, user, name, *args, **query):
    client.force_login(user)
    return client.get(reverse(name, args=args), query)


PERSON_WRITES = ["services:enrolment_create", "services:transfer_edit", "services:card_edit"]
HOUSEHOLD_WRITES = ["services:dibao_create", "services:relief_create"]
RECORD_WRITES = {
    "services:enrolment_edit": "enrolment",
    "services:dibao_edit": "dibao",
    "services:posting_edit": "posting",
    "services:service_day_edit": "service_day",
}
LISTS = [
    "services:overview",
    "services:uninsured_list",
    "services:gap_list",
    "services:enrolment_list",
    "services:card_list",
    "services:dibao_list",
    "services:relief_list",
    "services:cadres",
    "services:service_days",
]


@pytest.mark.parametrize("name", PERSON_WRITES)
def test_a_persons_forms_are_404_outside_the_clerks_centre_and_403_for_readers(client, world, name):
    assert get(client, world["clerk"], name, world["fengle"]["person"].pk).status_code == 404
    assert get(client, world["clerk"], name, world["fumin"]["person"].pk).status_code == 200
    assert get(client, world["leader"], name, world["fumin"]["person"].pk).status_code == 403


@pytest.mark.parametrize("name", ["services:household", *HOUSEHOLD_WRITES])
def test_a_households_pages_are_404_outside_the_clerks_centre(client, world, name):
    assert get(client, world["clerk"], name, world["fengle"]["household"].pk).status_code == 404
    assert get(client, world["clerk"], name, world["fumin"]["household"].pk).status_code == 200
    expected = 200 if name == "services:household" else 403
    assert get(client, world["leader"], name, world["fengle"]["household"].pk).status_code == expected


@pytest.mark.parametrize("name, record", RECORD_WRITES.items())
def test_a_records_form_is_404_outside_the_clerks_centre_and_403_for_readers(client, world, name, record):
    assert get(client, world["clerk"], name, world["fengle"][record].pk).status_code == 404
    assert get(client, world["clerk"], name, world["fumin"][record].pk).status_code == 200
    assert get(client, world["team_lead"], name, world["fumin"][record].pk).status_code == 403


def test_the_settlement_page_is_404_outside_scope_and_shows_every_section(client, world):
    assert get(client, world["clerk"], "services:settlement", world["fengle"]["settlement"].pk).status_code == 404
    page = get(client, world["clerk"], "services:settlement", world["fumin"]["settlement"].pk).content.decode()
    for key in ("social_security", "hukou", "cadres", "service_days"):
        assert f'data-testid="section-{key}"' in page
    assert "2020-12-31 至 2020-12-31，1 天未参保" in page
    assert "杨富民" in page and "潘丰乐" not in page


@pytest.mark.parametrize("name", ["services:posting_create", "services:service_day_create"])
def test_new_postings_and_service_days_are_for_keepers(client, world, name):
    assert get(client, world["clerk"], name).status_code == 200
    assert get(client, world["leader"], name).status_code == 403


@pytest.mark.parametrize("name", LISTS)
def test_reporters_are_refused_every_list_and_readers_see_them(client, world, name):
    assert get(client, world["reporter"], name).status_code == 403
    assert get(client, world["leader"], name).status_code == 200


@pytest.mark.parametrize(
    "name", ["services:uninsured_list", "services:gap_list", "services:enrolment_list", "services:card_list"]
)
def test_a_clerks_list_holds_the_clerks_settlements_only(client, world, name):
    query = {"day": "2020-12-31"} if name == "services:uninsured_list" else {}
    page = get(client, world["clerk"], name, **query).content.decode()
    assert "杨富民" in page and "潘丰乐" not in page
    page = get(client, world["office"], name, **query).content.decode()
    assert "杨富民" in page and "潘丰乐" in page


@pytest.mark.parametrize(
    "name", ["services:dibao_list", "services:relief_list", "services:cadres", "services:service_days"]
)
def test_a_clerks_household_and_settlement_lists_hold_the_clerks_settlements_only(client, world, name):
    page = get(client, world["clerk"], name).content.decode()
    assert world["fumin"]["household"].code in page or "富民" in page
    assert world["fengle"]["household"].code not in page
    if name in ("services:cadres", "services:service_days"):
        assert "丰乐</td>" not in page  # the township table counts county-wide, but lists no 丰乐 posting or day


def test_the_search_finds_a_person_by_name_and_by_the_last_four_of_the_id_number(client, world):
    person = world["fumin"]["person"]
    for query in ("杨富", person.id_number[-4:]):
        page = get(client, world["office"], "services:enrolment_list", q=query).content.decode()
        assert "杨富民" in page and "潘丰乐" not in page, query


def test_a_clerk_records_a_card_and_the_household_page_shows_it_on_time(client, world):
    person = world["fumin"]["person"]
    client.force_login(world["clerk"])
    url = reverse("services:card_edit", args=[person.pk])
    response = client.post(url, {"number": "rj-2019-001", "issued_on": "2019-10-01"})
    assert response.status_code == 302
    assert CitizenCard.objects.get(person=person).number == "RJ-2019-001"
    page = client.get(reverse("services:household", args=[person.household_id])).content.decode()
    assert "RJ-2019-001" in page and "按时办证" in page and "到期日 2019-11-01" in page


def test_the_service_day_form_refuses_a_wednesday_in_chinese_beside_the_date(client, world):
    client.force_login(world["clerk"])
    units = list(ResponsibleUnit.objects.filter(name="县生态移民局").values_list("pk", flat=True))
    data = {
        "settlement": world["fumin"]["settlement"].pk,
        "held_on": "2026-11-25",
        "starts_at": "14:30",
        "units": units,
        "matters": "医保参保登记",
        "households_served": "8",
    }
    response = client.post(reverse("services:service_day_create"), data)
    assert response.status_code == 200
    assert "服务日须安排在周四下午：2026-11-25 是星期三。" in response.content.decode()
    response = client.post(reverse("services:service_day_create"), {**data, "held_on": "2026-11-19"})
    assert response.status_code == 302
    assert ServiceDay.objects.filter(settlement=world["fumin"]["settlement"], held_on=D(2026, 11, 19)).exists()


def test_a_clerk_may_not_post_a_service_day_for_a_settlement_outside_the_centre(client, world):
    client.force_login(world["clerk"])
    data = {"settlement": Settlement.objects.get(code="fengle").pk, "held_on": "2026-11-19", "starts_at": "14:30"}
    response = client.post(reverse("services:service_day_create"), data)
    assert response.status_code == 200
    assert not ServiceDay.objects.filter(held_on=D(2026, 11, 19)).exists()


def test_the_household_page_says_what_is_owed_and_what_is_broken(client, world, make_user):
    household = world["fumin"]["household"]
    page = get(client, world["clerk"], "services:household", household.pk, day="2020-12-31").content.decode()
    assert 'data-testid="uninsured-flag"' in page  # the one uncovered day
    assert "逾期未办" in page and "到期日 2019-11-01" in page  # moved in 2019-05-01, no card
    assert "已于 2020-06-01 领取" in page
    assert "应派干部" in page
    changba = make_user(Role.CLERK, "场坝社区服务中心")
    assert get(client, changba, "services:household", household.pk).status_code == 404
