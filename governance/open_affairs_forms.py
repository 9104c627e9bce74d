"""Forms of the open-affairs pages. They parse input; the services validate and write. The list filters and the
queries they select (`*_query`) are shared by each list page and its export."""

from django import forms
from django.utils import timezone

from settlements.forms import NOTE_MAX_LENGTH, SEARCH_MAX_LENGTH, BootstrapMixin, StyledModelForm, date_input
from settlements.forms import ListFilter as CoreListFilter
from settlements.input_ranges import PortalForm
from settlements.models import Household, Settlement

from .models import (
    AffairCategory,
    CatalogueItem,
    DemocraticEvaluation,
    DocumentKind,
    EvaluationObject,
    MeetingDecision,
    MeetingKind,
    Place,
    Publication,
    ResidentsMeeting,
    SelfGovernanceDocument,
)
from .selectors import open_affairs

VILLAGE_SEPARATOR = "|"


def text_area(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class ScopedSettlementForm(StyledModelForm):
    """A record of a settlement: the user's settlements to choose from."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["settlement"].queryset = Settlement.objects.for_user(user)


# --- entry forms ---------------------------------------------------------------------------------------------------


class CatalogueItemForm(StyledModelForm):
    class Meta:
        model = CatalogueItem
        fields = ["category", "title", "frequency", "start_date", "end_date", "note"]
        widgets = {"start_date": date_input(), "end_date": date_input()}


class PublicationForm(ScopedSettlementForm):
    content = forms.CharField(label="公开内容摘要", max_length=NOTE_MAX_LENGTH, widget=text_area())

    class Meta:
        model = Publication
        fields = ["settlement", "item", "title", "published_on", "content"]
        widgets = {"published_on": date_input()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["item"].queryset = CatalogueItem.objects.order_by("category", "title")


def origin_village_choices(settlement) -> list[tuple[str, str]]:
    """The origin villages of the settlement's households, as the registry writes them."""
    pairs = (
        Household.objects.filter(settlement=settlement)
        .exclude(origin_village="")
        .values_list("origin_township", "origin_village")
        .distinct()
        .order_by("origin_township", "origin_village")
    )
    return [(f"{township}{VILLAGE_SEPARATOR}{village}", f"{township} {village}") for township, village in pairs]


class MirrorForm(StyledModelForm):
    """The same notice posted in an origin village (its settlement and item are the community notice's)."""

    village = forms.ChoiceField(label="迁出乡镇和迁出村", choices=())
    content = forms.CharField(label="公开内容摘要", max_length=NOTE_MAX_LENGTH, widget=text_area())

    class Meta:
        model = Publication
        fields = ["village", "title", "published_on", "content"]
        widgets = {"published_on": date_input()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [("", "---------"), *origin_village_choices(self.instance.settlement)]
        self.fields["village"].help_text = "户籍台账中本安置点搬迁户的迁出乡镇和迁出村。"
        self.fields["published_on"].help_text = "须与安置点社区公开同一天（同步公开）；不同日的照常登记，但会被标出。"
        if self.instance.origin_village:
            self.initial["village"] = (
                f"{self.instance.origin_township}{VILLAGE_SEPARATOR}{self.instance.origin_village}"
            )
        self._style()

    def clean(self):
        data = super().clean()
        township, _, village = data.get("village", "").partition(VILLAGE_SEPARATOR)
        self.instance.origin_township, self.instance.origin_village = township, village
        return data


class MeetingForm(ScopedSettlementForm):
    topics = forms.CharField(label="议题", max_length=NOTE_MAX_LENGTH, widget=text_area())
    outcome = forms.CharField(
        label="会议结果（协商意见或决议概要）", max_length=NOTE_MAX_LENGTH, widget=text_area(), required=False
    )

    class Meta:
        model = ResidentsMeeting
        fields = ["settlement", "kind", "held_on", "topics", "participants", "outcome"]
        widgets = {"held_on": date_input()}


class DecisionForm(StyledModelForm):
    decision = forms.CharField(label="决定内容", max_length=NOTE_MAX_LENGTH, widget=text_area())

    class Meta:
        model = MeetingDecision
        fields = ["matter", "decision", "touches_interests", "consultation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        consultation = self.fields["consultation"]
        consultation.queryset = open_affairs.consultations_before(self.instance.meeting)
        consultation.help_text = "本安置点的居民协商议事会议；须早于作出决定的会议（同日的不能证明先协商）。"


class EvaluationForm(ScopedSettlementForm):
    results = forms.CharField(label="评议结果", max_length=NOTE_MAX_LENGTH, widget=text_area())

    class Meta:
        model = DemocraticEvaluation
        fields = [
            "settlement",
            "held_on",
            "evaluated",
            "evaluated_name",
            "organiser",
            "participants",
            "results",
            "satisfaction",
        ]
        widgets = {"held_on": date_input()}


class DocumentForm(ScopedSettlementForm):
    text = forms.CharField(label="全文或要点", max_length=20000, widget=text_area(10))

    class Meta:
        model = SelfGovernanceDocument
        fields = ["settlement", "kind", "adopted_on", "adopted_by", "text"]
        widgets = {"adopted_on": date_input()}


# --- list filters ---------------------------------------------------------------------------------------------------


class ListFilter(CoreListFilter):
    """The filters every open-affairs list has: a settlement of the user's, a month, a search box."""

    placeholder = "标题或内容"
    month = forms.DateField(
        label="月份",
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": "月份应写作 2026-05。"},
    )
    field_order = ["settlement", "month", "q"]


def _choice(label, choices):
    return forms.ChoiceField(label=label, choices=[("", "全部"), *choices], required=False)


class PublicationFilter(ListFilter):
    category = _choice("类别", AffairCategory.choices)
    place = _choice("公开地点", Place.choices)


class CatalogueFilter(BootstrapMixin, PortalForm):
    category = _choice("类别", AffairCategory.choices)
    q = forms.CharField(label="搜索", required=False, max_length=SEARCH_MAX_LENGTH)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = "公开事项"
        self._style()

    values = ListFilter.values


class MeetingFilter(ListFilter):
    placeholder = "议题或结果"
    kind = _choice("会议类型", MeetingKind.choices)


class DecisionFilter(ListFilter):
    placeholder = "事项或决定内容"
    flagged = forms.BooleanField(label="只看未先协商的", required=False)


class EvaluationFilter(ListFilter):
    placeholder = "单位、组织单位或结果"
    evaluated = _choice("评议对象", EvaluationObject.choices)


class DocumentFilter(ListFilter):
    placeholder = "条文内容"
    kind = _choice("文件", DocumentKind.choices)


# --- the queries of each list (its page and its export read the same rows) -----------------------------------------


def _today():
    return timezone.localdate()


def publication_query(user, params):
    form = PublicationFilter(params or None, user=user)
    data = form.values()
    rows = open_affairs.publication_list(
        user=user,
        settlement=data.get("settlement"),
        category=data.get("category", ""),
        place=data.get("place", ""),
        month=data.get("month"),
        query=data.get("q", ""),
    )
    return form, data.get("month"), rows


def catalogue_query(user, params):
    form = CatalogueFilter(params or None)
    data = form.values()
    return form, None, open_affairs.catalogue_list(category=data.get("category", ""), query=data.get("q", ""))


def meeting_query(user, params):
    form = MeetingFilter(params or None, user=user)
    data = form.values()
    rows = open_affairs.meeting_list(
        user=user,
        settlement=data.get("settlement"),
        kind=data.get("kind", ""),
        month=data.get("month"),
        query=data.get("q", ""),
    )
    return form, data.get("month"), rows


def decision_query(user, params):
    form = DecisionFilter(params or None, user=user)
    data = form.values()
    rows = open_affairs.decision_list(
        user=user,
        settlement=data.get("settlement"),
        month=data.get("month"),
        query=data.get("q", ""),
        unconsulted_only=bool(data.get("flagged")),
        day=_today(),
    )
    return form, data.get("month"), rows


def evaluation_query(user, params):
    form = EvaluationFilter(params or None, user=user)
    data = form.values()
    rows = open_affairs.evaluation_list(
        user=user,
        settlement=data.get("settlement"),
        evaluated=data.get("evaluated", ""),
        month=data.get("month"),
        query=data.get("q", ""),
    )
    return form, data.get("month"), rows


def document_query(user, params):
    form = DocumentFilter(params or None, user=user)
    data = form.values()
    rows = open_affairs.document_list(
        user=user, settlement=data.get("settlement"), kind=data.get("kind", ""), query=data.get("q", "")
    )
    if data.get("month"):
        month = data["month"]
        rows = rows.filter(adopted_on__year=month.year, adopted_on__month=month.month)
    return form, data.get("month"), rows
