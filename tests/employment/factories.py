"""Builders for employment tests: households with labour, jobs, training."""

import datetime

from settlements.models import Relation, Settlement
from tests.factories import HouseholdFactory, add_member

D = datetime.date
MOVED_IN = D(2019, 5, 1)
ONE_WORKER = ((D(1980, 1, 1), Relation.HEAD),)


def family(settlement="fumin", *, moved_in=MOVED_IN, members=ONE_WORKER, **fields):
    """A household that moved in on `moved_in` with members born on the given dates."""
    household = HouseholdFactory(settlement=Settlement.objects.get(code=settlement), move_in_date=moved_in, **fields)
    persons = [
        add_member(household, name=f"成员{index}", relation=relation, birth=birth, male=index % 2 == 0)
        for index, (birth, relation) in enumerate(members)
    ]
    return household, persons
