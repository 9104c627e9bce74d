"""Residents of the registry named on a form by their ID numbers, made once for every form that lists people (a
group's members, a culture session's participants, a job push's persons):

- `IdNumbersField`: a box of ID numbers, one a line or pasted from a sign-in sheet (commas, 、 and spaces split
  them too); it cleans to the normalised numbers and refuses, naming them, items that are no ID number, and more
  than `limit` numbers at once;
- `residents_named(form, field, user=…, settlement=…)`: the persons of that settlement in the user's scope who hold
  those numbers, found in one query; the numbers no such person holds are named, masked, beside the box;
- `ResidentChoice`: the persons already chosen, as a checklist showing each name with the masked number.
"""

import re

from django import forms

from . import id_numbers
from .forms import LONG_TEXT_MAX_LENGTH
from .models import Person, id_number_hashes

MSG_NOT_ID_NUMBERS = "“{items}”不是身份证号：请每行填写一个 18 位身份证号。"
MSG_TOO_MANY_ID_NUMBERS = "一次最多填写 {limit} 个身份证号，本次 {count} 个：请分批登记。"
MSG_NOT_RESIDENTS = "身份证号 {numbers} 不是“{settlement}”在册的居民（或不在您的管辖范围内）。"
ID_NUMBERS_LIMIT = 500
SHOWN_AT_MOST = 10  # items named in one message; the clerk corrects them and sees the next ones
SPLIT = re.compile(r"[\s,，;；、]+")


class IdNumbersField(forms.CharField):
    """ID numbers, one a line or separated as a sign-in sheet separates them; cleans to the normalised numbers, each
    once, in the order given."""

    def __init__(self, *, limit: int = ID_NUMBERS_LIMIT, **kwargs):
        self.limit = limit
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", LONG_TEXT_MAX_LENGTH)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value) -> list[str]:
        items = [item for item in SPLIT.split(super().clean(value) or "") if item]
        if len(items) > self.limit:
            raise forms.ValidationError(MSG_TOO_MANY_ID_NUMBERS.format(limit=self.limit, count=len(items)))
        numbers = [id_numbers.normalize(item) for item in items]
        wrong = [item for item, number in zip(items, numbers, strict=True) if len(number) != id_numbers.LENGTH]
        if wrong:
            raise forms.ValidationError(MSG_NOT_ID_NUMBERS.format(items="、".join(wrong[:SHOWN_AT_MOST])))
        return list(dict.fromkeys(numbers))


class ResidentChoice(forms.ModelMultipleChoiceField):
    """Persons already chosen, as a checklist: unticking one takes them off. Each shows as name (masked number)."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, person) -> str:
        return f"{person.name}（{person.masked_id_number}）"


def residents_named(form: forms.BaseForm, field: str, *, user, settlement) -> list[Person]:
    """The persons of `settlement`, in `user`'s scope, whose ID numbers `field` of `form` holds, in the order given
    (one query). The numbers no such person holds are named, masked, beside the field. Nothing without a
    settlement or numbers."""
    numbers = form.cleaned_data.get(field) or []
    if settlement is None or not numbers:
        return []
    found = Person.objects.for_user(user).filter(settlement=settlement).with_id_numbers(numbers)
    hashes = id_number_hashes(numbers)
    by_number = {hashes[person.id_number_hash]: person for person in found}
    unknown = [id_numbers.mask(number) for number in numbers if number not in by_number]
    if unknown:
        shown = "、".join(unknown[:SHOWN_AT_MOST])
        form.add_error(field, MSG_NOT_RESIDENTS.format(numbers=shown, settlement=settlement))
    return [by_number[number] for number in numbers if number in by_number]


def chosen_and_named(chosen, named) -> list[Person]:
    """The persons kept on the checklist, then those newly named, each once."""
    return list(dict.fromkeys([*chosen, *named]))


def resident_with_id_number(user, text: str) -> Person | None:
    """The person of the registry in `user`'s scope holding the ID number `text` (as typed), or None."""
    number = id_numbers.normalize(text)
    return Person.objects.for_user(user).with_id_number(number).select_related("household").first() if number else None
