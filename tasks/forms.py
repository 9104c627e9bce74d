"""Forms of the work plan's pages. They parse input; the services validate and write."""

import datetime

from django import forms
from django.utils import timezone

from settlements import uploads
from settlements.forms import LONG_TEXT_MAX_LENGTH, NOTE_MAX_LENGTH
from settlements.input_ranges import PortalForm
from settlements.models import ResponsibleUnit

from . import reports
from .models import Deadline, Task
from .services import EVIDENCE_KINDS, MAX_EVIDENCE_FILES, MAX_EVIDENCE_MB, MSG_EVIDENCE_KINDS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern for `multiple`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        clean_one = super().clean
        if isinstance(data, list | tuple):
            return [clean_one(item, initial) for item in data]
        return [clean_one(data, initial)] if data else []


def reporting_months(today: datetime.date) -> list[tuple[str, str]]:
    """The months a unit may report for (`tasks.reports`: this month, or last month to catch up)."""
    return [(f"{month:%Y-%m}", f"{month:%Y年%m月}") for month in reports.reporting_periods(today=today)]


class ReportForm(PortalForm):
    period = forms.ChoiceField(label="报告月份")
    progress = forms.CharField(
        label="本月工作进展",
        max_length=LONG_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
    )
    figure = forms.DecimalField(
        label="完成数",
        required=False,
        max_digits=12,  # ProgressReport.figure's column
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
    )
    problems = forms.CharField(
        label="存在问题",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    completes_deadlines = forms.ModelMultipleChoiceField(
        label="本次完成的时限节点",
        queryset=Deadline.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    claims_done = forms.BooleanField(
        label="任务已全部完成（经办公室采纳后任务状态为“已完成”）",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    files = MultipleFileField(
        label="佐证材料（资料、图片）",
        required=False,
        validators=[uploads.FileContentValidator(EVIDENCE_KINDS, MSG_EVIDENCE_KINDS)],
        help_text=f"可多选，最多 {MAX_EVIDENCE_FILES} 个，每个不超过 {MAX_EVIDENCE_MB} MB；"
        "支持 jpg、png、gif、webp、pdf、doc、docx、xls、xlsx、wps、ofd。",
    )

    def __init__(self, *args, task: Task, open_deadlines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = reporting_months(timezone.localdate())
        self.fields["period"].widget.attrs["class"] = "form-select"
        self.fields["completes_deadlines"].queryset = Deadline.objects.filter(pk__in=[d.pk for d in open_deadlines])
        if not open_deadlines:
            del self.fields["completes_deadlines"]
        if not task.targets.exists():
            del self.fields["figure"]

    def clean_period(self):
        return datetime.date.fromisoformat(self.cleaned_data["period"] + "-01")


class ReviewForm(PortalForm):
    note = forms.CharField(
        label="审核意见（退回时必填）",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(attrs={"class": "form-control"}, format="%Y-%m-%d", **kwargs)


class MeetingForm(PortalForm):
    held_on = forms.DateField(label="会议日期", widget=DateInput())
    place = forms.CharField(
        label="地点", required=False, max_length=100, widget=forms.TextInput(attrs={"class": "form-control"})
    )


class HoldForm(PortalForm):
    minutes = forms.CharField(
        label="会议纪要",
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )


class ActionForm(PortalForm):
    text = forms.CharField(
        label="督办事项", max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )
    owner_unit = forms.ModelChoiceField(
        label="责任单位",
        queryset=ResponsibleUnit.objects.filter(is_active=True),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    due_on = forms.DateField(label="完成时限", widget=DateInput())
    task = forms.ModelChoiceField(
        label="相关任务",
        queryset=Task.objects.all(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class CloseActionForm(PortalForm):
    closed_on = forms.DateField(label="办结日期", widget=DateInput())
    note = forms.CharField(
        label="办结情况", max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )
