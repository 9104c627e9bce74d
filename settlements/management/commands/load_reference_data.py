from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from settlements.facility_data import load_standards

# In dependency order: settlements name their administering unit, work teams their lead unit.
REFERENCE_FIXTURES = ["responsible_units", "settlements", "work_teams", "facility_kinds", "group_kinds"]


class Command(BaseCommand):
    help = "载入原文件中的基础数据：责任单位、安置点、工作专班、设施类型及其建设标准（可重复执行）。"

    def handle(self, *args, **options):
        fixture_dir = settings.BASE_DIR / "fixtures"
        for name in REFERENCE_FIXTURES:
            call_command("loaddata", str(fixture_dir / f"{name}.json"), verbosity=options["verbosity"])
        load_standards()
