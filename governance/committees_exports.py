"""The exports of committees and elections, registered with the portal's export registry (`settlements.exports`):
an election's voter list (ID numbers as text cells, masked unless a permitted user asks for full ones) and the mass
organisations of each settlement against their deadlines (no resident in it)."""

from django.shortcuts import get_object_or_404
from django.utils import timezone

from settlements import exports
from settlements.input_ranges import DayQuery, query_value
from settlements.models import Settlement
from settlements.xlsx_writer import DATE, TEXT, SheetColumn

from . import committees_forms as forms
from .capabilities import READ_GOVERNANCE
from .models import Election
from .selectors import committees, elections


@exports.register
class VoterList(exports.LedgerExporter):
    """An election's voter list with the page's filters, in the user's scope (a 404 outside it)."""

    identifier = "governance.voter_list"
    verbose_name = "选民名单"
    sheet_name = "选民名单"
    capability = READ_GOVERNANCE
    columns = [
        SheetColumn("楼栋", 10),
        SheetColumn("姓名", 10),
        SheetColumn("性别", 6),
        SheetColumn("身份证号", 22, TEXT),
        SheetColumn("来源", 14),
        SheetColumn("增补理由", 24),
        SheetColumn("状态", 8),
        SheetColumn("划去理由", 24),
    ]

    def __init__(self, user, params=None, *, pk, **options):
        super().__init__(user, params, **options)
        self.election = get_object_or_404(Election.objects.for_user(user).select_related("committee"), pk=pk)
        _, selection = forms.voter_query(self.election, self.params)
        self.voters = elections.voter_list(self.election, **selection).select_related("person")

    def file_name(self) -> str:
        return f"选民名单_{self.election.committee.name}_{self.election.election_day:%Y%m%d}.xlsx"

    def description(self) -> str:
        return f"选民名单 {self.election}"

    def audit_target(self):
        return self.election

    def rows(self):
        for voter in self.voters.iterator(chunk_size=self.chunk_size):
            yield [
                voter.building.name if voter.building_id else "",
                voter.name,
                voter.get_sex_display(),
                self.id_number(voter.person.id_number) if voter.person_id else "",
                voter.get_source_display(),
                voter.added_reason,
                "已划去" if voter.struck else "在名单上",
                voter.strike_reason,
            ]


@exports.register
class MassOrganisations(exports.LedgerExporter):
    identifier = "governance.mass_organisations"
    verbose_name = "群团组织组建情况"
    sheet_name = "群团组织组建情况"
    capability = READ_GOVERNANCE
    personal_data = False  # organisations, no resident
    columns = [
        SheetColumn("安置点", 8),
        SheetColumn("完成时限", 12, DATE),
        SheetColumn("时限原文", 40),
        SheetColumn("群团组织", 8),
        SheetColumn("成立日期", 12, DATE),
        SheetColumn("情况", 10),
    ]

    def __init__(self, user, params=None, **options):
        super().__init__(user, params, **options)
        self.day, _ = query_value(DayQuery, self.params, timezone.localdate())
        self.records = committees.mass_organisation_rows(self.day, Settlement.objects.for_user(user))

    def file_name(self) -> str:
        return f"{self.verbose_name}_{self.day:%Y%m%d}.xlsx"

    def rows(self):
        for row in self.records:
            deadline = row.deadline
            for status in row.statuses:
                founded = status.organisation.founded_on if status.organisation else None
                yield [
                    row.settlement.name,
                    deadline.due_on if deadline else None,
                    deadline.wording if deadline else "",
                    status.label,
                    founded,
                    status.status,
                ]
