"""The health pages' exports, registered with the portal's export registry (`settlements.exports`): the clinics'
staffing table (no resident in it) and the seriously-ill poor residents missing from the screening ledger (ID
numbers as text cells, masked unless a permitted user asks for full ones). Each reads its page's query."""

from settlements import exports
from settlements.xlsx_writer import DATE, SheetColumn

from . import health_forms as forms
from .exports import HOUSEHOLD, ID_NUMBER, NAME, SETTLEMENT, _Listed


@exports.register
class ClinicStaffingTable(_Listed):
    identifier = "services.clinic_staffing"
    verbose_name = "卫生室人员配备情况"
    sheet_name = "卫生室人员配备情况"
    personal_data = False  # facilities and their staff at work, no resident
    columns = [
        SheetColumn("医疗卫生机构", 22),
        SheetColumn("类型", 14),
        SheetColumn("服务安置点", 16),
        SheetColumn("服务人口", 8),
        SheetColumn("应配村医", 8),
        SheetColumn("在岗村医", 8),
        SheetColumn("女乡村医生", 8),
        SheetColumn("能西会中", 8),
        SheetColumn("在岗医务人员", 10),
        SheetColumn("已完成培训", 10),
        SheetColumn("新农合定点", 8),
        SheetColumn("是否达到全部要求", 12),
        SheetColumn("未达到的要求", 60),
    ]
    query = forms.clinic_query

    def rows(self):
        yield from (self.row(record) for record in self.records)

    def row(self, record):
        if not record.judged:
            verdict = "未投入使用" if not record.in_use else "不按村卫生室考核"
        else:
            verdict = "是" if record.passed else "否"
        return [
            record.facility.name,
            "、".join(kind.name for kind in record.facility.kinds.all()),
            "、".join(settlement.name for settlement in record.settlements) or "全县",
            record.population,
            record.required_doctors,
            len(record.doctors),
            record.women_doctors,
            record.western_chinese,
            len(record.staff),
            record.trained,
            "是" if record.designated else "否",
            verdict,
            "；".join(check.reason for check in record.failures),
        ]


@exports.register
class Unscreened(_Listed):
    identifier = "services.unscreened"
    verbose_name = "未筛查的患大病贫困人口"
    sheet_name = "未筛查的患大病贫困人口"
    columns = [SETTLEMENT, HOUSEHOLD, NAME, ID_NUMBER, SheetColumn("性别", 6), SheetColumn("出生日期", 12, DATE)]
    query = forms.unscreened_query

    def row(self, stay):
        person = stay.person
        return [*self.person_cells(stay.household, person), person.get_sex_display(), person.birth_date]
