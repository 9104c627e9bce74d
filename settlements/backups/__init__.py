"""Backups that restore: see `services` (what is backed up, the drill, the real restore), `contents` (the
manifest and its checks) and `engines` (PostgreSQL and SQLite)."""

from .contents import database_facts
from .engines import BackupError
from .services import Backup, RestoreReport, backup_drill, backup_restore, backup_take, backups_list, backups_prune

__all__ = [
    "Backup",
    "BackupError",
    "RestoreReport",
    "backup_drill",
    "backup_restore",
    "backup_take",
    "backups_list",
    "backups_prune",
    "database_facts",
]
