"""The health indicators per settlement as of a day: clinics meeting every rule and their medical workers (the 文体
centre counting for each settlement it serves), the seriously-ill poor screened and not, the households with a
valid family-doctor contract; the plan's target of 2 medical workers tied to its indicator; a staff change
entered late marks the snapshot stale."""

import datetime

import pytest
from django.core.management import call_command

from services import health_indicators as keys
from settlements.models import Health, Person, Settlement
from tasks import indicators as registry
from tasks import snapshots
from tasks.models import IndicatorSnapshot, Target

from . import factories as make
from . import health_factories as build

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = D(2020, 6, 1)


@pytest.fixture
def data(reference):
    """富民: a clinic meeting every rule (a man and a woman doctor, both trained), a screened and an unscreened
    seriously-ill poor resident, one household of two with a contract. The 文体 centre (卧龙、阳光、特和): one
    untrained worker."""
    fumin = build.clinic(("fumin",))
    build.staff(fumin, "龙医生")
    build.staff(fumin, "吴医生", woman=True)
    centre = build.clinic(("wolong", "yangguang", "tehe"), name="文体社区卫生服务中心", kind="community_health_centre")
    build.staff(centre, "杨医生", trained=None)
    screened_home, screened = make.resident("fumin", name="杨明")
    _, unscreened = make.resident("fumin", name="吴英")
    Person.objects.filter(pk__in=[screened.pk, unscreened.pk]).update(health=Health.SERIOUS)
    build.screening(screened, D(2020, 3, 1))
    build.contract(screened_home, D(2020, 1, 1), D(2020, 12, 31))
    return {settlement.code: settlement.pk for settlement in Settlement.objects.all()}


def test_every_health_indicator_counts_per_settlement_and_reads_the_same_from_its_snapshot(data):
    expected = {
        keys.CLINICS_PASSING: {"fumin": 1, "wolong": 0, "yangguang": 0, "tehe": 0},
        keys.MEDICAL_WORKERS: {"fumin": 2, "wolong": 1, "yangguang": 1, "tehe": 1},
        keys.SCREENED: {"fumin": 1},
        keys.UNSCREENED: {"fumin": 1},
        keys.CONTRACTED: {"fumin": 1},
    }
    read = snapshots.read(DAY)
    for key, values in expected.items():
        live = registry.get(key).values_as_of(DAY)
        assert live == {data[code]: n for code, n in values.items()}, key
        assert {pk: n for pk, n in read.values[key].items() if n} == {pk: n for pk, n in live.items() if n}, key


def test_as_of_a_day_before_the_screening_and_the_contract_nobody_counts_as_covered(data):
    assert registry.get(keys.SCREENED).values_as_of(D(2020, 2, 29)) == {data["fumin"]: 0}
    assert registry.get(keys.UNSCREENED).values_as_of(D(2020, 2, 29)) == {data["fumin"]: 2}
    assert registry.get(keys.CONTRACTED).values_as_of(D(2021, 1, 1)) == {data["fumin"]: 0}


def test_a_training_entered_late_marks_the_days_snapshot_stale(data):
    snapshots.read(DAY)
    worker = build.staff(build.clinic(("fengle",)), "潘医生", start=D(2020, 1, 1))
    assert worker.pk
    stale = IndicatorSnapshot.objects.filter(day=DAY, group="services.clinics", stale_since__isnull=False)
    assert stale.exists()


def test_the_plans_target_of_two_medical_workers_is_tied_to_the_indicator(reference):
    call_command("load_plan", verbosity=0)
    target = Target.objects.get(label="每个安置点卫生室配备医务人员")
    assert (target.value, target.indicator_key) == (2, keys.MEDICAL_WORKERS)
    assert registry.get(target.indicator_key).label == "安置点卫生室在岗医务人员"
