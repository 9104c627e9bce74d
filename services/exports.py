"""The services' exports, registered with the portal's export registry (`settlements.exports`): each list page
downloads its rows with the page's filters, in the user's scope. Lists of residents carry their ID numbers as
text cells, masked unless a user allowed to see them asks for full ones; the cadre postings and the service
days hold no resident and are not personal data."""

from settlements import exports
from settlements.selectors import heads_of
from settlements.xlsx_writer import DATE, TEXT, SheetColumn

from . import forms, rules
from .capabilities import READ_SERVICES
from .selectors import hukou
from .selectors.hukou import CardStatus
from .selectors.social_security import as_gap

SETTLEMENT = SheetColumn("安置点", 8)
HOUSEHOLD = SheetColumn("户编号", 14, TEXT)
NAME = SheetColumn("姓名", 10)
ID_NUMBER = SheetColumn("身份证号", 22, TEXT)


class _Listed(exports.ListPageExporter):
    """A list page's rows (`forms.*_query`), the day in the file's name; residents' cells masked as the user may."""

    capability = READ_SERVICES
    stamp = "%Y%m%d"

    def person_cells(self, household, person) -> list:
        return [household.settlement.name, household.code, person.name, self.id_number(person.id_number)]


@exports.register
class Uninsured(_Listed):
    identifier = "services.uninsured"
    verbose_name = "无有效医疗保险人员"
    sheet_name = "无有效医疗保险人员"
    columns = [SETTLEMENT, HOUSEHOLD, NAME, ID_NUMBER, SheetColumn("性别", 6), SheetColumn("出生日期", 12, DATE)]
    query = forms.uninsured_query

    def row(self, stay):
        person = stay.person
        return [*self.person_cells(stay.household, person), person.get_sex_display(), person.birth_date]


@exports.register
class InsuranceGaps(_Listed):
    identifier = "services.insurance_gaps"
    verbose_name = "医疗保险断保情况"
    sheet_name = "医疗保险断保情况"
    columns = [
        SETTLEMENT,
        HOUSEHOLD,
        NAME,
        ID_NUMBER,
        SheetColumn("断保起始日期", 12, DATE),
        SheetColumn("断保截止日期", 12, DATE),
        SheetColumn("断保天数", 8),
        SheetColumn("此后参保险种", 20),
        SheetColumn("此后参保起始日期", 12, DATE),
    ]
    query = forms.gap_query

    def row(self, enrolment):
        gap, person = as_gap(enrolment), enrolment.person
        return [
            *self.person_cells(person.household, person),
            gap.first_day,
            gap.last_day,
            gap.days,
            enrolment.get_scheme_display(),
            enrolment.start_date,
        ]


@exports.register
class Enrolments(_Listed):
    identifier = "services.enrolments"
    verbose_name = "参保台账"
    sheet_name = "参保台账"
    columns = [
        SETTLEMENT,
        HOUSEHOLD,
        NAME,
        ID_NUMBER,
        SheetColumn("险种", 20),
        SheetColumn("参保地", 8),
        SheetColumn("参保起始日期", 12, DATE),
        SheetColumn("参保截止日期", 12, DATE),
        SheetColumn("代缴补贴", 8),
        SheetColumn("备注", 20),
    ]
    query = forms.enrolment_query

    def row(self, enrolment):
        person = enrolment.person
        return [
            *self.person_cells(person.household, person),
            enrolment.get_scheme_display(),
            enrolment.get_place_display(),
            enrolment.start_date,
            enrolment.end_date,
            "是" if enrolment.premium_subsidy else "否",
            enrolment.note,
        ]


@exports.register
class CitizenCards(_Listed):
    identifier = "services.citizen_cards"
    verbose_name = "市民证办理情况"
    sheet_name = "市民证办理情况"
    columns = [
        SETTLEMENT,
        HOUSEHOLD,
        NAME,
        ID_NUMBER,
        SheetColumn("入住日期", 12, DATE),
        SheetColumn("办证到期日", 12, DATE),
        SheetColumn("市民证号", 16, TEXT),
        SheetColumn("发证日期", 12, DATE),
        SheetColumn("办证情况", 12),
    ]
    query = forms.card_query

    def rows_of(self, chunk):
        cards = hukou.cards_of([stay.person_id for stay in chunk])
        for stay in chunk:
            card = cards.get(stay.person_id)
            yield [
                *self.person_cells(stay.household, stay.person),
                stay.moved_in,
                stay.due,
                card.number if card and stay.card_issued_on else "",
                stay.card_issued_on,
                CardStatus.LABELS[hukou.status_of(stay, self.day)],
            ]


class _HouseholdListed(_Listed):
    def rows_of(self, chunk):
        heads = heads_of({record.household_id for record in chunk})
        for record in chunk:
            head = heads.get(record.household_id)
            household = record.household
            cells = [household.settlement.name, household.code, head.name if head else "", ""]
            if head is not None:
                cells[3] = self.id_number(head.id_number)
            yield cells + self.record_cells(record)

    def record_cells(self, record) -> list:
        raise NotImplementedError


HEAD_COLUMNS = [SETTLEMENT, HOUSEHOLD, SheetColumn("户主", 10), SheetColumn("户主身份证号", 22, TEXT)]


@exports.register
class DibaoLedger(_HouseholdListed):
    identifier = "services.dibao"
    verbose_name = "低保台账"
    sheet_name = "低保台账"
    columns = [
        *HEAD_COLUMNS,
        SheetColumn("低保类别", 10),
        SheetColumn("纳入城市低保的依据", 18),
        SheetColumn("起始日期", 12, DATE),
        SheetColumn("截止日期", 12, DATE),
        SheetColumn("脱贫不脱保", 10),
        SheetColumn("月保障金额（元）", 12),
    ]
    query = forms.dibao_query

    def record_cells(self, dibao):
        return [
            dibao.get_kind_display(),
            dibao.get_basis_display(),
            dibao.start_date,
            dibao.end_date,
            "是" if dibao.kept_after_exit else "否",
            dibao.monthly_amount,
        ]


@exports.register
class ReliefLedger(_HouseholdListed):
    identifier = "services.relief"
    verbose_name = "一次性临时救助台账"
    sheet_name = "一次性临时救助台账"
    columns = [
        *HEAD_COLUMNS,
        SheetColumn("发放日期", 12, DATE),
        SheetColumn("救助金额（元）", 12),
        SheetColumn("备注", 20),
    ]
    query = forms.relief_query

    def record_cells(self, relief):
        return [relief.granted_on, relief.amount, relief.note]


@exports.register
class CadrePostings(_Listed):
    identifier = "services.cadre_postings"
    verbose_name = "迁出地派驻干部"
    sheet_name = "迁出地派驻干部"
    personal_data = False  # the cadres are officials at work, not residents
    columns = [
        SheetColumn("迁出乡镇", 12),
        SheetColumn("派驻安置点", 10),
        SheetColumn("干部姓名", 10),
        SheetColumn("单位及职务", 24),
        SheetColumn("派驻起始日期", 12, DATE),
        SheetColumn("派驻截止日期", 12, DATE),
    ]
    query = forms.posting_query

    def row(self, posting):
        return [
            posting.origin_township,
            posting.settlement.name,
            posting.cadre_name,
            posting.unit,
            posting.start_date,
            posting.end_date,
        ]


@exports.register
class ServiceDays(_Listed):
    identifier = "services.service_days"
    verbose_name = "服务日"
    sheet_name = "服务日"
    personal_data = False
    columns = [
        SheetColumn("安置点", 8),
        SheetColumn("服务日期", 12, DATE),
        SheetColumn("星期", 8),
        SheetColumn("开始时间", 8, TEXT),
        SheetColumn("参加单位", 30),
        SheetColumn("集中办理的事项", 40),
        SheetColumn("服务户数", 8),
    ]
    query = forms.service_day_query

    def file_name(self) -> str:
        return f"服务日_{self.day}.xlsx"

    def row(self, service_day):
        return [
            service_day.settlement.name,
            service_day.held_on,
            rules.weekday_name(service_day.held_on.weekday()),
            service_day.starts_at.strftime("%H:%M"),
            "、".join(unit.name for unit in service_day.units.all()),
            service_day.matters,
            service_day.households_served,
        ]
