"""Jobs of the employment app: the employment and training ledger import. Each job only calls a service."""

from celery import shared_task

from . import importing


@shared_task
def check_employment_import(import_id: int) -> None:
    """Check an uploaded employment or training ledger and record its preview (queued on commit by the upload)."""
    importing.employment_import_check(import_id)


@shared_task
def write_employment_import(import_id: int) -> None:
    """Write a confirmed employment or training ledger import (queued on commit by the confirmation)."""
    importing.employment_import_write(import_id)
