"""Forms of the public-services pages, by topic. They parse input; the services validate and write. The
list filters and the queries they select (`*_query`) are shared by each list page and its export."""

import datetime

from django import forms
from django.utils import timezone

from settlements.forms import (
    NOTE_MAX_LENGTH,
    ListFilter,
    StyledForm,
    StyledModelForm,
    date_input,
)
from settlements.models import ResponsibleUnit, Settlement

from .models import (
    CadrePosting,
    CitizenCard,
    Dibao,
    DibaoBasis,
    DibaoKind,
    EnrolmentPlace,
    HukouTransfer,
    InsuranceEnrolment,
    Scheme,
    ServiceDay,
)
from .selectors import hukou, outreach, social_security
from .selectors.hukou import CardStatus
from .services import origin_townships

DEFAULT_SERVICE_DAY_UNITS = ("县生态移民局", "县政务服务中心")  # 附件1第10项：县生态移民局联合县政务服务中心


# --- entry forms ---------------------------------------------------------------------------------------------------


class EnrolmentForm(StyledModelForm):
    class Meta:
        model = InsuranceEnrolment
        fields = ["scheme", "place", "start_date", "end_date", "premium_subsidy", "note"]
        widgets = {"start_date": date_input(), "end_date": date_input()}


class HukouTransferForm(StyledModelForm):
    class Meta:
        model = HukouTransfer
        fields = ["transferred_on", "note"]
        widgets = {"transferred_on": date_input()}


class CitizenCardForm(StyledModelForm):
    class Meta:
        model = CitizenCard
        fields = ["number", "issued_on"]
        widgets = {"issued_on": date_input()}


class DibaoForm(StyledModelForm):
    class Meta:
        model = Dibao
        fields = ["kind", "basis", "start_date", "end_date", "kept_after_exit", "monthly_amount", "note"]
        widgets = {"start_date": date_input(), "end_date": date_input()}


class ReliefForm(StyledForm):
    granted_on = forms.DateField(label="发放日期", widget=date_input())
    amount = forms.DecimalField(label="救助金额（元）", max_digits=9, decimal_places=2, min_value=0)
    note = forms.CharField(label="备注", max_length=200, required=False)


class CadrePostingForm(StyledModelForm):
    origin_township = forms.ChoiceField(label="迁出乡镇", choices=())

    class Meta:
        model = CadrePosting
        fields = ["origin_township", "settlement", "cadre_name", "unit", "start_date", "end_date"]
        widgets = {"start_date": date_input(), "end_date": date_input()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin_township"].choices = [("", "---------")] + [(name, name) for name in origin_townships()]
        self.fields["origin_township"].help_text = "户籍台账中搬迁户的迁出乡镇。"
        self.fields["settlement"].queryset = Settlement.objects.for_user(user)
        self._style()


class ServiceDayForm(StyledModelForm):
    matters = forms.CharField(
        label="集中办理的事项", max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = ServiceDay
        fields = ["settlement", "held_on", "starts_at", "units", "matters", "households_served"]
        widgets = {"held_on": date_input(), "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["settlement"].queryset = Settlement.objects.for_user(user)
        self.fields["units"].queryset = ResponsibleUnit.objects.order_by("name")
        self.fields["units"].help_text = "按住 Ctrl 可多选；默认为县生态移民局、县政务服务中心。"
        if self.instance.pk is None and not self.is_bound:
            self.initial.setdefault("units", list(ResponsibleUnit.objects.filter(name__in=DEFAULT_SERVICE_DAY_UNITS)))
        self._style()


# --- list filters ---------------------------------------------------------------------------------------------------


class PersonListFilter(ListFilter):
    """A list of persons' records: searched by name or ID number."""

    placeholder = "姓名或身份证号"


class DayFilter(PersonListFilter):
    day = forms.DateField(label="统计日期", required=False, widget=date_input())


class EnrolmentFilter(PersonListFilter):
    scheme = forms.ChoiceField(label="险种", choices=[("", "全部"), *Scheme.choices], required=False)
    place = forms.ChoiceField(label="参保地", choices=[("", "全部"), *EnrolmentPlace.choices], required=False)


class CardFilter(DayFilter):
    status = forms.ChoiceField(label="办证情况", choices=[("", "全部"), *CardStatus.CHOICES], required=False)


class DibaoFilter(DayFilter):
    placeholder = "户编号或成员姓名"
    kind = forms.ChoiceField(label="低保类别", choices=[("", "全部"), *DibaoKind.choices], required=False)
    basis = forms.ChoiceField(label="依据", choices=[("", "全部"), *DibaoBasis.choices], required=False)


class HouseholdFilter(ListFilter):
    placeholder = "户编号或成员姓名"


class PostingFilter(DayFilter):
    placeholder = "干部姓名"
    township = forms.CharField(label="迁出乡镇", required=False, max_length=40)


class ServiceDayFilter(ListFilter):
    placeholder = "办理事项"
    year = forms.IntegerField(label="年份", required=False, min_value=2019, max_value=2100)


def _today() -> datetime.date:
    return timezone.localdate()


# --- the queries of each list (its page and its export read the same rows) -----------------------------------------


def uninsured_query(user, params):
    form = DayFilter(params or None, user=user)
    data = form.values()
    day = data.get("day") or _today()
    rows = social_security.uninsured_list(user=user, day=day, settlement=data.get("settlement"), query=data.get("q"))
    return form, day, rows


def gap_query(user, params):
    form = DayFilter(params or None, user=user)
    data = form.values()
    day = data.get("day") or _today()
    rows = social_security.gap_list(user=user, day=day, settlement=data.get("settlement"), query=data.get("q"))
    return form, day, rows


def enrolment_query(user, params):
    form = EnrolmentFilter(params or None, user=user)
    data = form.values()
    rows = social_security.enrolment_list(
        user=user,
        settlement=data.get("settlement"),
        scheme=data.get("scheme", ""),
        place=data.get("place", ""),
        query=data.get("q"),
    )
    return form, _today(), rows


def card_query(user, params):
    form = CardFilter(params or None, user=user)
    data = form.values()
    day = data.get("day") or _today()
    rows = hukou.card_list(
        user=user, day=day, settlement=data.get("settlement"), status=data.get("status", ""), query=data.get("q")
    )
    return form, day, rows


def dibao_query(user, params):
    form = DibaoFilter(params or None, user=user)
    data = form.values()
    day = data.get("day")
    rows = social_security.dibao_list(
        user=user,
        day=day,
        settlement=data.get("settlement"),
        kind=data.get("kind", ""),
        basis=data.get("basis", ""),
        query=data.get("q"),
    )
    return form, day, rows


def relief_query(user, params):
    form = HouseholdFilter(params or None, user=user)
    data = form.values()
    rows = social_security.relief_list(user=user, settlement=data.get("settlement"), query=data.get("q"))
    return form, _today(), rows


def posting_query(user, params):
    form = PostingFilter(params or None, user=user)
    data = form.values()
    day = data.get("day")
    rows = outreach.posting_list(
        user=user,
        day=day,
        settlement=data.get("settlement"),
        township=data.get("township", ""),
        query=data.get("q", ""),
    )
    return form, day, rows


def service_day_query(user, params):
    form = ServiceDayFilter(params or None, user=user)
    data = form.values()
    year = data.get("year") or _today().year
    rows = outreach.service_day_list(user=user, settlement=data.get("settlement"), year=year, query=data.get("q", ""))
    return form, year, rows
