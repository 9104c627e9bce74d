"""Jobs of the core: scheduled housekeeping and the ledger import. Each job only calls a service."""

from celery import shared_task

from . import importing, services


@shared_task
def purge_expired_sessions() -> int:
    return services.sessions_purge_expired()


@shared_task
def check_registry_import(import_id: int) -> None:
    """Check an uploaded ledger and record its preview (queued on commit by the upload)."""
    importing.registry_import_check(import_id)


@shared_task
def write_registry_import(import_id: int) -> None:
    """Write a confirmed ledger import (queued on commit by the confirmation)."""
    importing.registry_import_write(import_id)
