"""Forms of the session pages: the session with its participants and photos (the service validates and writes),
and the list's filters (shared by the list page and the activity register's export)."""

import datetime

from django import forms

from settlements.dates import add_months
from settlements.forms import SEARCH_MAX_LENGTH, BootstrapMixin, ListFilter, date_input
from settlements.input_ranges import PortalModelForm
from settlements.models import Facility, Person, ResponsibleUnit, Settlement
from settlements.resident_fields import IdNumbersField, ResidentChoice, chosen_and_named, residents_named

from .models import Session, SessionKind
from .selectors import sessions as selectors

MSG_END_BEFORE_START = "截止日期不能早于起始日期。"


class MultiplePhotoInput(forms.FileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos from one chooser (a phone's camera or album); the photo service checks each, naming it."""

    widget = MultiplePhotoInput(attrs={"multiple": True, "accept": "image/*"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [upload for upload in files if upload]


class SessionForm(BootstrapMixin, PortalModelForm):
    participants = ResidentChoice(
        label="已登记的参加人员",
        queryset=Person.objects.none(),
        required=False,
        help_text="取消勾选即从参加人员中删除。",
    )
    id_numbers = IdNumbersField(
        label="添加参加人员（身份证号）",
        help_text="台账中的本安置点居民，每行一个身份证号（可从签到表粘贴）；不在台账中的只计入参加人数。",
    )
    photos = MultiplePhotoField(label="活动照片", required=False)

    class Meta:
        model = Session
        fields = [
            "settlement",
            "kind",
            "held_on",
            "title",
            "venue",
            "venue_text",
            "organiser",
            "participant_count",
            "note",
        ]
        widgets = {"held_on": date_input(), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["settlement"].queryset = Settlement.objects.for_user(user)
        self.fields["venue"].queryset = Facility.objects.kept_by(user).filter(settlements__isnull=False).distinct()
        self.fields["organiser"].queryset = ResponsibleUnit.objects.order_by("name")
        if self.instance.pk is not None:
            self.fields["participants"].queryset = self.instance.participants.order_by("name", "pk")
            self.initial.setdefault("participants", list(self.instance.participants.all()))
        else:
            del self.fields["participants"]
        self._style()
        self.fields["photos"].widget.attrs["class"] = "form-control"

    def clean(self):
        data = super().clean()
        data["added"] = residents_named(self, "id_numbers", user=self.user, settlement=data.get("settlement"))
        return data

    def all_participants(self) -> list:
        return chosen_and_named(self.cleaned_data.get("participants") or [], self.cleaned_data.get("added", []))


class SessionFilter(ListFilter):
    placeholder = "主题、场所或组织单位"
    field_order = ["settlement", "kind", "month", "start", "end", "q"]
    settlement = forms.ModelChoiceField(label="安置点", queryset=Settlement.objects.none(), required=False)
    kind = forms.ChoiceField(label="活动类别", choices=[("", "全部"), *SessionKind.choices], required=False)
    month = forms.DateField(
        label="月份",
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    start = forms.DateField(label="起始日期", required=False, widget=date_input())
    end = forms.DateField(label="截止日期", required=False, widget=date_input())
    q = forms.CharField(label="搜索", required=False, max_length=SEARCH_MAX_LENGTH)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", MSG_END_BEFORE_START)
        return data


def session_query(user, params):
    """The list's form, its period (a month, or start and end) and its rows."""
    form = SessionFilter(params or None, user=user)
    data = form.values()
    start, end = data.get("start"), data.get("end")
    month = data.get("month")
    if month is not None:
        start, end = month, add_months(month, 1) - datetime.timedelta(days=1)
    rows = selectors.session_list(
        user=user,
        settlement=data.get("settlement"),
        kind=data.get("kind", ""),
        start=start,
        end=end,
        query=data.get("q", ""),
    )
    return form, (start, end, data.get("settlement")), rows
