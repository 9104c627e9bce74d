"""Forms of the culture pages (old-vs-new house photos, selections). They parse input; the services validate and
write. The list filters and the queries they select (`*_query`) are shared by each list page and its export."""

from django import forms
from django.utils import timezone

from settlements.forms import ListFilter, StyledForm, StyledModelForm, date_input
from settlements.models import Household, Person, PersonStatus, ProjectYear, ResponsibleUnit, Settlement

from .models import DEFAULT_HANGING_UNIT, HousePhoto, Selection, SelectionCategory
from .selectors import house_photos, selections
from .selectors.house_photos import PhotoStatus

MSG_NO_SUCH_HOUSEHOLD = "安置点{settlement}没有户编号为“{code}”的搬迁户（或不在您的管辖范围内）。"
MSG_NO_SUCH_MEMBER = "户“{code}”中没有名为“{name}”的在册成员。"
MSG_SEVERAL_MEMBERS = "户“{code}”中有 {count} 名在册成员名为“{name}”，无法区分：请改为评选该户。"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def photo_field(label: str, required: bool = False) -> forms.Field:
    """A file input that takes several photos at once, the camera or the album on a phone; the files are read
    from `request.FILES` by the view and checked by the photo mechanism."""
    return forms.Field(
        label=label,
        required=required,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "multiple": True}),
    )


# --- entry forms ---------------------------------------------------------------------------------------------------


class HousePhotoForm(StyledModelForm):
    photos = photo_field("新旧住房对比照片（旧房和新房，可多选）")

    class Meta:
        model = HousePhoto
        fields = ["hung_on", "hung_by", "note"]
        widgets = {"hung_on": date_input()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hung_by"].queryset = ResponsibleUnit.objects.filter(is_active=True).order_by("sort_order", "name")
        self.fields["hung_by"].help_text = "附件3：新旧对比照片由县生态移民局收集整理、悬挂。"
        if self.instance.pk is None and not self.is_bound:
            self.initial.setdefault("hung_by", ResponsibleUnit.objects.filter(name=DEFAULT_HANGING_UNIT).first())
            self.initial.setdefault("hung_on", timezone.localdate())
        self.fields["photos"].help_text = "首次登记须上传照片；更正时可不再上传。"
        self._style()


class SelectionForm(StyledModelForm):
    class Meta:
        model = Selection
        fields = ["settlement", "year", "category", "other_name", "held_on", "organiser", "note"]
        widgets = {"held_on": date_input()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["settlement"].queryset = Settlement.objects.for_user(user)
        self.fields["organiser"].queryset = ResponsibleUnit.objects.filter(is_active=True).order_by(
            "sort_order", "name"
        )
        self.fields["year"].min_value = 2016
        if self.instance.pk is None and not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year)
        self._style()


class HonourForm(StyledForm):
    """Who is honoured, as a clerk knows them: the household's 户编号 and, for a person, their name in it."""

    household_code = forms.CharField(label="户编号", max_length=30)
    person_name = forms.CharField(
        label="获评人姓名", max_length=30, required=False, help_text="评选个人时填写；评选家庭时留空。"
    )
    citation = forms.CharField(
        label="事迹简介", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    photos = photo_field("照片（可多选）")

    def __init__(self, *args, user, selection, **kwargs):
        self.user, self.selection = user, selection
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        code, name = data.get("household_code", "").strip(), data.get("person_name", "").strip()
        if not code:
            return data
        household = (
            Household.objects.for_user(self.user).filter(code=code, settlement_id=self.selection.settlement_id).first()
        )
        if household is None:
            settlement = self.selection.settlement
            self.add_error("household_code", MSG_NO_SUCH_HOUSEHOLD.format(settlement=settlement, code=code))
            return data
        data["household"], data["person"] = household, None
        if name:
            members = list(Person.objects.filter(household=household, name=name, status=PersonStatus.ACTIVE)[:3])
            if not members:
                self.add_error("person_name", MSG_NO_SUCH_MEMBER.format(code=code, name=name))
            elif len(members) > 1:
                self.add_error("person_name", MSG_SEVERAL_MEMBERS.format(code=code, name=name, count=len(members)))
            else:
                data["household"], data["person"] = None, members[0]
        return data


# --- list filters ---------------------------------------------------------------------------------------------------


class HousePhotoFilter(ListFilter):
    placeholder = "户编号、户主姓名或楼栋"
    day = forms.DateField(label="统计日期", required=False, widget=date_input())
    project_year = forms.TypedChoiceField(
        label="搬迁年度", choices=[("", "全部"), *ProjectYear.choices], coerce=int, required=False, empty_value=None
    )
    status = forms.ChoiceField(label="照片情况", choices=[("", "全部"), *PhotoStatus.CHOICES], required=False)


class SelectionFilter(ListFilter):
    placeholder = "类别名称、组织单位、获评人或户编号"
    year = forms.IntegerField(label="评选年度", required=False, min_value=2016, max_value=2100)
    category = forms.ChoiceField(label="评选类别", choices=[("", "全部"), *SelectionCategory.choices], required=False)


def _today():
    return timezone.localdate()


def house_photo_query(user, params):
    form = HousePhotoFilter(params or None, user=user)
    data = form.values()
    day = data.get("day") or _today()
    rows = house_photos.photo_list(
        user=user,
        day=day,
        settlement=data.get("settlement"),
        project_year=data.get("project_year"),
        status=data.get("status", ""),
        query=data.get("q", ""),
    )
    return form, day, rows


def selection_query(user, params):
    form = SelectionFilter(params or None, user=user)
    data = form.values()
    rows = selections.selection_list(
        user=user,
        settlement=data.get("settlement"),
        year=data.get("year"),
        category=data.get("category", ""),
        query=data.get("q", ""),
    )
    return form, _today(), rows
