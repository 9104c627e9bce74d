"""The base of the demo-data commands: they refuse to run with DEBUG off, so demo data never enters a
production registry, unless `--allow-production` is given for a training installation."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

MSG_REFUSED = "DEBUG 已关闭：为防止演示数据混入正式数据，已拒绝执行。培训环境请加 --allow-production。"


class DemoCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--allow-production", action="store_true", help="在 DEBUG 关闭时也生成（仅用于培训环境）。")

    def handle(self, *args, allow_production, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(MSG_REFUSED)
        self.seed(**options)

    def seed(self, **options):
        raise NotImplementedError
