from settlements.management.demo_command import DemoCommand
from tasks import demo


class Command(DemoCommand):
    help = "生成演示用的任务进展报告和本月调度会（可重复执行；已有调度会时不再生成）。"

    def seed(self, **options):
        made = demo.seed_demo_dispatch()
        if made:
            self.stdout.write(
                f"  演示进展报告 {made['reports']} 份（已采纳 {made['accepted']} 份），安排本月调度会 1 次。"
            )
        else:
            self.stdout.write("  已有调度会，未新增演示进展报告。")
