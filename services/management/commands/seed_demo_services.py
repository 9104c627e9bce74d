from services import demo, demo_health, demo_schooling
from settlements.management.demo_command import DemoCommand

LABELS = {
    "enrolments": "参保记录",
    "transfers": "户籍迁入",
    "cards": "市民证",
    "dibao": "低保",
    "reliefs": "临时救助",
    "postings": "派驻干部",
    "service_days": "服务日",
}
HEALTH_LABELS = {
    "staff": "医务人员",
    "screenings": "大病筛查台账",
    "monitoring": "动态监测",
    "contracts": "家庭医生签约",
}
SCHOOLING_LABELS = {
    "catchments": "就学安排（演示）",
    "enrolments": "就读记录",
    "dropouts": "辍学",
    "visits": "控辍保学走访",
    "aid": "学生资助",
}


class Command(DemoCommand):
    help = (
        "生成演示用的基本公共服务数据：参保、户籍迁入和市民证、低保、临时救助、派驻干部、服务日，"
        "就学安排、就读记录和学生资助，医务人员、大病筛查台账、家庭医生签约（可重复执行）。"
    )

    def seed(self, **options):
        made = demo.seed_demo_services()
        if made:
            counts = "、".join(f"{label} {made.get(key, 0)} 条" for key, label in LABELS.items())
            self.stdout.write(f"  演示基本公共服务数据：{counts}。")
        else:
            self.stdout.write("  已有基本公共服务数据，未新增。")
        schooling = demo_schooling.seed_demo_schooling()
        if schooling:
            counts = "、".join(f"{label} {schooling.get(key, 0)} 条" for key, label in SCHOOLING_LABELS.items())
            self.stdout.write(f"  演示义务教育数据：{counts}。")
        else:
            self.stdout.write("  已有就读记录，未新增演示义务教育数据。")
        made = demo_health.seed_demo_health()
        if made:
            counts = "、".join(f"{label} {made.get(key, 0)} 条" for key, label in HEALTH_LABELS.items())
            self.stdout.write(f"  演示医疗卫生数据：{counts}。")
        else:
            self.stdout.write("  已有医疗卫生数据，未新增。")
