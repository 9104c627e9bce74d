"""Filter forms that narrow the scoped registry lists. Choices offer only what the user may see."""

import datetime
import json

import django_filters
from django import forms
from django.db.models import Q, TextField
from django.db.models.functions import Cast, Right
from django.utils import timezone

from . import audit, rules
from .dates import birth_range
from .facilities import Status, status_condition
from .forms import SEARCH_MAX_LENGTH
from .id_numbers import Sex
from .input_ranges import PortalForm
from .models import (
    AuditCategory,
    AuditOutcome,
    Building,
    BuildingKind,
    Education,
    FacilityKind,
    Grid,
    GridAssignment,
    GridKind,
    Household,
    HouseholdStatus,
    HukouStatus,
    Person,
    PersonStatus,
    ProjectYear,
    Settlement,
    User,
    id_number_search,
)

YES_NO = [("1", "是"), ("0", "否")]
FACILITY_STATUS_CHOICES = list(Status.LABELS.items())
MAX_ROOMS = 50_000  # households sharing one room number, across every settlement and building
TRIGRAM_LENGTH = 3
PHONE_TAIL_LENGTH = 4
PHONE_TAIL = Right("phone", PHONE_TAIL_LENGTH)  # the expression of the index `person_phone_tail4`


def labour_birth_range(on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Birth dates of people of labour age on `on` (inclusive range)."""
    return birth_range(on, rules.LABOUR_AGE_MIN, rules.LABOUR_AGE_MAX)


def search_persons(queryset, query: str):
    """Persons whose name contains `query`, whose phone contains it (or ends with it: 4 digits are a phone's
    尾号), whose room it is, or whose ID number it names: the whole number, its first 6 digits, its last 6 or
    4, or a birth date of 8 digits (`models.id_number_search`; the number is stored encrypted, so a fragment
    from its middle finds nothing).

    Each condition is on the person table alone (the households with that room number are looked up
    first), so PostgreSQL can combine its indexes instead of scanning every person. A trigram index serves
    only strings of three characters or more; a shorter query (a two-character name such as 杨明) finds the
    names that start with it, through the name's b-tree index. Four digits have only two trigrams, which
    most phone numbers share, so they are matched against the phone's last four, on their own index.
    """
    query = query.strip()
    if not query:
        return queryset
    rooms = Household.objects.filter(room_number=query).order_by()  # index `household_room`, no sort
    room_households = list(rooms.values_list("pk", flat=True)[:MAX_ROOMS])
    by_room = Q(household_id__in=room_households)
    if len(query) < TRIGRAM_LENGTH:
        return queryset.filter(Q(name__startswith=query) | by_room)
    if len(query) == PHONE_TAIL_LENGTH and query.isdigit():
        queryset, by_phone = queryset.alias(phone_tail=PHONE_TAIL), Q(phone_tail=query)
    else:
        by_phone = Q(phone__contains=query)
    condition = Q(name__contains=query) | by_phone | by_room
    by_id_number = id_number_search(query)
    return queryset.filter(condition | by_id_number if by_id_number is not None else condition)


class ScopedFilterSet(django_filters.FilterSet):
    """A FilterSet whose settlement and building choices are limited to the user's scope."""

    class Meta:
        form = PortalForm  # the query string is held to the portal's ranges like any form

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset, **kwargs)
        settlements = Settlement.objects.for_user(user)
        self.filters["settlement"].queryset = settlements
        if "building" in self.filters:
            self.filters["building"].queryset = Building.objects.for_user(user).select_related("settlement")
        for name, field in self.form.fields.items():
            css = "form-control" if name == "q" else "form-select"
            field.widget.attrs["class"] = f"{css} form-control-sm" if css == "form-control" else f"{css} form-select-sm"


class HouseholdFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label="搜索", method="filter_search", max_length=SEARCH_MAX_LENGTH)
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
    q = django_filters.CharFilter(label="搜索", method="filter_search", max_length=SEARCH_MAX_LENGTH)
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


class FacilityFilter(ScopedFilterSet):
    search_help = "搜索支持设施名称和地址。"
    q = django_filters.CharFilter(label="搜索", method="filter_search", max_length=SEARCH_MAX_LENGTH)
    settlement = django_filters.ModelChoiceFilter(
        label="服务安置点", field_name="settlements", queryset=Settlement.objects.none()
    )
    kind = django_filters.ModelChoiceFilter(label="设施类型", field_name="kinds", queryset=FacilityKind.objects.all())
    status = django_filters.ChoiceFilter(label="当前状态", choices=FACILITY_STATUS_CHOICES, method="filter_status")

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value))

    def filter_status(self, queryset, name, value):
        return queryset.filter(status_condition(value, timezone.localdate()))


# --- grids and heads ----------------------------------------------------------------------------------------


class GridFilter(ScopedFilterSet):
    search_help = "搜索支持网格名称和备注。"
    q = django_filters.CharFilter(label="搜索", method="filter_search", max_length=SEARCH_MAX_LENGTH)
    settlement = django_filters.ModelChoiceFilter(label="安置点", queryset=Settlement.objects.none())
    kind = django_filters.ChoiceFilter(label="网格类型", choices=GridKind.choices)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(note__icontains=value))


class BuildingHeadFilter(ScopedFilterSet):
    search_help = "搜索支持姓名、联系电话和楼栋名称。"
    q = django_filters.CharFilter(label="搜索", method="filter_search", max_length=SEARCH_MAX_LENGTH)
    settlement = django_filters.ModelChoiceFilter(
        label="安置点", field_name="building__settlement", queryset=Settlement.objects.none()
    )
    building_kind = django_filters.ChoiceFilter(
        label="楼栋类别", field_name="building__kind", choices=BuildingKind.choices
    )
    current = django_filters.ChoiceFilter(label="现任", choices=YES_NO, method="filter_current")

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(phone__contains=value) | Q(building__name__icontains=value))

    def filter_current(self, queryset, name, value):
        today = timezone.localdate()
        current = Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gt=today))
        return queryset.filter(current) if value == "1" else queryset.exclude(current)


class GridHouseholdFilter(HouseholdFilter):
    """The households a bulk assignment chooses from: the registry's filters, and their grids today."""

    grid = django_filters.ModelChoiceFilter(label="现属网格", queryset=Grid.objects.none(), method="filter_grid")
    without = django_filters.ChoiceFilter(label="未划入网格", choices=GridKind.choices, method="filter_without")

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset, user=user, **kwargs)
        self.filters["grid"].queryset = Grid.objects.for_user(user).select_related("settlement")
        self.form.fields["grid"].queryset = self.filters["grid"].queryset  # the form was built before
        self.form.fields["grid"].label_from_instance = lambda grid: grid.choice_label
        for name in ("has_labour", "hukou_status"):
            self.filters.pop(name)
            self.form.fields.pop(name, None)

    def filter_grid(self, queryset, name, value):
        return queryset.filter(grid_assignments__grid=value, grid_assignments__end_date__isnull=True)

    def filter_without(self, queryset, name, value):
        assigned = GridAssignment.objects.filter(kind=value, end_date__isnull=True).values("household_id")
        return queryset.exclude(pk__in=assigned)


# --- the audit trail ----------------------------------------------------------------------------------------

MSG_DATE_INVALID = "请输入有效的日期，如 2026-11-30。"
MSG_DATE_ORDER = "起始日期不能晚于截止日期。"


class AuditFilterForm(PortalForm):
    """The dates lie in the portal's one range (`PortalForm`, input_ranges); the start not after the end."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end and not self.errors:
            self.add_error("date_to", MSG_DATE_ORDER)
        return cleaned


def _date_filter(label, method):
    return django_filters.DateFilter(
        label=label,
        method=method,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": MSG_DATE_INVALID},
    )


class AuditEntryFilter(django_filters.FilterSet):
    """The audit page's search: user, action, target, any text; category, outcome, a range of days."""

    user = django_filters.CharFilter(label="用户", method="filter_user", max_length=SEARCH_MAX_LENGTH)
    action = django_filters.ChoiceFilter(label="操作", method="filter_action")
    target = django_filters.CharFilter(label="对象", method="filter_target", max_length=SEARCH_MAX_LENGTH)
    q = django_filters.CharFilter(label="搜索", method="filter_text", max_length=SEARCH_MAX_LENGTH)
    category = django_filters.ChoiceFilter(label="类别", choices=AuditCategory.choices)
    outcome = django_filters.ChoiceFilter(label="结果", choices=AuditOutcome.choices)
    date_from = _date_filter("起始日期", "filter_date_from")
    date_to = _date_filter("截止日期", "filter_date_to")

    class Meta:
        form = AuditFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["action"].extra["choices"] = _action_choices()
        for field in self.form.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select form-select-sm" if select else "form-control form-control-sm"

    def filter_user(self, queryset, name, value):
        """By user name, or by the full name of a portal user (an anonymous event names who was typed)."""
        value = value.strip()
        users = User.objects.filter(Q(full_name=value) | Q(username__iexact=value))
        return queryset.filter(actor_name__in={value, *users.values_list("username", flat=True)})

    def filter_action(self, queryset, name, value):
        return queryset.filter(action=value)

    # The text searches are LIKE '%…%' (case-sensitive), which the trigram indexes of migration 0012 serve.

    def filter_target(self, queryset, name, value):
        """The record's label (a household code, a person's name, a file) or its number."""
        value = value.strip()
        return queryset.filter(Q(target_label__contains=value) | Q(target_id=value))

    def filter_text(self, queryset, name, value):
        """Any text of the entry's detail (a reason, a file name, an export's filters) or of its record."""
        value = value.strip()
        in_detail = Q()
        for needle in {value, json.dumps(value)[1:-1]}:  # SQLite keeps the JSON with \u escapes
            in_detail |= Q(detail_text__contains=needle)
        detail = Cast("detail", TextField())
        return queryset.annotate(detail_text=detail).filter(in_detail | Q(target_label__contains=value))

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(at__gte=_start_of(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(at__lt=_start_of(value + datetime.timedelta(days=1)))


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _action_choices():
    """The defined actions grouped by category, each "label (name)"."""
    groups = {category: [] for category in AuditCategory.values}
    for action in audit.all_actions():
        groups[action.category].append((action.name, f"{action.label}（{action.name}）"))
    return [(AuditCategory(category).label, choices) for category, choices in groups.items() if choices]
