"""Filters of the work plan's lists. Status is computed, so it narrows the computed states, not a queryset."""

import django_filters
from django import forms
from django.db.models import Q

from settlements.forms import SEARCH_MAX_LENGTH
from settlements.input_ranges import PortalForm
from settlements.models import ResponsibleUnit, WorkTeam

from .models import ActionStatus, FollowUpAction, PlanDocument, ProgressReport, ReportStatus, Task, unit_task_filter
from .status import TaskStatus


class TaskFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="搜索",
        method="search",
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": "编号、任务名称或内容"}),
    )
    document = django_filters.ChoiceFilter(label="所属文件", choices=PlanDocument.choices)
    work_team = django_filters.ModelChoiceFilter(label="工作专班", queryset=WorkTeam.objects.order_by("sort_order"))
    unit = django_filters.ModelChoiceFilter(label="责任单位", queryset=ResponsibleUnit.objects.all(), method="by_unit")
    mine = django_filters.BooleanFilter(label="仅本单位", method="only_mine", widget=forms.CheckboxInput)
    status = django_filters.ChoiceFilter(label="状态", choices=TaskStatus.choices, method="by_status")

    class Meta:
        model = Task
        form = PortalForm
        fields = ["q", "document", "work_team", "unit", "status"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not (user and user.unit_id):
            del self.filters["mine"]
        _style(self.form)

    def search(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(title__icontains=value) | Q(text__icontains=value) | Q(number=value))
            if value
            else queryset
        )

    def by_unit(self, queryset, name, value):
        return queryset.filter(pk__in=Task.objects.filter(unit_task_filter([value.pk])).values("pk"))

    def only_mine(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=Task.objects.filter(unit_task_filter([self.user.unit_id])).values("pk"))

    def by_status(self, queryset, name, value):
        return queryset  # applied to the computed states by `wanted_status`

    @property
    def wanted_status(self):
        return self.form.cleaned_data.get("status") if self.form.is_valid() else ""


def _style(form):
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxInput):
            field.widget.attrs.setdefault("class", "form-check-input")
            continue
        css = "form-select form-select-sm" if hasattr(field, "choices") else "form-control form-control-sm"
        field.widget.attrs.setdefault("class", css)


class ReportFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=ReportStatus.choices)
    period = django_filters.DateFilter(
        label="报告月份", method="by_period", widget=forms.DateInput(attrs={"type": "month"}), input_formats=["%Y-%m"]
    )
    unit = django_filters.ModelChoiceFilter(label="填报单位", queryset=ResponsibleUnit.objects.all())
    work_team = django_filters.ModelChoiceFilter(
        label="工作专班", queryset=WorkTeam.objects.order_by("sort_order"), field_name="task__work_team"
    )

    class Meta:
        model = ProgressReport
        form = PortalForm
        fields = ["status", "period", "unit", "work_team"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self.form)

    def by_period(self, queryset, name, value):
        return queryset.filter(period=value.replace(day=1))


class ActionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=ActionStatus.choices)
    owner_unit = django_filters.ModelChoiceFilter(label="责任单位", queryset=ResponsibleUnit.objects.all())
    q = django_filters.CharFilter(
        label="搜索", field_name="text", lookup_expr="icontains", max_length=SEARCH_MAX_LENGTH
    )

    class Meta:
        model = FollowUpAction
        form = PortalForm
        fields = ["status", "owner_unit", "q"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self.form)
