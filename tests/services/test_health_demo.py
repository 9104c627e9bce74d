"""The demo health data fills the medical staff, the screening ledger and the contracts over the demo facilities and
households, breaks the clinic rules the brief names on purpose, and is made once."""

import pytest
from django.utils import timezone

from services import demo_health, health_rules
from services.models import FamilyDoctorContract, IllnessScreening, MedicalStaff, MonitoringEntry
from services.selectors import health
from settlements import demo as registry_demo
from settlements import demo_facilities

pytestmark = pytest.mark.django_db


def test_demo_health_fills_every_record_breaks_the_named_rules_and_is_made_once(reference):
    registry_demo.ensure_demo_users()
    registry_demo.seed_demo_households(8)
    demo_facilities.seed_demo_facilities()
    made = demo_health.seed_demo_health()
    for model, key in (
        (MedicalStaff, "staff"),
        (IllnessScreening, "screenings"),
        (MonitoringEntry, "monitoring"),
        (FamilyDoctorContract, "contracts"),
    ):
        assert made[key] == model.objects.count() > 0, key
    today = timezone.localdate()
    rows = {row.facility.name: row for row in health.clinic_staffing(health.health_facilities(), today)}
    failing = {name: sorted(check.code for check in row.failures) for name, row in rows.items() if row.judged}
    assert failing == {
        "富民小区卫生室": [],
        "文体社区卫生服务中心": [health_rules.CLINIC_DOCTORS, health_rules.CLINIC_WESTERN_CHINESE],
        "丰乐社区卫生室": [health_rules.CLINIC_WESTERN_CHINESE],
        "凤凰小区卫生室": ["designated", health_rules.CLINIC_WOMAN_DOCTOR],
    }
    assert not rows["定威乡卫生院"].judged and rows["定威乡卫生院"].staff
    screened, unscreened = health.screening_counts(today)
    assert sum(screened.values()) > sum(unscreened.values()) > 0
    signed, unsigned = health.contract_counts(today)
    assert sum(signed.values()) > sum(unsigned.values()) > 0
    assert demo_health.seed_demo_health() == {}
