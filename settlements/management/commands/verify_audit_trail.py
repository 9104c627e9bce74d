"""Recompute the audit trail's hash chain and report every entry edited or deleted in the database."""

from django.core.management.base import BaseCommand, CommandError

from settlements import audit


class Command(BaseCommand):
    help = "校验审计记录的摘要链：报告被改动或删除的记录（退出码非零）。"

    def handle(self, *args, **options):
        result = audit.verify()
        for problem in result.problems:
            self.stderr.write(problem)
        if not result.intact:
            raise CommandError(
                f"审计记录摘要链已被破坏：共校验 {result.checked} 条，发现 {len(result.problems)} 处问题。"
            )
        self.stdout.write(
            f"审计记录完整：共校验 {result.checked} 条，最后一条 {result.last_id}，摘要 {result.last_hash}。"
        )
