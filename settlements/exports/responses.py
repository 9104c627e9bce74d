"""The one download response and the view that serves a registered exporter."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.utils.http import content_disposition_header

from . import registry
from .running import run

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FULL_IDS_PARAMETER = "full"  # ?full=1 asks for full ID numbers


def wants_full_ids(request) -> bool:
    return request.GET.get(FULL_IDS_PARAMETER) == "1"


def download_response(file, file_name: str) -> FileResponse:
    """`file` (binary, at its start) streamed as an .xlsx download named `file_name`, Chinese characters and all."""
    response = FileResponse(file, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    return response


def view(identifier: str):
    """The download view of the registered exporter `identifier`: `path("…xlsx", exports.view("app.name"))`.

    The login page for an anonymous user; the page's query parameters and the URL's arguments go to the
    exporter; `?full=1` asks for full ID numbers. See `run` for scope, refusals and the audit entry.
    """
    exporter_class = registry.get(identifier)

    @login_required
    def export_view(request, **url_kwargs):
        export = run(exporter_class, request.user, request.GET, full_ids=wants_full_ids(request), **url_kwargs)
        return download_response(export.file, export.file_name)

    export_view.exporter_class = exporter_class
    return export_view
