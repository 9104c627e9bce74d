"""The demo data fills every record of the services over the demo households, breaks some rules on purpose, and
is made once."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from services import demo
from services.models import (
    CadrePosting,
    CitizenCard,
    Dibao,
    HukouTransfer,
    InsuranceEnrolment,
    OneTimeRelief,
    ServiceDay,
)
from services.selectors import hukou, outreach, social_security
from settlements import demo as registry_demo
from settlements.models import Settlement

pytestmark = pytest.mark.django_db


def test_demo_services_fill_every_record_with_some_rules_broken_and_are_made_once(reference):
    registry_demo.ensure_demo_users()
    registry_demo.seed_demo_households(8)
    made = demo.seed_demo_services()
    for model, key in (
        (InsuranceEnrolment, "enrolments"),
        (HukouTransfer, "transfers"),
        (CitizenCard, "cards"),
        (Dibao, "dibao"),
        (OneTimeRelief, "reliefs"),
        (CadrePosting, "postings"),
        (ServiceDay, "service_days"),
    ):
        assert made[key] == model.objects.count() > 0, key
    today = timezone.localdate()
    assert sum(social_security.uninsured_counts(today).values()) > 0
    assert social_security.medical_gaps(schemes=["resident_medical"]).exists()
    assert sum(hukou.overdue_counts(today).values()) > 0
    records = outreach.service_day_records(day=today, settlements=Settlement.objects.filter(code__in=["tehe", "fumin"]))
    assert [len(record.missed) for record in records] == [0, 2]  # 富民 first, 特和 without its last two months
    assert demo.seed_demo_services() == {}
    with pytest.raises(CommandError, match="DEBUG 已关闭"):
        call_command("seed_demo_services", verbosity=0)
