"""Demo employment data for the embedded default: employers, posts, workshops, welfare posts, jobs, training.

Made from a seeded random generator over the demo households, through the services, so that every
employment page and indicator has something to show. Does nothing once an employer exists.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from settlements.models import Settlement, User

from . import labour, services
from .models import (
    Employer,
    EmployerKind,
    EmploymentEnd,
    EmploymentKind,
    Funding,
    JobPlace,
    JobPost,
    TrainingKind,
    WelfarePost,
    WelfarePostTitle,
    Workshop,
    WorkshopKind,
)

EMPLOYERS = [
    ("榕江县苗绣文化有限公司", EmployerKind.ENTERPRISE, "苗绣绣娘", "刺绣、缝纫"),
    ("榕江工业园区电子装配厂", EmployerKind.ENTERPRISE, "电子装配工", "装配、电工"),
    ("榕江县百香果种植专业合作社", EmployerKind.COOPERATIVE, "种植工", "种植"),
    ("榕江县古州人力资源服务有限公司", EmployerKind.HR_AGENCY, "输出务工（广东）", "普工"),
    ("榕江县城区物业服务公司", EmployerKind.ENTERPRISE, "保安员", "保安"),
]
WORKSHOP_SETTLEMENTS = ["fumin", "wolong", "yangguang", "fengle", "dingwei", "fenghuang"]
WELFARE_POSTS_PER_SETTLEMENT = 6


@transaction.atomic
def seed_demo_employment() -> dict[str, int]:
    if Employer.objects.exists():
        return {}
    office = User.objects.get(username="office")
    today = timezone.localdate()
    rand = random.Random("rongjiang-demo-employment")
    employers = [_employer(name, kind, title, skills, today) for name, kind, title, skills in EMPLOYERS]
    workshops = [_workshop(code, employers[0]) for code in WORKSHOP_SETTLEMENTS]
    posts = _welfare_posts()
    made = {"employers": len(employers), "workshops": len(workshops), "welfare_posts": len(posts), "jobs": 0}
    rule = labour.rule_on(today)
    stays = labour.labour_stays(today, rule).select_related("person", "household")
    for stay in stays.order_by("household_id", "person_id"):
        made["jobs"] += _demo_career(stay.person, rand, employers, workshops, posts, office, today)
    return made


def _employer(name, kind, title, skills, today):
    employer = Employer.objects.create(name=name, kind=kind, staff_count=120, is_small=kind != EmployerKind.HR_AGENCY)
    place_kind = JobPlace.OUTSIDE if kind == EmployerKind.HR_AGENCY else JobPlace.COUNTY
    JobPost.objects.create(
        employer=employer,
        title=title,
        skills=skills,
        place="广东省东莞市" if place_kind == JobPlace.OUTSIDE else "榕江县",
        place_kind=place_kind,
        pay_min=2200,
        pay_max=4500,
        openings=20,
        published_on=today - datetime.timedelta(days=30),
        valid_until=today + datetime.timedelta(days=90),
    )
    return employer


def _workshop(code, employer):
    settlement = Settlement.objects.get(code=code)
    kind = WorkshopKind.BASE if code == "dingwei" else WorkshopKind.WORKSHOP
    return Workshop.objects.create(
        name=f"{settlement.name}{'就业扶贫基地' if kind == WorkshopKind.BASE else '苗绣扶贫车间'}",
        kind=kind,
        settlement=settlement,
        employer=employer,
        opened_on=datetime.date(2019, 6, 15),
    )


def _welfare_posts():
    titles = [WelfarePostTitle.CLEANER, WelfarePostTitle.GUARD, WelfarePostTitle.CULTURE_KEEPER]
    posts = []
    for settlement in Settlement.objects.order_by("sort_order"):
        for index in range(WELFARE_POSTS_PER_SETTLEMENT):
            posts.append(
                WelfarePost.objects.create(
                    code=f"{settlement.code.upper()}-{index + 1:03d}",
                    title=titles[index % 3],
                    settlement=settlement,
                    funding=Funding.EAST_WEST if index % 2 else Funding.EMPLOYMENT_FUND,
                    created_on=datetime.date(2019, 7, 1),
                )
            )
    return posts


def _demo_career(person, rand, employers, workshops, posts, office, today) -> int:
    """Most workers have a job; some lost one; some were trained first."""
    roll = rand.random()
    if roll < 0.12:
        return 0  # not working
    start = today - datetime.timedelta(days=rand.randint(30, 900))
    training = None
    if roll < 0.3:
        training = services.training_record(
            person=person,
            actor=office,
            course="苗绣技能培训班",
            kind=TrainingKind.DIRECTED,
            sector="刺绣",
            provider="榕江县职业技术学校",
            start_date=start - datetime.timedelta(days=20),
            end_date=start - datetime.timedelta(days=10),
            days=10,
            completed=True,
        )
    fields = _job_fields(person, rand, employers, workshops, posts)
    job = services.employment_start(person=person, actor=office, start_date=start, training=training, **fields)
    if roll > 0.95:
        end = min(today - datetime.timedelta(days=1), start + datetime.timedelta(days=rand.randint(20, 200)))
        services.employment_end(employment=job, end_date=max(end, start), reason=EmploymentEnd.LOST, actor=office)
    return 1


def _job_fields(person, rand, employers, workshops, posts):
    local = [w for w in workshops if w.settlement_id == person.settlement_id]
    free_posts = [p for p in posts if p.settlement_id == person.settlement_id and not p.employments.exists()]
    choice = rand.random()
    if choice < 0.2 and local:
        return {"kind": EmploymentKind.WORKSHOP, "workshop": local[0], "employer": local[0].employer}
    if choice < 0.3 and free_posts:
        post = free_posts[0]
        return {"kind": EmploymentKind.WELFARE_POST, "welfare_post": post, "employer_name": "社区服务中心"}
    if choice < 0.5:
        return {
            "kind": EmploymentKind.ORGANISED_OUTSIDE,
            "employer_name": "东莞某电子厂",
            "place": JobPlace.OUTSIDE,
            "placed_by": employers[3],
            "contract_months": 12,
            "social_insurance": True,
        }
    if choice < 0.6:
        return {"kind": EmploymentKind.FLEXIBLE}
    employer = rand.choice([employers[0], employers[1], employers[2], employers[4]])
    return {"kind": EmploymentKind.LOCAL_FIRM, "employer": employer, "contract_months": 12, "social_insurance": True}
