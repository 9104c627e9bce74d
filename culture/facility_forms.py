"""Forms of the culture facilities' pages: they parse input; the services validate and write. The list filters and
the queries they select (`*_query`) are shared by each list page and its export."""

from django import forms
from django.utils import timezone

from settlements.forms import (
    ListFilter,
    StyledModelForm,
    date_input,
)
from settlements.models import FacilityKind, ResponsibleUnit

from .models import (
    ArtForm,
    ArtWork,
    BookStockUpdate,
    CollectionItem,
    CollectionKind,
    NostalgiaStep,
)
from .selectors import facilities as selectors

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


def art_work_query(user, params):
    form = ArtWorkFilter(params or None, user=user)
    data = form.values()
    rows = selectors.art_work_list(user=user, form=data.get("form", ""), year=data.get("year"), query=data.get("q", ""))
    return form, None, rows
