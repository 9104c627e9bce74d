"""The committees' indicators, registered with the work plan's indicator registry (`tasks.indicators`), per
settlement as of a day (one group: the committees, their members, elections and the mass organisations are read
once per day):

- a committee in place: the settlement belongs to a committee established by the day (0/1; a small settlement
  attached to another's committee counts, as A4-R4 wants it);
- its members: members of that committee serving on the day;
- a supervision committee in place: at least one member of its 居(村)务监督委员会 serving on the day (0/1);
- an election held: the committee's latest election with its day on or before the day (0/1), and the days its
  voter list was posted before that election day (0 when none was posted);
- mass organisations founded: 工会, 共青团 and 妇联 of the settlement founded by the day (0–3).

The plan's annex-4 deadlines (committees by 2019-07, elections by 2019-09) and annex 5's for the mass
organisations per settlement are shown beside these on the pages; the seed states no number for them, so no
`Target` row is tied to them.
"""

from django.db.models import Q

from settlements.dated_facts import watch
from tasks.indicators import Spec, register_group

from .models import Body, Committee, CommitteeMember, Election, MassOrganisation

READS = (
    "governance.Committee",
    "governance.CommitteeMember",
    "governance.Election",
    "governance.MassOrganisation",
)

COMMITTEE_IN_PLACE = "governance.committee_in_place"
COMMITTEE_MEMBERS = "governance.committee_members"
SUPERVISION_IN_PLACE = "governance.supervision_in_place"
ELECTION_HELD = "governance.election_held"
LIST_LEAD_DAYS = "governance.voter_list_lead_days"
MASS_ORGANISATIONS = "governance.mass_organisations_founded"


def watch_dated_facts() -> None:
    """The changes that make the snapshots of these indicators stale (a committee's settlements are announced by
    `committee_save`, a many-to-many change no save announces)."""
    watch(Committee, dates=("established_on",))
    watch(CommitteeMember, dates=("term_from", "term_to"), fields=("committee_id", "body"))
    watch(Election, dates=("election_day", "list_posted_on"), fields=("committee_id",))
    watch(MassOrganisation, dates=("founded_on",), fields=("settlement_id", "kind"))


def _serving(day) -> Q:
    return Q(term_from__lte=day) & (Q(term_to__isnull=True) | Q(term_to__gte=day))


def _committees_of_settlements() -> dict[int, tuple[int, object]]:
    """{settlement id: (its committee's id, the day that committee was established or None)}."""
    rows = Committee.objects.exclude(settlements=None).values_list("settlements", "pk", "established_on")
    return {settlement_id: (committee_id, established) for settlement_id, committee_id, established in rows}


def _latest_elections(day) -> dict[int, Election]:
    latest = {}
    for election in Election.objects.filter(election_day__lte=day).order_by("election_day", "id"):
        latest[election.committee_id] = election
    return latest


def _count_each(rows) -> dict[int, int]:
    counts: dict[int, int] = {}
    for committee_id in rows:
        counts[committee_id] = counts.get(committee_id, 0) + 1
    return counts


@register_group(
    "governance.committees",
    [
        Spec(COMMITTEE_IN_PLACE, "已纳入成立的居委会", "个", sort_order=10),
        Spec(COMMITTEE_MEMBERS, "居委会在任成员", "人", sort_order=11),
        Spec(SUPERVISION_IN_PLACE, "居(村)务监督委员会已有在任成员", "个", sort_order=12),
        Spec(ELECTION_HELD, "已举行居委会选举", "个", sort_order=13),
        Spec(LIST_LEAD_DAYS, "最近一次选举选民名单张榜提前天数", "天", sort_order=14),
        Spec(MASS_ORGANISATIONS, "已成立的工会、共青团、妇联", "个", sort_order=15),
    ],
    reads=READS,
)
def committee_figures(day):
    committees = _committees_of_settlements()
    serving = CommitteeMember.objects.filter(_serving(day))
    members = _count_each(serving.filter(body=Body.COMMITTEE).values_list("committee_id", flat=True))
    supervisors = _count_each(serving.filter(body=Body.SUPERVISION).values_list("committee_id", flat=True))
    elections = _latest_elections(day)
    organisations = _count_each(
        MassOrganisation.objects.filter(founded_on__lte=day).values_list("settlement_id", flat=True)
    )
    figures = {key: {} for key in (COMMITTEE_IN_PLACE, COMMITTEE_MEMBERS, SUPERVISION_IN_PLACE)}
    figures.update({ELECTION_HELD: {}, LIST_LEAD_DAYS: {}, MASS_ORGANISATIONS: organisations})
    for settlement_id, (committee_id, established) in committees.items():
        figures[COMMITTEE_IN_PLACE][settlement_id] = 1 if established is not None and established <= day else 0
        figures[COMMITTEE_MEMBERS][settlement_id] = members.get(committee_id, 0)
        figures[SUPERVISION_IN_PLACE][settlement_id] = 1 if supervisors.get(committee_id) else 0
        election = elections.get(committee_id)
        if election is not None:
            figures[ELECTION_HELD][settlement_id] = 1
            posted = election.list_posted_on
            figures[LIST_LEAD_DAYS][settlement_id] = (election.election_day - posted).days if posted else 0
    return figures
