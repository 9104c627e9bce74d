"""The registry's exports: the person ledger (人员台账, re-importable) and the one-household file (一户一册).

The ledger streams (see `settlements.exports.LedgerExporter`) from the persons of the list page's filters in the
user's scope, read as plain tuples in chunks; ID and phone numbers are text cells, so Excel keeps all 18
characters. The household file is a small styled workbook, printable on A4. Registered with the export
registry when the app is ready.
"""

import datetime
from urllib.parse import unquote_plus

from django.shortcuts import get_object_or_404
from django.utils import timezone
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from . import capabilities, exports, ledger, report_sheets, selectors, xlsx_writer
from .models import Household, Person, PersonalDataAccessKind, PersonStatus, Relation, read_id_number

TEXT = "@"
DATE = "yyyy-mm-dd"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def ledger_cell_value(column: ledger.Column, value):
    """What the ledger shows for a stored value: the Chinese label of a choice, None for blank."""
    if value in (None, ""):
        return None
    return dict(column.choices).get(str(value), str(value)) if column.choices else value


# The database column behind each ledger field, read as plain tuples: model instances cost too much time
# at 25,000 rows and more.
LEDGER_SOURCES = {
    "code": "household__code",
    "settlement": "settlement__name",
    "building": "household__building__name",
    "room_number": "household__room_number",
    "head_name": "household_id",
    "name": "name",
    "id_number": "id_number_encrypted",  # decrypted per row, then masked unless full numbers were asked for
    "relation": "relation",
    "sex": "sex",
    "phone": "phone",
    "project_year": "household__project_year",
    "origin_township": "household__origin_township",
    "origin_village": "household__origin_village",
    "registered_poor": "household__registered_poor",
    "move_in_date": "household__move_in_date",
    "education": "education",
    "health": "health",
    "hukou_status": "hukou_status",
}
SHEET_COLUMNS = [xlsx_writer.SheetColumn(column.header, column.width, column.kind) for column in ledger.COLUMNS]


def head_names_for(persons) -> dict[int, str]:
    """{household pk: head's name} for the households of `persons`: one query."""
    heads = Person.objects.active().filter(
        relation=Relation.HEAD, household_id__in=persons.order_by().values("household_id")
    )
    return dict(heads.values_list("household_id", "name"))


@exports.register
class PersonLedger(exports.LedgerExporter):
    """The persons of the list page's filters (`selectors.person_list`) as the ledger, one row per person."""

    identifier = "settlements.person_ledger"
    verbose_name = "人员台账"
    capability = capabilities.READ_REGISTRY
    sheet_name = "人员台账"
    columns = SHEET_COLUMNS

    def __init__(self, user, params=None, **options):
        super().__init__(user, params, **options)
        _, self.persons = selectors.person_list(user=user, params=self.params)

    def file_name(self) -> str:
        return f"人员台账_{timezone.localtime():%Y%m%d_%H%M}.xlsx"

    def description(self) -> str:
        return f"人员台账导出 {unquote_plus(self.params.urlencode())}".strip()

    def rows(self):
        head_names = head_names_for(self.persons)
        fields = list(LEDGER_SOURCES)
        for values in self.persons.values_list(*LEDGER_SOURCES.values()).iterator(chunk_size=self.chunk_size):
            yield self._row(dict(zip(fields, values, strict=True)), head_names)

    def _row(self, values: dict, head_names: dict[int, str]) -> list:
        values["head_name"] = head_names.get(values["head_name"], "")
        values["registered_poor"] = "1" if values["registered_poor"] else "0"
        values["id_number"] = self.id_number(read_id_number(values["id_number"]))
        return [ledger_cell_value(column, values[column.field]) for column in ledger.COLUMNS]


# --- 一户一册 -----------------------------------------------------------------------------------------------

MEMBER_COLUMNS = [
    ("姓名", 10),
    ("与户主关系", 10),
    ("性别", 6),
    ("出生日期", 12),
    ("身份证号", 22),
    ("联系电话", 14),
    ("文化程度", 12),
    ("健康状况", 10),
    ("户籍状态", 16),
    ("在册状态", 10),
]


@exports.register
class HouseholdFile(exports.ReportExporter):
    """One household in the user's scope (a 404 outside it): its facts, members and events, printable on A4."""

    identifier = "settlements.household_file"
    verbose_name = "一户一册"
    capability = capabilities.READ_REGISTRY
    masked_log_kind = PersonalDataAccessKind.HOUSEHOLD_FILE

    def __init__(self, user, params=None, *, pk, **options):
        super().__init__(user, params, **options)
        households = Household.objects.for_user(user).select_related("settlement", "building")
        self.household = get_object_or_404(households, pk=pk)

    def file_name(self) -> str:
        return f"一户一册_{self.household.code}.xlsx"

    def description(self) -> str:
        return f"一户一册 {self.household.code}"

    def audit_target(self):
        return self.household

    def build(self, workbook) -> int:
        household = self.household
        sheet = workbook.create_sheet("一户一册")
        report_sheets.fit_a4_landscape(sheet)
        report_sheets.set_column_widths(sheet, MEMBER_COLUMNS)
        row = _write_title(sheet, f"易地扶贫搬迁户一户一册 · {household.code}")
        row = _write_pairs(sheet, row + 1, _household_pairs(household))
        members = [self._member_row(person) for person in household.members.order_by("status", "id")]
        row = _write_table(sheet, row + 1, "家庭成员", MEMBER_COLUMNS, members)
        event_rows = [
            (e.date, e.get_kind_display(), e.person.name if e.person else "", e.reason) for e in household.events.all()
        ]
        _write_table(sheet, row + 1, "户事项", [("日期", 12), ("事项", 10), ("人员", 10), ("说明", 40)], event_rows)
        return len(members)

    def _member_row(self, person) -> tuple:
        return (
            person.name,
            person.get_relation_display(),
            person.get_sex_display(),
            person.birth_date,
            self.id_number(person.id_number),
            person.phone,
            person.get_education_display(),
            person.get_health_display(),
            person.get_hukou_status_display(),
            person.get_status_display() if person.status != PersonStatus.ACTIVE else "在册",
        )


def _write_title(sheet, title) -> int:
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(MEMBER_COLUMNS))
    sheet.cell(row=2, column=1, value=f"打印日期：{timezone.localdate():%Y-%m-%d}")
    return 2


def _household_pairs(household):
    return [
        ("安置点", household.settlement.full_name),
        ("楼栋/房号", f"{household.building.name if household.building_id else ''} {household.room_number}"),
        ("搬迁年度", household.get_project_year_display()),
        ("迁出地", f"{household.origin_township}{household.origin_village}"),
        ("建档立卡", "是" if household.registered_poor else "否"),
        ("入住日期", household.move_in_date),
        ("状态", household.get_status_display()),
    ]


def _write_pairs(sheet, row, pairs) -> int:
    for offset, (label, value) in enumerate(pairs):
        current = row + offset // 2
        column = 1 + (offset % 2) * 4
        sheet.cell(row=current, column=column, value=label).font = HEADER_FONT
        cell = sheet.cell(row=current, column=column + 1, value=value)
        if isinstance(value, datetime.date):
            cell.number_format = DATE
    return row + (len(pairs) + 1) // 2


def _write_table(sheet, row, title, columns, rows) -> int:
    sheet.cell(row=row, column=1, value=title).font = Font(bold=True, size=12)
    row += 1
    for index, (header, _) in enumerate(columns, start=1):
        cell = sheet.cell(row=row, column=index, value=header)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
    for values in rows:
        row += 1
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=index, value=value)
            cell.border = BORDER
            cell.alignment = Alignment(vertical="center")
            if isinstance(value, datetime.date):
                cell.number_format = DATE
            elif isinstance(value, str):
                cell.number_format = TEXT
    return row + 1
