"""The culture facilities' exports, registered with the portal's export registry (`settlements.exports`): the
乡愁馆 collection, with the list page's filters, in the user's scope; no resident in it, so no personal data. (The
culture teams' export is the core's community-group export, `settlements.group_pages`.)"""

from settlements import exports
from settlements.xlsx_writer import DATE, SheetColumn

from . import facility_forms as forms
from .capabilities import READ_CULTURE


@exports.register
class CollectionItems(exports.ListPageExporter):
    identifier = "culture.collection"
    capability = READ_CULTURE
    personal_data = False
    verbose_name = "乡愁馆藏品"
    sheet_name = "乡愁馆藏品"
    columns = [
        SheetColumn("安置点", 10),
        SheetColumn("乡愁馆", 18),
        SheetColumn("类别", 6),
        SheetColumn("名称", 20),
        SheetColumn("来源乡镇", 10),
        SheetColumn("来源村寨", 10),
        SheetColumn("捐赠（提供）人", 12),
        SheetColumn("征集日期", 12, DATE),
        SheetColumn("说明", 40),
    ]
    query = forms.collection_query

    def row(self, item):
        return [
            "、".join(settlement.name for settlement in item.facility.settlements.all()) or "全县",
            item.facility.name,
            item.get_kind_display(),
            item.title,
            item.origin_township,
            item.origin_village,
            item.donor,
            item.collected_on,
            item.note,
        ]
