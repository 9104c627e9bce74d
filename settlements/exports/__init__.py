"""The portal's one export mechanism: every Excel download is an exporter class, registered by its app.

Modelled on pretix's `BaseExporter`. An exporter says

- `identifier` ("employment.labour_ledger": the app, a dot, a name) and `verbose_name` (its Chinese label);
- `capability`: who may run it (see `settlements.capabilities`);
- `personal_data`: whether it holds resident ID numbers (masked unless the user asks for full numbers and holds
  `REVEAL_ID_NUMBERS`; every run, and every refusal, is in the audit trail as personal-data access with who,
  what and how many; `audit_action()` names the action, `audit_target()` the record when there is one);
- its rows, read in its `__init__` from the user's scope (`Model.objects.for_user(user)`, a scoped selector;
  an object outside the scope is a 404), and its `file_name()` and `description()` (what the trail records).

Two kinds do the writing:

- `LedgerExporter`: a long table streamed to one sheet (`settlements.xlsx_writer`, memory flat however many
  rows); `rows()` yields lists, reading the queryset in chunks (`chunks()`), totals computed before the loop;
  columns of kind `TEXT` (ID numbers) are text cells.
- `ReportExporter`: a small styled workbook (`settlements.report_sheets`); `build(workbook)` adds the sheets.

An app registers its exporters with `@exports.register` in a module its `AppConfig.ready()` imports, and
serves one with `exports.view(identifier)` in its URLs (or views module). `run()` is the one path every export
takes (scope, capability, full ID numbers, the file, the audit entry); `download_response()` the one response. The
core never imports the apps: it finds their exporters here.
"""

from .exporters import Exporter, LedgerExporter, ListPageExporter, ReportExporter, chunks
from .registry import all_exporters, get, register
from .responses import FULL_IDS_PARAMETER, XLSX_CONTENT_TYPE, download_response, view, wants_full_ids
from .running import ExportFile, run

__all__ = [
    "FULL_IDS_PARAMETER",
    "XLSX_CONTENT_TYPE",
    "ExportFile",
    "Exporter",
    "LedgerExporter",
    "ListPageExporter",
    "ReportExporter",
    "all_exporters",
    "chunks",
    "download_response",
    "get",
    "register",
    "run",
    "view",
    "wants_full_ids",
]
