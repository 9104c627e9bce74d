"""Reads of the committees: each settlement against the size rule (A4-R1, A4-R4), a committee's households, the
mass organisations of each settlement against the plan's deadlines (A4-E15, C7), the plan's deadlines of the
committees and their elections."""

import datetime
from dataclasses import dataclass, field

from settlements.models import Household, Settlement
from settlements.selectors import resident_figures
from tasks.models import Deadline, PlanDocument

from .. import committees_rules
from ..models import Committee, MassOrganisation, MassOrganisationKind

MASS_ORGANISATION_LABEL = "群团组织"  # the plan's Deadline rows of the mass organisations name them so


@dataclass
class SettlementRow:
    settlement: Settlement
    households: int
    committee: Committee | None
    with_bigger: bool  # its committee serves a settlement above the rule's small size too
    verdict: str = ""  # what the rule says of it (empty: nothing to say)
    problem: bool = False


def _verdict(row: SettlementRow, rule) -> tuple[str, bool]:
    if rule is None:
        return "", False
    if rule.attached(row.households):
        if row.committee is None:
            return f"{row.households} 户，不超过 {rule.small_max} 户：应并入就近的居委会，尚未并入任何居委会", True
        if not row.with_bigger:
            return (
                f"{row.households} 户，不超过 {rule.small_max} 户：原文规定不设居委会，应并入就近的居委会"
                f"（{row.committee.name}所辖安置点都不超过 {rule.small_max} 户）",
                True,
            )
        return f"{row.households} 户：已并入{row.committee.name}", False
    band = "（801 户至约 1000 户之间，原文没有哪一句话覆盖，按应设计）" if rule.uncovered(row.households) else ""
    if row.committee is None:
        return f"{row.households} 户，超过 {rule.small_max} 户：应设居委会，尚未设立{band}", True
    return f"{row.households} 户：{row.committee.name}{band}", False


def settlement_rows(day: datetime.date, settlements) -> list[SettlementRow]:
    """Each settlement's resident households on `day` beside its committee and what the size rule says."""
    households = resident_figures(day=day).households
    rule = committees_rules.size_rule(day)
    committees = {}
    for committee in Committee.objects.prefetch_related("settlements"):
        served = list(committee.settlements.all())
        for settlement in served:
            others = [households.get(other.pk, 0) for other in served if other.pk != settlement.pk]
            bigger = rule is not None and any(not rule.attached(count) for count in others)
            committees[settlement.pk] = (committee, bigger)
    rows = []
    for settlement in settlements:
        committee, bigger = committees.get(settlement.pk, (None, False))
        row = SettlementRow(settlement, households.get(settlement.pk, 0), committee, bigger)
        row.verdict, row.problem = _verdict(row, rule)
        rows.append(row)
    return rows


def committee_households(committee: Committee):
    """The households of a committee: those of its settlements."""
    return Household.objects.filter(settlement__in=committee.settlements.all())


# --- the plan's deadlines -------------------------------------------------------------------------------------------


def mass_organisation_deadlines() -> dict[int | None, Deadline]:
    """The plan's deadline for the mass organisations per settlement id (annex 5 item 2: five settlements by
    2019-06-30, 凤凰 and 特和 by 2019-09-30), and under None the county-wide one (master plan 21: all by 2019-06,
    C7). The earliest where a settlement has several."""
    rows = Deadline.objects.filter(label__contains=MASS_ORGANISATION_LABEL).order_by("due_on", "id")
    deadlines: dict[int | None, Deadline] = {}
    for deadline in rows:
        deadlines.setdefault(deadline.settlement_id, deadline)
    return deadlines


def annex4_deadline(number: str) -> Deadline | None:
    """The deadline of an annex-4 section (三: committees set up by 2019-07; 六: their elections by 2019-09)."""
    return Deadline.objects.filter(task__document=PlanDocument.ANNEX_4, task__number=number).order_by("due_on").first()


STREET_OFFICE_DEADLINE_LABEL = "街道办事处组建"  # master plan 15; annex 4 (一) gives no date (C9)


def street_office_deadline() -> Deadline | None:
    return Deadline.objects.filter(label=STREET_OFFICE_DEADLINE_LABEL).order_by("due_on").first()


@dataclass
class OrganisationStatus:
    kind: str
    label: str
    organisation: MassOrganisation | None
    status: str  # 按时 / 逾期 / 缺失 / 未到期


@dataclass
class MassOrganisationRow:
    settlement: Settlement
    deadline: Deadline | None
    statuses: list[OrganisationStatus] = field(default_factory=list)


def _status(organisation, deadline, day) -> str:
    due = deadline.due_on if deadline else None
    if organisation is not None and organisation.founded_on <= day:
        if due is None or organisation.founded_on <= due:
            return "按时"
        return "逾期成立"
    if due is not None and day > due:
        return "逾期未成立"
    return "未成立"


def mass_organisation_rows(day: datetime.date, settlements) -> list[MassOrganisationRow]:
    """Each settlement's 工会, 共青团 and 妇联 on `day`: founded on time, late, missing past the deadline, or
    not yet."""
    deadlines = mass_organisation_deadlines()
    settlements = list(settlements)
    founded = {
        (organisation.settlement_id, organisation.kind): organisation
        for organisation in MassOrganisation.objects.filter(settlement__in=settlements)
    }
    rows = []
    for settlement in settlements:
        deadline = deadlines.get(settlement.pk, deadlines.get(None))
        row = MassOrganisationRow(settlement, deadline)
        for kind, label in MassOrganisationKind.choices:
            organisation = founded.get((settlement.pk, kind))
            row.statuses.append(OrganisationStatus(kind, label, organisation, _status(organisation, deadline, day)))
        rows.append(row)
    return rows
