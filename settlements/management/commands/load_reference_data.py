from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

# In dependency order: settlements name their administering unit, work teams their lead unit.
REFERENCE_FIXTURES = ["responsible_units", "settlements", "work_teams"]


class Command(BaseCommand):
    help = "载入原文件中的基础数据：责任单位、安置点、工作专班（可重复执行）。"

    def handle(self, *args, **options):
        fixture_dir = settings.BASE_DIR / "fixtures"
        for name in REFERENCE_FIXTURES:
            call_command("loaddata", str(fixture_dir / f"{name}.json"), verbosity=options["verbosity"])
