"""Residents named on a form by their ID numbers (the one field every form listing people uses): how the box
splits, normalises and limits what is pasted into it, and which persons it finds (the chosen settlement, the user's
scope), naming the others masked."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from settlements.id_numbers import mask
from settlements.models import Settlement
from settlements.resident_fields import (
    MSG_NOT_RESIDENTS,
    MSG_TOO_MANY_ID_NUMBERS,
    IdNumbersField,
    chosen_and_named,
    resident_with_id_number,
    residents_named,
)
from tests.factories import household_with_head

pytestmark = pytest.mark.django_db


class NamingForm(forms.Form):
    settlement = forms.ModelChoiceField(queryset=Settlement.objects.all())
    numbers = IdNumbersField(limit=3)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        data["named"] = residents_named(self, "numbers", user=self.user, settlement=data.get("settlement"))
        return data


def named(user, settlement, text):
    form = NamingForm({"settlement": settlement.pk, "numbers": text}, user=user)
    valid = form.is_valid()
    return valid, form.cleaned_data.get("named"), form.errors.get("numbers", [])


def test_the_box_splits_as_a_sign_in_sheet_does_normalises_and_keeps_each_number_once():
    field = IdNumbersField()
    first, second = "52263219900909001X", "522632198503120017"
    pasted = f" {first.lower()} ，{second}、\n\n{first};{second}"
    assert field.clean(pasted) == [first, second]
    assert field.clean("") == []


def test_the_box_refuses_items_that_are_no_id_number_and_too_many_numbers_naming_them():
    field = IdNumbersField(limit=3)
    with pytest.raises(forms.ValidationError, match="“12345、abc”不是身份证号"):
        field.clean("12345\n522632198503120017\nabc")
    field.clean("\n".join(["522632198503120017"] * 3))  # three at the limit pass
    with pytest.raises(forms.ValidationError) as refused:
        field.clean("\n".join(["522632198503120017"] * 4))
    assert refused.value.messages == [MSG_TOO_MANY_ID_NUMBERS.format(limit=3, count=4)]


def test_only_residents_of_the_chosen_settlement_in_scope_are_found_in_the_order_given(users):
    _, ours = household_with_head("fumin")
    _, theirs = household_with_head("fengle")
    fumin, fengle = Settlement.objects.get(code="fumin"), Settlement.objects.get(code="fengle")
    clerk = users["clerk_wenti"]  # 文体 administers 富民, not 丰乐
    _, second = household_with_head("fumin")

    valid, found, errors = named(clerk, fumin, f"{second.id_number}\n{ours.id_number}")
    assert valid and found == [second, ours] and not errors

    valid, found, errors = named(clerk, fumin, f"{ours.id_number}\n{theirs.id_number}")
    assert not valid and found == [ours]
    assert errors == [MSG_NOT_RESIDENTS.format(numbers=mask(theirs.id_number), settlement=fumin)]
    assert theirs.id_number not in errors[0]

    valid, found, _ = named(clerk, fengle, theirs.id_number)  # the right settlement, outside the clerk's scope
    assert not valid and found == []
    valid, found, _ = named(users["office"], fengle, theirs.id_number)
    assert valid and found == [theirs]


def test_the_persons_are_looked_up_in_one_query(users):
    people = [household_with_head("fumin")[1] for _ in range(3)]
    form = NamingForm(
        {"settlement": people[0].settlement_id, "numbers": "\n".join(p.id_number for p in people)}, user=users["office"]
    )
    form.fields["numbers"].limit = 10
    with CaptureQueriesContext(connection) as queries:
        assert form.is_valid()
    person_queries = [q for q in queries.captured_queries if "settlements_person" in q["sql"]]
    assert len(person_queries) == 1 and form.cleaned_data["named"] == people


def test_the_kept_persons_come_first_and_each_once(users):
    _, first = household_with_head("fumin")
    _, second = household_with_head("fumin")
    assert chosen_and_named([first], [second, first]) == [first, second]


def test_one_resident_is_found_by_the_number_as_typed_in_scope_only(users):
    _, person = household_with_head("fengle")
    typed = f"  {person.id_number.lower()} "
    assert resident_with_id_number(users["office"], typed) == person
    assert resident_with_id_number(users["clerk_changba"], typed) == person  # 场坝 administers 丰乐
    assert resident_with_id_number(users["clerk_wenti"], typed) is None
    assert resident_with_id_number(users["office"], "  ") is None
