"""Government service centres (政务服务中心, 附件4 三（五）): the four systems as the kind's standard, the section's
2019-05 deadline met by a township's centre serving several settlements, the settlement section, the demo."""

import datetime

import pytest
from django.urls import reverse

from governance import demo_service_centres
from governance.service_centres import SERVICE_CENTRE
from settlements import demo as registry_demo
from settlements import facilities, services
from settlements.models import Facility, FacilityKind, Settlement
from tasks.facility_deadlines import State, facility_deadlines

pytestmark = pytest.mark.django_db
D = datetime.date
SYSTEMS = {"first_responsible": True, "single_window": True, "full_agency": True, "service_pledge": True}


def centre(actor, name, codes, in_use_on, attributes):
    return services.facility_save(
        actor=actor,
        facility=Facility(name=name, in_use_on=in_use_on),
        kinds=[FacilityKind.objects.get(code=SERVICE_CENTRE)],
        settlements=list(Settlement.objects.filter(code__in=codes)),
        attributes=attributes,
    )


def test_a_centre_without_one_of_the_four_systems_fails_its_standard_naming_it(users):
    full = centre(users["office"], "古州镇政务服务中心", ["fumin"], D(2019, 5, 20), SYSTEMS)
    short = centre(
        users["office"], "定威乡政务服务中心", ["dingwei"], D(2019, 5, 20), {**SYSTEMS, "full_agency": False}
    )
    ((full_judgement,),) = [facilities.judge(full, D(2019, 5, 31))]
    ((short_judgement,),) = [facilities.judge(short, D(2019, 5, 31))]
    assert full_judgement.passed and "推行首问负责、一窗受理、全程代办、服务承诺等制度" in full_judgement.basis
    assert [condition.label for condition in short_judgement.failures] == ["全程代办制度"]
    assert facilities.judge(short, D(2019, 5, 19)) == []  # the standard holds from the plan's date


def test_the_deadline_is_each_settlements_and_one_township_centre_meets_it_for_several(plan, users):
    centre(users["office"], "古州镇政务服务中心", ["fumin", "wolong"], D(2019, 5, 31), SYSTEMS)
    centre(users["office"], "定威乡政务服务中心", ["dingwei"], D(2019, 6, 1), SYSTEMS)
    settlements = Settlement.objects.filter(code__in=["fumin", "wolong", "dingwei", "fengle"])
    rows = [
        row for row in facility_deadlines(settlements=settlements, day=D(2019, 6, 1)) if row.deadline.task.document == 4
    ]
    states = {row.settlement.code: row.kinds[0].state for row in rows}
    assert states == {"fumin": State.ON_TIME, "wolong": State.ON_TIME, "dingwei": State.LATE, "fengle": State.OVERDUE}
    assert "未要求每个安置点各建一个" in rows[0].deadline.reading


def test_the_settlement_page_names_the_centre_and_the_missing_system(client, users):
    short = {**SYSTEMS, "single_window": False}
    centre(users["office"], "古州镇政务服务中心", ["fumin"], D(2019, 5, 20), short)
    client.force_login(users["clerk_wenti"])
    fumin, fengle = (Settlement.objects.get(code=code) for code in ("fumin", "fengle"))
    text = client.get(reverse("governance:settlement", args=[fumin.pk]), {"day": "2020-01-01"}).content.decode()
    assert '古州镇政务服务中心</a>：已投入使用，<span class="text-danger">未建立一窗受理制度</span>' in text
    client.force_login(users["clerk_changba"])
    other = client.get(reverse("governance:settlement", args=[fengle.pk])).content.decode()
    assert "设施台账中没有服务本安置点的政务服务中心" in other


def test_the_demo_makes_a_passing_and_a_failing_centre_once(reference):
    registry_demo.ensure_demo_users()
    assert demo_service_centres.seed_demo_service_centres() == 2
    dingwei = Facility.objects.get(name="定威乡政务服务中心")
    (judgement,) = facilities.judge(dingwei, datetime.date.today())
    assert [condition.label for condition in judgement.failures] == ["全程代办制度"]
    assert demo_service_centres.seed_demo_service_centres() == 0
