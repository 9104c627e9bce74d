from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tasks import demo


class Command(BaseCommand):
    help = "生成演示用的任务进展报告和本月调度会（可重复执行；已有调度会时不再生成）。"

    def add_arguments(self, parser):
        parser.add_argument("--allow-production", action="store_true", help="在 DEBUG 关闭时也生成（仅用于培训环境）。")

    def handle(self, *args, allow_production, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "DEBUG 已关闭：为防止演示数据混入正式数据，已拒绝执行。培训环境请加 --allow-production。"
            )
        made = demo.seed_demo_dispatch()
        if made:
            self.stdout.write(
                f"  演示进展报告 {made['reports']} 份（已采纳 {made['accepted']} 份），安排本月调度会 1 次。"
            )
        else:
            self.stdout.write("  已有调度会，未新增演示进展报告。")
