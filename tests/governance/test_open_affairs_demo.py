"""The open-affairs demo fills every record over the demo settlements, breaks A4-R12 and A4-R8 once each on
purpose, and is made once."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from governance import demo_open_affairs as demo
from governance.models import (
    CatalogueItem,
    DemocraticEvaluation,
    MeetingDecision,
    ResidentsMeeting,
    SelfGovernanceDocument,
)
from governance.selectors import open_affairs
from settlements import demo as registry_demo
from settlements.models import Settlement

pytestmark = pytest.mark.django_db


def test_the_demo_fills_every_record_flags_one_of_each_rule_and_is_made_once(reference):
    registry_demo.ensure_demo_users()
    registry_demo.seed_demo_households(8)
    made = demo.seed_demo_open_affairs()
    for model, key in (
        (CatalogueItem, "catalogue"),
        (ResidentsMeeting, "meetings"),
        (MeetingDecision, "decisions"),
        (DemocraticEvaluation, "evaluations"),
        (SelfGovernanceDocument, "documents"),
    ):
        assert made[key] == model.objects.count() > 0, key
    today = timezone.localdate()
    (unmirrored,) = open_affairs.unmirrored(day=today)
    assert unmirrored.record.settlement.code == demo.UNMIRRORED
    (unconsulted,) = open_affairs.unconsulted(day=today)
    assert unconsulted.record.meeting.settlement.code == demo.UNCONSULTED
    statuses = open_affairs.document_status(settlements=Settlement.objects.order_by("sort_order"), day=today)
    without = {status.settlement.code for status in statuses if status.in_force.get("compact") is None}
    assert set(demo.WITHOUT_COMPACT) <= without
    assert demo.seed_demo_open_affairs() == {}
    with pytest.raises(CommandError, match="DEBUG 已关闭"):
        call_command("seed_demo_governance", verbosity=0)
