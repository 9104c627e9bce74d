"""The old-vs-new house photo list as Excel (`settlements.exports`): the list page's rows with its filters, in the
user's scope; the head's ID number as a text cell, masked unless a user allowed to see it asks for it."""

from settlements import exports
from settlements.selectors import heads_of
from settlements.xlsx_writer import DATE, TEXT, SheetColumn

from . import forms
from .capabilities import READ_CULTURE
from .selectors.house_photos import PhotoStatus


@exports.register
class HousePhotos(exports.LedgerExporter):
    identifier = "culture.house_photos"
    verbose_name = "新旧住房对比照片悬挂情况"
    sheet_name = "新旧住房对比照片悬挂情况"
    capability = READ_CULTURE
    columns = [
        SheetColumn("安置点", 8),
        SheetColumn("户编号", 14, TEXT),
        SheetColumn("户主", 10),
        SheetColumn("户主身份证号", 22, TEXT),
        SheetColumn("楼栋", 8),
        SheetColumn("房号", 8, TEXT),
        SheetColumn("搬迁年度", 10),
        SheetColumn("入住日期", 12, DATE),
        SheetColumn("完成时限", 12, DATE),
        SheetColumn("悬挂日期", 12, DATE),
        SheetColumn("照片情况", 10),
        SheetColumn("备注", 16),
    ]

    def __init__(self, user, params=None, **options):
        super().__init__(user, params, **options)
        _, self.day, self.households = forms.house_photo_query(user, self.params)

    def file_name(self) -> str:
        return f"{self.verbose_name}_{self.day:%Y%m%d}.xlsx"

    def rows(self):
        for chunk in exports.chunks(self.households, self.chunk_size):
            heads = heads_of([household.pk for household in chunk])
            for household in chunk:
                yield self.row(household, heads.get(household.pk))

    def row(self, household, head) -> list:
        note = "到期后入住" if household.moved_in_after_due else ""
        return [
            household.settlement.name,
            household.code,
            head.name if head else "",
            self.id_number(head.id_number) if head else "",
            household.building.name if household.building else "",
            household.room_number,
            household.get_project_year_display(),
            household.move_in_date,
            household.photo_due_on,
            household.photo_hung_on if household.photo_hung_on and household.photo_hung_on <= self.day else None,
            PhotoStatus.LABELS[household.photo_status],
            note,
        ]
