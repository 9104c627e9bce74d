"""The schooling lists' exports, registered with the portal's export registry (`settlements.exports`) in the shape of
the services' other lists (`services.exports`): the page's filters, the user's scope, ID numbers as text cells
masked unless a permitted user asks for full ones."""

from settlements import exports
from settlements.xlsx_writer import DATE, SheetColumn

from . import schooling_forms
from .exports import HOUSEHOLD, ID_NUMBER, NAME, SETTLEMENT, _Listed
from .models import SchoolLevel, VisitResult
from .selectors.schooling import out_of_school_reason

CHILD_COLUMNS = [SETTLEMENT, HOUSEHOLD, NAME, ID_NUMBER, SheetColumn("性别", 6), SheetColumn("出生日期", 12, DATE)]


def _child_cells(exporter, stay) -> list:
    person = stay.person
    return [*exporter.person_cells(stay.household, person), person.get_sex_display(), person.birth_date]


@exports.register
class OutOfSchool(_Listed):
    identifier = "services.out_of_school"
    verbose_name = "义务教育适龄未在读儿童"
    sheet_name = "失学辍学儿童"
    columns = [
        *CHILD_COLUMNS,
        SheetColumn("情况", 36),
        SheetColumn("最近走访日期", 12, DATE),
        SheetColumn("走访结果", 10),
    ]
    query = schooling_forms.out_of_school_query

    def row(self, stay):
        result = VisitResult(stay.last_visit_result).label if stay.last_visit_result else ""
        return [*_child_cells(self, stay), out_of_school_reason(stay), stay.last_visit_on, result]


@exports.register
class AidGaps(_Listed):
    identifier = "services.aid_gaps"
    verbose_name = "应助未助学生"
    sheet_name = "应助未助学生"
    columns = [*CHILD_COLUMNS, SheetColumn("在读学段", 8), SheetColumn("应享资助项目", 12)]
    query = schooling_forms.aid_gap_query

    def row(self, stay):
        return [*_child_cells(self, stay), SchoolLevel(stay.level).label, stay.scheme]
