"""Employment's indicators, registered with the work plan's indicator registry (`tasks.indicators`).

Each is a function of a day returning {settlement id: value}; the county figure is their sum. The three
labour indicators are one group: the labour of the day is computed once for all three.
Targets of the plan (annex 2) refer to them by key: trained 1,510, placed through training 1,130,
welfare posts held 180, workshops 6 and their employees 200.
"""

from django.db.models import Count

from settlements.models import Person
from tasks.indicators import Spec, register, register_group
from tasks.registry_indicators import REGISTRY_MODELS

from . import labour
from .models import Employment, TrainingRecord, WelfarePost, Workshop, active_on

REGISTRY = (*REGISTRY_MODELS, "settlements.Person")  # the stays, and the persons' birth dates
JOBS = (*REGISTRY, "employment.Employment")
LABOUR = (*JOBS, "employment.LabourRule", "employment.LabourCondition")
TRAINING = (*JOBS, "employment.TrainingRecord")
POSTS = (*JOBS, "employment.WelfarePost")
WORKSHOPS = (*JOBS, "employment.Workshop")

ZERO_EMPLOYMENT_HOUSEHOLDS = "employment.zero_employment_households"  # the snapshot keeps the households


@register_group(
    "employment.labour",
    [
        Spec("employment.labour_households", "有劳动力家庭", "户", sort_order=110),
        Spec("employment.one_employed_households", "至少一人稳定就业的家庭（一户一人）", "户", sort_order=120),
        Spec(ZERO_EMPLOYMENT_HOUSEHOLDS, "零就业家庭", "户", sort_order=130, households=True),
    ],
    reads=LABOUR,
)
def labour_figures(day):
    counts = labour.labour_counts(day).items()
    return {
        "employment.labour_households": {settlement: row.labour_households for settlement, row in counts},
        "employment.one_employed_households": {settlement: row.stable_households for settlement, row in counts},
        ZERO_EMPLOYMENT_HOUSEHOLDS: {settlement: row.zero_employment for settlement, row in counts},
    }


@register("employment.trained_persons", "已结业培训人数", "人", reads=TRAINING, sort_order=140)
def trained_persons(day):
    finished = TrainingRecord.objects.filter(completed=True, end_date__lte=day)
    return persons_per_settlement(finished.values("person_id"))


@register("employment.placed_through_training", "通过培训实现就业人数", "人", reads=TRAINING, sort_order=150)
def placed_through_training(day):
    placed = Employment.objects.filter(training__isnull=False, start_date__lte=day, training__end_date__lte=day)
    return persons_per_settlement(placed.values("person_id"))


def persons_per_settlement(person_ids) -> dict[int, int]:
    """How many of the persons `person_ids` (a subquery, a person maybe more than once) each settlement has:
    a semi-join, so PostgreSQL reads the persons once each instead of counting distinct ids."""
    rows = Person.objects.filter(pk__in=person_ids).values("settlement_id").annotate(n=Count("id")).order_by()
    return {row["settlement_id"]: row["n"] for row in rows}


WELFARE_POSTS_HELD = "employment.welfare_posts_held"


@register(WELFARE_POSTS_HELD, "在岗公益性岗位", "个", reads=POSTS, sort_order=160)
def welfare_posts_held(day):
    posts = WelfarePost.objects.filter(active_on(day, "created_on", "abolished_on"))
    held = posts.filter(employments__in=Employment.objects.active_on(day))
    rows = held.order_by().values("settlement_id").annotate(n=Count("id", distinct=True))
    return {row["settlement_id"]: row["n"] for row in rows}


@register("employment.workshops", "就业扶贫车间和基地", "个", reads=WORKSHOPS, sort_order=170)
def workshops(day):
    rows = (
        Workshop.objects.filter(active_on(day, "opened_on", "closed_on"))
        .values("settlement_id")
        .annotate(n=Count("id"))
    )
    return {row["settlement_id"]: row["n"] for row in rows}


@register("employment.workshop_employees", "车间和基地吸纳就业人数", "人", reads=WORKSHOPS, sort_order=180)
def workshop_employees(day):
    jobs = Employment.objects.filter(active_on(day), workshop__isnull=False)
    rows = jobs.values("workshop__settlement_id").annotate(n=Count("person_id", distinct=True))
    return {row["workshop__settlement_id"]: row["n"] for row in rows}
