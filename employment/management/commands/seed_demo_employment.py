from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from employment import demo


class Command(BaseCommand):
    help = "生成演示用的就业数据：用工单位、岗位、扶贫车间、公益性岗位、就业和培训记录（可重复执行）。"

    def add_arguments(self, parser):
        parser.add_argument("--allow-production", action="store_true", help="在 DEBUG 关闭时也生成（仅用于培训环境）。")

    def handle(self, *args, allow_production, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "DEBUG 已关闭：为防止演示数据混入正式数据，已拒绝执行。培训环境请加 --allow-production。"
            )
        made = demo.seed_demo_employment()
        if made:
            self.stdout.write(
                f"  演示就业数据：用工单位 {made['employers']} 家，车间和基地 {made['workshops']} 个，"
                f"公益性岗位 {made['welfare_posts']} 个，就业记录 {made['jobs']} 条。"
            )
        else:
            self.stdout.write("  已有就业数据，未新增。")
