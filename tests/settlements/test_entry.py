"""Entering and correcting a household with its members on one page."""

import datetime

import pytest
from django.urls import reverse

from settlements import forms, rules
from settlements.id_numbers import MSG_CHECKSUM
from settlements.models import Household, Membership, Person, Settlement
from settlements.validators import MSG_PHONE
from tests.factories import household_with_head, make_id_number


def member(name, id_number, relation, phone="", **extra):
    return {
        "name": name,
        "id_number": id_number,
        "relation": relation,
        "phone": phone,
        "education": "junior",
        "health": "healthy",
        "hukou_status": "citizen_card",
        **extra,
    }


def form_data(members, household=None, **fields):
    """POST data of the household form: household fields and the members formset."""
    settlement = Settlement.objects.get(code="fumin")
    data = {
        "code": "FM-NEW-1",
        "settlement": settlement.pk,
        "building": "",
        "room_number": "1203",
        "project_year": 2018,
        "origin_township": "计划乡",
        "origin_village": "加去村",
        "registered_poor": "on",
        "move_in_date": "2019-06-01",
        **fields,
    }
    existing = list(household.members.order_by("id")) if household else []
    data.update(
        {
            "members-TOTAL_FORMS": len(members),
            "members-INITIAL_FORMS": len(existing),
            "members-MIN_NUM_FORMS": 0,
            "members-MAX_NUM_FORMS": 1000,
        }
    )
    for index, values in enumerate(members):
        if index < len(existing):
            data[f"members-{index}-id"] = existing[index].pk
            data[f"members-{index}-household"] = household.pk
        for key, value in values.items():
            data[f"members-{index}-{key}"] = value
    return data


def errors_of(response):
    formset = response.context["members"]
    return [form.errors for form in formset.forms], formset.non_form_errors(), response.context["form"].errors


@pytest.fixture
def clerk(client, users):
    client.force_login(users["clerk_wenti"])
    return users["clerk_wenti"]


@pytest.mark.django_db
def test_clerk_adds_a_household_with_two_members(client, clerk):
    head_id = make_id_number(datetime.date(1978, 4, 2))
    spouse_id = make_id_number(datetime.date(1980, 9, 9), male=False)
    data = form_data([member("杨光明", head_id, "head", "13812345678"), member("吴秀英", spouse_id, "spouse")])
    response = client.post(reverse("household_create"), data)
    assert response.status_code == 302, errors_of(response)
    household = Household.objects.get(code="FM-NEW-1")
    assert household.status == "moved_in"
    assert sorted(household.members.values_list("relation", flat=True)) == ["head", "spouse"]
    spouse = Person.objects.with_id_number(spouse_id).get()
    assert (spouse.birth_date, spouse.sex) == (datetime.date(1980, 9, 9), "F")
    assert Membership.objects.get(person=spouse).start_date == datetime.date(2019, 6, 1)
    assert household.history.get().history_user == clerk
    assert household.events.get().kind == "move_in"


@pytest.mark.django_db
def test_each_error_is_shown_beside_its_field_and_nothing_is_saved(client, clerk):
    data = form_data(
        [
            member("杨光明", "522632197804020018", "head", "1381234"),
            member("吴秀英", make_id_number(datetime.date(1980, 9, 9), male=False), "spouse"),
        ]
    )
    response = client.post(reverse("household_create"), data)
    member_errors, _, _ = errors_of(response)
    assert member_errors[0]["id_number"] == [MSG_CHECKSUM]
    assert member_errors[0]["phone"] == [MSG_PHONE]
    assert "身份证号校验位不正确" in response.content.decode()
    assert not Household.objects.filter(code="FM-NEW-1").exists()


@pytest.mark.django_db
def test_duplicate_id_number_names_the_household_when_visible(client, clerk):
    household, head = household_with_head("wolong")
    data = form_data([member("杨光明", head.id_number, "head")])
    member_errors, _, _ = errors_of(client.post(reverse("household_create"), data))
    expected = forms.MSG_REGISTERED_IN.format(code=household.code, settlement="卧龙", name=head.name)
    assert member_errors[0]["id_number"] == [expected]


@pytest.mark.django_db
def test_duplicate_id_number_elsewhere_does_not_reveal_the_household(client, clerk):
    household, head = household_with_head("fengle")
    data = form_data([member("杨", head.id_number, "head")])
    member_errors, _, _ = errors_of(client.post(reverse("household_create"), data))
    assert member_errors[0]["id_number"] == [forms.MSG_REGISTERED_ELSEWHERE]
    assert household.code not in str(member_errors)


@pytest.mark.django_db
def test_same_id_number_twice_on_the_page(client, clerk):
    number = make_id_number(datetime.date(1978, 4, 2))
    data = form_data([member("杨光明", number, "head"), member("杨光明", number, "son")])
    member_errors, _, _ = errors_of(client.post(reverse("household_create"), data))
    assert member_errors[1]["id_number"] == [forms.MSG_DUPLICATE_IN_FORM]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "members, index, message",
    [
        ([("spouse", datetime.date(1978, 4, 2), True)], None, rules.MSG_NO_HEAD),
        (
            [("head", datetime.date(1978, 4, 2), True), ("head", datetime.date(1979, 1, 1), False)],
            1,
            rules.MSG_MANY_HEADS.format(count=2),
        ),
        (
            [("head", datetime.date(1978, 4, 2), True), ("son", datetime.date(1970, 1, 1), True)],
            1,
            rules.MSG_NOT_YOUNGER.format(relation="子"),
        ),
        (
            [("head", datetime.date(1978, 4, 2), True), ("mother", datetime.date(1990, 1, 1), False)],
            1,
            rules.MSG_NOT_OLDER.format(relation="母亲"),
        ),
        (
            [("head", datetime.date(1998, 4, 2), True), ("spouse", datetime.date(2008, 1, 1), False)],
            1,
            rules.MSG_SPOUSE_TOO_YOUNG,
        ),
        ([("head", datetime.date(2014, 4, 2), True)], 0, rules.MSG_HEAD_TOO_YOUNG),
    ],
)
def test_household_composition_rules(client, clerk, members, index, message):
    rows = [member(f"成员{i}", make_id_number(birth, male), rel) for i, (rel, birth, male) in enumerate(members)]
    response = client.post(reverse("household_create"), form_data(rows))
    member_errors, non_form, _ = errors_of(response)
    if index is None:
        assert non_form == [message]
    else:
        assert message in member_errors[index]["relation"]
    assert not Household.objects.filter(code="FM-NEW-1").exists()


@pytest.mark.django_db
def test_correcting_a_member_keeps_history_with_the_fields_changed(client, clerk):
    household, head = household_with_head("fumin")
    data = form_data(
        [member("杨光明", head.id_number, "head", "13912345678")],
        household=household,
        code=household.code,
        move_in_date="2019-05-01",
    )
    response = client.post(reverse("household_edit", args=[household.pk]), data)
    assert response.status_code == 302, errors_of(response)
    head.refresh_from_db()
    assert (head.name, head.phone) == ("杨光明", "13912345678")
    page = client.get(reverse("household_detail", args=[household.pk])).content.decode()
    assert "联系电话" in page and "13912345678" in page and clerk.full_name in page


@pytest.mark.django_db
def test_read_only_roles_cannot_open_the_entry_pages(client, users, reference):
    household, _ = household_with_head("fumin")
    for key in ["leader", "team_lead"]:
        client.force_login(users[key])
        assert client.get(reverse("household_create")).status_code == 403
        response = client.get(reverse("household_edit", args=[household.pk]))
        assert response.status_code == 403 and "只能查阅" in response.content.decode()


@pytest.mark.django_db
def test_a_clerk_cannot_create_a_household_in_another_centres_settlement(client, clerk):
    data = form_data([member("杨光明", make_id_number(), "head")], settlement=Settlement.objects.get(code="fengle").pk)
    response = client.post(reverse("household_create"), data)
    assert "settlement" in response.context["form"].errors
    assert not Household.objects.filter(code="FM-NEW-1").exists()
