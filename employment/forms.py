"""Forms of the employment pages. They parse input; the services validate and write."""

import datetime

from django import forms
from django.utils import timezone

from settlements import input_ranges
from settlements.forms import NOTE_MAX_LENGTH, SEARCH_MAX_LENGTH
from settlements.input_ranges import PortalForm, PortalModelForm
from settlements.models import Person, Settlement
from settlements.resident_fields import IdNumbersField, residents_named

from . import selectors
from .models import (
    Employer,
    Employment,
    EmploymentEnd,
    JobPost,
    LabourCondition,
    LabourProfile,
    TrainingRecord,
    WelfarePost,
    Workshop,
)
from .selectors import WorkStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def bootstrap(form):
    """Bootstrap classes on every widget (checkboxes get theirs)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
    return form


class StyledModelForm(PortalModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class EmploymentForm(StyledModelForm):
    class Meta:
        model = Employment
        fields = [
            "kind",
            "employer",
            "employer_name",
            "job_title",
            "place",
            "start_date",
            "contract_months",
            "social_insurance",
            "monthly_pay",
            "workshop",
            "welfare_post",
            "placed_by",
            "follow_up_months",
            "business_registered_on",
            "training",
            "job_post",
        ]
        widgets = {"start_date": DateInput(), "business_registered_on": DateInput()}

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = Workshop.objects.filter(closed_on__isnull=True)
        self.fields["welfare_post"].queryset = WelfarePost.objects.filter(
            settlement_id=person.settlement_id, abolished_on__isnull=True
        )
        self.fields["training"].queryset = TrainingRecord.objects.filter(person=person)
        self.fields["job_post"].queryset = JobPost.objects.select_related("employer")
        self.fields["employer_name"].help_text = "用工单位不在列表中时填写名称。"


class EmploymentEndForm(PortalForm):
    end_date = forms.DateField(label="离岗日期", widget=DateInput())
    reason = forms.ChoiceField(label="离岗原因", choices=EmploymentEnd.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ProfileForm(StyledModelForm):
    class Meta:
        model = LabourProfile
        fields = ["skills", "training_wish", "job_wish", "place_wish"]


class ConditionForm(StyledModelForm):
    class Meta:
        model = LabourCondition
        fields = ["kind", "start_date", "end_date", "note"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}


class TrainingForm(StyledModelForm):
    class Meta:
        model = TrainingRecord
        fields = [
            "course",
            "kind",
            "sector",
            "provider",
            "employer",
            "start_date",
            "end_date",
            "days",
            "on_the_job",
            "completed",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}


class VisitForm(PortalForm):
    visited_on = forms.DateField(label="帮扶日期", widget=DateInput())
    note = forms.CharField(label="帮扶情况", max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class JobPostForm(StyledModelForm):
    requirements = forms.CharField(
        label=JobPost._meta.get_field("requirements").verbose_name,
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = JobPost
        fields = [
            "employer",
            "title",
            "sector",
            "skills",
            "requirements",
            "place",
            "place_kind",
            "pay_min",
            "pay_max",
            "benefits",
            "openings",
            "max_age",
            "published_on",
            "valid_until",
        ]
        widgets = {
            "published_on": DateInput(),
            "valid_until": DateInput(),
        }


class EmployerForm(StyledModelForm):
    class Meta:
        model = Employer
        fields = ["name", "kind", "credit_code", "staff_count", "is_small", "address", "contact"]


class PushForm(PortalForm):
    settlement = forms.ModelChoiceField(label="安置点", queryset=Settlement.objects.none())
    held_on = forms.DateField(label="活动日期", widget=DateInput())
    title = forms.CharField(label="活动名称", max_length=100)
    posts = forms.ModelMultipleChoiceField(label="推送岗位", queryset=JobPost.objects.none())
    persons = IdNumbersField(
        label="推送对象身份证号", required=True, help_text="每行一个身份证号；只能是本安置点在册人员。"
    )
    note = forms.CharField(
        label="说明", required=False, max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["settlement"].queryset = Settlement.objects.for_user(user)
        self.fields["posts"].queryset = posts
        bootstrap(self)

    def clean(self):
        data = super().clean()
        data["person_list"] = residents_named(self, "persons", user=self.user, settlement=data.get("settlement"))
        return data


class LedgerFilterForm(PortalForm):
    settlement = forms.ModelChoiceField(label="安置点", queryset=Settlement.objects.none(), required=False)
    status = forms.ChoiceField(label="就业状态", choices=[("", "全部"), *WorkStatus.CHOICES], required=False)
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": "姓名或身份证号"}),
    )
    day = forms.DateField(label="统计日期", required=False, widget=DateInput())

    def __init__(self, *args, settlements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["settlement"].queryset = settlements
        bootstrap(self)


def labour_ledger_query(user, params):
    """The ledger's filter form on `params`, the day it names (default today) and the labour stays it selects in
    `user`'s scope: the ledger page and its export read the same rows."""
    form = LedgerFilterForm(params or None, settlements=Settlement.objects.for_user(user))
    data = form.cleaned_data if form.is_valid() else {}
    day = data.get("day") or timezone.localdate()
    stays = selectors.labour_ledger(
        user=user, day=day, settlement=data.get("settlement"), status=data.get("status", ""), query=data.get("q", "")
    )
    return form, day, stays


class JobPostQuery(PortalForm):
    """?post=12: the job post a new job is registered from."""

    post = forms.ModelChoiceField(label="岗位", queryset=JobPost.objects.select_related("employer"), required=False)


def this_month() -> datetime.date:
    return timezone.localdate().replace(day=1)


def month_of(params) -> datetime.date:
    """The first day of the month `?month=YYYY-MM` names, in the portal's range of dates; this month when it names
    none or is refused."""
    month, _ = input_ranges.query_value(input_ranges.MonthQuery, params, this_month())
    return month
