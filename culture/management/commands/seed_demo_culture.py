from settlements.management.demo_command import DemoCommand


class Command(DemoCommand):
    help = (
        "生成演示用的文化服务数据：感恩教育等活动、新旧住房对比照片悬挂、评先选优、文化设施的藏书更新和乡愁馆征集、"
        "文化队伍和文艺作品（可重复执行）。"
    )

    def seed(self, **options):
        # each topic's demo (culture/demo_<topic>.py) is called here in turn and reports what it made
        from culture.demo_facilities import seed_demo_culture_facilities

        made = seed_demo_culture_facilities()
        self.stdout.write(f"文化设施及其藏书、乡愁馆、文化队伍和文艺作品：新增 {made} 条。")
