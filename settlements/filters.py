"""Filter forms that narrow the scoped registry lists. Choices offer only what the user may see."""

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone

from . import rules
from .dates import birth_range
from .id_numbers import Sex
from .input_ranges import PortalForm
from .models import (
    Building,
    Education,
    Household,
    HouseholdStatus,
    HukouStatus,
    Person,
    PersonStatus,
    ProjectYear,
    Settlement,
)

YES_NO = [("1", "是"), ("0", "否")]
MAX_ROOMS = 50_000  # households sharing one room number, across every settlement and building
TRIGRAM_LENGTH = 3


def labour_birth_range(on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Birth dates of people of labour age on `on` (inclusive range)."""
    return birth_range(on, rules.LABOUR_AGE_MIN, rules.LABOUR_AGE_MAX)


def search_persons(queryset, query: str):
    """Persons whose name, ID number (full or partial) or phone contains `query`, or whose room it is.

    Each condition is on the person table alone (the households with that room number are looked up
    first), so PostgreSQL can combine its indexes instead of scanning every person. A trigram index serves
    only strings of three characters or more; a shorter query (a two-character name such as 杨明) finds the
    names that start with it, through the name's b-tree index.
    """
    query = query.strip()
    if not query:
        return queryset
    room_households = list(Household.objects.filter(room_number=query).values_list("pk", flat=True)[:MAX_ROOMS])
    by_room = Q(household_id__in=room_households)
    if len(query) < TRIGRAM_LENGTH:
        return queryset.filter(Q(name__startswith=query) | by_room)
    return queryset.filter(
        Q(name__contains=query) | Q(id_number__contains=query.upper()) | Q(phone__contains=query) | by_room
    )


class ScopedFilterSet(django_filters.FilterSet):
    """A FilterSet whose settlement and building choices are limited to the user's scope."""

    class Meta:
        form = PortalForm  # the query string is held to the portal's ranges like any form

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset, **kwargs)
        settlements = Settlement.objects.for_user(user)
        self.filters["settlement"].queryset = settlements
        self.filters["building"].queryset = Building.objects.for_user(user).select_related("settlement")
        for name, field in self.form.fields.items():
            css = "form-control" if name == "q" else "form-select"
            field.widget.attrs["class"] = f"{css} form-control-sm" if css == "form-control" else f"{css} form-select-sm"


class HouseholdFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label="搜索", method="filter_search")
    settlement = django_filters.ModelChoiceFilter(label="安置点", queryset=Settlement.objects.none())
    building = django_filters.ModelChoiceFilter(label="楼栋", queryset=Building.objects.none())
    project_year = django_filters.ChoiceFilter(label="搬迁年度", choices=ProjectYear.choices)
    registered_poor = django_filters.BooleanFilter(label="建档立卡")
    status = django_filters.ChoiceFilter(label="状态", choices=HouseholdStatus.choices)
    hukou_status = django_filters.ChoiceFilter(label="户籍状态", choices=HukouStatus.choices, method="filter_hukou")
    has_labour = django_filters.ChoiceFilter(label="有劳动年龄人口", choices=YES_NO, method="filter_labour")

    def filter_search(self, queryset, name, value):
        members = search_persons(Person.objects.all(), value).values("household_id")
        value = value.strip()
        return queryset.filter(Q(code__icontains=value) | Q(room_number=value) | Q(pk__in=members))

    def filter_hukou(self, queryset, name, value):
        return queryset.filter(pk__in=Person.objects.active().filter(hukou_status=value).values("household_id"))

    def filter_labour(self, queryset, name, value):
        oldest, youngest = labour_birth_range(timezone.localdate())
        labour = Person.objects.active().filter(birth_date__range=(oldest, youngest)).values("household_id")
        return queryset.filter(pk__in=labour) if value == "1" else queryset.exclude(pk__in=labour)


class PersonFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label="搜索", method="filter_search")
    settlement = django_filters.ModelChoiceFilter(label="安置点", queryset=Settlement.objects.none())
    building = django_filters.ModelChoiceFilter(
        label="楼栋", field_name="household__building", queryset=Building.objects.none()
    )
    project_year = django_filters.ChoiceFilter(
        label="搬迁年度", field_name="household__project_year", choices=ProjectYear.choices
    )
    registered_poor = django_filters.BooleanFilter(label="建档立卡", field_name="household__registered_poor")
    status = django_filters.ChoiceFilter(label="在册状态", choices=PersonStatus.choices)
    labour_age = django_filters.ChoiceFilter(label="劳动年龄", choices=YES_NO, method="filter_labour")
    hukou_status = django_filters.ChoiceFilter(label="户籍状态", choices=HukouStatus.choices)
    sex = django_filters.ChoiceFilter(label="性别", choices=Sex.CHOICES)
    education = django_filters.ChoiceFilter(label="文化程度", choices=Education.choices)

    def filter_search(self, queryset, name, value):
        return search_persons(queryset, value)

    def filter_labour(self, queryset, name, value):
        labour_births = labour_birth_range(timezone.localdate())
        if value == "1":
            return queryset.filter(birth_date__range=labour_births)
        return queryset.exclude(birth_date__range=labour_births)
