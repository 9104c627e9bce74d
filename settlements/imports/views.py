"""The import's pages, one set for every kind: the history and upload, the check's preview and progress,
confirmation or cancellation, the blank templates. The work is done by `services` and its Celery jobs."""

import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from .. import exports
from ..input_ranges import PortalForm
from . import importer as registry
from . import services, tasks
from .template import build_template

PAGE_SIZE = 20
MSG_STARTED = "文件已上传。"
MSG_CONFIRMED = "已确认，正在导入。"
MSG_CANCELLED = "已取消本次导入，未写入任何数据。"
MSG_CHOOSE_KIND = "请选择台账类别。"
MSG_NO_IMPORTER = "您的角色无权导入台账。"


class UploadForm(PortalForm):
    kind = forms.ChoiceField(
        label="台账类别",
        widget=forms.RadioSelect,
        error_messages={"required": MSG_CHOOSE_KIND, "invalid_choice": MSG_CHOOSE_KIND},
    )
    file = forms.FileField(
        label="台账文件（.xlsx）",
        error_messages={"required": "请选择要上传的台账文件。", "empty": "上传的文件是空的。"},
    )

    def __init__(self, *args, importers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(importer.kind, importer.title) for importer in importers]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        services.validate_upload(upload)
        return upload


class ConfirmForm(PortalForm):
    valid_only = forms.BooleanField(required=False)


def _importers_or_403(user):
    importers = registry.importers_for(user)
    if not importers:
        raise PermissionDenied(MSG_NO_IMPORTER)
    return importers


def _get_import(user, pk):
    """The import if `user` may see it (the office all, others their own); otherwise a 404."""
    return get_object_or_404(services.imports_for_user(user), pk=pk)


def _kind_filter(request, importers) -> str:
    kind = request.GET.get("kind", "")
    return kind if kind in {importer.kind for importer in importers} else ""


def _list_page(request, importers, form, kind="", status=200):
    imports = services.imports_for_user(request.user, kind=kind or None)
    page = Paginator(imports, PAGE_SIZE).get_page(request.GET.get("page"))
    for record in page:
        importer = registry.get(record.kind)
        record.kind_label = importer.title if importer else record.kind  # a kind no longer registered: its key
        written = (record.summary or {}).get("written")
        record.outcome_sentence = importer.written_sentence(written) if importer and written else ""
    context = {"page": page, "form": form, "max_mb": settings.UPLOAD_MAX_MB, "importers": importers, "kind": kind}
    return render(request, "imports/import_list.html", context, status=status)


@login_required
@require_GET
def import_list(request):
    importers = _importers_or_403(request.user)
    kind = _kind_filter(request, importers)
    form = UploadForm(importers=importers, initial={"kind": kind or importers[0].kind})
    return _list_page(request, importers, form, kind)


@login_required
@require_POST
def import_upload(request):
    importers = _importers_or_403(request.user)
    form = UploadForm(request.POST, request.FILES, importers=importers)
    if not form.is_valid():
        return _list_page(request, importers, form, status=400)
    record = services.import_start(user=request.user, upload=form.cleaned_data["file"], kind=form.cleaned_data["kind"])
    transaction.on_commit(lambda: tasks.check_import.delay(record.pk))
    messages.info(request, MSG_STARTED)
    return redirect("imports:detail", pk=record.pk)


@login_required
@require_GET
def import_detail(request, pk):
    record = _get_import(request.user, pk)
    importer = services.importer_of(record)
    summary = record.summary or {}
    written = summary.get("written")
    context = {
        "record": record,
        "importer": importer,
        "running": record.status in services.RUNNING,
        "summary": summary,
        "summary_rows": importer.summary_rows(summary) if "rows" in summary else [],
        "confirm_sentence": importer.confirm_sentence(summary),
        "has_changes": importer.has_changes(summary),
        "skipped_sentence": importer.skipped_sentence(summary),
        "check_notes": importer.check_notes(summary),
        "written_sentence": importer.written_sentence(written) if written else "",
        "reason": importer.reason(record.pk),
        "preview": record.preview or {},
        "errors": record.errors or [],
        "errors_hidden": max(0, summary.get("errors_total", 0) - summary.get("errors_stored", 0)),
        "may_confirm": record.status == services.ImportStatus.CHECKED and record.user_id == request.user.pk,
        "form": ConfirmForm(),
        "file_deleted": services.file_deleted_sentence(record),
    }
    return render(request, "imports/import_detail.html", context)


@login_required
@require_GET
def import_progress(request, pk):
    """The progress of a running check or write: an htmx fragment (the page reloads when it ends) or JSON."""
    record = _get_import(request.user, pk)
    running = record.status in services.RUNNING
    if request.headers.get("HX-Request"):
        response = render(request, "imports/partials/progress.html", {"record": record, "running": running})
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
        services.import_confirm(user=request.user, record=record, valid_only=form.cleaned_data.get("valid_only", False))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        transaction.on_commit(lambda: tasks.write_import.delay(record.pk))
        messages.info(request, MSG_CONFIRMED)
    return redirect("imports:detail", pk=record.pk)


@login_required
@require_POST
def import_cancel(request, pk):
    record = _get_import(request.user, pk)
    try:
        services.import_cancel(user=request.user, record=record)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.info(request, MSG_CANCELLED)
    return redirect("imports:detail", pk=record.pk)


@login_required
@require_GET
def import_template(request, kind):
    """A blank ledger of `kind` to fill in, with the dropdowns of the user's choices."""
    importer = registry.get(kind)
    if importer is None:
        raise Http404(services.MSG_UNKNOWN_KIND)
    importer.require(request.user)
    return exports.download_response(io.BytesIO(build_template(importer, request.user)), importer.template_file_name)
