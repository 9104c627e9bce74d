"""The indicators' dated snapshots: computed once per group, the same as live, stale after a back-dated change
and computed again by the job, taken by the nightly job once however often and late it runs."""

import datetime

import pytest
from django.core.cache import cache
from django.db.models import Count

from employment import labour
from employment import selectors as employment_selectors
from employment.services import employment_end
from settlements import dated_facts, selectors
from settlements.models import Household, Membership
from settlements.services import household_move_out, household_split, person_leave, person_update
from tasks import indicators, snapshots
from tasks import tasks as jobs
from tasks.models import IndicatorHousehold, IndicatorSnapshot
from tests.conftest import wait_until
from tests.employment.factories import D, family
from tests.employment.subsidy_factories import job
from tests.factories import make_id_number

LABOUR = "employment.labour"
RESIDENTS = "settlements.residents"
MOVED_IN = D(2026, 3, 1)
JOB_START = D(2025, 1, 1)
JOB_END = D(2026, 6, 1)


@pytest.fixture
def world(clerk):
    """Two households in 富民: one since 2019 whose worker leaves on JOB_END, one moving in on MOVED_IN."""
    _, (worker,) = family("fumin")
    employment = job(worker, JOB_START, clerk)
    employment_end(employment=employment, end_date=JOB_END, reason="quit", actor=clerk)
    newcomer, _ = family("fumin", moved_in=MOVED_IN)
    return {"worker": worker, "job": employment, "newcomer": newcomer}


@pytest.fixture
def clerk(make_user):
    from settlements.roles import Role

    return make_user(Role.CLERK, "文体社区服务中心")


def live(day):
    return {key: {pk: v for pk, v in values.items() if v} for key, values in indicators.values_as_of(day).items()}


def stored(day):
    read = snapshots.read(day)
    return {key: {pk: v for pk, v in values.items() if v} for key, values in read.values.items()}


def snapshot(day, group) -> IndicatorSnapshot:
    return IndicatorSnapshot.objects.get(day=day, group=group)


# --- set-based groups -----------------------------------------------------------------------------------------


def test_a_group_computes_its_shared_population_once_for_all_its_indicators(world, monkeypatch):
    calls = {"labour": 0, "residents": 0}
    real_labour, real_residents = labour.labour_counts, selectors.resident_figures

    def counting_labour(*args, **kwargs):
        calls["labour"] += 1
        return real_labour(*args, **kwargs)

    def counting_residents(**kwargs):
        calls["residents"] += 1
        return real_residents(**kwargs)

    monkeypatch.setattr(labour, "labour_counts", counting_labour)
    monkeypatch.setattr(selectors, "resident_figures", counting_residents)
    values = indicators.values_as_of(D(2026, 11, 21))

    assert calls == {"labour": 1, "residents": 1}  # three labour indicators, three registry ones
    assert set(values) == {indicator.key for indicator in indicators.all_indicators()}


def test_the_set_based_labour_counts_match_the_per_person_formulation(world, clerk):
    family("wolong", members=[(D(1985, 1, 1), "head"), (D(2008, 5, 1), "son")])
    day = D(2026, 11, 21)
    rule = labour.rule_on(day)
    stays = labour.with_work(labour.labour_stays(day, rule), day, rule)
    by_exists = {}
    for stay in stays.select_related("household"):
        counts = by_exists.setdefault(stay.household.settlement_id, {"households": set(), "employed": set()})
        counts["households"].add(stay.household_id)
        if stay.employed:
            counts["employed"].add(stay.household_id)

    counts = labour.labour_counts(day)

    assert {pk: (c.labour_households, sorted(c.zero_employment)) for pk, c in counts.items()} == {
        pk: (len(c["households"]), sorted(c["households"] - c["employed"])) for pk, c in by_exists.items()
    }
    assert sum(len(c.zero_employment) for c in counts.values()) == 3  # 卧龙's; 富民's newcomer and worker


def test_those_who_moved_in_are_counted_once_however_many_stays_they_had(world, clerk):
    household, (head, son) = family("fumin", members=[(D(1970, 1, 1), "head"), (D(1998, 1, 1), "son")])
    household_split(actor=clerk, household=household, date=D(2026, 5, 1), relations={son: "head"}, code="FM-SPLIT")
    person_leave(actor=clerk, person=head, date=D(2026, 6, 1), reason="death")
    fumin = head.settlement_id
    day = D(2026, 7, 1)

    figures = selectors.resident_figures(day=day)

    assert son.memberships.count() == 2
    assert figures.moved_in_persons[fumin] == 4  # the worker, the newcomer, the late head and his son
    assert figures.persons[fumin] == 3
    distinct = Membership.objects.filter(start_date__lte=day, household__move_in_date__lte=day)
    distinct = distinct.values("household__settlement_id").annotate(n=Count("person_id", distinct=True))
    assert figures.moved_in_persons == {row["household__settlement_id"]: row["n"] for row in distinct}


# --- snapshots ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [MOVED_IN - datetime.timedelta(days=1), MOVED_IN, JOB_END - datetime.timedelta(days=1), JOB_END],
    ids=["before the move-in", "the move-in", "the day before the job ends", "the job's end"],
)
def test_a_snapshot_gives_the_live_figures_either_side_of_a_move_in_and_a_jobs_end(world, day):
    assert stored(day) == live(day)


def test_either_side_of_the_job_end_the_figures_differ(world):
    """The parametrised test above is worth something only if the days it compares do differ."""
    before, after = stored(JOB_END - datetime.timedelta(days=1)), stored(JOB_END)
    fumin = world["worker"].settlement_id
    assert before["employment.one_employed_households"][fumin] == 1
    assert fumin not in after["employment.one_employed_households"]
    assert stored(MOVED_IN - datetime.timedelta(days=1))["settlements.households"][fumin] == 1
    assert stored(MOVED_IN)["settlements.households"][fumin] == 2


def test_a_day_without_a_snapshot_is_computed_once_and_then_read(world):
    day = D(2026, 11, 21)
    first = snapshots.read(day)
    again = snapshots.read(day)

    groups = {group.key for group in indicators.all_groups()}
    assert set(IndicatorSnapshot.objects.filter(day=day).values_list("group", flat=True)) == groups
    assert set(IndicatorSnapshot.objects.filter(day=day).values_list("computations", flat=True)) == {1}
    assert again.values == first.values and again.computed_at == first.computed_at and not again.stale


# --- staleness --------------------------------------------------------------------------------------------------


@pytest.fixture
def snapshotted(world):
    """Snapshots of every group on three days: before, on and after 2026-04-01."""
    days = [D(2026, 3, 15), D(2026, 4, 1), D(2026, 5, 15)]
    for day in days:
        snapshots.read(day)
    return days


@pytest.fixture
def queued(monkeypatch, eager_jobs):
    """The recomputation jobs queued, instead of sent to a broker; the jobs run here when called (eagerly)."""
    sent = []
    monkeypatch.setattr(jobs.refresh_stale_snapshots, "apply_async", lambda *args, **kwargs: sent.append(kwargs))
    cache.delete(snapshots.REFRESH_QUEUED)
    return sent


def stale_groups(day):
    return set(IndicatorSnapshot.objects.filter(day=day, stale_since__isnull=False).values_list("group", flat=True))


def test_a_back_dated_job_end_marks_the_labour_snapshots_from_that_day_and_the_job_restores_them(
    world, clerk, snapshotted, queued, django_capture_on_commit_callbacks
):
    before, on, after = snapshotted
    _, (worker,) = family("fengle")
    employment = job(worker, JOB_START, clerk)  # a new household, and its job since 2025: every day is stale
    jobs.refresh_stale_snapshots.apply()  # the snapshots know them now
    assert not IndicatorSnapshot.objects.filter(stale_since__isnull=False).exists()
    old = stored(after)["employment.one_employed_households"][worker.settlement_id]

    with django_capture_on_commit_callbacks(execute=True):
        employment_end(employment=employment, end_date=on, reason="quit", actor=clerk)  # entered late

    assert stale_groups(before) == set()
    assert LABOUR in stale_groups(on) and LABOUR in stale_groups(after)
    assert RESIDENTS not in stale_groups(on)  # the registry's figures do not read jobs
    assert len(queued) == 1
    assert snapshots.read(after).stale  # the page says so, with the old figures and their time
    assert stored(after)["employment.one_employed_households"][worker.settlement_id] == old

    jobs.refresh_stale_snapshots.apply()  # the job, run in this process

    assert stale_groups(on) == stale_groups(after) == set()
    assert stored(after) == live(after)
    assert worker.settlement_id not in stored(after)["employment.one_employed_households"]
    assert snapshot(after, LABOUR).computations == 3  # taken, retaken with the job, recomputed once
    assert snapshot(before, LABOUR).computations == 2


def test_the_zero_employment_list_is_the_snapshots_and_follows_a_correction_once_recomputed(
    world, clerk, snapshotted, queued, django_capture_on_commit_callbacks
):
    _, on, after = snapshotted
    _, (worker,) = family("fengle")
    employment = job(worker, JOB_START, clerk)
    jobs.refresh_stale_snapshots.apply()

    def listed():
        return list(employment_selectors.zero_employment_list(day=after))

    assert listed() == [world["newcomer"]]  # moved in on MOVED_IN, nobody in work
    with django_capture_on_commit_callbacks(execute=True):
        employment_end(employment=employment, end_date=on, reason="quit", actor=clerk)  # entered late
    assert listed() == [world["newcomer"]]  # the list of the snapshot, as computed, until the job

    jobs.refresh_stale_snapshots.apply()

    assert listed() == sorted([world["newcomer"], worker.household], key=lambda household: household.code)
    kept = IndicatorHousehold.objects.filter(snapshot=snapshot(after, LABOUR))
    assert kept.count() == sum(stored(after)["employment.zero_employment_households"].values()) == 2
    fengle = Household.objects.filter(settlement_id=worker.settlement_id)
    assert list(employment_selectors.zero_employment_list(day=after, households=fengle)) == [worker.household]


def test_a_back_dated_move_out_marks_the_registry_and_the_labour_figures(world, clerk, snapshotted, queued):
    before, on, after = snapshotted
    household_move_out(actor=clerk, household=world["worker"].household, date=on, reason="返迁")

    assert stale_groups(before) == set()
    assert {RESIDENTS, LABOUR} <= stale_groups(on)
    jobs.refresh_stale_snapshots.apply()
    assert stored(after) == live(after) and stored(before) == live(before)


def test_a_change_that_no_figure_reads_marks_nothing(world, clerk, snapshotted, queued):
    person_update(actor=clerk, person=world["worker"], phone="13900001111")

    assert not IndicatorSnapshot.objects.filter(stale_since__isnull=False).exists()


def test_a_corrected_birth_date_marks_from_the_persons_first_stay(world, clerk, snapshotted, queued):
    corrected = make_id_number(D(1950, 1, 1))  # the birth date comes with the ID number: no longer of labour age
    person_update(actor=clerk, person=world["worker"], id_number=corrected)

    assert LABOUR in stale_groups(snapshotted[0])  # the worker has lived here since 2019


def test_an_import_announces_from_the_earliest_start_in_its_file(snapshotted, queued, monkeypatch):
    from employment.importing import EmploymentLedgerImporter
    from settlements.imports.checking import CheckResult, LedgerRow

    importer = EmploymentLedgerImporter()
    result = CheckResult(importer=importer, today=D(2026, 11, 21))
    result.rows = [
        LedgerRow("就业台账", n, {}, values={"start_date": day}) for n, day in ((4, D(2026, 5, 1)), (5, D(2026, 4, 1)))
    ]
    result.rows.append(LedgerRow("就业台账", 6, {}, values={"start_date": "2026-13-01"}))  # a wrong cell, not a date

    assert importer.earliest_day(result) == D(2026, 4, 1)
    dated_facts.announce(importer.dated_models[0], importer.earliest_day(result))
    assert stale_groups(snapshotted[0]) == set() and LABOUR in stale_groups(snapshotted[1])


# --- the nightly job through a real worker ---------------------------------------------------------------------


def test_the_nightly_job_run_twice_and_a_day_late_writes_each_snapshot_once(world, celery_worker_queue):
    groups = len(indicators.all_groups())
    for day in ("2026-11-20", "2026-11-20", "2026-11-21"):  # a duplicate beat, then the next night's, late
        jobs.take_snapshots.apply_async(args=[day], queue=celery_worker_queue)

    def all_taken():
        return IndicatorSnapshot.objects.filter(computations__gt=0).count() == 3 * groups

    assert wait_until(all_taken, timeout=90)
    # every fanned-out task has run once the queue is idle: wait for the last few, then count computations
    assert not wait_until(lambda: IndicatorSnapshot.objects.filter(computations__gt=1).exists(), timeout=5)
    days = set(IndicatorSnapshot.objects.values_list("day", flat=True))
    assert days == {D(2026, 11, 19), D(2026, 11, 20), D(2026, 11, 21)}
    assert set(IndicatorSnapshot.objects.values_list("computations", flat=True)) == {1}
    assert stored(D(2026, 11, 20)) == live(D(2026, 11, 20))
