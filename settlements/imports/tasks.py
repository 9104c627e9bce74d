"""The import's two jobs: each takes an import's id and runs the service for its kind."""

from celery import shared_task

from . import services


@shared_task
def check_import(import_id: int) -> None:
    """Check an uploaded ledger and record its preview (queued on commit by the upload)."""
    services.import_check(import_id=import_id)


@shared_task
def write_import(import_id: int) -> None:
    """Write a confirmed import (queued on commit by the confirmation)."""
    services.import_write(import_id=import_id)


@shared_task
def purge_expired_uploads() -> int:
    """Delete uploaded ledgers past their retention (nightly, by beat); the import records stay."""
    return services.imports_purge_expired_files()
