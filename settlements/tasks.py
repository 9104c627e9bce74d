"""Jobs of the core: scheduled housekeeping, and (from `imports.tasks`) the ledger import's two jobs. Each job
only calls a service."""

from celery import shared_task

from . import audit, backups, services
from .imports.tasks import check_import, purge_expired_uploads, write_import  # noqa: F401  (so the worker finds them)


@shared_task
def purge_expired_sessions() -> int:
    return services.sessions_purge_expired()


@shared_task
def archive_audit_trail() -> int:
    """Move audit entries past their retention to an archive file; returns how many were archived."""
    archived = audit.archive()
    return archived.entry_count if archived else 0


@shared_task
def take_backup() -> str:
    """Back up the database and the files into BACKUP_DIR, keeping the newest BACKUP_KEEP; returns the folder."""
    return str(backups.backup_take().path)


@shared_task
def verify_audit_trail(verification_id: int) -> None:
    """Check the audit trail's hash chain, as the audit administrator asked on the audit page."""
    audit.verification_run(verification_id=verification_id)
