from governance import demo_committees, demo_open_affairs, demo_service_centres, demo_social_groups
from settlements.management.demo_command import DemoCommand

OPEN_AFFAIRS_LABELS = {
    "catalogue": "公开目录事项",
    "publications": "安置点社区公开",
    "mirrors": "迁出村同步公开",
    "meetings": "会议",
    "decisions": "会议决定",
    "evaluations": "民主评议",
    "documents": "自治章程和居民公约",
}

COMMITTEE_LABELS = {
    "offices": "街道办事处",
    "committees": "居委会",
    "members": "居委会成员",
    "organisations": "群团组织",
    "elections": "选举",
}


class Command(DemoCommand):
    help = (
        "生成演示用的社区治理数据：居委会、选举、居务公开、会议和协商、"
        "社会组织和志愿者队伍、政务服务中心（可重复执行）。"
    )

    def seed(self, **options):
        # each topic's demo (governance/demo_<topic>.py) is called here in turn and reports what it made
        made = demo_committees.seed_demo_committees()
        if made:
            counts = "、".join(f"{label} {made.get(key, 0)} 个" for key, label in COMMITTEE_LABELS.items())
            self.stdout.write(f"  演示居委会和选举数据：{counts}。")
        else:
            self.stdout.write("  已有居委会，未新增演示居委会和选举数据。")
        made = demo_open_affairs.seed_demo_open_affairs()
        if made:
            counts = "、".join(f"{label} {made.get(key, 0)} 条" for key, label in OPEN_AFFAIRS_LABELS.items())
            self.stdout.write(f"  演示居务公开、会议和民主评议数据：{counts}。")
        else:
            self.stdout.write("  已有居务公开数据，未新增。")
        made = demo_social_groups.seed_demo_social_groups()
        self.stdout.write(f"  演示社会组织和志愿者队伍：新增 {made} 个。")
        made = demo_service_centres.seed_demo_service_centres()
        self.stdout.write(f"  演示政务服务中心：新增 {made} 个。")
