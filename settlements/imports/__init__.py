"""One ledger-import framework for every app: read a clerk's .xlsx, check every row, preview, confirm, write.

An app registers an `Importer` (its columns, its check, its write, its blank template, the capability that
may use it); the framework gives it the reader (`reader`), the cell parsers (`cells`), the check
(`check`), one import record (`LedgerImport`, with a kind), one life cycle (`services`: upload → check →
preview → confirm or cancel → write → done or failed, with progress), two Celery jobs (`tasks`) and one set
of pages (`views`, `urls`: upload, progress bar, preview, confirmation, history, blank templates).
See README.md, "Adding an importer".
"""

from .cells import CellError, Reading, cell_text
from .checking import CHANGED, NEW, OUTCOMES, UNCHANGED, WRONG, CheckResult, LedgerError, LedgerRow, check, chunks
from .columns import DATE, GENERAL, TEXT, YES_NO, Column, yes_no_column
from .importer import Importer, all_importers, get, importers_for, register, unregister
from .reader import LedgerFileError

__all__ = [
    "CHANGED",
    "DATE",
    "GENERAL",
    "NEW",
    "OUTCOMES",
    "TEXT",
    "UNCHANGED",
    "WRONG",
    "YES_NO",
    "CellError",
    "CheckResult",
    "Column",
    "Importer",
    "LedgerError",
    "LedgerFileError",
    "LedgerRow",
    "Reading",
    "all_importers",
    "cell_text",
    "check",
    "chunks",
    "get",
    "importers_for",
    "register",
    "unregister",
    "yes_no_column",
]
