"""Demo schooling data for the embedded default: the catchments of annex 1 (and, marked as demo data, a few origin
townships' middle schools), enrolments for most children of school age at their catchment's schools (the 文体
children moved from the 2019 interim schools to 古州四小 in September 2020), one dropout followed up, one who
was persuaded back, some children never enrolled, and aid for most of the enrolled. Written through the services
from a seeded random generator; does nothing once an enrolment exists.
"""

import datetime
import random
from collections import Counter

from django.db import transaction
from django.utils import timezone

from settlements.models import Facility, Household, User
from settlements.selectors import resident_stays

from . import schooling_rules
from .models import Catchment, DropoutVisit, EndReason, SchoolEnrolment, SchoolLevel, Stage, StudentAid, VisitResult
from .schooling_catchments import GUZHOU_FOUR_FROM, INTERIM_END, WENTI, ensure_catchments
from .selectors.schooling import settlement_catchments
from .services import schooling as services

NEVER_ENROLLED = 0.04  # of the children of compulsory age
UNAIDED = 0.12  # of the enrolled
MIDDLE_SCHOOLS = ("榕江四中", "榕江五中")
HIGH_SCHOOL = "榕江一中"
GRADES = {
    SchoolLevel.KINDERGARTEN: ["小班", "中班", "大班"],
    SchoolLevel.PRIMARY: ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级"],
    SchoolLevel.MIDDLE: ["七年级", "八年级", "九年级", "九年级"],  # a 15-year-old still in 九年级
    SchoolLevel.HIGH: ["高一", "高二", "高三"],
}
DEMO_NOTE = "演示数据：以县教育科技局确定的招生范围为准"


@transaction.atomic
def seed_demo_schooling() -> dict[str, int]:
    if SchoolEnrolment.objects.exists():
        return {}
    today = timezone.localdate()
    age = schooling_rules.school_age(today)
    if age is None:
        return {}
    office = User.objects.get(username="office")
    ensure_catchments()
    made = Counter(catchments=_township_catchments(office))
    rand = random.Random("rongjiang-demo-schooling")
    stays = resident_stays(day=today).select_related("person", "household__settlement").order_by("household__code")
    children = [stay for stay in stays if age.stage(stay.person.birth_date, today)]
    dropout_done = returned_done = False
    for stay in children:
        stage = age.stage(stay.person.birth_date, today)
        if stage == Stage.COMPULSORY and rand.random() < NEVER_ENROLLED:
            continue  # out of school: the settlement page flags them
        placed = _place(stay, age, today, rand)
        if placed is None:
            continue
        level, school, start, grade = placed
        if stage == Stage.COMPULSORY and not dropout_done and start < today - datetime.timedelta(days=120):
            made.update(_dropout(stay.person, school, level, start, grade, today, office))
            dropout_done = True
            continue
        if stage == Stage.COMPULSORY and not returned_done and start < today - datetime.timedelta(days=200):
            made.update(_returned(stay.person, school, level, start, grade, today, office))
            returned_done = True
            continue
        made["enrolments"] += _enrol(stay, level, school, start, grade, office, rand)
        if rand.random() >= UNAIDED:
            made["aid"] += _aid(stay.person, level, age, today, rand, office)
    return dict(made)


def _township_catchments(office) -> int:
    """初中 for the three largest origin townships (demo data: the seed names none); the others stay without."""
    schools = {school.name: school for school in Facility.objects.filter(name__in=MIDDLE_SCHOOLS)}
    if len(schools) < len(MIDDLE_SCHOOLS):
        return 0
    townships = Counter(Household.objects.exclude(origin_township="").values_list("origin_township", flat=True))
    made = 0
    for index, (township, _) in enumerate(townships.most_common(3)):
        catchment = Catchment(
            level=SchoolLevel.MIDDLE,
            school=schools[MIDDLE_SCHOOLS[index % 2]],
            origin_township=township,
            valid_from=schooling_rules.PLAN_DATE,
            note=DEMO_NOTE,
        )
        services.catchment_save(catchment=catchment, actor=office)
        made += 1
    return made


def _place(stay, age, today, rand):
    """The level, school, start and grade of a child's current enrolment, or None when no school fits."""
    years = age.age(stay.person.birth_date, today)
    low = {Stage.PRESCHOOL: 3, Stage.COMPULSORY: 6, Stage.HIGH_SCHOOL: 16}[age.stage(stay.person.birth_date, today)]
    index = years - low
    level = {3: SchoolLevel.KINDERGARTEN, 16: SchoolLevel.HIGH}.get(low)
    if level is None:
        level, index = (SchoolLevel.PRIMARY, index) if index < 6 else (SchoolLevel.MIDDLE, index - 6)
    school = _school(stay.household, level, today, rand)
    if school is None:
        return None
    entered = age.school_year_start(age.school_year(today) - min(index, 2 if level != SchoolLevel.PRIMARY else 5))
    start = min(max(entered, stay.household.move_in_date), today)  # here since then, at this level
    return level, school, start, GRADES[level][min(index, len(GRADES[level]) - 1)]


def _school(household, level, today, rand):
    if level == SchoolLevel.HIGH:
        return Facility.objects.filter(name=HIGH_SCHOOL).first()
    if level == SchoolLevel.MIDDLE:
        catchment = Catchment.objects.filter(level=level, origin_township=household.origin_township).first()
        if catchment is not None:
            return catchment.school
        return Facility.objects.filter(name=rand.choice(MIDDLE_SCHOOLS)).first()
    catchments = settlement_catchments(household.settlement, today)[level]
    return rand.choice(catchments).school if catchments else None


def _enrol(stay, level, school, start, grade, office, rand) -> int:
    """The current enrolment; a 文体 pupil here before 古州四小 opened came from one of the interim schools."""
    interim = []
    if level == SchoolLevel.PRIMARY and stay.household.settlement.code in WENTI and start < GUZHOU_FOUR_FROM:
        interim = settlement_catchments(stay.household.settlement, INTERIM_END)[level]
    if interim:
        first = rand.choice(interim).school
        _save(stay.person, first, level, start, grade, office, INTERIM_END, EndReason.TRANSFER)
    start = max(start, GUZHOU_FOUR_FROM if interim else start, school.in_use_on or start)
    _save(stay.person, school, level, start, grade, office)
    return 2 if interim else 1


def _save(person, school, level, start, grade, office, end=None, reason="", note=""):
    enrolment = SchoolEnrolment(
        person=person,
        school=school,
        level=level,
        grade=grade,
        start_date=start,
        end_date=end,
        end_reason=reason,
        end_note=note,
    )
    return services.school_enrolment_save(enrolment=enrolment, actor=office)


def _dropout(person, school, level, start, grade, today, office) -> Counter:
    """Dropped out 40 days ago, visited twice since, still being persuaded."""
    left = today - datetime.timedelta(days=40)
    dropout = _save(person, school, level, start, grade, office, left, EndReason.DROPOUT, "随父母外出务工，未办理转学")
    for days, result in ((7, VisitResult.PERSUADING), (21, VisitResult.PERSUADING)):
        _visit(dropout, left + datetime.timedelta(days=days), result, office)
    return Counter(enrolments=1, dropouts=1, visits=2)


def _returned(person, school, level, start, grade, today, office) -> Counter:
    """Dropped out last term, persuaded back after two visits, enrolled again."""
    left = today - datetime.timedelta(days=150)
    dropout = _save(person, school, level, start, grade, office, left, EndReason.DROPOUT, "厌学在家")
    _visit(dropout, left + datetime.timedelta(days=5), VisitResult.PERSUADING, office)
    _visit(dropout, left + datetime.timedelta(days=19), VisitResult.RETURNED, office)
    _save(person, school, level, left + datetime.timedelta(days=20), grade, office)
    return Counter(enrolments=2, dropouts=1, visits=2)


def _visit(dropout, day, result, office):
    visit = DropoutVisit(
        dropout=dropout,
        visited_on=day,
        visitors="包保干部、班主任",
        actions="入户宣传义务教育法，了解辍学原因，动员返校",
        result=result,
    )
    services.dropout_visit_save(visit=visit, actor=office)


def _aid(person, level, age, today, rand, office) -> int:
    """This school year's aid of the stage, granted some weeks into the year (not yet, early in September)."""
    year = age.school_year(today)
    granted = age.school_year_start(year) + datetime.timedelta(days=rand.randint(30, 75))
    schemes = schooling_rules.aid_schemes(granted)
    if granted > today or schemes is None:
        return 0
    stage = {SchoolLevel.KINDERGARTEN: Stage.PRESCHOOL, SchoolLevel.HIGH: Stage.HIGH_SCHOOL}.get(
        level, Stage.COMPULSORY
    )
    aid = StudentAid(person=person, school_year=year, scheme=schemes[stage], granted_on=granted)
    services.student_aid_save(aid=aid, actor=office)
    return 1
