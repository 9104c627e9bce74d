"""Life events are dated facts: any count can be reproduced as of a past date."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from settlements import selectors, services
from settlements.models import HouseholdStatus, MembershipEnd, Person, PersonStatus, Relation
from tests.factories import HouseholdFactory, add_member, make_id_number, registry_keeper

D = datetime.date


def counts(user, day):
    return {
        row.settlement.code: (row.households, row.persons, row.labour)
        for row in selectors.registry_counts_as_of(user=user, day=day)
    }


@pytest.fixture
def family(reference):
    """A household moved in on 2019-05-01: head (b. 1970), spouse (b. 1972), son (b. 2010)."""
    household = HouseholdFactory(move_in_date=D(2019, 5, 1))
    head = add_member(household, name="杨明", birth=D(1970, 3, 1))
    spouse = add_member(household, name="吴英", relation=Relation.SPOUSE, birth=D(1972, 3, 1), male=False)
    son = add_member(household, name="杨军", relation=Relation.SON, birth=D(2010, 3, 1))
    return household, head, spouse, son


@pytest.mark.django_db
def test_death_of_the_head_hands_over_and_is_dated(users, family):
    household, head, spouse, son = family
    with pytest.raises(ValidationError) as raised:
        services.person_leave(actor=registry_keeper(), person=head, date=D(2021, 6, 1), reason=MembershipEnd.DEATH)
    assert raised.value.message_dict["new_head"] == [services.MSG_HEAD_LEAVING]
    services.person_leave(
        actor=registry_keeper(), person=head, date=D(2021, 6, 1), reason=MembershipEnd.DEATH, new_head=spouse
    )
    head.refresh_from_db()
    spouse.refresh_from_db()
    assert (head.status, head.left_on, spouse.relation) == (PersonStatus.DECEASED, D(2021, 6, 1), Relation.HEAD)
    assert household.events.filter(kind="death", person=head, date=D(2021, 6, 1)).exists()
    office = users["office"]
    assert counts(office, D(2021, 5, 31))["fumin"] == (1, 3, 2)
    assert counts(office, D(2021, 6, 1))["fumin"] == (1, 2, 1)


@pytest.mark.django_db
def test_birth_starts_on_the_birth_date_the_id_number_gives(users, family):
    household, *_ = family
    baby = services.person_birth(
        actor=registry_keeper(),
        household=household,
        name="杨小",
        id_number=make_id_number(D(2022, 2, 2)),
        relation=Relation.SON,
    )
    assert baby.memberships.get().start_date == D(2022, 2, 2)
    assert household.events.get(kind="birth").date == D(2022, 2, 2)
    assert counts(users["office"], D(2022, 2, 1))["fumin"][1] == 3
    assert counts(users["office"], D(2022, 2, 2))["fumin"][1] == 4


@pytest.mark.django_db
def test_move_in_and_move_out_bound_residence(users, family):
    household, *_ = family
    services.household_move_out(actor=registry_keeper(), household=household, date=D(2023, 1, 10), reason="返迁原籍")
    household.refresh_from_db()
    assert household.status == HouseholdStatus.MOVED_OUT
    assert set(household.members.values_list("status", flat=True)) == {PersonStatus.LEFT}
    office = users["office"]
    assert counts(office, D(2019, 4, 30))["fumin"] == (0, 0, 0)
    assert counts(office, D(2020, 1, 1))["fumin"] == (1, 3, 2)
    assert counts(office, D(2023, 1, 10))["fumin"] == (0, 0, 0)


@pytest.mark.django_db
def test_split_moves_members_into_a_new_household_on_the_date(users, family):
    household, head, spouse, son = family
    son_wife = add_member(household, name="王芳", relation=Relation.DAUGHTER_IN_LAW, birth=D(1992, 1, 1), male=False)
    adult_son = add_member(household, name="杨成", relation=Relation.SON, birth=D(1990, 1, 1))
    new = services.household_split(
        actor=registry_keeper(),
        household=household,
        date=D(2022, 8, 8),
        relations={adult_son: Relation.HEAD, son_wife: Relation.SPOUSE},
        code="T-SPLIT-1",
    )
    adult_son.refresh_from_db()
    assert adult_son.household == new and adult_son.relation == Relation.HEAD
    assert new.events.filter(kind="split").exists() and household.events.filter(kind="split").exists()
    office = users["office"]
    assert counts(office, D(2022, 8, 7))["fumin"][:2] == (1, 5)
    assert counts(office, D(2022, 8, 8))["fumin"][:2] == (2, 5)
    assert adult_son.memberships.count() == 2


@pytest.mark.django_db
def test_split_refuses_a_new_household_without_an_adult_head(family):
    household, head, spouse, son = family
    with pytest.raises(ValidationError):
        services.household_split(
            actor=registry_keeper(),
            household=household,
            date=D(2022, 8, 8),
            relations={son: Relation.HEAD},
            code="T-SPLIT-2",
        )
    assert not household.members.exclude(household=household).exists()
    son.refresh_from_db()
    assert son.household == household


@pytest.mark.django_db
def test_merge_moves_everyone_and_dissolves_the_source(users, family):
    target, *_ = family
    source = HouseholdFactory(move_in_date=D(2019, 6, 1))
    elder = add_member(source, name="杨老", birth=D(1940, 1, 1))
    services.household_merge(
        actor=registry_keeper(), source=source, target=target, date=D(2024, 3, 3), relations={elder: Relation.FATHER}
    )
    source.refresh_from_db()
    elder.refresh_from_db()
    assert source.status == HouseholdStatus.DISSOLVED and elder.household == target
    assert elder.relation == Relation.FATHER
    office = users["office"]
    assert counts(office, D(2024, 3, 2))["fumin"][:2] == (2, 4)
    assert counts(office, D(2024, 3, 3))["fumin"][:2] == (1, 4)


@pytest.mark.django_db
def test_leave_page_records_a_move_out_of_one_member(client, users, family):
    household, head, spouse, son = family
    client.force_login(users["clerk_wenti"])
    response = client.post(
        reverse("household_member_leave", args=[household.pk]),
        {"person": son.pk, "date": "2024-09-01", "reason": "move_out", "note": "外出就学", "new_head": ""},
    )
    assert response.status_code == 302, response.context["form"].errors
    son.refresh_from_db()
    assert (son.status, son.left_on) == (PersonStatus.LEFT, D(2024, 9, 1))


@pytest.mark.django_db
def test_leave_page_shows_the_head_rule_beside_the_field(client, users, family):
    household, head, *_ = family
    client.force_login(users["clerk_wenti"])
    response = client.post(
        reverse("household_member_leave", args=[household.pk]),
        {"person": head.pk, "date": "2024-09-01", "reason": "death", "note": "", "new_head": ""},
    )
    assert response.context["form"].errors["new_head"] == [services.MSG_HEAD_LEAVING]
    assert Person.objects.get(pk=head.pk).status == PersonStatus.ACTIVE


@pytest.mark.django_db
def test_join_page_adds_a_newborn(client, users, family):
    household, *_ = family
    client.force_login(users["clerk_wenti"])
    number = make_id_number(D(2023, 12, 1), male=False)
    response = client.post(
        reverse("household_member_join", args=[household.pk]),
        {
            "name": "杨丫",
            "id_number": number,
            "relation": "daughter",
            "phone": "",
            "education": "preschool",
            "health": "healthy",
            "hukou_status": "citizen_card",
            "reason": "birth",
            "date": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Person.objects.with_id_number(number).get().memberships.get().start_reason == "birth"


@pytest.mark.django_db
def test_as_of_page_shows_past_counts(client, users, family):
    client.force_login(users["office"])
    response = client.get(reverse("registry_as_of"), {"date": "2019-04-30"})
    assert {row.settlement.code: row.persons for row in response.context["counts"]}["fumin"] == 0
    response = client.get(reverse("registry_as_of"), {"date": "2020-01-01"})
    assert {row.settlement.code: row.persons for row in response.context["counts"]}["fumin"] == 3
