"""The plan's facility deadlines against the facilities in use (annex 1 tasks 1, 5, 9 and 11)."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from settlements import services
from settlements.models import Facility, FacilityKind, Settlement
from tasks.facility_deadlines import State, facility_deadlines
from tasks.models import Deadline

D = datetime.date
SIX_ONES = "“六个一”服务工程设施"


def build(actor, name, codes, settlement_codes, in_use_on):
    return services.facility_save(
        actor=actor,
        facility=Facility(name=name, in_use_on=in_use_on),
        kinds=list(FacilityKind.objects.filter(code__in=codes)),
        settlements=list(Settlement.objects.filter(code__in=settlement_codes)),
        attributes={},
    )


def row(code, label, day):
    settlement = Settlement.objects.get(code=code)
    rows = facility_deadlines(settlements=[settlement], day=day)
    (found,) = [r for r in rows if r.deadline.label == label and r.deadline.task.document == 1]
    return found


@pytest.mark.django_db
def test_the_plan_ties_its_facility_deadlines_to_kinds_and_loading_it_again_changes_nothing(plan):
    six = Deadline.objects.get(task__document=1, label=SIX_ONES, settlement__code="fumin")
    assert six.due_on == D(2019, 6, 30) and six.facility_kinds.count() == 6
    coops = Deadline.objects.get(task__document=1, label__startswith="物业管理合作社")
    assert coops.settlement is None and "每个安置点" in coops.reading
    call_command("load_plan", verbosity=0)
    assert Deadline.objects.count() == 133  # kindergartens 2, clinics 1 + 3, "六个一" 7, markets 7, coops 1, station 1,
    # culture's: 乡愁馆 2 (master 14, annex 3 五), public culture facilities 2 (master 12, annex 3 三); and
    # governance's government service centre 1 (annex 4 三（五）):
    assert Deadline.objects.filter(facility_kinds__isnull=False).distinct().count() == 27


@pytest.mark.django_db
def test_six_ones_in_use_on_the_deadline_is_on_time_the_day_after_late_and_missing_overdue(plan, users):
    office = users["office"]
    all_six = [kind.code for kind in FacilityKind.objects.filter(group="六个一")]
    build(office, "富民综合楼", all_six[:5], ["fumin"], D(2019, 6, 30))
    assert not row("fumin", SIX_ONES, D(2019, 6, 30)).met  # the shop is missing
    assert row("fumin", SIX_ONES, D(2019, 6, 29)).kinds[0].state == State.PENDING
    build(office, "富民平价超市", all_six[5:], ["fumin"], D(2019, 7, 1))
    progress = row("fumin", SIX_ONES, D(2019, 7, 1))
    assert progress.met and not progress.on_time
    assert [kind.state for kind in progress.kinds] == [State.ON_TIME] * 5 + [State.LATE]
    assert row("wolong", SIX_ONES, D(2019, 7, 1)).kinds[0].state == State.OVERDUE


@pytest.mark.django_db
def test_a_county_wide_deadline_applies_to_each_settlement_and_one_centre_serves_three(plan, users):
    office = users["office"]
    build(office, "文体社区卫生服务中心", ["community_health_centre"], ["wolong", "yangguang", "tehe"], D(2019, 6, 30))
    label = "文体社区卫生服务中心建成（与卧龙、阳光、特和小区卫生室合置办公）"
    assert all(row(code, label, D(2019, 7, 1)).on_time for code in ("wolong", "yangguang", "tehe"))
    build(office, "富民物业合作社", ["property_coop"], ["fumin"], D(2019, 5, 31))
    coop = "物业管理合作社或公司（7个安置点）"
    assert row("fumin", coop, D(2019, 6, 1)).on_time and not row("fengle", coop, D(2019, 6, 1)).met


@pytest.mark.django_db
def test_the_page_shows_the_clerks_settlements_only(plan, users, client):
    build(users["office"], "富民农贸市场", ["farmers_market"], ["fumin"], D(2019, 5, 31))
    client.force_login(users["clerk_changba"])
    page = client.get(reverse("tasks:facility_deadlines"), {"day": "2019-06-01"}).content.decode()
    assert "丰乐" in page and "富民" not in page and "逾期未建成" in page
    client.force_login(users["clerk_wenti"])
    page = client.get(reverse("tasks:facility_deadlines"), {"day": "2019-06-01"}).content.decode()
    assert "富民农贸市场" in page and "按时建成" in page
