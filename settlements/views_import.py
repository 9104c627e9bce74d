"""Pages of the ledger import: the list and upload, the check's preview and progress, confirmation, the
blank template. The work is done by `importing` (services) and its Celery tasks."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from . import importing
from .models import RegistryImportStatus

PAGE_SIZE = 20
RUNNING = (RegistryImportStatus.CHECKING, RegistryImportStatus.IMPORTING)
MSG_STARTED = "文件已上传。"
MSG_CONFIRMED = "已确认，正在导入。"
MSG_CANCELLED = "已取消本次导入，未写入任何数据。"


class UploadForm(forms.Form):
    file = forms.FileField(
        label="台账文件（.xlsx）",
        error_messages={"required": "请选择要上传的台账文件。", "empty": "上传的文件是空的。"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        importing.validate_upload(upload)
        return upload


class ConfirmForm(forms.Form):
    valid_only = forms.BooleanField(label="只导入无误的户", required=False)


def _get_import(user, pk):
    """The import if `user` may see it (the office all, others their own); otherwise a 404."""
    return get_object_or_404(importing.imports_for_user(user), pk=pk)


def _list_page(request, form, status=200):
    imports = importing.imports_for_user(request.user)
    page = Paginator(imports, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "form": form, "max_mb": importing.MAX_UPLOAD_MB}
    return render(request, "settlements/imports/import_list.html", context, status=status)


@login_required
@require_GET
def import_list(request):
    importing.require_importer(request.user)
    return _list_page(request, UploadForm())


@login_required
@require_POST
def import_upload(request):
    importing.require_importer(request.user)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    record = importing.registry_import_start(user=request.user, upload=form.cleaned_data["file"])
    messages.info(request, MSG_STARTED)
    return redirect("imports:detail", pk=record.pk)


@login_required
@require_GET
def import_detail(request, pk):
    record = _get_import(request.user, pk)
    summary = record.summary or {}
    context = {
        "record": record,
        "running": record.status in RUNNING,
        "summary": summary,
        "written": summary.get("written"),
        "preview": record.preview or {},
        "errors": record.errors or [],
        "errors_hidden": max(0, summary.get("errors_total", 0) - summary.get("errors_stored", 0)),
        "may_confirm": record.status == RegistryImportStatus.CHECKED and record.user_id == request.user.pk,
        "form": ConfirmForm(),
    }
    return render(request, "settlements/imports/import_detail.html", context)


@login_required
@require_GET
def import_progress(request, pk):
    """The progress of a running check or write: an htmx fragment (the page reloads when it ends) or JSON."""
    record = _get_import(request.user, pk)
    running = record.status in RUNNING
    if request.headers.get("HX-Request"):
        response = render(request, "settlements/imports/partials/progress.html", {"record": record, "running": running})
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
        importing.registry_import_confirm(
            user=request.user, registry_import=record, valid_only=form.cleaned_data.get("valid_only", False)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.info(request, MSG_CONFIRMED)
    return redirect("imports:detail", pk=record.pk)


@login_required
@require_POST
def import_cancel(request, pk):
    record = _get_import(request.user, pk)
    try:
        importing.registry_import_cancel(user=request.user, registry_import=record)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.info(request, MSG_CANCELLED)
    return redirect("imports:detail", pk=record.pk)


@login_required
@require_GET
def import_template(request):
    """A blank ledger to fill in, with the dropdowns of the user's settlements."""
    importing.require_importer(request.user)
    response = HttpResponse(importing.build_template(request.user), content_type=importing.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, importing.TEMPLATE_FILE_NAME)
    return response
