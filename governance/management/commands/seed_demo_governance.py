from governance import demo_committees
from settlements.management.demo_command import DemoCommand

COMMITTEE_LABELS = {
    "offices": "街道办事处",
    "committees": "居委会",
    "members": "居委会成员",
    "organisations": "群团组织",
    "elections": "选举",
}


class Command(DemoCommand):
    help = "生成演示用的社区治理数据：居委会、选举和选民名单、居务公开、会议和协商（可重复执行）。"

    def seed(self, **options):
        # each topic's demo (governance/demo_<topic>.py) is called here in turn and reports what it made
        made = demo_committees.seed_demo_committees()
        if made:
            counts = "、".join(f"{label} {made.get(key, 0)} 个" for key, label in COMMITTEE_LABELS.items())
            self.stdout.write(f"  演示居委会和选举数据：{counts}。")
        else:
            self.stdout.write("  已有居委会，未新增演示居委会和选举数据。")
