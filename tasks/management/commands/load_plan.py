from django.conf import settings
from django.core.management.base import BaseCommand

from tasks import services


class Command(BaseCommand):
    help = "载入工作方案的任务、完成时限和目标（fixtures/plan_tasks.json，可重复执行）。"

    def handle(self, *args, **options):
        counts = services.plan_load(path=settings.BASE_DIR / "fixtures" / "plan_tasks.json")
        self.stdout.write(
            f"工作任务 {counts['tasks']} 项（新增 {counts['created']} 项），完成时限 {counts['deadlines']} 个，"
            f"目标 {counts['targets']} 个。"
        )
