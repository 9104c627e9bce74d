"""Create one of the three administrators (三员分立) at set-up, without a superuser.

    manage.py create_administrator --role system_admin --username xitong --full-name 张三

The password is asked for twice, or read from the environment variable PORTAL_ADMINISTRATOR_PASSWORD (for
scripts). It must pass the password rules, and the administrator changes it at their first login (whoever
ran the command does not keep knowing it). Recorded in the audit trail.
"""

import getpass
import os

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from settlements import services
from settlements.accounts.services import security_event
from settlements.models import User
from settlements.roles import ADMINISTRATOR_ROLES, Role

PASSWORD_VARIABLE = "PORTAL_ADMINISTRATOR_PASSWORD"


class Command(BaseCommand):
    help = "创建系统管理员、安全管理员或安全审计员账号（三员分立；首次登录须修改密码并绑定验证器）。"

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, choices=sorted(ADMINISTRATOR_ROLES), help="管理员角色")
        parser.add_argument("--username", required=True, help="登录用户名")
        parser.add_argument("--full-name", default="", help="姓名")
        parser.add_argument("--email", default="", help="电子邮箱")

    def handle(self, *args, role, username, full_name, email, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"用户名 {username} 已存在。")
        password = self._password(User(username=username, full_name=full_name, email=email, role=role))
        try:
            user = services.user_create(
                username=username,
                password=password,
                role=role,
                full_name=full_name,
                email=email,
                must_change_password=True,
            )
        except ValidationError as problems:
            raise CommandError("；".join(problems.messages)) from problems
        security_event(
            actor=None,
            actor_name="manage.py create_administrator",
            action="user.created",
            target=user,
            detail={"role": Role(role).label, "unit": "", "work_team": ""},
        )
        self.stdout.write(
            self.style.SUCCESS(f"已创建{Role(role).label} {username}：首次登录须修改密码，并绑定手机验证器。")
        )

    def _password(self, user: User) -> str:
        password = os.environ.get(PASSWORD_VARIABLE)
        if password is None:
            password = getpass.getpass("密码：")
            if password != getpass.getpass("再次输入密码："):
                raise CommandError("两次输入的密码不一致。")
        try:
            password_validation.validate_password(password, user)
        except ValidationError as problems:
            raise CommandError("；".join(problems.messages)) from problems
        return password
