"""The base of the demo-data commands: they refuse to run with DEBUG off, so demo data never enters a
production registry, unless `--allow-production` is given for a training installation. A run is one entry of
the audit trail, not one per record it makes through the services."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from settlements import audit

DEMO_SEED = audit.define_action("demo.seed", "生成演示数据")

MSG_REFUSED = "DEBUG 已关闭：为防止演示数据混入正式数据，已拒绝执行。培训环境请加 --allow-production。"


class DemoCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--allow-production", action="store_true", help="在 DEBUG 关闭时也生成（仅用于培训环境）。")

    def handle(self, *args, allow_production, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(MSG_REFUSED)
        with audit.covered():
            self.seed(**options)
        audit.record(actor=None, actor_name="manage.py", action=DEMO_SEED, detail={"command": self._command_name()})

    def _command_name(self) -> str:
        return type(self).__module__.rsplit(".", 1)[-1]

    def seed(self, **options):
        raise NotImplementedError
