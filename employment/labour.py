"""Who counts as labour, who works, and which households have nobody in work, as of any day.

The rule in force on the day (`LabourRule`) gives the age band and the conditions that exclude a person.
A person counts on a day while their membership covers it in a household that has moved in and not out.
Everything here is one query for all settlements, so the indicators stay cheap at millions of persons.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q

from settlements import dates
from settlements.models import Household, Membership

from .models import Employment, LabourCondition, LabourRule, active_on


def rule_on(day: datetime.date) -> LabourRule | None:
    """The labour rule in force on `day`, or None if the office has configured none for it."""
    in_force = Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))
    return LabourRule.objects.filter(in_force).order_by("-valid_from").first()


def stable_since(rule: LabourRule, day: datetime.date) -> datetime.date:
    """The latest start of a job that is stable on `day`: `rule.stable_months` months after it is `day` or
    earlier (the months are counted as the subsidies count them, `dates.add_months`)."""
    start = dates.add_months(day, -rule.stable_months)
    if dates.is_month_end(day):  # 31 January + 3 months is 30 April: every later January day also reaches it
        return dates.add_months(start.replace(day=1), 1) - datetime.timedelta(days=1)
    return start


def labour_stays(day: datetime.date, rule: LabourRule):
    """Memberships on `day` of persons who count as labour then, in resident households."""
    oldest, youngest = dates.birth_range(day, rule.min_age, rule.max_age)
    excluded = LabourCondition.objects.filter(
        active_on(day), person=OuterRef("person_id"), kind__in=rule.excluded_conditions
    )
    return (
        Membership.objects.filter(
            active_on(day),
            household__move_in_date__lte=day,
            person__birth_date__range=(oldest, youngest),
        )
        .exclude(Q(household__moved_out_on__lte=day))
        .exclude(Exists(excluded))
    )


def with_work(stays, day: datetime.date, rule: LabourRule):
    """Annotate labour stays with whether the person works on `day`, and stably."""
    jobs = Employment.objects.filter(active_on(day), person=OuterRef("person_id"))
    return stays.annotate(
        employed=Exists(jobs), stably_employed=Exists(jobs.filter(start_date__lte=stable_since(rule, day)))
    )


@dataclass
class LabourCounts:
    labour_households: int = 0
    stable_households: int = 0  # with at least one labour member in stable work
    zero_employment: list[int] = field(default_factory=list)  # ids of the households with labour, nobody in work

    @property
    def zero_employment_households(self) -> int:
        return len(self.zero_employment)

    @property
    def employed_households(self) -> int:
        return self.labour_households - self.zero_employment_households


def labour_counts(day: datetime.date, settlement_ids=None) -> dict[int, LabourCounts]:
    """Per settlement id: the households with labour on `day`, those with a labour member in stable work, and
    the ids of those of which no labour member works (one query).

    One pass, set-based: the labour stays are joined to the day's jobs and grouped per household (whether any
    member works, and stably: the same answer however many jobs a person holds), and the households grouped
    per settlement, a zero-employment household on a row of its own. (Annotating each stay with `Exists` over
    the jobs, as `with_work` does for a page of the ledger, runs a subquery per person.)
    """
    rule = rule_on(day)
    if rule is None:
        return {}
    sql, params = _labour_counts_sql(day, rule, settlement_ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    counts = {}
    for settlement_id, idle_household_id, households, stable in rows:
        settlement = counts.setdefault(settlement_id, LabourCounts())
        settlement.labour_households += households
        settlement.stable_households += int(stable)
        if idle_household_id is not None:
            settlement.zero_employment.append(idle_household_id)
    return counts


def _labour_counts_sql(day: datetime.date, rule: LabourRule, settlement_ids) -> tuple[str, list]:
    """The labour stays are `labour_stays` itself (the rule of who counts as labour stays in one place),
    wrapped in the grouping the ORM cannot write: per settlement, one row for the households in which somebody
    works and one row for each household in which nobody does."""
    stays = labour_stays(day, rule)
    if settlement_ids is not None:
        stays = stays.filter(household__settlement_id__in=list(settlement_ids))
    columns = stays.order_by().values("person_id", "household_id", settlement_id=F("household__settlement_id"))
    labour, labour_params = columns.query.sql_with_params()
    sql = f"""
        SELECT settlement_id, CASE WHEN employed = 1 THEN NULL ELSE household_id END, COUNT(*), SUM(stable)
        FROM (
            SELECT l.settlement_id, l.household_id,
                   MAX(CASE WHEN w.person_id IS NULL THEN 0 ELSE 1 END) AS employed,
                   MAX(CASE WHEN w.start_date <= %s THEN 1 ELSE 0 END) AS stable
            FROM ({labour}) l
            LEFT JOIN {Employment._meta.db_table} w
                ON w.person_id = l.person_id AND w.start_date <= %s AND (w.end_date IS NULL OR w.end_date > %s)
            GROUP BY l.settlement_id, l.household_id
        ) households
        GROUP BY 1, 2
    """
    return sql, [stable_since(rule, day), *labour_params, day, day]


# --- zero-employment households and why -----------------------------------------------------------------------


@dataclass
class WorkerFact:
    person_id: int
    name: str
    age: int
    last_job: Employment | None

    @property
    def reason(self) -> str:
        if self.last_job is None:
            return f"{self.name}（{self.age}岁）无就业记录"
        ended = f"{self.last_job.end_date:%Y-%m-%d}离岗"
        why = f"（{self.last_job.get_end_reason_display()}）" if self.last_job.end_reason else ""
        job = self.last_job.employer_label or self.last_job.get_kind_display()
        return f"{self.name}（{self.age}岁）{ended}{why}，原岗位：{job}"


@dataclass
class ZeroEmploymentHousehold:
    household: Household
    workers: list[WorkerFact] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return f"有劳动力 {len(self.workers)} 人，均未就业：" + "；".join(worker.reason for worker in self.workers)


def with_reasons(households, day: datetime.date) -> list[ZeroEmploymentHousehold]:
    """Each of `households` (zero-employment households on `day`, e.g. a page of the list) with its labour
    members and why none of them works: two queries whatever the count."""
    entries = {household.pk: ZeroEmploymentHousehold(household) for household in households}
    rule = rule_on(day)
    if rule is None or not entries:
        return list(entries.values())
    stays = labour_stays(day, rule).filter(household_id__in=list(entries)).select_related("person")
    stays = list(stays.order_by("household_id", "person_id"))
    last_jobs = _last_jobs([stay.person_id for stay in stays], day)
    for stay in stays:
        person = stay.person
        entries[stay.household_id].workers.append(
            WorkerFact(person.pk, person.name, age_on(person.birth_date, day), last_jobs.get(person.pk))
        )
    return list(entries.values())


def _last_jobs(person_ids, day: datetime.date) -> dict[int, Employment]:
    jobs = Employment.objects.filter(person_id__in=person_ids, end_date__lte=day).select_related("employer")
    latest = {}
    for job in jobs.order_by("person_id", "end_date", "id"):
        latest[job.person_id] = job
    return latest


def age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def is_labour(person, day: datetime.date) -> bool:
    rule = rule_on(day)
    return rule is not None and labour_stays(day, rule).filter(person=person).exists()
