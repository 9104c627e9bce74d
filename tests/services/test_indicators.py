"""The services' indicators: registered with the registry, equal live and read from a snapshot, as of a past day;
a correction marks the snapshot stale (the models are watched as dated facts)."""

import datetime

import pytest

from services import indicators
from services.models import DibaoBasis, DibaoKind
from settlements.models import Settlement
from tasks import indicators as registry
from tasks import snapshots
from tasks.models import IndicatorSnapshot

from . import factories as make

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = D(2026, 11, 26)


@pytest.fixture
def data(reference):
    """富民: one insured resident with a card, one uninsured overdue, an urban and a rural 低保 household, a
    relief; a posting and this month's service day. 卧龙: one uninsured resident."""
    insured_home, insured = make.resident("fumin", name="杨明")
    make.enrol(insured, D(2019, 5, 1))
    make.card(insured, D(2019, 6, 1))
    make.dibao(insured_home, D(2020, 1, 1), kind=DibaoKind.URBAN, basis=DibaoBasis.CITIZEN_CARD)
    make.relief(insured_home, D(2020, 6, 1))
    poor_home, _ = make.resident("fumin", name="吴英")
    make.dibao(poor_home, D(2020, 1, 1))
    make.resident("wolong", name="龙梅")
    make.posting("古州镇", "fumin", start=D(2026, 1, 1))
    make.service_day("fumin", D(2026, 11, 19))
    return {code: Settlement.objects.get(code=code).pk for code in ("fumin", "wolong")}


EXPECTED = {
    indicators.UNINSURED: {"fumin": 1, "wolong": 1},
    indicators.CARDS_OVERDUE: {"fumin": 1, "wolong": 1},
    indicators.CARDS_ISSUED: {"fumin": 1},
    indicators.DIBAO_URBAN: {"fumin": 1},
    indicators.DIBAO_RURAL: {"fumin": 1},
    indicators.RELIEF: {"fumin": 1},
    indicators.CADRES_POSTED: {"fumin": 1},
    indicators.SERVICE_DAYS: {"fumin": 1},
}


def test_every_indicator_counts_per_settlement_and_reads_the_same_from_its_snapshot(data):
    live = {key: registry.get(key).values_as_of(DAY) for key in EXPECTED}
    for key, expected in EXPECTED.items():
        assert live[key] == {data[code]: n for code, n in expected.items()}, key
    read = snapshots.read(DAY)
    for key in EXPECTED:
        assert {pk: n for pk, n in read.values[key].items() if n} == live[key], key
    groups = [group.key for group in registry.all_groups() if group.key.startswith("services.")]
    assert IndicatorSnapshot.objects.filter(day=DAY, group__startswith="services.").count() == len(groups) >= 4


def test_as_of_a_past_day_the_later_records_do_not_count(data):
    day = D(2019, 5, 31)  # moved in 2019-05-01, enrolled 2019-05-01; card and 低保 later
    assert registry.get(indicators.CARDS_ISSUED).values_as_of(day) == {}
    assert registry.get(indicators.DIBAO_URBAN).values_as_of(day) == {}
    assert registry.get(indicators.UNINSURED).values_as_of(day) == {data["fumin"]: 1, data["wolong"]: 1}
    assert registry.get(indicators.SERVICE_DAYS).values_as_of(D(2026, 12, 1)) == {}  # a new month


def test_a_record_entered_late_marks_the_days_snapshot_stale(data):
    snapshots.read(DAY)
    _, person = make.resident("wolong", name="石花")
    make.enrol(person, D(2020, 1, 1))
    stale = IndicatorSnapshot.objects.filter(day=DAY, group="services.residents", stale_since__isnull=False)
    assert stale.exists()


def test_the_indicators_name_what_they_read():
    for group in ("services.residents", "services.assistance", "services.outreach"):
        reads = registry.group(group).reads
        assert "settlements.DatedRule" in reads and "services.InsuranceEnrolment" in reads
        assert "settlements.Membership" in reads and "settlements.Household" in reads
