"""Reads of the employment ledger that are more than one line. All start from a user's scope."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery

from settlements.models import Household, Person, Settlement, id_number_search
from tasks import snapshots

from . import labour
from .indicators import ZERO_EMPLOYMENT_HOUSEHOLDS
from .models import (
    Employment,
    JobPlace,
    JobPost,
    JobPush,
    LabourProfile,
    Unemployment,
    WelfarePost,
    Workshop,
    active_on,
)

PUSH_WINDOW_QUARTERS = 2  # seed 003 item 12: 每两个季度至少开展1次就业岗位推送活动


class WorkStatus:
    STABLE = "stable"
    EMPLOYED = "employed"
    UNEMPLOYED = "unemployed"
    IDLE = "idle"

    LABELS = {STABLE: "稳定就业", EMPLOYED: "在岗（未满稳定期）", UNEMPLOYED: "失业登记中", IDLE: "未就业"}
    CHOICES = list(LABELS.items())


# --- the labour ledger ----------------------------------------------------------------------------------------


def labour_ledger(*, user, day: datetime.date, settlement=None, status="", query=""):
    """The labour stays on `day` in `user`'s scope, each with its person, household and work status."""
    rule = labour.rule_on(day)
    if rule is None:
        return Household.objects.none()
    # the scope as a list of settlement ids, not a subquery over every household in it (see ScopedQuerySet)
    settlement_ids = list(Settlement.objects.for_user(user).values_list("pk", flat=True))
    if settlement:
        settlement_ids = [pk for pk in settlement_ids if pk == settlement.pk]
    registered = Unemployment.objects.filter(person=OuterRef("person_id"), ended_on__isnull=True)
    stays = (
        labour.with_work(labour.labour_stays(day, rule), day, rule)
        .filter(household__settlement_id__in=settlement_ids)
        .annotate(registered_unemployed=Exists(registered))
        .select_related("person", "household__settlement")
        .order_by("household__settlement_id", "household__code", "person_id")
    )
    if query:
        by_id_number = id_number_search(query, prefix="person__")  # whole, first or last 6, last 4, birth date
        by_name = Q(person__name__startswith=query)
        stays = stays.filter(by_name | by_id_number if by_id_number is not None else by_name)
    return _by_status(stays, status)


def _by_status(stays, status):
    if status == WorkStatus.STABLE:
        return stays.filter(stably_employed=True)
    if status == WorkStatus.EMPLOYED:
        return stays.filter(employed=True, stably_employed=False)
    if status == WorkStatus.UNEMPLOYED:
        return stays.filter(employed=False, registered_unemployed=True)
    if status == WorkStatus.IDLE:
        return stays.filter(employed=False, registered_unemployed=False)
    return stays


def work_status(*, stay) -> str:
    if stay.stably_employed:
        return WorkStatus.STABLE
    if stay.employed:
        return WorkStatus.EMPLOYED
    return WorkStatus.UNEMPLOYED if stay.registered_unemployed else WorkStatus.IDLE


# --- one person's service card -----------------------------------------------------------------------------------


@dataclass
class PersonCard:
    person: Person
    day: datetime.date
    is_labour: bool
    current_jobs: list[Employment]
    past_jobs: list[Employment]
    trainings: list
    unemployment: Unemployment | None
    profile: LabourProfile | None
    conditions: list

    @property
    def is_working(self):
        return bool(self.current_jobs)


def person_card(*, person: Person, day: datetime.date) -> PersonCard:
    jobs = list(person.employments.select_related("employer", "workshop", "welfare_post").order_by("-start_date"))
    current = [job for job in jobs if job.start_date <= day and (job.end_date is None or job.end_date > day)]
    return PersonCard(
        person=person,
        day=day,
        is_labour=labour.is_labour(person, day),
        current_jobs=current,
        past_jobs=[job for job in jobs if job not in current],
        trainings=list(person.trainings.all()),
        unemployment=person.unemployments.filter(ended_on__isnull=True).prefetch_related("visits__by").first(),
        profile=LabourProfile.objects.filter(person=person).first(),
        conditions=list(person.labour_conditions.all()),
    )


# --- job posts and matching ---------------------------------------------------------------------------------------


def valid_posts(*, day: datetime.date):
    return JobPost.objects.filter(published_on__lte=day, valid_until__gte=day, openings__gt=0).select_related(
        "employer"
    )


def _words(*texts) -> set[str]:
    words = set()
    for text in texts:
        for part in (text or "").replace("，", "、").replace(",", "、").replace(" ", "、").split("、"):
            if part.strip():
                words.add(part.strip())
    return words


@dataclass
class PostMatch:
    post: JobPost
    score: int
    reasons: list[str]


def matching_posts(*, person: Person, day: datetime.date, limit: int = 20) -> list[PostMatch]:
    """The valid posts that fit the person's age, place wish, skills and job wish, best first."""
    profile = LabourProfile.objects.filter(person=person).first()
    wishes = _words(profile.skills, profile.job_wish) if profile else set()
    place_wish = profile.place_wish if profile else ""
    age = labour.age_on(person.birth_date, day)
    matches = []
    for post in valid_posts(day=day):
        if post.max_age and age > post.max_age:
            continue
        if place_wish and post.place_kind != place_wish:
            continue
        matches.append(_score(post, wishes, place_wish))
    matches.sort(key=lambda match: (-match.score, -(match.post.pay_max or 0)))
    return matches[:limit]


def _score(post: JobPost, wishes: set[str], place_wish: str) -> PostMatch:
    offered = _words(post.skills, post.title, post.sector)
    common = sorted(wish for wish in wishes if any(wish in word or word in wish for word in offered))
    reasons = [f"技能或意愿相符：{'、'.join(common)}"] if common else []
    if place_wish:
        reasons.append(f"就业地点相符：{JobPlace(place_wish).label}")
    return PostMatch(post, len(common) * 10 + (5 if place_wish else 0), reasons)


# --- pushes -----------------------------------------------------------------------------------------------------


def quarter_start(*, day: datetime.date, quarters_back: int = 0) -> datetime.date:
    index = day.year * 4 + (day.month - 1) // 3 - quarters_back
    return datetime.date(index // 4, index % 4 * 3 + 1, 1)


@dataclass
class PushStatus:
    settlement: Settlement
    last_push: datetime.date | None
    pushes_in_window: int

    @property
    def flagged(self) -> bool:
        return self.pushes_in_window == 0


def push_status(*, user, day: datetime.date) -> list[PushStatus]:
    """Per settlement in scope: the last push and whether one was held this quarter or the one before."""
    since = quarter_start(day=day, quarters_back=PUSH_WINDOW_QUARTERS - 1)
    settlements = Settlement.objects.for_user(user).annotate(
        last_push=Max("job_pushes__held_on", filter=Q(job_pushes__held_on__lte=day)),
        in_window=Count("job_pushes", filter=Q(job_pushes__held_on__range=(since, day))),
    )
    return [PushStatus(s, s.last_push, s.in_window) for s in settlements.order_by("sort_order")]


def pushes_for_user(*, user):
    pushes = JobPush.objects.for_user(user).select_related("settlement").annotate(offer_count=Count("offers"))
    return pushes.order_by("-held_on", "-id")


# --- indicators ------------------------------------------------------------------------------------------------


def zero_employment_list(*, day: datetime.date, households=None, settlement=None, refresh_stale: bool = False):
    """The households with labour on `day` of which no labour member works then (of `households`, and of
    `settlement`, if given), as the labour snapshot of that day counted them: a queryset ordered by code, read
    page by page."""
    return snapshots.counted_households(
        day, ZERO_EMPLOYMENT_HOUSEHOLDS, within=households, settlement=settlement, refresh_stale=refresh_stale
    )


def zero_employment_households(
    *, day: datetime.date, households=None, refresh_stale: bool = False
) -> list[labour.ZeroEmploymentHousehold]:
    """Every zero-employment household on `day` (of `households`, if given), each with why nobody works."""
    listed = zero_employment_list(day=day, households=households, refresh_stale=refresh_stale)
    return labour.with_reasons(list(listed), day)


def welfare_posts_with_holders(*, user, day: datetime.date):
    holders = Employment.objects.filter(active_on(day), welfare_post=OuterRef("pk")).values("person__name")[:1]
    return (
        WelfarePost.objects.filter(settlement__in=Settlement.objects.for_user(user))
        .select_related("settlement")
        .annotate(holder=Subquery(holders))
    )


def workshops_with_employees(*, user, day: datetime.date):
    employees = Count("employments", filter=active_on(day, prefix="employments__"), distinct=True)
    return (
        Workshop.objects.filter(settlement__in=Settlement.objects.for_user(user))
        .select_related("settlement", "employer")
        .annotate(employee_count=employees)
    )
