"""Builders for the governance tests: committees, elections and their voter lists, through the governance
services (as the portal writes them)."""

import datetime

from governance import services
from governance.models import Candidate, CandidateCategory, Committee, Election, Role
from settlements.models import Building, Settlement
from tests.factories import HouseholdFactory, add_member, registry_keeper

D = datetime.date
ELECTION_DAY = D(2019, 9, 20)
ESTABLISHED = D(2019, 7, 1)
BORN = D(1980, 1, 1)


def committee(codes=("fumin",), *, name=None, established_on=ESTABLISHED, actor=None) -> Committee:
    return services.committee_save(
        committee=Committee(name=name or f"{codes[0]}社区居委会", established_on=established_on),
        settlements=Settlement.objects.filter(code__in=codes),
        actor=actor or registry_keeper(),
    )


def election(of: Committee, *, day=ELECTION_DAY, actor=None) -> Election:
    return services.election_save(
        election=Election(committee=of, election_day=day, method="差额选举，无记名投票"),
        actor=actor or registry_keeper(),
    )


def resident(code="fumin", *, birth=BORN, name="杨明", building="1栋", **household_fields):
    """A household of settlement `code` in `building`, moved in 2019-05-01, with one member born on `birth`."""
    settlement = Settlement.objects.get(code=code)
    place, _ = Building.objects.get_or_create(settlement=settlement, name=building)
    household = HouseholdFactory(settlement=settlement, building=place, **household_fields)
    return add_member(household, name=name, birth=birth)


def candidate(of: Election, voter, *, role=Role.DIRECTOR, body="committee", actor=None) -> Candidate:
    return services.candidate_save(
        candidate=Candidate(
            election=of, voter=voter, name="", role=role, body=body, category=CandidateCategory.YOUNG_PARTY_MEMBER
        ),
        actor=actor or registry_keeper(),
    )
