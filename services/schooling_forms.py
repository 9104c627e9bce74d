"""Forms of the schooling pages: they parse input; the services validate and write. The list filters and their
queries (`*_query`) are shared by each list page and its export."""

import datetime

from django import forms
from django.utils import timezone

from settlements.models import Facility, Settlement

from . import schooling_rules
from .forms import DayFilter, ListFilter, StyledForm, StyledModelForm, date_input
from .models import Catchment, DropoutVisit, SchoolEnrolment, SchoolLevel, StudentAid
from .models.schooling import SCHOOL_KINDS
from .selectors import schooling
from .selectors.schooling import EnrolmentStatus
from .services.outreach import origin_townships

LEVEL_FROM_SCHOOL = [("", "按学校确定"), *SchoolLevel.choices]


def schools_for(user):
    """The schools and kindergartens `user` may read (the county's and those of their settlements)."""
    return Facility.objects.for_user(user).filter(kinds__code__in=SCHOOL_KINDS).distinct().order_by("name")


def _today() -> datetime.date:
    return timezone.localdate()


# --- entry forms ---------------------------------------------------------------------------------------------------


class SchoolEnrolmentForm(StyledModelForm):
    level = forms.ChoiceField(
        label="学段", choices=LEVEL_FROM_SCHOOL, required=False, help_text="学校只有一个学段的可不选。"
    )

    class Meta:
        model = SchoolEnrolment
        fields = ["school", "level", "grade", "start_date", "end_date", "end_reason", "end_note"]
        widgets = {"start_date": date_input(), "end_date": date_input()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools_for(user)
        self._style()


class DropoutVisitForm(StyledModelForm):
    actions = forms.CharField(label="开展的工作", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = DropoutVisit
        fields = ["visited_on", "visitors", "actions", "result"]
        widgets = {"visited_on": date_input()}


class StudentAidForm(StyledModelForm):
    scheme = forms.ChoiceField(label="资助项目", choices=())

    class Meta:
        model = StudentAid
        fields = ["school_year", "scheme", "amount", "granted_on", "note"]
        widgets = {"granted_on": date_input()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = _today()
        schemes = list(dict.fromkeys((schooling_rules.aid_schemes(today) or {}).values()))
        if self.instance.scheme and self.instance.scheme not in schemes:
            schemes.append(self.instance.scheme)
        self.fields["scheme"].choices = [("", "---------"), *((scheme, scheme) for scheme in schemes)]
        self.fields["school_year"].widget.attrs.update({"min": 2016, "max": today.year})
        age = schooling_rules.school_age(today)
        if age is not None and self.instance.pk is None and not self.is_bound:
            self.initial.setdefault("school_year", age.school_year(today))
            self.initial.setdefault("granted_on", today)
        self._style()


class CatchmentForm(StyledModelForm):
    origin_township = forms.ChoiceField(label="迁出乡镇", choices=(), required=False)

    class Meta:
        model = Catchment
        fields = ["level", "school", "settlement", "origin_township", "valid_from", "valid_to", "note"]
        widgets = {"valid_from": date_input(), "valid_to": date_input()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools_for(user)
        self.fields["settlement"].queryset = Settlement.objects.for_user(user)
        townships = origin_townships()
        if self.instance.origin_township and self.instance.origin_township not in townships:
            townships.append(self.instance.origin_township)
        self.fields["origin_township"].choices = [("", "---------"), *((name, name) for name in townships)]
        self.fields["origin_township"].help_text = "按迁出乡镇安排的（初中）选择乡镇，不选安置点。"
        self._style()


# --- list filters ---------------------------------------------------------------------------------------------------


class SchoolEnrolmentFilter(DayFilter):
    school = forms.ModelChoiceField(label="学校", queryset=Facility.objects.none(), required=False)
    status = forms.ChoiceField(label="就读情况", choices=[("", "全部"), *EnrolmentStatus.CHOICES], required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["school"].queryset = schools_for(user)


class CatchmentFilter(StyledForm):
    day = forms.DateField(label="有效日期", required=False, widget=date_input())
    level = forms.ChoiceField(label="学段", choices=[("", "全部"), *SchoolLevel.choices], required=False)
    settlement = forms.ModelChoiceField(label="安置点", queryset=Settlement.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["settlement"].queryset = Settlement.objects.for_user(user)
        self._style()

    values = ListFilter.values


# --- the queries of each list (its page and its export read the same rows) -----------------------------------------


def out_of_school_query(user, params):
    form = DayFilter(params or None, user=user)
    data = form.values()
    day = data.get("day") or _today()
    rows = schooling.out_of_school_list(user=user, day=day, settlement=data.get("settlement"), query=data.get("q"))
    return form, day, rows


def aid_gap_query(user, params):
    form = DayFilter(params or None, user=user)
    data = form.values()
    day = data.get("day") or _today()
    rows = schooling.aid_gap_list(user=user, day=day, settlement=data.get("settlement"), query=data.get("q"))
    return form, day, rows


def school_enrolment_query(user, params):
    form = SchoolEnrolmentFilter(params or None, user=user)
    data = form.values()
    day = data.get("day") or _today()
    rows = schooling.enrolment_list(
        user=user,
        day=day,
        settlement=data.get("settlement"),
        school=data.get("school"),
        status=data.get("status", ""),
        query=data.get("q"),
    )
    return form, day, rows


def catchment_query(user, params):
    form = CatchmentFilter(params or None, user=user)
    data = form.values()
    day = data.get("day") or _today()
    rows = schooling.catchment_list(user=user, level=data.get("level", ""), settlement=data.get("settlement"), day=day)
    return form, day, rows
