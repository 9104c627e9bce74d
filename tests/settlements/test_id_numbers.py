import datetime

import pytest
from django.core.exceptions import ValidationError

from settlements import id_numbers
from settlements.models import Person, Relation
from tests.factories import HouseholdFactory, add_member, make_id_number, registry_keeper, with_check_digit

TODAY = datetime.date(2026, 11, 22)


def message_of(number, today=TODAY):
    with pytest.raises(ValidationError) as raised:
        id_numbers.parse(number, today=today)
    return raised.value.messages[0]


def test_valid_number_gives_birth_date_and_sex():
    male = id_numbers.parse("522632198503120017", today=TODAY)
    assert male.birth_date == datetime.date(1985, 3, 12)
    assert male.sex == id_numbers.Sex.MALE
    female = id_numbers.parse(make_id_number(datetime.date(1990, 7, 1), male=False), today=TODAY)
    assert female.sex == id_numbers.Sex.FEMALE
    assert female.birth_date == datetime.date(1990, 7, 1)


def test_lower_case_x_and_spaces_are_normalised():
    number = next(
        with_check_digit(f"52263219900101{n:03d}")
        for n in range(1000)
        if with_check_digit(f"52263219900101{n:03d}").endswith("X")
    )
    assert id_numbers.parse(" " + number.lower() + " ", today=TODAY).number == number


def test_bad_check_digit_is_refused():
    assert message_of("522632198503120018") == id_numbers.MSG_CHECKSUM


def test_wrong_length_and_letters_are_refused():
    assert message_of("52263219850312001") == id_numbers.MSG_LENGTH
    assert message_of("52263A198503120017") == id_numbers.MSG_FORMAT


def test_impossible_date_is_refused():
    assert message_of(with_check_digit("52263219850230001")) == id_numbers.MSG_BAD_DATE


def test_unknown_area_code_is_refused():
    assert message_of(with_check_digit("99999919850312001")) == id_numbers.MSG_BAD_PLACE


def test_future_birth_is_refused():
    assert message_of(with_check_digit("52263220261123001")) == id_numbers.MSG_FUTURE_BIRTH
    assert id_numbers.parse(with_check_digit("52263220261122001"), today=TODAY).birth_date == TODAY


def test_age_over_120_is_refused():
    assert message_of(with_check_digit("52263219051122001")) == id_numbers.MSG_TOO_OLD.format(years=120)
    assert id_numbers.parse(with_check_digit("52263219061122001"), today=TODAY)


def test_mask_keeps_first_six_and_last_four():
    assert id_numbers.mask("522632198503120017") == "522632********0017"


@pytest.mark.django_db
def test_person_service_derives_birth_and_sex_and_refuses_bad_numbers(reference):
    household = HouseholdFactory()
    person = add_member(household, birth=datetime.date(1979, 9, 30), male=False)
    person.refresh_from_db()
    assert (person.birth_date, person.sex) == (datetime.date(1979, 9, 30), "F")

    from settlements import services

    with pytest.raises(ValidationError) as raised:
        services.person_create(
            actor=registry_keeper(),
            household=household,
            name="吴英",
            id_number="522632198503120018",
            relation=Relation.SPOUSE,
        )
    assert raised.value.message_dict["id_number"] == [id_numbers.MSG_CHECKSUM]
    assert Person.objects.filter(household=household).count() == 1


@pytest.mark.django_db
def test_an_id_number_is_unique_across_the_registry(reference):
    from settlements import services

    first = add_member(HouseholdFactory())
    other_household = HouseholdFactory()
    with pytest.raises(ValidationError) as raised:
        services.person_create(
            actor=registry_keeper(),
            household=other_household,
            name="重复",
            id_number=first.id_number,
            relation=Relation.HEAD,
        )
    assert raised.value.message_dict["id_number"] == ["该身份证号已登记在册。"]
