"""The health pages: one test per URL for scope (404 outside the clerk's settlements), readers refused every write
(403), lists holding the clerk's settlements only; a clinic's page saying which rule fails and why; the settlement
and household sections; the forms' round trip with the services' messages; the exports read back with openpyxl."""

import datetime

import openpyxl
import pytest
from django.urls import reverse

from services.models import FamilyDoctorContract, MedicalStaff, MonitoringEntry
from settlements import exports
from settlements.id_numbers import mask
from settlements.models import Health, Person

from . import factories as make
from . import health_factories as build

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def world(users, clerk):
    """In 富民 (文体 centre) and 丰乐 (场坝 centre): a clinic with two men doctors (no woman), a seriously-ill member
    of a registered-poor household screened with a contract signed, and one not screened; 富民's cooperative."""
    sides = {}
    for code, name, other in (("fumin", "杨富民", "吴富贵"), ("fengle", "潘丰乐", "石丰收")):
        clinic = build.clinic((code,), name=f"{code}卫生室")
        staff = build.staff(clinic, f"{name[0]}医生")
        build.staff(clinic, f"{other[0]}医生")
        household, person = make.resident(code, name=name)
        _, missing = make.resident(code, name=other)
        Person.objects.filter(pk__in=[person.pk, missing.pk]).update(health=Health.SERIOUS)
        screening = build.screening(person, D(2020, 3, 1))
        sides[code] = {
            "clinic": clinic,
            "staff": staff,
            "household": household,
            "person": person,
            "missing": missing,
            "screening": screening,
            "contract": build.contract(household, D(2020, 1, 1), D(2030, 12, 31), doctor=staff),
        }
    build.clinic(("fumin",), name="富民小区物业管理合作社", kind="property_coop", in_use_on=D(2019, 5, 25))
    return {"clerk": clerk, **users, **sides}


def get(client, user, name, *args, **query):
    client.force_login(user)
    return client.get(reverse(name, args=args), query)


RECORD_PAGES = {  # url name -> the record its number names, and whether it is a write
    "services:clinic_detail": ("clinic", False),
    "services:staff_create": ("clinic", True),
    "services:staff_edit": ("staff", True),
    "services:screening_create": ("person", True),
    "services:screening_edit": ("screening", True),
    "services:entry_create": ("screening", True),
    "services:contract_create": ("household", True),
    "services:contract_edit": ("contract", True),
}
LISTS = {  # url name -> what it shows of each side
    "services:clinic_list": lambda side: side["clinic"].name,
    "services:unscreened_list": lambda side: side["missing"].name,
    "services:screening_list": lambda side: side["person"].name,
    "services:contract_list": lambda side: side["household"].code,
    "services:unsigned_list": lambda side: side["missing"].household.code,
}


@pytest.mark.parametrize("name, record_and_write", RECORD_PAGES.items())
def test_each_record_page_is_404_outside_the_clerks_centre_and_403_to_readers_when_it_writes(
    client, world, name, record_and_write
):
    record, writes = record_and_write
    assert get(client, world["clerk"], name, world["fengle"][record].pk).status_code == 404
    assert get(client, world["clerk"], name, world["fumin"][record].pk).status_code == 200
    assert get(client, world["leader"], name, world["fumin"][record].pk).status_code == (403 if writes else 200)
    assert get(client, world["reporter"], name, world["fumin"][record].pk).status_code in (403, 404)


@pytest.mark.parametrize("name", LISTS)
def test_every_list_is_refused_to_reporters_and_holds_the_clerks_settlements_only(client, world, name):
    assert get(client, world["reporter"], name).status_code == 403
    shown = LISTS[name]
    page = get(client, world["clerk"], name, day="2020-06-01").content.decode()
    assert shown(world["fumin"]) in page and shown(world["fengle"]) not in page
    page = get(client, world["office"], name, day="2020-06-01").content.decode()
    assert shown(world["fumin"]) in page and shown(world["fengle"]) in page


def test_the_lists_show_who_is_missing_from_the_ledger_and_the_contracts(client, world):
    page = get(client, world["clerk"], "services:unscreened_list", day="2020-06-01").content.decode()
    assert "吴富贵" in page and "杨富民" not in page
    page = get(client, world["clerk"], "services:screening_list").content.decode()
    assert "杨富民" in page and "尿毒症" in page
    page = get(client, world["clerk"], "services:unsigned_list", day="2020-06-01").content.decode()
    assert world["fumin"]["missing"].household.code in page and world["fumin"]["household"].code not in page


def test_the_clinic_page_says_which_rule_fails_and_why(client, world):
    clinic = world["fumin"]["clinic"]
    page = get(client, world["office"], "services:clinic_detail", clinic.pk, day="2020-06-01").content.decode()
    assert "未达到 1 项要求" in page
    assert "配备 2 名乡村医生，无女乡村医生（原文：配备 2 名以上乡村医生的村卫生室，应有 1 名女乡村医生）" in page
    assert "服务人口 2 人" in page and "应配村医 1 名，在岗村医 2 名" in page
    assert "“以上”含本数：3000 人配 4 名" in page  # the reading beside the rule


def test_the_settlement_page_shows_the_clinics_the_screening_the_contracts_and_the_cooperative(client, world):
    settlement = world["fumin"]["household"].settlement
    page = get(client, world["clerk"], "services:settlement", settlement.pk, day="2022-05-24").content.decode()
    assert page.index('data-testid="section-health"') < page.index('data-testid="section-social_security"')
    assert page.index('data-testid="section-service_days"') < page.index('data-testid="section-property_coops"')
    assert "无女乡村医生" in page and "未筛查 1 人" in page and "吴富贵" in page
    assert "1 户签约有效，1 户没有有效签约" in page
    assert "补贴期 第 3 年" in page and "fengle卫生室" not in page
    page = get(client, world["clerk"], "services:settlement", settlement.pk, day="2022-05-25").content.decode()
    assert "缴费物业管理（成立第 4 年）" in page


def test_the_household_page_flags_an_unscreened_member_and_shows_the_contract(client, world):
    missing = world["fumin"]["missing"]
    page = get(client, world["clerk"], "services:household", missing.household_id, day="2020-06-01").content.decode()
    assert 'data-testid="unscreened-flag"' in page and "没有有效的签约" in page
    household = world["fumin"]["household"]
    page = get(client, world["clerk"], "services:household", household.pk, day="2020-06-01").content.decode()
    assert "2020-03-01 筛查 · 尿毒症 · 已建台账" in page and "有效，杨医生，2020-01-01 至 2030-12-31" in page


def test_a_clerk_adds_a_woman_doctor_and_the_clinic_then_meets_every_rule(client, world):
    clinic = world["fumin"]["clinic"]
    client.force_login(world["clerk"])
    data = {
        "name": "吴秀英",
        "sex": "F",
        "role": "village_doctor",
        "western_and_chinese": "on",
        "qualification": "乡村医生执业证书",
        "trained_on": "2019-04-01",
        "start_date": "2019-04-01",
    }
    response = client.post(reverse("services:staff_create", args=[clinic.pk]), data)
    assert response.status_code == 302
    assert MedicalStaff.objects.get(name="吴秀英").recorded_by == world["clerk"]
    page = client.get(reverse("services:clinic_detail", args=[clinic.pk]), {"day": "2020-06-01"}).content.decode()
    assert "达到全部配备要求" in page and "无女乡村医生" not in page
    response = client.post(reverse("services:staff_create", args=[clinic.pk]), {**data, "trained_on": "2099-01-01"})
    assert response.status_code == 200


def test_the_contract_form_names_the_missing_doctor_or_team_beside_the_field(client, world):
    household = world["fumin"]["missing"].household
    client.force_login(world["clerk"])
    url = reverse("services:contract_create", args=[household.pk])
    form = client.get(url).content.decode()
    assert "杨医生（fumin卫生室）" in form and "潘医生" not in form  # doctors of the household's settlement only
    response = client.post(url, {"signed_on": "2020-01-01", "valid_to": "2020-12-31"})
    assert "请选择签约医生，或填写签约团队。" in response.content.decode()
    response = client.post(url, {"team": "富民家庭医生团队", "signed_on": "2020-01-01", "valid_to": "2020-12-31"})
    assert response.status_code == 302
    assert FamilyDoctorContract.objects.get(household=household).team == "富民家庭医生团队"


def test_a_clerk_records_monitoring_and_the_ledger_follows(client, world):
    screening = world["fumin"]["screening"]
    client.force_login(world["clerk"])
    data = {"noted_on": "2020-05-01", "note": "入院治疗", "status": "treating"}
    response = client.post(reverse("services:entry_create", args=[screening.pk]), data)
    assert response.status_code == 302
    assert MonitoringEntry.objects.get().note == "入院治疗"
    page = client.get(reverse("services:screening_edit", args=[screening.pk])).content.decode()
    assert "2020-05-01 · 救治中 · 入院治疗" in page


def test_the_staffing_table_and_the_screening_gaps_export_with_the_pages_figures(world):
    export = exports.run(exports.get("services.clinic_staffing"), world["clerk"], {"day": "2020-06-01"})
    sheet = openpyxl.load_workbook(export.file)["卫生室人员配备情况"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert rows == [
        [
            "fumin卫生室",
            "卫生室",
            "富民",
            2,
            1,
            2,
            0,
            2,
            2,
            2,
            "是",
            "否",
            "配备 2 名乡村医生，无女乡村医生（原文：配备 2 名以上乡村医生的村卫生室，应有 1 名女乡村医生）",
        ]
    ]
    export = exports.run(exports.get("services.unscreened"), world["office"], {"day": "2020-06-01"})
    sheet = openpyxl.load_workbook(export.file)["未筛查的患大病贫困人口"]
    rows = [[cell.value for cell in row][:4] for row in sheet.iter_rows(min_row=2)]
    missing = [world[code]["missing"] for code in ("fumin", "fengle")]
    assert rows == [
        [person.settlement.name, person.household.code, person.name, mask(person.id_number)] for person in missing
    ]
    assert sheet["D2"].data_type == "s"
