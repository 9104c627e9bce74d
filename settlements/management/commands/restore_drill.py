"""The monthly restore drill: restore a backup into a temporary database and check it against its manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from settlements import backups


class Command(BaseCommand):
    help = (
        "恢复演练：把备份恢复到一个新建的临时数据库，运行 migrate --check，核对各表行数、审计链和文件的 SHA-256，"
        "打印报告；有任何不符时退出码非零。"
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", nargs="?", type=Path, help="备份目录（默认为 BACKUP_DIR 中最新的一份）")
        parser.add_argument("--keep", action="store_true", help="演练后保留临时数据库（默认删除）")

    def handle(self, *args, backup, keep, **options):
        try:
            report = backups.backup_drill(path=backup, keep_database=keep)
        except backups.BackupError as failure:
            raise CommandError(f"恢复演练无法进行：{failure}") from failure
        self.stdout.write("\n".join(report.lines()))
        if not report.ok:
            raise CommandError(f"恢复演练未通过：共 {len(report.problems)} 处不符。")
