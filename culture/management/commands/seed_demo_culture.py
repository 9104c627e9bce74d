from culture import demo_facilities, demo_house_photos, demo_selections, demo_sessions
from settlements.management.demo_command import DemoCommand

SESSION_LABELS = {"gratitude": "感恩教育", "literacy": "扫盲及适应性培训", "others": "其他活动"}
HOUSE_PHOTO_LABELS = {"on_time": "按时悬挂照片", "late": "逾期悬挂照片", "not_hung": "未挂照片"}
SELECTION_LABELS = {"selections": "评先选优", "honours": "获评对象"}


class Command(DemoCommand):
    help = (
        "生成演示用的文化服务数据：感恩教育等活动、新旧住房对比照片悬挂、评先选优、文化设施的藏书更新和乡愁馆征集、"
        "文化队伍和文艺作品（可重复执行）。"
    )

    def seed(self, **options):
        # each topic's demo (culture/demo_<topic>.py) is called here in turn and reports what it made
        self._report(demo_sessions.seed_demo_sessions(), SESSION_LABELS, "教育活动")
        self._report(demo_house_photos.seed_demo_house_photos(), HOUSE_PHOTO_LABELS, "新旧住房对比照片")
        self._report(demo_selections.seed_demo_selections(), SELECTION_LABELS, "评先选优")
        made = demo_facilities.seed_demo_culture_facilities()
        self.stdout.write(f"  文化设施的藏书、乡愁馆、文化队伍和文艺作品：新增 {made} 条。")

    def _report(self, made: dict, labels: dict, topic: str):
        if not made:
            self.stdout.write(f"  已有{topic}演示数据，未新增。")
            return
        self.stdout.write("  " + "，".join(f"{labels[key]} {count}" for key, count in made.items()))
