from settlements import demo, demo_facilities, demo_grids
from settlements.management.demo_command import DemoCommand


class Command(DemoCommand):
    help = "生成演示数据：每个安置点若干户演示搬迁户，以及每个角色一个演示账号（可重复执行）。"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--households-per-settlement", type=int, default=40)

    def seed(self, *, households_per_settlement, **options):
        logins = demo.ensure_demo_users()
        made = demo.seed_demo_households(households_per_settlement)
        for settlement, (households, persons) in made.items():
            self.stdout.write(f"  {settlement}：新建演示搬迁户 {households} 户、{persons} 人")
        if not made:
            self.stdout.write("  各安置点已有搬迁户，未新增演示数据。")
        facilities = demo_facilities.seed_demo_facilities()
        if facilities:
            self.stdout.write(f"  新建演示服务设施 {facilities} 处")
        grids = demo_grids.seed_demo_grids()
        if grids:
            self.stdout.write(f"  新建演示网格 {grids} 个（含楼长）")
        self.stdout.write(self.style.SUCCESS(f"演示账号（初始密码均为 {demo.DEMO_PASSWORD}）："))
        for login in logins:
            factor = "  须双因素认证" if login.second_factor else ""
            self.stdout.write(f"  {login.username:<15} {login.role:<14} {login.scope}{factor}")
        self.stdout.write(
            "  标“须双因素认证”的账号首次登录时须用手机上的身份验证器应用（TOTP）扫码绑定，"
            "此后每次登录输入其6位动态码。"
        )
