"""Forms of the culture facilities' pages: they parse input; the services validate and write. The list filters and
the queries they select (`*_query`) are shared by each list page and its export."""

from django import forms
from django.utils import timezone

from settlements.forms import (
    NOTE_MAX_LENGTH,
    ListFilter,
    StyledModelForm,
    date_input,
)
from settlements.models import FacilityKind, Person, ResponsibleUnit, Settlement

from .models import (
    ArtForm,
    ArtWork,
    BookStockUpdate,
    CollectionItem,
    CollectionKind,
    CultureTeam,
    NostalgiaStep,
    TeamKind,
)
from .selectors import facilities as selectors

MSG_UNKNOWN_ID = "第 {line} 行的身份证号不在您管辖的户籍台账中。"
MAX_NEW_MEMBERS = 200


# --- entry forms ---------------------------------------------------------------------------------------------------


class BookStockForm(StyledModelForm):
    class Meta:
        model = BookStockUpdate
        fields = ["updated_on", "titles_added", "volumes_added", "note"]
        widgets = {"updated_on": date_input(), "note": forms.Textarea(attrs={"rows": 2})}


class NostalgiaStepForm(StyledModelForm):
    class Meta:
        model = NostalgiaStep
        fields = ["step", "done_on", "note"]
        widgets = {"done_on": date_input(), "note": forms.Textarea(attrs={"rows": 3})}


class CollectionItemForm(StyledModelForm):
    class Meta:
        model = CollectionItem
        fields = ["kind", "title", "origin_township", "origin_village", "donor", "collected_on", "note"]
        widgets = {"collected_on": date_input(), "note": forms.Textarea(attrs={"rows": 3})}


class CultureTeamForm(StyledModelForm):
    keep_members = forms.ModelMultipleChoiceField(
        label="现有户籍台账成员", queryset=Person.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    add_members = forms.CharField(
        label="添加户籍台账成员（选填）",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行一个身份证号；须为本安置点的在册人员。",
    )

    class Meta:
        model = CultureTeam
        fields = ["settlement", "kind", "name", "founded_on", "disbanded_on", "leader", "members_count", "note"]
        widgets = {"founded_on": date_input(), "disbanded_on": date_input(), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["settlement"].queryset = Settlement.objects.for_user(user)
        current = self.instance.members.all() if self.instance.pk else Person.objects.none()
        self.fields["keep_members"].queryset = current
        self.fields["keep_members"].initial = list(current)
        self.fields["keep_members"].label_from_instance = lambda p: f"{p.name}（{p.masked_id_number}）"
        if not self.instance.pk:
            del self.fields["keep_members"]
        self._style()

    def clean_add_members(self):
        lines = [line.strip() for line in self.cleaned_data["add_members"].splitlines()]
        found = []
        scope = Person.objects.for_user(self.user)
        for number, line in enumerate(lines[:MAX_NEW_MEMBERS], start=1):
            if not line:
                continue
            person = scope.with_id_number(line.upper()).first()
            if person is None:
                raise forms.ValidationError(MSG_UNKNOWN_ID.format(line=number))
            found.append(person)
        return found

    def members(self) -> list:
        return [*self.cleaned_data.get("keep_members", []), *self.cleaned_data["add_members"]]


class ArtWorkForm(StyledModelForm):
    class Meta:
        model = ArtWork
        fields = ["title", "form", "completed_on", "authors", "units", "note"]
        widgets = {"completed_on": date_input(), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = ResponsibleUnit.objects.order_by("sort_order", "name")
        self.fields["units"].required = False
        self.fields["units"].help_text = "按住 Ctrl 可多选。"
        self._style()


# --- list filters ---------------------------------------------------------------------------------------------------


class FacilityFilter(ListFilter):
    placeholder = "设施名称或地址"
    kind = forms.ModelChoiceField(label="设施类型", queryset=FacilityKind.objects.none(), required=False)
    result = forms.ChoiceField(label="对照标准", choices=[("", "全部"), *selectors.RESULT_CHOICES], required=False)
    day = forms.DateField(label="统计日期", required=False, widget=date_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = selectors.culture_kinds()


class CollectionFilter(ListFilter):
    placeholder = "名称、捐赠人或村寨"
    kind = forms.ChoiceField(label="类别", choices=[("", "全部"), *CollectionKind.choices], required=False)
    township = forms.CharField(label="来源乡镇", required=False, max_length=40)


class TeamFilter(ListFilter):
    placeholder = "队伍名称或负责人"
    kind = forms.ChoiceField(label="类别", choices=[("", "全部"), *TeamKind.choices], required=False)
    active = forms.ChoiceField(
        label="统计日期时", choices=[("", "全部"), ("yes", "在活动"), ("no", "未成立或已解散")], required=False
    )
    day = forms.DateField(label="统计日期", required=False, widget=date_input())


class ArtWorkFilter(ListFilter):
    placeholder = "作品名称或作者"
    form = forms.ChoiceField(label="体裁", choices=[("", "全部"), *ArtForm.choices], required=False)
    year = forms.IntegerField(label="完成年份", required=False, min_value=2016, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["settlement"]


def _today():
    return timezone.localdate()


# --- the queries of each list (its page and its export read the same rows) -----------------------------------------


def facility_query(user, params):
    form = FacilityFilter(params or None, user=user)
    data = form.values()
    day = data.get("day") or _today()
    rows = selectors.culture_facility_list(
        user=user,
        day=day,
        settlement=data.get("settlement"),
        kind=data.get("kind"),
        result=data.get("result", ""),
        query=data.get("q", ""),
    )
    return form, day, rows


def collection_query(user, params):
    form = CollectionFilter(params or None, user=user)
    data = form.values()
    rows = selectors.collection_list(
        user=user,
        settlement=data.get("settlement"),
        kind=data.get("kind", ""),
        township=data.get("township", ""),
        query=data.get("q", ""),
    )
    return form, None, rows


def team_query(user, params):
    form = TeamFilter(params or None, user=user)
    data = form.values()
    day = data.get("day") or _today()
    rows = selectors.team_list(
        user=user,
        day=day,
        settlement=data.get("settlement"),
        kind=data.get("kind", ""),
        active=data.get("active", ""),
        query=data.get("q", ""),
    )
    return form, day, rows


def art_work_query(user, params):
    form = ArtWorkFilter(params or None, user=user)
    data = form.values()
    rows = selectors.art_work_list(user=user, form=data.get("form", ""), year=data.get("year"), query=data.get("q", ""))
    return form, None, rows
