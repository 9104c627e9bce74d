"""The facility ledger (服务设施台账) as Excel: the list page's facilities, one row each, with the standards'
result as of the day of the export."""

from urllib.parse import unquote_plus

from django.utils import timezone

from . import capabilities, exports, facilities, selectors, xlsx_writer

DATE = xlsx_writer.DATE


@exports.register
class FacilityLedger(exports.LedgerExporter):
    identifier = "settlements.facilities"
    verbose_name = "服务设施台账"
    capability = capabilities.READ_REGISTRY
    personal_data = False  # facilities, no resident
    sheet_name = "服务设施"
    columns = [
        xlsx_writer.SheetColumn("设施名称", 28),
        xlsx_writer.SheetColumn("设施类型", 28),
        xlsx_writer.SheetColumn("服务安置点", 20),
        xlsx_writer.SheetColumn("地址", 24),
        xlsx_writer.SheetColumn("责任单位", 18),
        xlsx_writer.SheetColumn("计划投入使用", 13, DATE),
        xlsx_writer.SheetColumn("开工（筹建）", 13, DATE),
        xlsx_writer.SheetColumn("投入使用（成立）", 13, DATE),
        xlsx_writer.SheetColumn("停用", 13, DATE),
        xlsx_writer.SheetColumn("当前状态", 12),
        xlsx_writer.SheetColumn("建设标准", 40),
    ]

    def __init__(self, user, params=None, **options):
        super().__init__(user, params, **options)
        _, self.facilities = selectors.facility_list(user=user, params=self.params)

    def file_name(self) -> str:
        return f"服务设施台账_{timezone.localtime():%Y%m%d_%H%M}.xlsx"

    def description(self) -> str:
        return f"服务设施台账导出 {unquote_plus(self.params.urlencode())}".strip()

    def rows(self):
        day = timezone.localdate()
        for facility in self.facilities.iterator(chunk_size=self.chunk_size):
            yield [
                facility.name,
                "、".join(kind.name for kind in facility.kinds.all()),
                "、".join(settlement.name for settlement in facility.settlements.all()) or "全县",
                facility.address,
                str(facility.responsible_unit or ""),
                facility.planned_on,
                facility.started_on,
                facility.in_use_on,
                facility.closed_on,
                facilities.Status.LABELS[facilities.status_on(facility, day)],
                _standards_summary(facility, day),
            ]


def _standards_summary(facility, day) -> str:
    judgements = facilities.judge(facility, day)
    if not judgements:
        return "无量化标准"
    failures = [failure.reason for judgement in judgements for failure in judgement.failures]
    return "达标" if not failures else "未达标：" + "；".join(failures)
