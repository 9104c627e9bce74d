from settlements.management.demo_command import DemoCommand

from ... import demo_sessions

SESSION_LABELS = {"gratitude": "感恩教育", "literacy": "扫盲及适应性培训", "others": "其他活动"}


class Command(DemoCommand):
    help = (
        "生成演示用的文化服务数据：感恩教育等活动、新旧住房对比照片悬挂、评先选优、文化设施的藏书更新和乡愁馆征集、"
        "文化队伍和文艺作品（可重复执行）。"
    )

    def seed(self, **options):
        # each topic's demo (culture/demo_<topic>.py) is called here in turn and reports what it made
        made = demo_sessions.seed_demo_sessions()
        if made:
            counts = "、".join(f"{label} {made.get(key, 0)} 场" for key, label in SESSION_LABELS.items())
            self.stdout.write(f"  演示教育活动：{counts}。")
        else:
            self.stdout.write("  已有教育活动，未新增。")
