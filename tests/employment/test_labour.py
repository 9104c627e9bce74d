"""Who counts as labour and which households are zero-employment, as of a day."""

import datetime

import pytest

from employment import labour, selectors, services
from employment.models import ConditionKind, EmploymentEnd, EmploymentKind, LabourRule
from settlements.models import Relation

from .factories import D, family

pytestmark = pytest.mark.django_db
DAY = D(2026, 11, 21)


def job(person, start, actor, **fields):
    fields.setdefault("employer_name", "榕江县某服装厂")
    return services.employment_start(
        person=person, actor=actor, kind=EmploymentKind.LOCAL_FIRM, start_date=start, **fields
    )


def zero_codes(day=DAY):
    return [entry.household.code for entry in selectors.zero_employment_households(day=day, refresh_stale=True)]


def test_the_age_band_of_the_rule_in_force(reference):
    _, (head, child, elder) = family(
        members=[(D(1980, 5, 1), Relation.HEAD), (D(2010, 11, 22), Relation.SON), (D(1966, 11, 21), Relation.FATHER)]
    )
    # the child turns 16 on 2026-11-22; the parent turned 60 on 2026-11-21
    assert labour.is_labour(head, DAY) and not labour.is_labour(child, DAY) and not labour.is_labour(elder, DAY)
    assert labour.is_labour(child, D(2026, 11, 22))
    assert labour.is_labour(elder, D(2026, 11, 20))


def test_a_new_rule_applies_from_its_date_and_the_old_one_before(reference):
    _, (elder,) = family(members=[(D(1964, 6, 1), Relation.HEAD)])  # 62 on DAY
    LabourRule.objects.create(
        name="延长至64周岁", valid_from=D(2026, 1, 1), min_age=16, max_age=64, excluded_conditions=[]
    )
    assert labour.is_labour(elder, DAY)
    assert not labour.is_labour(elder, D(2025, 12, 31))  # 61 under the 16–59 rule


def test_dated_conditions_exclude_a_person_only_while_they_last(clerk):
    _, (head,) = family()
    services.condition_record(
        person=head, kind=ConditionKind.SERIOUSLY_ILL, start_date=D(2026, 1, 1), end_date=D(2026, 6, 1), actor=clerk
    )
    assert not labour.is_labour(head, D(2026, 3, 1))
    assert labour.is_labour(head, D(2026, 6, 1))


def test_a_household_whose_only_worker_lost_the_job_yesterday_is_zero_employment(clerk):
    household, (head,) = family()
    employment = job(head, D(2025, 1, 1), clerk)
    assert zero_codes() == []
    services.employment_end(
        employment=employment, end_date=DAY - datetime.timedelta(days=1), reason=EmploymentEnd.LOST, actor=clerk
    )
    entries = selectors.zero_employment_households(day=DAY, refresh_stale=True)
    assert [entry.household for entry in entries] == [household]
    assert "2026-11-20离岗" in entries[0].reason and "失业" in entries[0].reason
    assert zero_codes(DAY - datetime.timedelta(days=2)) == []  # before the loss it was not


def test_a_household_without_labour_is_not_zero_employment(clerk):
    family(members=[(D(1950, 1, 1), Relation.HEAD), (D(1952, 1, 1), Relation.SPOUSE)])
    _, (student,) = family(members=[(D(2007, 1, 1), Relation.HEAD)])
    services.condition_record(person=student, kind=ConditionKind.STUDENT, start_date=D(2025, 9, 1), actor=clerk)
    assert zero_codes() == []


def test_counts_per_settlement_one_employed_needs_three_months(clerk):
    _, (a, b) = family("fumin", members=[(D(1980, 1, 1), Relation.HEAD), (D(1982, 1, 1), Relation.SPOUSE)])
    _, (c,) = family("fumin")
    _, (d,) = family("tehe")
    job(a, D(2026, 8, 21), clerk)  # exactly three months on DAY: stable
    job(c, D(2026, 8, 22), clerk)  # one day short
    counts = labour.labour_counts(DAY)
    fumin = counts[a.settlement_id]
    assert (fumin.labour_households, fumin.employed_households, fumin.stable_households) == (2, 2, 1)
    assert fumin.zero_employment == []
    assert counts[d.settlement_id].zero_employment == [d.household_id]


def test_stable_months_are_counted_as_the_subsidies_count_them(reference):
    rule = labour.rule_on(DAY)  # 3 months
    assert labour.stable_since(rule, D(2026, 11, 21)) == D(2026, 8, 21)
    assert labour.stable_since(rule, D(2026, 4, 30)) == D(2026, 1, 31)  # 31 January + 3 months is 30 April
    assert labour.stable_since(rule, D(2026, 5, 30)) == D(2026, 2, 28)
