"""The yearly selections per settlement and year as Excel (`settlements.exports`): the county table of the
selections page, in the user's scope. It names no resident."""

from django.utils import timezone

from settlements import exports
from settlements.models import Settlement
from settlements.xlsx_writer import SheetColumn

from .capabilities import READ_CULTURE
from .selectors import selections


@exports.register
class SelectionYears(exports.LedgerExporter):
    identifier = "culture.selection_years"
    verbose_name = "评先选优情况"
    sheet_name = "评先选优情况"
    capability = READ_CULTURE
    personal_data = False  # settlements and counts of selections: no resident

    def __init__(self, user, params=None, **options):
        super().__init__(user, params, **options)
        self.day = timezone.localdate()
        settlements = list(Settlement.objects.for_user(user))
        self.years, self.table = selections.selection_years(settlements=settlements, day=self.day)

    @property
    def columns(self):
        year_columns = [SheetColumn(f"{year}年度", 14) for year in self.years]
        return [SheetColumn("安置点", 8), SheetColumn("首个检查年度", 12), *year_columns, SheetColumn("缺评选年度", 16)]

    def file_name(self) -> str:
        return f"{self.verbose_name}_{self.day:%Y%m%d}.xlsx"

    def rows(self):
        for row in self.table:
            cells = [f"{cell.held} 次（{cell.label}）" for cell in row.cells]
            missing = "、".join(str(year) for year in row.missing)
            yield [row.settlement.name, row.first_year or "", *cells, missing]
