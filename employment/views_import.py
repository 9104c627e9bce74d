"""Pages of the employment and training ledger import: the list and upload, the check's preview and progress,
confirmation, the blank templates. The work is done by `importing` (services) and its Celery tasks."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from settlements.importing import MAX_UPLOAD_MB, XLSX_CONTENT_TYPE
from settlements.models import RegistryImportStatus

from . import importing
from .import_columns import SPECS
from .models import LedgerKind

PAGE_SIZE = 20
RUNNING = (RegistryImportStatus.CHECKING, RegistryImportStatus.IMPORTING)
MSG_STARTED = "文件已上传。"
MSG_CONFIRMED = "已确认，正在导入。"
MSG_CANCELLED = "已取消本次导入，未写入任何数据。"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="台账类别",
        choices=LedgerKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择台账类别。", "invalid_choice": "请选择台账类别。"},
    )
    file = forms.FileField(
        label="台账文件（.xlsx）",
        error_messages={"required": "请选择要上传的台账文件。", "empty": "上传的文件是空的。"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        importing.validate_upload(upload)
        return upload


class ConfirmForm(forms.Form):
    valid_only = forms.BooleanField(label="只导入无误的行", required=False)


def _get_import(user, pk):
    """The import if `user` may see it (the office all, others their own); otherwise a 404."""
    return get_object_or_404(importing.imports_for_user(user), pk=pk)


def _list_page(request, form, status=200):
    imports = importing.imports_for_user(request.user)
    page = Paginator(imports, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "form": form, "max_mb": MAX_UPLOAD_MB, "specs": SPECS.values()}
    return render(request, "employment/imports/import_list.html", context, status=status)


@login_required
@require_GET
def import_list(request):
    importing.require_importer(request.user)
    return _list_page(request, UploadForm(initial={"kind": LedgerKind.EMPLOYMENT}))


@login_required
@require_POST
def import_upload(request):
    importing.require_importer(request.user)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    record = importing.employment_import_start(
        user=request.user, upload=form.cleaned_data["file"], kind=form.cleaned_data["kind"]
    )
    messages.info(request, MSG_STARTED)
    return redirect("employment_imports:detail", pk=record.pk)


@login_required
@require_GET
def import_detail(request, pk):
    record = _get_import(request.user, pk)
    summary = record.summary or {}
    context = {
        "record": record,
        "spec": SPECS[record.kind],
        "reason": importing.CHANGE_REASON[record.kind].format(pk=record.pk),
        "running": record.status in RUNNING,
        "summary": summary,
        "written": summary.get("written"),
        "preview": record.preview or {},
        "errors": record.errors or [],
        "errors_hidden": max(0, summary.get("errors_total", 0) - summary.get("errors_stored", 0)),
        "may_confirm": record.status == RegistryImportStatus.CHECKED and record.user_id == request.user.pk,
        "form": ConfirmForm(),
    }
    return render(request, "employment/imports/import_detail.html", context)


@login_required
@require_GET
def import_progress(request, pk):
    """The progress of a running check or write: an htmx fragment (the page reloads when it ends) or JSON."""
    record = _get_import(request.user, pk)
    running = record.status in RUNNING
    if request.headers.get("HX-Request"):
        context = {"record": record, "running": running}
        response = render(request, "employment/imports/partials/progress.html", context)
        if not running:
            response["HX-Refresh"] = "true"
        return response
    return JsonResponse(
        {
            "status": record.status,
            "status_label": record.get_status_display(),
            "progress": record.progress,
            "running": running,
        }
    )


@login_required
@require_POST
def import_confirm(request, pk):
    record = _get_import(request.user, pk)
    form = ConfirmForm(request.POST)
    form.is_valid()
    try:
        importing.employment_import_confirm(
            user=request.user, employment_import=record, valid_only=form.cleaned_data.get("valid_only", False)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.info(request, MSG_CONFIRMED)
    return redirect("employment_imports:detail", pk=record.pk)


@login_required
@require_POST
def import_cancel(request, pk):
    record = _get_import(request.user, pk)
    try:
        importing.employment_import_cancel(user=request.user, employment_import=record)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.info(request, MSG_CANCELLED)
    return redirect("employment_imports:detail", pk=record.pk)


@login_required
@require_GET
def import_template(request, kind):
    """A blank employment or training ledger to fill in."""
    importing.require_importer(request.user)
    if kind not in SPECS:
        raise Http404(importing.MSG_UNKNOWN_KIND)
    response = HttpResponse(importing.build_template(kind), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, SPECS[kind].template_file_name)
    return response
