"""Back up the database and the portal's files into a new timestamped folder (the nightly job runs the same)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from settlements import backups
from settlements.backups import contents


class Command(BaseCommand):
    help = "备份数据库和文件（上传的台账、佐证材料、审计归档）到一个带时间的目录，并只保留最近 N 份。"

    def add_arguments(self, parser):
        parser.add_argument("--to", type=Path, help="备份根目录（默认为环境变量 BACKUP_DIR，即 var/backups）")
        parser.add_argument("--keep", type=int, help="保留最近几份备份（默认为环境变量 BACKUP_KEEP，即 14）")

    def handle(self, *args, to, keep, **options):
        try:
            backup = backups.backup_take(to=to, keep=keep)
        except backups.BackupError as failure:
            raise CommandError(f"备份失败：{failure}") from failure
        manifest = backup.manifest
        chain = manifest["audit"]
        self.stdout.write(f"已备份到 {backup.path}")
        self.stdout.write(
            f"  数据库 {manifest['database']['name']}：{len(manifest['row_counts'])} 张表，"
            f"共 {sum(manifest['row_counts'].values()):,} 行；文件 {len(manifest['files'])} 个（含数据库备份）。"
        )
        self.stdout.write(f"  审计链：共 {chain['checked']} 条，{contents.chain_end(chain)}。")
        if not chain["intact"]:
            self.stderr.write(f"  注意：备份时审计链已不完整：{'；'.join(chain['problems'][:5])}")
        for removed in backup.removed:
            self.stdout.write(f"  已删除超出保留份数的旧备份 {removed}")
