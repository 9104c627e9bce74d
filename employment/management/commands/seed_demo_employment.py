from employment import demo
from settlements.management.demo_command import DemoCommand


class Command(DemoCommand):
    help = "生成演示用的就业数据：用工单位、岗位、扶贫车间、公益性岗位、就业和培训记录（可重复执行）。"

    def seed(self, **options):
        made = demo.seed_demo_employment()
        if made:
            self.stdout.write(
                f"  演示就业数据：用工单位 {made['employers']} 家，车间和基地 {made['workshops']} 个，"
                f"公益性岗位 {made['welfare_posts']} 个，就业记录 {made['jobs']} 条。"
            )
        else:
            self.stdout.write("  已有就业数据，未新增。")
