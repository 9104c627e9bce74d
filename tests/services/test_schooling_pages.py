"""The schooling pages: one test per URL for scope (404 outside the clerk's settlements), readers refused every
write (403), the settlement page's flag and the forms' round trip, the catchments kept by the office only."""

import datetime

import pytest
from django.urls import reverse

from services.models import Catchment, SchoolEnrolment, StudentAid
from services.services import schooling as schooling_services
from settlements.roles import Role
from tests.factories import registry_keeper

from . import schooling_factories as make

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def world(users, clerk):
    """A pupil of 富民 (文体 centre) and one of 丰乐 (场坝 centre), each with every schooling record; an out-of-school
    child of 富民."""
    school = make.school("车江小学")
    sides = {}
    for code, name in (("fumin", "杨富民"), ("fengle", "潘丰乐")):
        household, pupil = make.child(code, name=name)
        dropout = make.drop_out(pupil, school, D(2021, 9, 1), D(2025, 10, 9))
        visit = make.visit(dropout, D(2025, 10, 20))
        current = make.enrol(pupil, school, D(2025, 11, 3), grade="五年级")
        catchment = Catchment(
            level="primary_school", school=school, settlement=household.settlement, valid_from=D(2019, 5, 20)
        )
        sides[code] = {
            "household": household,
            "person": pupil,
            "settlement": household.settlement,
            "enrolment": current,
            "dropout": dropout,
            "visit": visit,
            "aid": make.aid(pupil, 2025, granted_on=D(2025, 12, 1)),
            "catchment": schooling_services.catchment_save(catchment=catchment, actor=users["office"]),
        }
    _, absent = make.child("fumin", name="吴失学", birth=D(2016, 4, 1))
    return {"clerk": clerk, "school": school, "absent": absent, **users, **sides}


def get(client, user, name, *args, **query):
    client.force_login(user)
    return client.get(reverse(name, args=args), query)


PERSON_WRITES = ["services:school_enrolment_create", "services:student_aid_create"]
RECORD_WRITES = {
    "services:school_enrolment_edit": "enrolment",
    "services:dropout_visit_create": "dropout",
    "services:dropout_visit_edit": "visit",
    "services:student_aid_edit": "aid",
}
LISTS = [
    "services:out_of_school_list",
    "services:aid_gap_list",
    "services:school_enrolment_list",
    "services:catchments",
]


@pytest.mark.parametrize("name", PERSON_WRITES)
def test_a_childs_forms_are_404_outside_the_clerks_centre_and_403_for_readers(client, world, name):
    assert get(client, world["clerk"], name, world["fengle"]["person"].pk).status_code == 404
    assert get(client, world["clerk"], name, world["fumin"]["person"].pk).status_code == 200
    assert get(client, world["leader"], name, world["fumin"]["person"].pk).status_code == 403
    assert get(client, world["team_lead"], name, world["fengle"]["person"].pk).status_code == 403


@pytest.mark.parametrize("name, record", RECORD_WRITES.items())
def test_a_records_form_is_404_outside_the_clerks_centre_and_403_for_readers(client, world, name, record):
    assert get(client, world["clerk"], name, world["fengle"][record].pk).status_code == 404
    assert get(client, world["clerk"], name, world["fumin"][record].pk).status_code == 200
    assert get(client, world["team_lead"], name, world["fumin"][record].pk).status_code == 403


def test_a_catchment_is_kept_by_the_office_only_and_hidden_outside_a_clerks_settlements(client, world):
    name = "services:catchment_edit"
    assert get(client, world["clerk"], name, world["fengle"]["catchment"].pk).status_code == 404
    response = get(client, world["clerk"], name, world["fumin"]["catchment"].pk)
    assert response.status_code == 403 and "就学安排由领导小组办公室" in response.content.decode()
    assert get(client, world["office"], name, world["fengle"]["catchment"].pk).status_code == 200
    assert get(client, world["clerk"], "services:catchment_create").status_code == 403
    assert get(client, world["leader"], "services:catchment_create").status_code == 403
    assert get(client, world["office"], "services:catchment_create").status_code == 200


@pytest.mark.parametrize("name", LISTS)
def test_reporters_are_refused_every_list_and_readers_see_them(client, world, name):
    assert get(client, world["reporter"], name).status_code == 403
    assert get(client, world["leader"], name).status_code == 200


@pytest.mark.parametrize(
    "name, query, person",
    [
        ("services:out_of_school_list", {"day": "2025-10-20"}, "person"),
        ("services:aid_gap_list", {"day": "2025-11-20"}, "person"),
        ("services:school_enrolment_list", {}, "person"),
    ],
)
def test_a_clerks_list_holds_the_clerks_settlements_only(client, world, name, query, person):
    page = get(client, world["clerk"], name, **query).content.decode()
    assert "杨富民" in page and "潘丰乐" not in page
    page = get(client, world["office"], name, **query).content.decode()
    assert "杨富民" in page and "潘丰乐" in page


def test_the_catchment_page_names_the_townships_without_a_middle_school(client, world):
    page = get(client, world["clerk"], "services:catchments").content.decode()
    assert "尚未安排初中的迁出乡镇（1 个）：古州镇" in page
    assert "富民" in page and "丰乐</td>" not in page  # the clerk's settlements' records only


def test_the_settlement_page_flags_the_child_out_of_school_and_the_household_page_says_why(client, world):
    settlement = world["fumin"]["settlement"]
    assert get(client, world["clerk"], "services:settlement", world["fengle"]["settlement"].pk).status_code == 404
    page = get(client, world["clerk"], "services:settlement", settlement.pk).content.decode()
    assert 'data-testid="section-schooling"' in page
    assert page.index('data-testid="section-schooling"') < page.index('data-testid="section-social_security"')
    assert (
        "吴失学" in page
        and "未登记入学" in page
        and "杨富民" not in page.split("section-schooling")[1].split("section-")[0]
    )
    absent = world["absent"]
    page = get(client, world["clerk"], "services:household", absent.household_id).content.decode()
    assert 'data-testid="out-of-school-flag"' in page and "义务教育" in page
    page = get(client, world["clerk"], "services:household", world["fumin"]["household"].pk).content.decode()
    assert "控辍保学走访 2025-10-20" in page and "本学年“两免两补”未登记" in page


def test_a_clerk_enrols_the_child_and_the_flag_clears(client, world):
    absent = world["absent"]
    client.force_login(world["clerk"])
    url = reverse("services:school_enrolment_create", args=[absent.pk])
    data = {"school": world["school"].pk, "level": "", "grade": "四年级", "start_date": "2026-11-02"}
    response = client.post(url, {**data, "start_date": "2015-09-01"})
    assert response.status_code == 200 and "入学日期不能早于出生日期（2016-04-01）。" in response.content.decode()
    response = client.post(url, data)
    assert response.status_code == 302
    enrolment = SchoolEnrolment.objects.get(person=absent)
    assert (enrolment.level, enrolment.grade, enrolment.recorded_by) == ("primary_school", "四年级", world["clerk"])
    assert enrolment.history.get().history_user == world["clerk"]
    page = get(client, world["clerk"], "services:settlement", world["fumin"]["settlement"].pk).content.decode()
    assert 'data-testid="out-of-school-child"' not in page and "义务教育适龄的在住儿童均在读。" in page


def test_a_clerk_records_a_dropout_then_a_visit(client, world):
    enrolment = world["fumin"]["enrolment"]
    client.force_login(world["clerk"])
    url = reverse("services:school_enrolment_edit", args=[enrolment.pk])
    data = {"school": world["school"].pk, "grade": "五年级", "start_date": "2025-11-03", "end_date": "2026-11-06"}
    response = client.post(url, {**data, "end_reason": "dropout"})
    assert "辍学的须在“离校说明”中写明原因。" in response.content.decode()
    response = client.post(url, {**data, "end_reason": "dropout", "end_note": "随父母外出"})
    assert response.status_code == 302
    visit_url = reverse("services:dropout_visit_create", args=[enrolment.pk])
    visit = {"visited_on": "2026-11-09", "visitors": "王老师", "actions": "入户劝返", "result": "persuading"}
    assert client.post(visit_url, visit).status_code == 302
    page = client.get(reverse("services:household", args=[enrolment.person.household_id])).content.decode()
    assert "控辍保学走访 2026-11-09（王老师）" in page and "劝返中" in page


def test_a_clerk_records_aid_and_a_wrong_scheme_is_refused_beside_the_field(client, world):
    person = world["fumin"]["person"]
    client.force_login(world["clerk"])
    url = reverse("services:student_aid_create", args=[person.pk])
    data = {"school_year": "2026", "scheme": "两补", "granted_on": "2026-11-10"}
    response = client.post(url, data)
    assert "没有在学前教育阶段就读的记录" in response.content.decode()
    assert client.post(url, {**data, "scheme": "两免两补", "amount": "625"}).status_code == 302
    assert StudentAid.objects.filter(person=person, school_year=2026, scheme="两免两补").exists()


def test_the_office_records_a_middle_school_catchment_by_origin_township(client, world):
    middle = make.school("榕江四中", "middle_school")
    client.force_login(world["office"])
    url = reverse("services:catchment_create")
    data = {"level": "middle_school", "school": middle.pk, "valid_from": "2019-05-20"}
    response = client.post(url, data)
    assert "请选择安置点，或填写迁出乡镇" in response.content.decode()
    assert client.post(url, {**data, "origin_township": "古州镇"}).status_code == 302
    page = client.get(reverse("services:catchments")).content.decode()
    assert "尚未安排初中的迁出乡镇" not in page
    household = world["fumin"]["household"]
    page = client.get(reverse("services:household", args=[household.pk])).content.decode()
    assert "初中（迁出乡镇 古州镇）榕江四中" in page


def test_a_clerk_of_another_centre_may_not_see_the_childs_household(client, world, make_user):
    changba = make_user(Role.CLERK, "场坝社区服务中心")
    assert get(client, changba, "services:household", world["absent"].household_id).status_code == 404
    assert registry_keeper() is not None
