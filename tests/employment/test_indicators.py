"""The employment indicators, per settlement and as of a past date."""

import pytest

from employment.models import Workshop
from settlements.models import Relation
from tasks import indicators

from .factories import D, family
from .subsidy_factories import course, job, leave, post_job, welfare_post

pytestmark = pytest.mark.django_db


def figures(day):
    return {key: sum(values.values()) for key, values in indicators.values_as_of(day).items()}


def test_the_indicators_reproduce_a_past_date(clerk):
    _, (a, b) = family("fumin", members=[(D(1980, 1, 1), Relation.HEAD), (D(1983, 1, 1), Relation.SPOUSE)])
    _, (c,) = family("wolong")
    _, (d,) = family("tehe", moved_in=D(2026, 3, 1))
    trained = course(a, D(2025, 3, 1), D(2025, 3, 10), clerk)
    job(a, D(2025, 4, 1), clerk, training=trained)
    shift = post_job(c, D(2025, 1, 1), clerk, welfare_post(settlement="wolong"))
    leave(shift, D(2026, 2, 1), clerk)
    Workshop.objects.create(name="卧龙车间", kind="workshop", settlement=c.settlement, opened_on=D(2025, 6, 1))

    past = figures(D(2025, 12, 31))
    assert past["employment.labour_households"] == 2  # 特和 had not moved in yet
    assert past["employment.one_employed_households"] == 2
    assert past["employment.zero_employment_households"] == 0
    assert past["employment.trained_persons"] == 1
    assert past["employment.placed_through_training"] == 1
    assert past["employment.welfare_posts_held"] == 1
    assert past["employment.workshops"] == 1

    now = figures(D(2026, 11, 21))
    assert now["employment.labour_households"] == 3
    assert now["employment.one_employed_households"] == 1
    assert now["employment.zero_employment_households"] == 2  # 卧龙 left the post, 特和 never worked
    assert now["employment.welfare_posts_held"] == 0
    assert figures(D(2025, 3, 5))["employment.trained_persons"] == 0  # the course had not ended


def test_indicators_are_per_settlement(clerk):
    _, (a,) = family("fumin")
    _, (b,) = family("fengle")
    job(a, D(2025, 1, 1), clerk)
    values = indicators.get("employment.zero_employment_households").values_as_of(D(2026, 11, 21))
    assert values.get(a.settlement_id, 0) == 0 and values[b.settlement_id] == 1


def test_welfare_posts_held_counts_every_post_of_a_settlement(clerk):
    posts = [welfare_post(settlement="fumin") for _ in range(3)]
    for post in posts[:2]:
        _, (holder,) = family("fumin")
        post_job(holder, D(2025, 1, 1), clerk, post)
    values = indicators.get("employment.welfare_posts_held").values_as_of(D(2026, 11, 21))
    assert values[posts[0].settlement_id] == 2
