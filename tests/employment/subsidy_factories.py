"""Builders for the subsidy tests: employers, jobs (through the services), welfare posts, courses, workshops."""

import itertools

from employment import services
from employment.models import (
    Employer,
    EmployerKind,
    EmploymentEnd,
    EmploymentKind,
    Funding,
    TrainingKind,
    WelfarePost,
    WelfarePostTitle,
    Workshop,
    WorkshopKind,
)
from settlements.models import Settlement

from .factories import D

_numbers = itertools.count(1)
NO_EMPLOYER_NEEDED = (EmploymentKind.SELF_EMPLOYED, EmploymentKind.FLEXIBLE)


def employer(kind=EmployerKind.ENTERPRISE, **fields) -> Employer:
    fields.setdefault("name", f"榕江县测试用工单位{next(_numbers)}")
    return Employer.objects.create(kind=kind, **fields)


def job(person, start, actor, *, kind=EmploymentKind.LOCAL_FIRM, **fields):
    """A job recorded by `actor` through `services.employment_start`."""
    if kind not in NO_EMPLOYER_NEEDED and "employer" not in fields:
        fields.setdefault("employer_name", "榕江县某服装厂")
    return services.employment_start(person=person, actor=actor, kind=kind, start_date=start, **fields)


def leave(employment, day, actor, reason=EmploymentEnd.QUIT):
    services.employment_end(employment=employment, end_date=day, reason=reason, actor=actor)
    employment.refresh_from_db()
    return employment


def welfare_post(funding=Funding.EMPLOYMENT_FUND, settlement="fumin", **fields) -> WelfarePost:
    return WelfarePost.objects.create(
        code=f"GY-{next(_numbers):04d}",
        title=fields.pop("title", WelfarePostTitle.CLEANER),
        settlement=Settlement.objects.get(code=settlement),
        funding=funding,
        created_on=fields.pop("created_on", D(2019, 6, 1)),
        **fields,
    )


def post_job(person, start, actor, post: WelfarePost):
    return job(person, start, actor, kind=EmploymentKind.WELFARE_POST, welfare_post=post, employer_name="县人社局")


def course(person, start, end, actor, *, on_the_job=False, completed=True, employer=None, days=None, **fields):
    """A course through `services.training_record`; `days` defaults to every day from `start` to `end`."""
    return services.training_record(
        person=person,
        actor=actor,
        course=fields.pop("course", f"培训班{next(_numbers)}"),
        kind=fields.pop("kind", TrainingKind.DIRECTED),
        provider=fields.pop("provider", "榕江县职业技能培训学校"),
        employer=employer,
        start_date=start,
        end_date=end,
        days=days if days is not None else (end - start).days + 1,
        on_the_job=on_the_job,
        completed=completed,
        **fields,
    )


def workshop(kind=WorkshopKind.WORKSHOP, settlement="fumin", **fields) -> Workshop:
    return Workshop.objects.create(
        name=fields.pop("name", f"测试{WorkshopKind(kind).label}{next(_numbers)}"),
        kind=kind,
        settlement=Settlement.objects.get(code=settlement),
        opened_on=fields.pop("opened_on", D(2019, 5, 1)),
        **fields,
    )
