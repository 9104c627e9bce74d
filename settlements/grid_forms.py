"""Entry forms of the place structure: a grid, a grid member, a building or courtyard head, a bulk assignment."""

from django import forms
from django.utils import timezone

from . import id_numbers
from .forms import DATE_WIDGET, BootstrapMixin
from .input_ranges import PortalForm, PortalModelForm
from .models import Building, BuildingHead, Grid, GridMember, Settlement
from .resident_fields import resident_with_id_number

MSG_ID_UNKNOWN = "您管理范围内没有这个身份证号的搬迁人员：非搬迁人员请留空身份证号，填写姓名和联系电话。"


class GridForm(BootstrapMixin, PortalModelForm):
    class Meta:
        model = Grid
        fields = ["settlement", "kind", "name", "established_on", "dissolved_on", "note"]
        widgets = {
            "established_on": DATE_WIDGET,
            "dissolved_on": DATE_WIDGET,
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["settlement"].queryset = Settlement.objects.for_user(user)
        self._style()


class _PersonOrNameForm(BootstrapMixin, PortalModelForm):
    """A resident named by their ID number, or anyone by name and phone."""

    id_number = forms.CharField(
        label="身份证号（搬迁人员）",
        required=False,
        max_length=id_numbers.LENGTH,
        help_text="搬迁人员填身份证号，姓名取自户籍台账。",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["name"].required = False
        self.order_fields(["id_number", "name", "phone"])
        if self.instance.person_id:
            self.fields["id_number"].initial = self.instance.person.id_number
        self._style()

    def clean_id_number(self):
        number = id_numbers.normalize(self.cleaned_data["id_number"])
        if not number:
            return ""
        person = resident_with_id_number(self.user, number)
        if person is None:
            raise forms.ValidationError(MSG_ID_UNKNOWN)
        self.instance.person = person
        return number

    def _post_clean(self):
        if not self.cleaned_data.get("id_number") and "id_number" in self.changed_data:
            self.instance.person = None
        super()._post_clean()


class GridMemberForm(_PersonOrNameForm):
    class Meta:
        model = GridMember
        fields = ["name", "phone", "start_date", "end_date", "note"]
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}


class BuildingHeadForm(_PersonOrNameForm):
    class Meta:
        model = BuildingHead
        fields = ["building", "name", "phone", "start_date", "end_date"]
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["building"].queryset = Building.objects.for_user(user).select_related("settlement")
        if self.instance.pk:
            self.fields["building"].disabled = True
        self.order_fields(["building", "id_number", "name", "phone"])


class AssignForm(BootstrapMixin, PortalForm):
    """The grid and the day of a bulk assignment; the households are the ticked rows (or the filter's result)."""

    grid = forms.ModelChoiceField(label="划入网格", queryset=Grid.objects.none())
    day = forms.DateField(label="调整日期", widget=DATE_WIDGET)

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("auto_id", "assign_%s")  # beside the filter form, which has a "grid" of its own
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = Grid.objects.for_user(user).select_related("settlement")
        self.fields["grid"].label_from_instance = lambda grid: grid.choice_label
        self.fields["day"].initial = timezone.localdate()
        self._style()


class BuildingKindForm(BootstrapMixin, PortalModelForm):
    class Meta:
        model = Building
        fields = ["kind"]
        help_texts = {"kind": "院落的负责人称院长，楼栋的称楼长（003号文件第14项）。"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
