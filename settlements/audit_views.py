"""The audit administrator's pages: the trail searched and filtered, newest first; its export; the check of
its hash chain, run by a Celery job on demand with its progress shown. No other role reaches them (403)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET, require_POST

from . import audit, exports, selectors, tasks
from .audit_exports import AuditTrailExport
from .capabilities import READ_AUDIT_TRAIL, capability_required
from .models import AuditVerification, VerificationStatus

PAGE_SIZE = 50
COUNT_LIMIT = 10_000
MSG_VERIFICATION_QUEUED = "已开始校验摘要链，完成后本页显示结果。"


class CappedPaginator(Paginator):
    """Counts at most COUNT_LIMIT + 1 entries: counting a trail of millions costs more than the page it shows
    (the page says "more than 10,000" and the user narrows the search)."""

    @cached_property
    def count(self):
        return self.object_list[: COUNT_LIMIT + 1].count()


@capability_required(READ_AUDIT_TRAIL)
@require_GET
def audit_list(request):
    entry_filter, entries = selectors.audit_entries(user=request.user, params=request.GET)
    page = CappedPaginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.action_label = audit.action_label(entry.action)
        entry.detail_text = audit.detail_text(entry.detail)
    verification = AuditVerification.objects.select_related("requested_by").first()
    context = {
        "filter": entry_filter,
        "page": page,
        "verification": verification,
        "running": _running(verification),
        "count_limit": COUNT_LIMIT,
    }
    return render(request, "settlements/audit_list.html", context, status=200 if entry_filter.is_valid() else 400)


@capability_required(READ_AUDIT_TRAIL)
@require_GET
def audit_export(request):
    """The filtered entries as .xlsx (a period too long, or a wrong filter, is refused in Chinese)."""
    try:
        export = exports.run(AuditTrailExport, request.user, request.GET)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect(f"{reverse('audit_list')}?{request.GET.urlencode()}")
    return exports.download_response(export.file, export.file_name)


@capability_required(READ_AUDIT_TRAIL)
@require_POST
def audit_verify(request):
    """Queue a check of the hash chain (one at a time)."""
    try:
        verification = audit.verification_start(actor=request.user)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        transaction.on_commit(lambda: tasks.verify_audit_trail.delay(verification.pk))
        messages.info(request, MSG_VERIFICATION_QUEUED)
    return redirect("audit_list")


@capability_required(READ_AUDIT_TRAIL)
@require_GET
def audit_verification(request, pk):
    """A check's status line, polled by htmx while it runs (the page reloads when it ends)."""
    verification = get_object_or_404(AuditVerification.objects.select_related("requested_by"), pk=pk)
    running = _running(verification)
    response = render(
        request, "settlements/partials/audit_verification.html", {"verification": verification, "running": running}
    )
    if request.headers.get("HX-Request") and not running:
        response["HX-Refresh"] = "true"
    return response


def _running(verification) -> bool:
    return verification is not None and verification.status == VerificationStatus.RUNNING
