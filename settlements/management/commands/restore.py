"""Restore a backup for real: into an empty database (DATABASE_URL) and the configured folders."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from settlements import backups


class Command(BaseCommand):
    help = (
        "从备份恢复：把数据库恢复到 DATABASE_URL 指向的空数据库，把文件复制到 MEDIA_ROOT 和 AUDIT_ARCHIVE_DIR，"
        "再做与恢复演练相同的核对。PostgreSQL 请以表的属主身份运行，之后运行 grant_portal_role。"
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="备份目录")

    def handle(self, *args, backup, **options):
        try:
            report = backups.backup_restore(path=backup)
        except backups.BackupError as failure:
            raise CommandError(f"恢复失败：{failure}") from failure
        self.stdout.write("\n".join(report.lines()))
        if not report.ok:
            raise CommandError(f"数据库已恢复，但核对发现 {len(report.problems)} 处不符，请查明后再启用。")
