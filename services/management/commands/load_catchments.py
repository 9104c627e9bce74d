from django.core.management.base import BaseCommand, CommandError

from services.schooling_catchments import CatchmentLoadError, ensure_catchments


class Command(BaseCommand):
    help = (
        "载入附件1第1项的就学安排（各安置点的幼儿园、小学；只补充缺少的，可重复执行）。"
        "所列学校按名称在服务设施中查找，没有的新建为该类型的设施。"
    )

    def handle(self, *args, **options):
        try:
            loaded = ensure_catchments()
        except CatchmentLoadError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"就学安排新增 {loaded.catchments} 条，新建学校（设施）{loaded.schools} 处。")
