"""Move audit entries past their retention period to an archive file (the nightly job runs the same)."""

from django.core.management.base import BaseCommand

from settlements import audit


class Command(BaseCommand):
    help = "将超过保存期限的审计记录归档到文件（不会直接删除）。"

    def handle(self, *args, **options):
        archived = audit.archive()
        if archived is None:
            self.stdout.write(f"没有超过 {audit.retention_days()} 天的审计记录需要归档。")
            return
        self.stdout.write(
            f"已归档 {archived.entry_count} 条（第 {archived.first_id}–{archived.last_id} 条）到"
            f" {audit.archive_dir() / archived.file_name}，SHA-256 {archived.file_sha256}。"
        )
