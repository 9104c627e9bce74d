"""Forms of the health pages (医疗卫生): medical staff, the screening ledger and its monitoring, family-doctor
contracts; the list filters and the queries each list page shares with its export (`*_query`)."""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone

from .forms import DayFilter, PersonListFilter, StyledModelForm, date_input
from .models import FamilyDoctorContract, IllnessScreening, MedicalStaff, MonitoringEntry, ScreeningStatus
from .selectors import health


class MedicalStaffForm(StyledModelForm):
    class Meta:
        model = MedicalStaff
        fields = ["name", "sex", "role", "western_and_chinese", "qualification", "trained_on", "start_date", "end_date"]
        widgets = {"trained_on": date_input(), "start_date": date_input(), "end_date": date_input()}


class ScreeningForm(StyledModelForm):
    class Meta:
        model = IllnessScreening
        fields = ["screened_on", "diagnosis", "status", "treated_at"]
        widgets = {"screened_on": date_input()}


class MonitoringEntryForm(StyledModelForm):
    note = forms.CharField(label="情况", max_length=300, widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = MonitoringEntry
        fields = ["noted_on", "note", "status"]
        widgets = {"noted_on": date_input()}


class ContractForm(StyledModelForm):
    class Meta:
        model = FamilyDoctorContract
        fields = ["doctor", "team", "signed_on", "valid_to"]
        widgets = {"signed_on": date_input(), "valid_to": date_input()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        household = self.instance.household
        serving = Q(facility__settlements=household.settlement_id) | Q(facility__settlements__isnull=True)
        doctors = MedicalStaff.objects.filter(serving, facility__in=health.health_facilities().values("pk"))
        self.fields["doctor"].queryset = doctors.select_related("facility").distinct().order_by("name", "id")
        self.fields["doctor"].label_from_instance = lambda staff: f"{staff.name}（{staff.facility.name}）"
        self.fields["doctor"].help_text = "服务本户所在安置点的医疗卫生机构的医务人员；未指定医生的填写签约团队。"


# --- list filters ---------------------------------------------------------------------------------------------------


class ClinicFilter(DayFilter):
    placeholder = "机构名称"


class ScreeningFilter(PersonListFilter):
    status = forms.ChoiceField(label="救治情况", choices=[("", "全部"), *ScreeningStatus.choices], required=False)


class ContractFilter(DayFilter):
    placeholder = "户编号或成员姓名"


class UnsignedFilter(DayFilter):
    placeholder = "户编号或成员姓名"


def _today() -> datetime.date:
    return timezone.localdate()


# --- the queries of each list (its page and its export read the same rows) -----------------------------------------


def clinic_query(user, params):
    form = ClinicFilter(params or None, user=user)
    data = form.values()
    day = data.get("day") or _today()
    facilities = health.health_facilities(user)
    if data.get("settlement") is not None:
        facilities = facilities.filter(settlements=data["settlement"])
    if data.get("q"):
        facilities = facilities.filter(name__contains=data["q"].strip())
    return form, day, health.clinic_staffing(facilities, day)


def unscreened_query(user, params):
    form = DayFilter(params or None, user=user)
    data = form.values()
    day = data.get("day") or _today()
    rows = health.unscreened_list(user=user, day=day, settlement=data.get("settlement"), query=data.get("q"))
    return form, day, rows


def screening_query(user, params):
    form = ScreeningFilter(params or None, user=user)
    data = form.values()
    rows = health.screening_list(
        user=user, settlement=data.get("settlement"), status=data.get("status", ""), query=data.get("q")
    )
    return form, _today(), rows


def contract_query(user, params):
    form = ContractFilter(params or None, user=user)
    data = form.values()
    day = data.get("day")
    rows = health.contract_list(user=user, day=day, settlement=data.get("settlement"), query=data.get("q"))
    return form, day, rows


def unsigned_query(user, params):
    form = UnsignedFilter(params or None, user=user)
    data = form.values()
    day = data.get("day") or _today()
    rows = health.uncontracted_households(user=user, day=day, settlement=data.get("settlement"), query=data.get("q"))
    return form, day, rows
