"""Employment benchmark: every indicator for all settlements at 1.9 million persons.

Run with `scripts/bench --suite employment` (it prepares its own PostgreSQL database, rongjiang_bench, and empties
it first). Every figure is printed beside a baseline measured in the same process:

1. The registry of bench/registry.py (the 25,255-person ledger, grown by SQL to 1.9 million persons in the 7
   settlements), with every person's stay opened, and employment data added in bulk: labour conditions for about
   3% of persons, jobs for about 55% of labour-age persons (some ended, some in workshops or on the 180
   public-welfare posts), training for about 10% of them (most of it leading to a job), and a few percent of
   households with labour but nobody in work.
2. All registered indicators (registry and employment) for all settlements as of a fixed day, computed from
   raw data as the portal computes them (`tasks.indicators.values_as_of`: each group once, set-based), against
   today's formulation (kept here: one call per indicator, the labour ones each re-running the labour of the
   day with a correlated EXISTS per person) and against the physical floor (one bare grouped count over the
   day's stays joined to persons and households). The portal and today's formulation must give the same
   numbers (if not, they are printed and the benchmark exits with status 1). Printed: every run, the medians of
   --runs runs after a warm-up, the ratios; with --explain, each group's queries by EXPLAIN ANALYZE.
3. The pages that show indicators (the employment overview, a settlement's page, the overview, the dispatch
   report download) reading the indicators' snapshot, against the same request computing them live.
4. The first page of one settlement's zero-employment list, with each household's reason.
"""

import argparse
import datetime
import io
import os
import statistics
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project before bench/ (its employment.py)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rongjiang_portal.settings")
django.setup()

import registry  # noqa: E402  (bench/registry.py: the ledger, the scale-up, the printing)
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from employment import labour  # noqa: E402
from employment import selectors as employment_selectors  # noqa: E402
from employment.models import (  # noqa: E402
    Employer,
    EmployerKind,
    Employment,
    Funding,
    LabourCondition,
    TrainingRecord,
    WelfarePost,
    WelfarePostTitle,
    Workshop,
    WorkshopKind,
    active_on,
)
from settlements import bulk, dates, importing  # noqa: E402
from settlements.models import Household, Membership, Person, Settlement  # noqa: E402
from tasks import indicators  # noqa: E402
from tasks import services as task_services  # noqa: E402
from tasks.models import IndicatorSnapshot, Meeting, first_of_month  # noqa: E402

say, timed = registry.say, registry.timed

DAY = datetime.date(2026, 9, 30)  # the day the indicators are computed for
FIRST_JOB = datetime.date(2019, 1, 1)  # jobs and courses start from here up to DAY
CONDITION_PERCENT = 3  # of all persons
ZERO_HOUSEHOLD_PERCENT = 3  # households with labour whose labour has no job (some lost one)
OTHER_MEMBER_JOB_PERCENT = 25  # labour beyond the first of a household with a job (plus those placed by training)
TRAINED_PERCENT = 10  # of labour-age persons
PLACED_PERCENT = 75  # of completed courses, leading to a job (annex 2: 1,130 placed of 1,510 trained)
WORKSHOPS = 12  # one of them closed before DAY
WELFARE_POSTS = 180  # four of them abolished before DAY
WORKSHOP_NAMES = ["车间", "车间", "基地"]
BENCH_MEETING_PLACE = "benchmark"


# --- data ------------------------------------------------------------------------------------------------------


def rnd(expression: str, salt: int, n: int) -> str:
    """SQL for a reproducible pseudo-random integer in [0, n) drawn from `expression` (an id)."""
    return f"(abs(hashint8extended(({expression})::bigint, {salt})) %% {n})"


def sql(statement: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, list(params))
        return cursor.rowcount


def empty_employment():
    """Remove the employment data this benchmark writes (the bench database only); the labour rule stays."""
    models = (LabourCondition, TrainingRecord, Employment, WelfarePost, Workshop, Employer)
    tables = [table for model in models for table in (model._meta.db_table, model.history.model._meta.db_table)]
    sql(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    IndicatorSnapshot.objects.all().delete()
    Meeting.objects.filter(place=BENCH_MEETING_PLACE).delete()


def open_stays() -> int:
    """Open the stay (Membership) of every person without one, as the ledger import does: bench/registry.py's
    scale-up writes households and persons only, and the indicators count stays."""
    return sql(
        """
        INSERT INTO settlements_membership (person_id, household_id, relation, start_date, start_reason, end_date,
            end_reason)
        SELECT p.id, p.household_id, p.relation, GREATEST(h.move_in_date, p.birth_date),
               CASE WHEN p.birth_date > h.move_in_date THEN 'birth' ELSE 'move_in' END, NULL, ''
        FROM settlements_person p JOIN settlements_household h ON h.id = p.household_id
        WHERE NOT EXISTS (SELECT 1 FROM settlements_membership m WHERE m.person_id = p.id)
        """
    )


def add_places(office) -> dict[str, list[int]]:
    """Employers, workshops and welfare posts, with their history rows, as the admin would write them."""
    history = {"user": office, "reason": "benchmark", "date": timezone.now()}
    kinds = [EmployerKind.ENTERPRISE] * 20 + [EmployerKind.COOPERATIVE] * 8 + [EmployerKind.HR_AGENCY] * 6
    kinds += [EmployerKind.INDIVIDUAL] * 6
    trades = "电子鞋业服装食品建材物流家政餐饮茶叶农业"
    employers = [
        Employer(name=f"榕江县{trades[n % 10 * 2 : n % 10 * 2 + 2]}{n + 1:02d}号{kind.label}", kind=kind)
        for n, kind in enumerate(kinds)
    ]
    bulk.insert_with_history(Employer, employers, **history)
    settlements = list(Settlement.objects.order_by("sort_order", "pk"))
    workshops = [
        Workshop(
            name=f"{settlements[n % len(settlements)].name}{WORKSHOP_NAMES[n % 3]}{n // len(settlements) + 1}",
            kind=WorkshopKind.BASE if n % 3 == 2 else WorkshopKind.WORKSHOP,
            settlement=settlements[n % len(settlements)],
            employer=employers[n],
            opened_on=datetime.date(2018, 6, 1) + datetime.timedelta(days=15 * n),
            closed_on=datetime.date(2025, 12, 31) if n == WORKSHOPS - 1 else None,
            products="服装、鞋帽、电子元件",
        )
        for n in range(WORKSHOPS)
    ]
    bulk.insert_with_history(Workshop, workshops, **history)
    titles = list(WelfarePostTitle.values)
    posts = [
        WelfarePost(
            code=f"GY{n + 1:04d}",
            title=titles[n % len(titles)],
            settlement=settlements[n % len(settlements)],
            funding=Funding.EMPLOYMENT_FUND if n % 3 else Funding.EAST_WEST,
            created_on=datetime.date(2019, 6, 1) + datetime.timedelta(days=3 * n),
            abolished_on=datetime.date(2025, 6, 30) if n % 45 == 44 else None,
        )
        for n in range(WELFARE_POSTS)
    ]
    bulk.insert_with_history(WelfarePost, posts, **history)
    return {
        "firms": [e.pk for e in employers if e.kind in (EmployerKind.ENTERPRISE, EmployerKind.COOPERATIVE)],
        "agencies": [e.pk for e in employers if e.kind == EmployerKind.HR_AGENCY],
    }


def add_conditions() -> int:
    """About 3% of persons: students among the young, the others disabled, seriously ill or other; some ended."""
    student_born_after = DAY.replace(year=DAY.year - 25)
    return sql(
        f"""
        INSERT INTO employment_labourcondition (person_id, kind, start_date, end_date, note)
        SELECT p.id,
               CASE WHEN p.birth_date > %s THEN 'student' WHEN {rnd("p.id", 2, 10)} < 5 THEN 'disabled'
                    WHEN {rnd("p.id", 2, 10)} < 9 THEN 'seriously_ill' ELSE 'other' END,
               s.start, CASE WHEN {rnd("p.id", 4, 10)} < 2 THEN s.start + 180 + {rnd("p.id", 5, 900)}::int END, ''
        FROM settlements_person p,
             LATERAL (SELECT DATE '2018-01-01' + {rnd("p.id", 3, 2800)}::int AS start) s
        WHERE {rnd("p.id", 1, 100)} < %s
        """,
        [student_born_after, CONDITION_PERCENT],
    )


def mark_labour(rule):
    """bench_labour: the persons who count as labour on DAY, ranked in their household, and the households
    chosen to have nobody in work."""
    oldest, youngest = dates.birth_range(DAY, rule.min_age, rule.max_age)
    sql("DROP TABLE IF EXISTS bench_labour")
    sql(
        f"""
        CREATE TEMP TABLE bench_labour AS
        SELECT p.id AS person_id, p.household_id, p.settlement_id,
               row_number() OVER (PARTITION BY p.household_id ORDER BY p.id) AS rank,
               {rnd("p.household_id", 20, 100)} < %s AS zero_household
        FROM settlements_person p
        JOIN settlements_membership m ON m.person_id = p.id AND m.end_date IS NULL
        WHERE p.birth_date BETWEEN %s AND %s
          AND NOT EXISTS (SELECT 1 FROM employment_labourcondition c WHERE c.person_id = p.id
                          AND c.kind = ANY(%s) AND c.start_date <= %s AND (c.end_date IS NULL OR c.end_date > %s))
        """,
        [ZERO_HOUSEHOLD_PERCENT, oldest, youngest, list(rule.excluded_conditions), DAY, DAY],
    )
    sql("ANALYZE bench_labour")


def add_training(office, firms) -> int:
    """About 10% of labour: a course of 5 to 30 days started 2019 to DAY, most completed; some on the job."""
    courses = ["电工", "焊工", "缝纫工", "中式烹调", "家政服务", "育婴员", "挖掘机操作", "电子装配", "茶叶种植"]
    courses.append("民族刺绣")
    providers = ["榕江县中等职业学校", "黔东南州就业训练中心", "榕江县人社局培训中心", "贵州民族技工学校"]
    span = (DAY - FIRST_JOB).days - 30
    return sql(
        f"""
        INSERT INTO employment_trainingrecord (person_id, course, kind, sector, provider, employer_id, start_date,
            end_date, days, on_the_job, completed, recorded_by_id)
        SELECT l.person_id, (%s::text[])[1 + {rnd("l.person_id", 11, 10)}] || '培训班',
               (ARRAY['directed', 'order', 'output', 'enabling'])[1 + {rnd("l.person_id", 12, 4)}],
               (%s::text[])[1 + {rnd("l.person_id", 11, 10)}], (%s::text[])[1 + {rnd("l.person_id", 13, 4)}],
               CASE WHEN {rnd("l.person_id", 14, 10)} = 0 THEN (%s::bigint[])[1 + {rnd("l.person_id", 15, len(firms))}]
               END,
               c.start, c.start + c.days, c.days, {rnd("l.person_id", 14, 10)} = 0,
               c.start + c.days <= %s AND {rnd("l.person_id", 16, 100)} < 93, %s
        FROM bench_labour l,
             LATERAL (SELECT %s::date + {rnd("l.person_id", 17, span)}::int AS start,
                             5 + {rnd("l.person_id", 18, 26)}::int AS days) c
        WHERE {rnd("l.person_id", 10, 100)} < %s
        """,
        [courses, courses, providers, firms, DAY, office.pk, FIRST_JOB, TRAINED_PERCENT],
    )


KINDS = """CASE WHEN {x} < 20 THEN 'local_firm' WHEN {x} < 35 THEN 'industrial_park' WHEN {x} < 38 THEN 'workshop'
    WHEN {x} < 50 THEN 'organised_province' WHEN {x} < 70 THEN 'organised_outside'
    WHEN {x} < 78 THEN 'self_employed' ELSE 'flexible' END"""
END_REASONS = "(ARRAY['lost', 'quit', 'contract_ended'])[1 + {x}]"


def plan_jobs():
    """bench_jobs: every job to write, with its kind, period, end reason, course and welfare post."""
    span = (DAY - FIRST_JOB).days
    placed = f"""LEFT JOIN employment_trainingrecord t ON t.person_id = l.person_id AND t.completed
                 AND t.end_date <= %s AND {rnd("t.id", 41, 100)} < {PLACED_PERCENT}"""
    sql("DROP TABLE IF EXISTS bench_jobs")
    sql(
        """CREATE TEMP TABLE bench_jobs (n bigserial, person_id bigint, settlement_id bigint, kind text,
            start_date date, end_date date, end_reason text, training_id bigint, welfare_post_id bigint)"""
    )
    insert = "INSERT INTO bench_jobs (person_id, settlement_id, kind, start_date, end_date, end_reason, training_id, "
    insert += "welfare_post_id) "
    # Two holders of each welfare post: the first until about a year after it was created, the second since then
    # (until the post was abolished). Drawn from the first labour member of households with work.
    sql(
        f"""
        CREATE TEMP TABLE bench_welfare AS
        WITH posts AS (SELECT id, settlement_id, created_on, abolished_on,
                              row_number() OVER (PARTITION BY settlement_id ORDER BY id) AS n
                       FROM employment_welfarepost),
             candidates AS (SELECT person_id, settlement_id,
                                   row_number() OVER (PARTITION BY settlement_id
                                                      ORDER BY {rnd("person_id", 30, 1_000_003)}, person_id) AS n
                            FROM bench_labour WHERE rank = 1 AND NOT zero_household)
        SELECT p.id AS post_id, p.abolished_on, c.person_id, c.settlement_id, c.n - 2 * (p.n - 1) AS holder,
               p.created_on AS first_start, p.created_on + 365 + {rnd("p.id", 31, 300)}::int AS first_end
        FROM posts p JOIN candidates c ON c.settlement_id = p.settlement_id AND c.n BETWEEN 2 * p.n - 1 AND 2 * p.n
        """
    )
    sql(
        insert
        + """SELECT person_id, settlement_id, 'welfare_post',
                    CASE WHEN holder = 1 THEN first_start ELSE first_end + 1 END,
                    CASE WHEN holder = 1 THEN first_end ELSE abolished_on END,
                    CASE WHEN holder = 1 THEN 'contract_ended' WHEN abolished_on IS NOT NULL THEN 'other' ELSE '' END,
                    NULL, post_id
             FROM bench_welfare"""
    )
    # The first labour member of every household with work has a job now; 15% changed jobs once before.
    changer = f"{rnd('l.person_id', 42, 100)} < 15"
    sql(
        insert
        + f"""SELECT l.person_id, l.settlement_id, {KINDS.format(x=rnd("l.person_id", 40, 100))},
                     CASE WHEN t.id IS NOT NULL THEN LEAST(t.end_date + {rnd("l.person_id", 43, 60)}::int, %s)
                          WHEN {changer} THEN %s::date + 800 + {rnd("l.person_id", 44, span - 800)}::int
                          ELSE %s::date + {rnd("l.person_id", 44, span)}::int END,
                     NULL, '', t.id, NULL
              FROM bench_labour l {placed}
              WHERE l.rank = 1 AND NOT l.zero_household
                AND l.person_id NOT IN (SELECT person_id FROM bench_welfare WHERE holder = 2)""",
        [DAY, FIRST_JOB, FIRST_JOB, DAY],
    )
    sql(
        insert
        + f"""SELECT l.person_id, l.settlement_id, {KINDS.format(x=rnd("l.person_id", 45, 100))}, j.start,
                     j.start + 90 + {rnd("l.person_id", 46, 300)}::int, 'changed_job', NULL, NULL
              FROM bench_labour l, LATERAL (SELECT %s::date + {rnd("l.person_id", 47, 400)}::int AS start) j
              WHERE l.rank = 1 AND NOT l.zero_household AND {changer}""",
        [FIRST_JOB],
    )
    # Other labour members: 25% have had a job (a quarter of them lost or left it), and most of the trained.
    ended = f"t.id IS NULL AND {rnd('l.person_id', 51, 100)} < 25"
    sql(
        insert
        + f"""SELECT l.person_id, l.settlement_id, {KINDS.format(x=rnd("l.person_id", 52, 100))},
                     CASE WHEN t.id IS NOT NULL THEN LEAST(t.end_date + {rnd("l.person_id", 43, 60)}::int, %s)
                          ELSE j.start END,
                     CASE WHEN {ended} THEN LEAST(j.start + 60 + {rnd("l.person_id", 53, 330)}::int, %s) END,
                     CASE WHEN {ended} THEN {END_REASONS.format(x=rnd("l.person_id", 54, 3))} ELSE '' END,
                     t.id, NULL
              FROM bench_labour l {placed},
                   LATERAL (SELECT %s::date + {rnd("l.person_id", 55, span - 400)}::int AS start) j
              WHERE l.rank > 1 AND NOT l.zero_household
                AND (t.id IS NOT NULL OR {rnd("l.person_id", 50, 100)} < {OTHER_MEMBER_JOB_PERCENT})""",
        [DAY, DAY - datetime.timedelta(days=1), DAY, FIRST_JOB],
    )
    # Households with nobody in work: almost half their labour had a job and lost or left it.
    sql(
        insert
        + f"""SELECT l.person_id, l.settlement_id, {KINDS.format(x=rnd("l.person_id", 56, 100))}, j.start,
                     LEAST(j.start + 60 + {rnd("l.person_id", 57, 600)}::int, %s),
                     {END_REASONS.format(x=rnd("l.person_id", 58, 3))}, NULL, NULL
              FROM bench_labour l, LATERAL (SELECT %s::date + {rnd("l.person_id", 59, span - 400)}::int AS start) j
              WHERE l.zero_household AND {rnd("l.person_id", 60, 100)} < 45""",
        [DAY - datetime.timedelta(days=1), FIRST_JOB],
    )
    sql("DROP TABLE bench_welfare")


def add_jobs(office, places) -> int:
    """Write bench_jobs to the employment table, with employers, workshops, places, pay and contracts."""
    titles = ["普工", "保洁员", "厨师", "缝纫工", "电工", "驾驶员", "服务员", "销售员", "装配工", "保安员"]
    firm = "j.kind IN ('local_firm', 'industrial_park')"
    organised = "j.kind IN ('organised_province', 'organised_outside')"
    return sql(
        f"""
        INSERT INTO employment_employment (person_id, kind, employer_id, employer_name, job_title, place, start_date,
            end_date, end_reason, contract_months, social_insurance, monthly_pay, workshop_id, welfare_post_id,
            placed_by_id, follow_up_months, business_registered_on, job_post_id, training_id, recorded_by_id,
            created_at)
        SELECT j.person_id, j.kind,
               CASE WHEN {firm} THEN (%s::bigint[])[1 + {rnd("j.n", 70, len(places["firms"]))}] END,
               CASE j.kind WHEN 'self_employed' THEN '个体经营' WHEN 'flexible' THEN '零工' ELSE '' END,
               (%s::text[])[1 + {rnd("j.n", 71, len(titles))}],
               CASE j.kind WHEN 'organised_province' THEN 'province' WHEN 'organised_outside' THEN 'outside'
                    ELSE 'county' END,
               j.start_date, j.end_date, j.end_reason,
               CASE WHEN {firm} THEN (ARRAY[12, 24, 36])[1 + {rnd("j.n", 72, 3)}] END,
               ({firm} OR {organised}) AND {rnd("j.n", 73, 100)} < 70,
               1800 + {rnd("j.n", 74, 4200)},
               CASE WHEN j.kind = 'workshop' THEN w.ids[1 + {rnd("j.n", 75, 1000)} %% array_length(w.ids, 1)] END,
               j.welfare_post_id,
               CASE WHEN {organised} THEN (%s::bigint[])[1 + {rnd("j.n", 76, len(places["agencies"]))}] END,
               CASE WHEN {organised} THEN 6 END,
               CASE WHEN j.kind = 'self_employed' THEN j.start_date END,
               NULL, j.training_id, %s, now()
        FROM bench_jobs j
        LEFT JOIN (SELECT settlement_id, array_agg(id ORDER BY id) AS ids FROM employment_workshop
              WHERE closed_on IS NULL GROUP BY settlement_id) w ON w.settlement_id = j.settlement_id
        ORDER BY j.start_date, j.person_id  -- as recorded over the years
        """,
        [places["firms"], titles, places["agencies"], office.pk],
    )


def build(options, office):
    """The 25,255-person ledger imported as the portal does, grown to scale, with employment data."""
    say(f"== 1. Data: {options.scale_persons:,} persons in {Settlement.objects.count()} settlements, day {DAY}")
    empty_employment()
    registry.empty_registry()
    rows = registry.ledger_rows(registry.LEDGER_PERSONS)
    seconds, _ = timed(
        lambda: importing.write_ledger(importing.check_ledger(io.BytesIO(registry.ledger_file(rows)), office), office)
    )
    say(f"   ledger of {len(rows) - 1:,} persons imported in {seconds:.0f} s")
    seconds, _ = timed(registry.grow_to_scale, options.scale_persons)
    say(f"   grown to {Person.objects.count():,} persons (bench/registry.py grow_to_scale) in {seconds:.0f} s")
    with transaction.atomic():
        seconds, opened = timed(open_stays)
    say(f"   opened {opened:,} stays of the grown persons in {seconds:.0f} s")
    rule = labour.rule_on(DAY)
    assert rule is not None, "no labour rule: run the migrations"
    with transaction.atomic():
        places = step("employers, workshops, welfare posts", add_places, office)
        step("labour conditions", add_conditions)
        step("labour on the day (temporary table)", mark_labour, rule)
        step("training records", add_training, office, places["firms"])
        step("jobs planned (temporary table)", plan_jobs)
        step("employment records", add_jobs, office, places)
        sql("DROP TABLE bench_labour, bench_jobs")
    seconds, _ = timed(vacuum)
    say(f"   VACUUM ANALYZE in {seconds:.0f} s")


def step(label, function, *args):
    seconds, result = timed(function, *args)
    written = f": {result:,} rows" if isinstance(result, int) else ""
    say(f"   {label}{written} in {seconds:.1f} s")
    return result


def vacuum():
    tables = [model._meta.db_table for model in (Membership, LabourCondition, TrainingRecord, Employment)]
    tables += [model._meta.db_table for model in (Household, Person, WelfarePost, Workshop, Employer)]
    for table in tables:
        sql(f"VACUUM ANALYZE {table}")
    sql("CHECKPOINT")  # the load's writes done now, not spread across the timings (see bench/registry.py)


def data_shape(counts: dict[int, labour.LabourCounts]):
    labour_households = sum(row.labour_households for row in counts.values())
    zero = sum(row.zero_employment_households for row in counts.values())
    stable = sum(row.stable_households for row in counts.values())
    stays = labour.labour_stays(DAY, labour.rule_on(DAY))
    labour_persons = stays.count()
    employed = stays.filter(person__in=Employment.objects.filter(active_on(DAY)).values("person_id")).count()
    persons = Person.objects.count()
    households = Household.objects.count()
    with_record = Employment.objects.values("person_id").distinct().count()
    say(f"   persons {persons:,} in {households:,} households; stays open {Membership.objects.count():,}")
    say(
        f"   labour on {DAY}: {labour_persons:,} persons ({labour_persons / persons:.0%}) in "
        f"{labour_households:,} households; employed {employed:,} ({employed / labour_persons:.0%} of labour)"
    )
    say(
        f"   employment records {Employment.objects.count():,} ({with_record:,} persons with one), ended "
        f"{Employment.objects.filter(end_date__isnull=False).count():,}; workshop jobs "
        f"{Employment.objects.filter(workshop__isnull=False).count():,}; welfare-post jobs "
        f"{Employment.objects.filter(welfare_post__isnull=False).count():,}"
    )
    say(
        f"   labour conditions {LabourCondition.objects.count():,}; training records {TrainingRecord.objects.count():,}"
        f" ({Employment.objects.filter(training__isnull=False).count():,} jobs through training)"
    )
    say(
        f"   households with labour and nobody in work: {zero:,} ({zero / labour_households:.1%}); at least one "
        f"stably employed: {stable:,} ({stable / labour_households:.0%})"
    )


# --- today's formulation (the baseline) ---------------------------------------------------------------------
# The indicators as the portal computed them before the set-based groups: one call per indicator, each labour
# indicator re-running the labour of the day with a correlated EXISTS per person for the jobs.


def resident_on(day, prefix=""):
    return Q(**{f"{prefix}move_in_date__lte": day}) & (
        Q(**{f"{prefix}moved_out_on__isnull": True}) | Q(**{f"{prefix}moved_out_on__gt": day})
    )


def todays_labour_counts(day) -> dict[int, dict[str, int]]:
    rule = labour.rule_on(day)
    stays = labour.with_work(labour.labour_stays(day, rule), day, rule)
    rows = stays.values("household__settlement_id").annotate(
        labour_households=Count("household_id", distinct=True),
        employed_households=Count("household_id", distinct=True, filter=Q(employed=True)),
        stable_households=Count("household_id", distinct=True, filter=Q(stably_employed=True)),
    )
    counts = {row.pop("household__settlement_id"): row for row in rows}
    for row in counts.values():
        row["zero_employment_households"] = row["labour_households"] - row["employed_households"]
    return counts


def todays_labour_figure(name):
    return lambda day: {pk: counts[name] for pk, counts in todays_labour_counts(day).items()}


def todays_resident_counts(day):
    households = Household.objects.filter(resident_on(day)).values("settlement_id").annotate(n=Count("id"))
    persons = Membership.objects.filter(active_on(day), resident_on(day, "household__"))
    persons = persons.values("household__settlement_id").annotate(n=Count("id"))
    return {
        "households": {row["settlement_id"]: row["n"] for row in households},
        "persons": {row["household__settlement_id"]: row["n"] for row in persons},
    }


def todays_moved_in_persons(day):
    moved_in = Membership.objects.filter(start_date__lte=day, household__move_in_date__lte=day)
    rows = moved_in.values("household__settlement_id").annotate(n=Count("person_id", distinct=True))
    return {row["household__settlement_id"]: row["n"] for row in rows}


TODAYS_FORMULATION = {
    "settlements.households": lambda day: todays_resident_counts(day)["households"],
    "settlements.persons": lambda day: todays_resident_counts(day)["persons"],
    "settlements.moved_in_persons": todays_moved_in_persons,
    "employment.labour_households": todays_labour_figure("labour_households"),
    "employment.one_employed_households": todays_labour_figure("stable_households"),
    "employment.zero_employment_households": todays_labour_figure("zero_employment_households"),
}  # the other employment indicators are unchanged: each its own group, computed as before


def todays_values(day) -> dict[str, dict[int, int]]:
    values = {}
    for indicator in indicators.all_indicators():
        function = TODAYS_FORMULATION.get(indicator.key) or indicator.values_as_of
        values[indicator.key] = function(day)
    return values


def bare_grouped_count(day) -> dict[int, int]:
    """The physical floor: one grouped count over the day's stays joined to their persons and households."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT h.settlement_id, count(*)
            FROM settlements_membership m
            JOIN settlements_person p ON p.id = m.person_id
            JOIN settlements_household h ON h.id = m.household_id
            WHERE m.start_date <= %s AND (m.end_date IS NULL OR m.end_date > %s)
              AND h.move_in_date <= %s AND (h.moved_out_on IS NULL OR h.moved_out_on > %s)
            GROUP BY h.settlement_id
            """,
            [day] * 4,
        )
        return dict(cursor.fetchall())


def filled(values, settlement_ids) -> dict[int, int]:
    return {pk: values.get(pk, 0) for pk in settlement_ids}


# --- measurement ----------------------------------------------------------------------------------------------


def bench_indicators(day, runs) -> dict:
    """Times all indicators three ways, side by side; returns those whose figures differ:
    {key: (portal, today's formulation)}."""
    say(f"== 2. All indicators for all settlements as of {day} from raw data: median of {runs} runs after a warm-up")
    settlement_ids = list(Settlement.objects.order_by("sort_order", "pk").values_list("pk", flat=True))
    ways = {"portal": indicators.values_as_of, "today": todays_values, "floor": bare_grouped_count}
    times = {way: [] for way in ways}
    differ = {}
    for run in range(runs + 1):
        order = list(ways) if run % 2 else list(reversed(ways))  # each first in turn: the same cache
        results = {}
        for way in order:
            seconds, results[way] = timed(ways[way], day)
            if run:
                times[way].append(seconds)
        if run == 0:
            for key, values in results["portal"].items():
                if filled(values, settlement_ids) != filled(results["today"][key], settlement_ids):
                    differ[key] = (results["portal"][key], results["today"][key])
            shown = results["portal"]
    with CaptureQueriesContext(connection) as queries:
        indicators.values_as_of(day)
    say(
        f"   portal: {len(indicators.all_indicators())} indicators in {len(indicators.all_groups())} groups, "
        f"{len(queries)} queries"
    )
    if not differ:
        say(f"   both formulations give the same figures for all {len(shown)} indicators and settlements")
    for key, values in shown.items():
        say(f"   {key:<42} county {sum(values.values()):>10,}")
    portal, today, floor = (statistics.median(times[way]) for way in ways)
    say(f"   runs (s): portal {fmt(times['portal'])}  today's {fmt(times['today'])}  floor {fmt(times['floor'])}")
    say(f"   portal {portal:6.2f} s   today's formulation {today:6.2f} s   bare grouped count {floor:6.2f} s")
    say(
        f"   RATIO today's / portal: {today / portal:5.1f}x (goal >= 10)   portal / floor: {portal / floor:4.1f}x "
        "(goal <= 5)"
    )
    return differ


def fmt(values) -> str:
    return "/".join(f"{value:.2f}" for value in values)


def explain_groups(day):
    """Each group's queries at this scale, with PostgreSQL's own execution time (EXPLAIN ANALYZE)."""
    say("   query by query (EXPLAIN ANALYZE):")
    for group in indicators.all_groups():
        with CaptureQueriesContext(connection) as queries:
            group.compute(day)
        for number, query in enumerate(queries.captured_queries, start=1):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
                plan = cursor.fetchone()[0][0]
            say(f"     {group.key:<36} query {number}: {plan['Execution Time']:9.1f} ms")


def bench_pages(office, day, runs):
    """The pages that show indicators, reading the snapshot, against the same request computing it live."""
    say(f"== 3. Pages reading the indicators' snapshot (as of {day}; the overview as of today): median of {runs}")
    client = registry.signed_in(office)
    fumin = Settlement.objects.get(code="fumin")
    meeting = Meeting.objects.filter(period=first_of_month(day)).first() or task_services.meeting_schedule(
        held_on=day, place=BENCH_MEETING_PLACE, actor=office
    )
    pages = [
        ("employment overview", reverse("employment:overview"), {"day": day}, day),
        ("settlement page (富民)", reverse("employment:settlement", args=[fumin.pk]), {"day": day}, day),
        ("overview", reverse("tasks:overview"), {}, timezone.localdate()),
        ("dispatch report download", reverse("tasks:meeting_report", args=[meeting.pk]), {}, day),
    ]
    for label, url, params, snapshot_day in pages:
        IndicatorSnapshot.objects.filter(day=snapshot_day).delete()
        live, response = timed(client.get, url, params)
        assert response.status_code == 200, (label, response.status_code)
        snapshot = []
        for _ in range(runs):
            seconds, response = timed(client.get, url, params)
            assert response.status_code == 200, (label, response.status_code)
            snapshot.append(seconds)
        median = statistics.median(snapshot)
        flag = "ok" if median <= 0.3 else "SLOW"
        say(
            f"   {label:<28} from the snapshot {median * 1000:7.0f} ms ({fmt(snapshot)} s)   computing live "
            f"{live:6.2f} s   {flag} (goal <= 300 ms)"
        )


def bench_zero_list(day, runs):
    """The first page of one settlement's zero-employment list, with reasons, from the labour snapshot (taken
    by the page section before)."""
    settlement = Settlement.objects.filter(code="fumin").first() or Settlement.objects.order_by("sort_order").first()
    households = Household.objects.filter(settlement=settlement)
    say(f"== 4. Zero-employment list of one settlement ({settlement.name}): the first page, with reasons")

    def first_page():
        listed = employment_selectors.zero_employment_list(day=day, households=households, settlement=settlement)
        page = Paginator(listed, 50).get_page(1)
        return page, labour.with_reasons(page.object_list, day)

    times = []
    for run in range(runs + 1):
        with CaptureQueriesContext(connection) as queries:
            seconds, (page, entries) = timed(first_page)
        if run:
            times.append(seconds)
    counts = labour.labour_counts(day, settlement_ids=[settlement.pk])[settlement.pk]
    assert page.paginator.count == counts.zero_employment_households, (page.paginator.count, counts)
    codes = [household.code for household in page.object_list]
    assert codes == sorted(codes) and set(counts.zero_employment) >= {household.pk for household in page.object_list}
    median = statistics.median(times)
    say(
        f"   {page.paginator.count:,} households of {counts.labour_households:,} with labour; first page of "
        f"{len(entries)} in {len(queries)} queries, median {median:.2f} s ({fmt(times)})  "
        f"{'ok' if median <= 1 else 'SLOW'} (goal <= 1 s)"
    )
    if entries:
        say(f"   e.g. {entries[0].household.code}: {entries[0].reason}")


def bench_ledger_page(office, day, runs):
    """The labour ledger's first page for the office (every settlement), paginated in the database."""
    client = registry.signed_in(office)
    times = []
    for run in range(runs + 1):
        seconds, response = timed(client.get, reverse("employment:ledger"), {"day": day})
        assert response.status_code == 200, response.status_code
        if run:
            times.append(seconds)
    say(f"   labour ledger, first page of all settlements: median {statistics.median(times):.2f} s ({fmt(times)})")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale-persons", type=int, default=registry.SCALE_PERSONS)
    parser.add_argument("--runs", type=int, default=4, help="timed runs after the warm-up (median)")
    parser.add_argument("--day", type=datetime.date.fromisoformat, default=DAY, help="day of the indicators")
    parser.add_argument("--keep", action="store_true", help="keep the generated data (for --reuse or inspection)")
    parser.add_argument("--reuse", action="store_true", help="measure the data a --keep run left")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE each indicator group's queries")
    options = parser.parse_args()
    if not connection.settings_dict["NAME"].endswith("_bench"):
        sys.exit("The benchmark empties its database: run it through scripts/bench --suite employment.")
    office, _ = registry.bench_users()
    say(f"Employment benchmark on PostgreSQL ({connection.settings_dict['NAME']}), {timezone.localdate()}")
    if options.reuse and Employment.objects.exists():
        say(f"== 1. Data: reusing {Person.objects.count():,} persons and {Employment.objects.count():,} jobs")
    else:
        build(options, office)
    data_shape(labour.labour_counts(DAY))
    differ = bench_indicators(options.day, options.runs)
    if options.explain:
        explain_groups(options.day)
    bench_pages(office, options.day, options.runs)
    bench_zero_list(options.day, options.runs)
    bench_ledger_page(office, options.day, options.runs)
    if not options.keep:
        empty_employment()
        registry.empty_registry()
    if differ:
        for key, (ours, theirs) in differ.items():
            say(f"FIGURES DIFFER for {key}: the portal {ours}, today's formulation {theirs}")
        sys.exit(1)


if __name__ == "__main__":
    main()
