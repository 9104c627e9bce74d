"""The place structure as Excel: the grids with their households and band, the households with their grids, and the
building and courtyard heads. Each reads the list page's filters from the user's scope, as of today."""

from urllib.parse import unquote_plus

from django.utils import timezone

from . import capabilities, exports, grids, selectors, xlsx_writer
from .models import GridAssignment, GridKind

DATE = xlsx_writer.DATE
TEXT = xlsx_writer.TEXT


class _StructureExporter(exports.LedgerExporter):
    capability = capabilities.READ_REGISTRY
    personal_data = False  # no resident ID number

    def file_name(self) -> str:
        return f"{self.verbose_name}_{timezone.localtime():%Y%m%d_%H%M}.xlsx"

    def description(self) -> str:
        return f"{self.verbose_name}导出 {unquote_plus(self.params.urlencode())}".strip()


@exports.register
class GridLedger(_StructureExporter):
    identifier = "settlements.grids"
    verbose_name = "网格台账"
    sheet_name = "网格"
    columns = [
        xlsx_writer.SheetColumn("安置点", 12),
        xlsx_writer.SheetColumn("网格类型", 20),
        xlsx_writer.SheetColumn("网格名称", 20),
        xlsx_writer.SheetColumn("在住户数", 10),
        xlsx_writer.SheetColumn("应有户数", 14),
        xlsx_writer.SheetColumn("是否在范围内", 12),
        xlsx_writer.SheetColumn("现任网格员", 30),
        xlsx_writer.SheetColumn("划定日期", 13, DATE),
        xlsx_writer.SheetColumn("撤销日期", 13, DATE),
        xlsx_writer.SheetColumn("备注", 30),
    ]

    def __init__(self, user, params=None, **options):
        super().__init__(user, params, **options)
        _, self.grids = selectors.grid_list(user=user, params=self.params)

    def rows(self):
        day = timezone.localdate()
        grid_list = list(self.grids)
        counts = grids.grid_household_counts([grid.pk for grid in grid_list], day)
        sizes = selectors.resident_households_by_settlement(day=day)
        members = {}
        for member in grids.current_members(day).filter(grid__in=grid_list):
            members.setdefault(member.grid_id, []).append(member.name)
        for grid in grid_list:
            households = counts.get(grid.pk, 0)
            band = grids.band_for(grid.kind, sizes.get(grid.settlement_id, 0), day)
            yield [
                grid.settlement.name,
                grid.get_kind_display(),
                grid.name,
                households,
                band.label if band else "无规则数据",
                "—" if band is None else ("是" if band.holds(households) else "否"),
                "、".join(members.get(grid.pk, [])),
                grid.established_on,
                grid.dissolved_on,
                grid.note,
            ]


@exports.register
class GridHouseholdLedger(_StructureExporter):
    """The households with their grids and their head's ID number (masked unless asked for): the columns of the
    grid roster's import, so the sheet can be corrected and imported again."""

    identifier = "settlements.grid_households"
    verbose_name = "搬迁户网格划分表"
    personal_data = True
    sheet_name = "搬迁户网格"
    columns = [
        xlsx_writer.SheetColumn("户编号", 16, TEXT),
        xlsx_writer.SheetColumn("户主", 10),
        xlsx_writer.SheetColumn("户主身份证号", 22, TEXT),
        xlsx_writer.SheetColumn("安置点", 12),
        xlsx_writer.SheetColumn("楼栋", 10),
        xlsx_writer.SheetColumn("房号", 8, TEXT),
        xlsx_writer.SheetColumn("状态", 12),
        xlsx_writer.SheetColumn("治理网格（居民小组）", 20),
        xlsx_writer.SheetColumn("治安网格", 20),
    ]

    def __init__(self, user, params=None, **options):
        super().__init__(user, params, **options)
        _, self.households = selectors.grid_household_list(user=user, params=self.params)

    def rows(self):
        for chunk in exports.chunks(self.households, self.chunk_size):
            open_rows = GridAssignment.objects.filter(household__in=chunk, end_date__isnull=True)
            named = {(h, kind): name for h, kind, name in open_rows.values_list("household_id", "kind", "grid__name")}
            heads = selectors.heads_of([household.pk for household in chunk])
            for household in chunk:
                head = heads.get(household.pk)
                yield [
                    household.code,
                    household.head_name or "",
                    self.id_number(head.id_number) if head else "",
                    household.settlement.name,
                    household.building.name if household.building else "",
                    household.room_number,
                    household.get_status_display(),
                    named.get((household.pk, GridKind.GOVERNANCE), "未划入"),
                    named.get((household.pk, GridKind.SECURITY), "未划入"),
                ]


@exports.register
class BuildingHeadLedger(_StructureExporter):
    identifier = "settlements.building_heads"
    verbose_name = "楼长院长名册"
    sheet_name = "楼长院长"
    columns = [
        xlsx_writer.SheetColumn("安置点", 12),
        xlsx_writer.SheetColumn("楼栋（院落）", 14),
        xlsx_writer.SheetColumn("职务", 8),
        xlsx_writer.SheetColumn("姓名", 10),
        xlsx_writer.SheetColumn("联系电话", 14, TEXT),
        xlsx_writer.SheetColumn("搬迁人员", 8),
        xlsx_writer.SheetColumn("任职日期", 13, DATE),
        xlsx_writer.SheetColumn("卸任日期", 13, DATE),
    ]

    def __init__(self, user, params=None, **options):
        super().__init__(user, params, **options)
        _, self.heads = selectors.building_head_list(user=user, params=self.params)

    def rows(self):
        for head in self.heads.iterator(chunk_size=self.chunk_size):
            yield [
                head.building.settlement.name,
                head.building.name,
                head.building.head_title,
                head.name,
                head.phone,
                "是" if head.person_id else "否",
                head.start_date,
                head.end_date,
            ]
