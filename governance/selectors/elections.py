"""Reads of elections: who is eligible on election day, the voter list as the pages, the print sheet and the export
read it, and an election's steps with what is missing."""

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Q

from settlements.dates import years_before
from settlements.models import GridAssignment, GridKind
from settlements.selectors import resident_stays

from .. import committees_rules
from ..models import Body, Election, OfficerBody, Voter


def adult_born_by(day: datetime.date) -> datetime.date:
    """The latest birth date of a person aged 18 on `day`: one turning 18 that day is a voter, one turning 18 the
    day after is not."""
    return years_before(day, committees_rules.VOTING_AGE)


def eligible_stays(election: Election):
    """The stays of the persons eligible on election day: resident (an open stay in a resident household) in one
    of the committee's settlements, aged 18 or over that day."""
    day = election.election_day
    settlement_ids = list(election.committee.settlements.values_list("pk", flat=True))
    return resident_stays(day=day).filter(
        household__settlement_id__in=settlement_ids, person__birth_date__lte=adult_born_by(day)
    )


def voter_list(election: Election, *, query: str = "", struck: str = ""):
    """The names of an election's list (struck ones too unless filtered), searched by name."""
    voters = Voter.objects.filter(election=election).select_related("building")
    if query:
        voters = voters.filter(Q(name__icontains=query) | Q(building__name__icontains=query))
    if struck == "yes":
        voters = voters.filter(struck=True)
    elif struck == "no":
        voters = voters.filter(struck=False)
    return voters.order_by("building__name", "name", "id")


@dataclass
class SheetGroup:
    title: str
    voters: list


def sheet_groups(election: Election) -> list[SheetGroup]:
    """The posted list (names not struck) grouped for the 张榜 sheet by the governance grid (居民小组) each voter's
    household was in on election day; names in no grid (a non-resident added by the clerk, a household not yet
    placed) are grouped by building after the grids."""
    voters = list(voter_list(election, struck="no"))
    grids = _grid_names(voters, election.election_day)

    def place(voter) -> tuple[int, str]:
        if voter.person_id in grids:
            return 0, grids[voter.person_id]
        return 1, f"未划入网格 · {voter.building.name}" if voter.building_id else "未划入网格 · 未分楼栋"

    ordered = sorted(voters, key=lambda voter: (place(voter), voter.name, voter.pk))
    return [SheetGroup(title, list(members)) for (_, title), members in groupby(ordered, key=place)]


def _grid_names(voters, day: datetime.date) -> dict[int, str]:
    """{person id: the name of the governance grid of the household the person lived in on `day`}."""
    persons = [voter.person_id for voter in voters if voter.person_id]
    households = dict(resident_stays(day=day).filter(person_id__in=persons).values_list("person_id", "household_id"))
    assignments = GridAssignment.objects.on(day).filter(kind=GridKind.GOVERNANCE, household_id__in=households.values())
    grid_of = dict(assignments.values_list("household_id", "grid__name"))
    return {person: grid_of[household] for person, household in households.items() if household in grid_of}


@dataclass
class Step:
    label: str
    done: bool
    detail: str = ""


def election_steps(election: Election) -> list[Step]:
    """A4-W3 in order, each done or not, and what it holds."""
    officers = list(election.officers.all())
    guidance = [officer.name for officer in officers if officer.body == OfficerBody.GUIDANCE]
    committee = [officer.name for officer in officers if officer.body == OfficerBody.ELECTION_COMMITTEE]
    voters = election.voters.filter(struck=False).count()
    candidates = list(election.candidates.all())
    supervision = [c for c in candidates if c.body == Body.SUPERVISION]
    posted = election.list_posted_on
    lead = (election.election_day - posted).days if posted else None
    return [
        Step("（1）成立选举指导小组", bool(guidance), "、".join(guidance)),
        Step("（2）成立选举委员会", bool(committee), "、".join(committee)),
        Step("（3）制定选举方案", bool(election.method.strip()), f"选举日 {election.election_day:%Y-%m-%d}"),
        Step("选民登记", voters > 0, f"{voters} 人"),
        Step("张榜公布选民名单", posted is not None, f"{posted:%Y-%m-%d}，提前 {lead} 天" if posted else ""),
        Step("候选人提名", bool(candidates), f"{len(candidates)} 人"),
        Step("一并选举居(村)务监督委员会", bool(supervision), f"{len(supervision)} 名候选人"),
        Step(
            "现场投票、现场公布选举结果",
            election.results_announced_on is not None,
            f"{election.results_announced_on:%Y-%m-%d}" if election.results_announced_on else "",
        ),
        Step(
            "报县民政局备案",
            election.filed_on is not None,
            f"{election.filed_on:%Y-%m-%d} {election.filing_document}" if election.filed_on else "",
        ),
    ]


def missing_steps(election: Election) -> list[str]:
    return [step.label for step in election_steps(election) if not step.done]
