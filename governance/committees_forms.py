"""Forms of the committees and elections pages. They parse input; the services validate and write. A person of
the registry is named by their ID number, found only in the user's scope."""

from django import forms

from settlements import id_numbers
from settlements.forms import SEARCH_MAX_LENGTH, StyledForm, StyledModelForm, date_input
from settlements.models import Person, Settlement
from settlements.resident_fields import resident_with_id_number

from .models import (
    Candidate,
    Committee,
    CommitteeMember,
    CommitteeStep,
    Election,
    ElectionOfficer,
    MassOrganisation,
    StreetOffice,
    StreetOfficeStep,
    Voter,
)

MSG_PERSON_NOT_FOUND = "身份证号：在您管辖的户籍台账中没有找到这个身份证号。"


class SettlementsMixin:
    """A choice of settlements limited to the user's scope."""

    def limit_settlements(self, user):
        self.fields["settlements"].queryset = Settlement.objects.for_user(user)
        self.fields["settlements"].widget = forms.CheckboxSelectMultiple(choices=self.fields["settlements"].choices)
        self._style()


class IdNumberMixin:
    """An optional 身份证号 field naming a person of the registry in the user's scope (`person_field`)."""

    user = None

    def person_from_id_number(self) -> Person | None:
        number = id_numbers.normalize(self.cleaned_data.get("id_number") or "")
        if not number:
            return None
        person = resident_with_id_number(self.user, number)
        if person is None:
            self.add_error("id_number", MSG_PERSON_NOT_FOUND)
        return person


def id_number_field(help_text: str) -> forms.CharField:
    return forms.CharField(label="身份证号", max_length=id_numbers.LENGTH, required=False, help_text=help_text)


# --- the street office and committees -------------------------------------------------------------------------------


class StreetOfficeForm(SettlementsMixin, StyledModelForm):
    class Meta:
        model = StreetOffice
        fields = ["name", "settlements", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_settlements(user)


class StreetOfficeStepForm(StyledModelForm):
    class Meta:
        model = StreetOfficeStep
        fields = ["step", "done_on", "document_number", "document_title", "note"]
        widgets = {"done_on": date_input()}


class CommitteeForm(SettlementsMixin, StyledModelForm):
    class Meta:
        model = Committee
        fields = ["name", "settlements", "established_on", "staffing", "note"]
        widgets = {"established_on": date_input()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_settlements(user)
        self.fields["settlements"].help_text = "800 户及以下的安置点不单设居委会，并入就近安置点的居委会。"


class CommitteeStepForm(StyledModelForm):
    class Meta:
        model = CommitteeStep
        fields = ["step", "done_on", "document_number", "document_title", "note"]
        widgets = {"done_on": date_input()}


class MemberForm(IdNumberMixin, StyledModelForm):
    id_number = id_number_field("本居委会所辖安置点的居民填身份证号；下派的正式干部不填，填姓名。")

    class Meta:
        model = CommitteeMember
        fields = ["body", "id_number", "name", "role", "term_from", "term_to", "came_by"]
        widgets = {"term_from": date_input(), "term_to": date_input()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["name"].required = False
        if self.instance.person_id:
            self.fields["id_number"].initial = self.instance.person.masked_id_number
            self.fields["id_number"].disabled = True

    def clean(self):
        cleaned = super().clean()
        if not self.fields["id_number"].disabled:
            self.instance.person = self.person_from_id_number()
        return cleaned


class MassOrganisationForm(StyledModelForm):
    class Meta:
        model = MassOrganisation
        fields = ["settlement", "kind", "founded_on", "note"]
        widgets = {"founded_on": date_input()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["settlement"].queryset = Settlement.objects.for_user(user)


# --- elections ------------------------------------------------------------------------------------------------------


class ElectionForm(StyledModelForm):
    class Meta:
        model = Election
        fields = ["election_day", "voting_way", "method", "steps", "measures"]
        widgets = {
            "election_day": date_input(),
            "method": forms.Textarea(attrs={"rows": 3}),
            "steps": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
        }


class OfficerForm(StyledModelForm):
    class Meta:
        model = ElectionOfficer
        fields = ["body", "name", "position"]


class ConfirmForm(StyledForm):
    """A button's form: nothing to fill in."""


class ReasonForm(StyledForm):
    reason = forms.CharField(label="理由", max_length=200)


class VoterAddForm(IdNumberMixin, StyledForm):
    id_number = id_number_field("户籍台账中的人员填身份证号；不在台账中的人员不填，填姓名。")
    name = forms.CharField(label="姓名", max_length=30, required=False)
    reason = forms.CharField(label="增补理由", max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        cleaned["person"] = self.person_from_id_number()
        return cleaned


class PostForm(StyledForm):
    list_posted_on = forms.DateField(label="张榜公布日期", widget=date_input())


class AnnounceForm(StyledForm):
    announced_on = forms.DateField(label="现场公布选举结果日期", widget=date_input())


class FilingForm(StyledForm):
    filed_on = forms.DateField(label="报县民政局备案日期", widget=date_input())
    document = forms.CharField(label="备案文号", max_length=100, required=False)


class CandidateForm(StyledModelForm):
    class Meta:
        model = Candidate
        fields = ["voter", "name", "body", "role", "category", "votes", "elected"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        voters = Voter.objects.filter(election=self.instance.election, struck=False).order_by("name", "id")
        self.fields["voter"].queryset = voters
        self.fields["voter"].help_text = "从选民名单中选择；下派的正式干部不在名单上的，不选，填姓名。"
        self.fields["name"].required = False


class VoterFilter(StyledForm):
    q = forms.CharField(label="姓名或楼栋", max_length=SEARCH_MAX_LENGTH, required=False)
    struck = forms.ChoiceField(
        label="状态", choices=[("", "全部"), ("no", "在名单上"), ("yes", "已划去")], required=False
    )


def voter_query(election, params) -> tuple[VoterFilter, dict]:
    """The voter list page's filter and what it selects (the export reads the same)."""
    form = VoterFilter(params)
    values = form.cleaned_data if form.is_valid() else {}
    return form, {"query": values.get("q", ""), "struck": values.get("struck", "")}
