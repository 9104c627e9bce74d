"""The activity register (活动登记表), registered with the portal's export registry (`settlements.exports`): the
sessions of the list page's filters (a settlement and a month: the month's register of the settlement), in the
user's scope. It names no resident (participants are counted), so it is not personal data."""

from settlements import exports
from settlements.xlsx_writer import DATE, SheetColumn

from . import session_forms
from .capabilities import READ_CULTURE
from .selectors import sessions as selectors


@exports.register
class SessionRegister(exports.LedgerExporter):
    identifier = "culture.session_register"
    verbose_name = "活动登记表"
    sheet_name = "活动登记表"
    capability = READ_CULTURE
    personal_data = False
    columns = [
        SheetColumn("安置点", 8),
        SheetColumn("活动日期", 12, DATE),
        SheetColumn("活动类别", 24),
        SheetColumn("主题", 30),
        SheetColumn("活动场所", 24),
        SheetColumn("组织单位", 20),
        SheetColumn("参加人数", 8),
        SheetColumn("台账中的参加人员", 10),
        SheetColumn("照片张数", 8),
    ]

    def __init__(self, user, params=None, **options):
        super().__init__(user, params, **options)
        _, (self.start, self.end, self.settlement), self.records = session_forms.session_query(user, self.params)

    def file_name(self) -> str:
        parts = [self.verbose_name]
        if self.settlement is not None:
            parts.append(self.settlement.name)
        if (
            self.start is not None
            and self.end is not None
            and self.start.day == 1
            and self.start.month == self.end.month
        ):
            parts.append(f"{self.start:%Y年%m月}")
        elif self.start or self.end:
            parts.append(f"{self.start or ''}至{self.end or ''}")
        return "_".join(parts) + ".xlsx"

    def description(self) -> str:
        return self.file_name().removesuffix(".xlsx")

    def rows(self):
        records = self.records.prefetch_related("participants")
        for chunk in exports.chunks(records, self.chunk_size):
            counts = selectors.photo_counts(chunk)
            for session in chunk:
                yield [
                    session.settlement.name,
                    session.held_on,
                    session.get_kind_display(),
                    session.title,
                    session.venue_name,
                    session.organiser.name,
                    session.participant_count,
                    len(session.participants.all()),
                    counts.get(session.pk, 0),
                ]
