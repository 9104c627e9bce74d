"""Entry forms of the registry. Every check gives its Chinese message beside the field it is about."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone

from . import facilities, id_numbers, rules
from .input_ranges import CheckedInlineFormSetMixin, PortalForm, PortalModelForm
from .models import (
    AttributeType,
    Building,
    Facility,
    FacilityKind,
    Household,
    MembershipEnd,
    MembershipStart,
    Person,
    PersonStatus,
    Relation,
    Settlement,
)

MSG_DUPLICATE_IN_FORM = "与本页其他成员的身份证号重复。"
MSG_REGISTERED_IN = "该身份证号已登记在搬迁户 {code}（{settlement}，{name}）。"
MSG_REGISTERED_ELSEWHERE = "该身份证号已在其他安置点登记，请与领导小组办公室核实。"
MSG_BUILDING_SETTLEMENT = "楼栋不属于所选安置点。"
MSG_NO_MEMBERS = "请至少登记一名成员（户主）。"
# The longest text a form takes (every free-text field of the portal's forms has one; tests/test_form_limits.py).
SEARCH_MAX_LENGTH = 100  # a search box: a name, an ID number, a phone or room number, a task's words
NOTE_MAX_LENGTH = 2000  # a note, a reason, a problem, a follow-up action
LONG_TEXT_MAX_LENGTH = 20000  # a month's progress, a meeting's minutes, a list of ID numbers
# Reasons recorded by the split and merge services, not chosen for a single member.
HOUSEHOLD_LEVEL_REASONS = {MembershipStart.SPLIT, MembershipStart.MERGE}  # the same values as MembershipEnd's


def member_reasons(choices) -> list[tuple[str, str]]:
    """The reasons one member may join or leave for: not those the split and merge services record."""
    return [(value, label) for value, label in choices if value not in HOUSEHOLD_LEVEL_REASONS]


class BootstrapMixin:
    """Bootstrap classes on every widget (fields with errors are marked by the templates' has-error)."""

    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            widget.attrs["class"] = css


def date_input():
    """A date field as the browser's date picker (its value written as the picker reads it)."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StyledModelForm(BootstrapMixin, PortalModelForm):
    """A model form of the apps' pages, its widgets styled."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class StyledForm(BootstrapMixin, PortalForm):
    """A form of the apps' pages, its widgets styled."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ListFilter(StyledForm):
    """The filters every list of the apps has: a settlement of the user's (a subclass may drop the field) and a
    search box; `values()` gives what the list and its export select by."""

    placeholder = ""
    settlement = forms.ModelChoiceField(label="安置点", queryset=Settlement.objects.none(), required=False)
    q = forms.CharField(label="搜索", required=False, max_length=SEARCH_MAX_LENGTH)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if "settlement" in self.fields:
            self.fields["settlement"].queryset = Settlement.objects.for_user(user)
        self.fields["q"].widget.attrs["placeholder"] = self.placeholder

    def values(self) -> dict:
        """The cleaned values (an invalid filter is dropped: the page says why beside its field)."""
        if not self.is_bound:
            return {}
        if not self.is_valid():
            return {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return self.cleaned_data


class HouseholdForm(BootstrapMixin, PortalModelForm):
    class Meta:
        model = Household
        fields = [
            "code",
            "settlement",
            "building",
            "room_number",
            "project_year",
            "origin_township",
            "origin_village",
            "registered_poor",
            "move_in_date",
        ]
        widgets = {"move_in_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["settlement"].queryset = Settlement.objects.for_user(user)
        self.fields["building"].queryset = Building.objects.for_user(user).select_related("settlement")
        self.fields["building"].label_from_instance = lambda b: f"{b.settlement.name} {b.name}"
        self._style()

    def clean(self):
        cleaned = super().clean()
        building, settlement = cleaned.get("building"), cleaned.get("settlement")
        if building and settlement and building.settlement_id != settlement.pk:
            self.add_error("building", MSG_BUILDING_SETTLEMENT)
        return cleaned


MSG_ID_NUMBER_REQUIRED = "请填写身份证号。"
MSG_KEEP_ID_NUMBER = "已登记的号码只显示前6位和后4位；更正时请输入完整的18位号码，留空则保持不变。"


class PersonIdNumberForm(PortalModelForm):
    """A person's form whose ID number is never shown in full: a registered person's number appears masked (as
    the field's placeholder) and the field starts empty; a number typed in full replaces it, an empty field
    keeps it. A new person's number is required. After cleaning, `self.resident` holds the number with its
    birth date and sex (the stored ones when kept)."""

    id_number = forms.CharField(label="身份证号", max_length=id_numbers.LENGTH, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.resident = None
        field = self.fields["id_number"]
        field.widget.attrs.update({"inputmode": "text", "autocomplete": "off", "maxlength": 18})
        if self.instance.pk:
            field.widget.attrs["placeholder"] = self.instance.masked_id_number
            field.help_text = MSG_KEEP_ID_NUMBER

    def clean_id_number(self):
        text = self.cleaned_data["id_number"].strip()
        if not text and self.instance.pk:
            person = self.instance
            self.resident = id_numbers.ResidentId(person.id_number, person.birth_date, person.sex)
            return ""
        if not text:
            raise ValidationError(MSG_ID_NUMBER_REQUIRED, code="required")
        self.resident = id_numbers.parse(text)
        return self.resident.number

    def _post_clean(self):
        if self.cleaned_data.get("id_number"):
            self.instance.id_number = self.cleaned_data["id_number"]
        super()._post_clean()


# A tuple: the inline formset appends its foreign key to a list of fields it is given.
MEMBER_FIELDS = ("name", "id_number", "relation", "phone", "education", "health", "hukou_status")


def member_details(form) -> dict:
    """A member form's values for the person services; an empty ID number keeps the stored one."""
    details = {name: form.cleaned_data[name] for name in MEMBER_FIELDS}
    if not details["id_number"]:
        del details["id_number"]
    return details


class MemberForm(BootstrapMixin, PersonIdNumberForm):
    class Meta:
        model = Person
        fields = MEMBER_FIELDS

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self._style()

    def clean_id_number(self):
        number = super().clean_id_number()
        if number:
            self._refuse_registered(number)
        return number

    def _refuse_registered(self, number):
        """A number registered to another person: name the household when the user may see it."""
        holder = Person.objects.with_id_number(number).exclude(pk=self.instance.pk)
        holder = holder.select_related("household__settlement").first()
        if holder is None:
            return
        if Household.objects.for_user(self.user).filter(pk=holder.household_id).exists():
            household = holder.household
            raise ValidationError(
                MSG_REGISTERED_IN.format(code=household.code, settlement=household.settlement.name, name=holder.name)
            )
        raise ValidationError(MSG_REGISTERED_ELSEWHERE)

    def validate_unique(self):
        """The ID number's uniqueness is checked above, with a message that helps the clerk."""
        self._validate_unique = False


class BaseMemberFormSet(CheckedInlineFormSetMixin, BaseInlineFormSet):
    """The household's active members; together they must make a consistent household."""

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, form_kwargs={"user": user}, **kwargs)

    def get_queryset(self):
        return super().get_queryset().filter(status=PersonStatus.ACTIVE).order_by("id")

    def validate_unique(self):
        """Duplicates on the page are reported beside the ID number field by clean() below."""

    def clean(self):
        super().clean()
        members, forms_in_order, seen = [], [], {}
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            resident = form.resident
            number = resident.number if resident else None
            if number in seen:
                form.add_error("id_number", MSG_DUPLICATE_IN_FORM)
            seen[number] = form
            relation = form.cleaned_data.get("relation")
            if resident and relation:
                members.append(rules.Member(relation, resident.birth_date, resident.sex))
                forms_in_order.append(form)
        if not seen:
            raise ValidationError(MSG_NO_MEMBERS)
        if len(members) == len(seen) and not any(form.errors for form in forms_in_order):
            self._check_composition(members, forms_in_order)

    def _check_composition(self, members, forms_in_order):
        for problem in rules.check_household(members, timezone.localdate()):
            if problem.index is None:
                raise ValidationError(problem.message)
            forms_in_order[problem.index].add_error(problem.field, problem.message)


# A household's members on one page: a formset claiming more forms (a tampered management form) is refused
# without building them.
MAX_MEMBERS = 50

MemberFormSet = inlineformset_factory(
    Household,
    Person,
    form=MemberForm,
    formset=BaseMemberFormSet,
    extra=1,
    can_delete=False,
    max_num=MAX_MEMBERS,
    absolute_max=MAX_MEMBERS,
)


class DateForm(BootstrapMixin, PortalForm):
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise ValidationError("日期不能晚于今天。")
        return date


class MoveOutForm(DateForm):
    reason = forms.CharField(label="迁出原因", max_length=200)


class MemberLeaveForm(DateForm):
    person = forms.ModelChoiceField(label="离开的成员", queryset=Person.objects.none())
    reason = forms.ChoiceField(
        label="原因",
        choices=member_reasons(MembershipEnd.choices),
    )
    note = forms.CharField(label="说明", max_length=200, required=False)
    new_head = forms.ModelChoiceField(label="新户主（户主离开时必填）", queryset=Person.objects.none(), required=False)

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        members = household.members.active().order_by("id")
        self.fields["person"].queryset = members
        self.fields["new_head"].queryset = members.exclude(relation=Relation.HEAD)
        self._style()


class MemberJoinForm(MemberForm):
    """A member joining an existing household: born into it, or joining on a date for a reason."""

    reason = forms.ChoiceField(
        label="加入方式",
        choices=member_reasons(MembershipStart.choices),
    )
    date = forms.DateField(
        label="加入日期（出生的以身份证号中的出生日期为准）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, user, household, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.household = household

    def clean(self):
        cleaned = super().clean()
        resident, relation = self.resident, cleaned.get("relation")
        if cleaned.get("reason") != MembershipStart.BIRTH and not cleaned.get("date"):
            self.add_error("date", "请填写加入日期。")
        if resident and relation:
            self._check_with_household(resident, relation)
        return cleaned

    def _check_with_household(self, resident, relation):
        current = [rules.Member(p.relation, p.birth_date, p.sex) for p in self.household.members.active()]
        members = [*current, rules.Member(relation, resident.birth_date, resident.sex)]
        for problem in rules.check_household(members, timezone.localdate()):
            if problem.index == len(current) or problem.index is None:
                self.add_error("relation", problem.message)


class MemberRelationsMixin:
    """One relation field per active member of `self.household`, named relation_<pk>."""

    def _add_relation_fields(self, label, choices, **options):
        for person in self.household.members.active().order_by("id"):
            self.fields[f"relation_{person.pk}"] = forms.ChoiceField(
                label=label.format(name=person.name, relation=person.get_relation_display()), choices=choices, **options
            )

    def relations(self):
        """{person: relation} for the members given a relation."""
        members = {p.pk: p for p in self.household.members.active()}
        return {
            members[int(name.removeprefix("relation_"))]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("relation_") and value
        }


class SplitForm(MemberRelationsMixin, DateForm):
    code = forms.CharField(label="新户户编号", max_length=30)
    building = forms.ModelChoiceField(label="新户楼栋", queryset=Building.objects.none(), required=False)
    room_number = forms.CharField(label="新户房号", max_length=20, required=False)

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household
        self.fields["building"].queryset = household.settlement.buildings.all()
        self._add_relation_fields("{name}（现为{relation}）", [("", "留在原户"), *Relation.choices], required=False)
        self._style()

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if Household.objects.filter(code=code).exists():
            raise ValidationError("该户编号已被使用。")
        return code


class MergeForm(MemberRelationsMixin, DateForm):
    target_code = forms.CharField(label="并入的户（户编号）", max_length=30)

    def __init__(self, *args, household, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household
        self.user = user
        self._add_relation_fields("{name} 在新户中的关系", Relation.choices, initial=Relation.OTHER)
        self._style()

    def clean_target_code(self):
        code = self.cleaned_data["target_code"].strip()
        target = Household.objects.for_user(self.user).filter(code=code).exclude(pk=self.household.pk).first()
        if target is None:
            raise ValidationError("在您管辖的安置点中找不到该户编号。")
        self.target = target
        return code


def add_service_errors(form, error: ValidationError):
    """Put a service's ValidationError beside the form field it names, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


# --- facilities --------------------------------------------------------------------------------------------------

ATTRIBUTE_PREFIX = "attr_"
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FacilityForm(BootstrapMixin, PortalModelForm):
    """A facility and the attributes its kinds record: one field per attribute of the kinds chosen (those of
    the facility, or of the form as posted, so choosing another kind and pressing 刷新属性 shows its fields)."""

    class Meta:
        model = Facility
        fields = [
            "name",
            "kinds",
            "settlements",
            "address",
            "responsible_unit",
            "planned_on",
            "started_on",
            "in_use_on",
            "closed_on",
            "note",
        ]
        widgets = {
            "kinds": forms.CheckboxSelectMultiple,
            "settlements": forms.CheckboxSelectMultiple,
            "planned_on": DATE_WIDGET,
            "started_on": DATE_WIDGET,
            "in_use_on": DATE_WIDGET,
            "closed_on": DATE_WIDGET,
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, refresh=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["settlements"].queryset = Settlement.objects.for_user(user)
        self.fields["settlements"].required = False
        chosen = self._chosen_kinds()
        self.attributes = facilities.attributes_of(chosen)
        for attribute in self.attributes:
            self.fields[ATTRIBUTE_PREFIX + attribute.key] = _attribute_field(attribute, self.instance.attributes)
        if not self.instance.pk:
            self._offer_default_unit(chosen, refresh)
        self._style()

    def _chosen_kinds(self):
        if self.is_bound:
            keys = [key for key in self.data.getlist(self.add_prefix("kinds")) if key.isdigit()]
            return list(FacilityKind.objects.filter(pk__in=keys))
        if self.instance.pk:
            return list(self.instance.kinds.all())
        return list(FacilityKind.objects.filter(pk__in=self.initial.get("kinds", [])))

    def _offer_default_unit(self, chosen, refresh):
        """A new facility starts with the unit the seed makes responsible for its kind (刷新属性 fills it in
        when none was chosen yet); the user may choose another."""
        unit = facilities.default_unit(chosen)
        if unit is None:
            return
        if self.initial.get("responsible_unit") is None:
            self.initial["responsible_unit"] = unit.pk
        field = self.add_prefix("responsible_unit")
        if self.is_bound and refresh and not self.data.get(field):
            self.data = self.data.copy()
            self.data[field] = str(unit.pk)

    def attribute_fields(self):
        return [self[ATTRIBUTE_PREFIX + attribute.key] for attribute in self.attributes]

    def attribute_values(self) -> dict:
        return {attribute.key: self.cleaned_data.get(ATTRIBUTE_PREFIX + attribute.key) for attribute in self.attributes}


def _attribute_field(attribute: facilities.Attribute, values: dict) -> forms.Field:
    label = f"{attribute.label}（{attribute.unit}）" if attribute.unit else attribute.label
    initial = values.get(attribute.key)
    if attribute.type == AttributeType.NUMBER:
        return forms.DecimalField(
            label=label, required=False, min_value=0, max_digits=12, decimal_places=2, initial=initial
        )
    if attribute.type == AttributeType.YES_NO:
        return forms.BooleanField(label=label, required=False, initial=bool(initial))
    if attribute.type == AttributeType.CHOICE:
        choices = [("", "—"), *((choice, choice) for choice in attribute.choices)]
        return forms.ChoiceField(label=label, required=False, choices=choices, initial=initial)
    return forms.CharField(label=label, required=False, max_length=100, initial=initial)
