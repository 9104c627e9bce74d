"""The demo sessions fill the calendars over the demo households and facilities, with months missed on purpose
(red cells), this month held at some settlements only (grey elsewhere), photos on the latest; made once."""

import pytest
from django.utils import timezone

from culture import demo_sessions
from culture.models import Session, SessionKind
from culture.selectors import sessions as selectors
from settlements import demo as registry_demo
from settlements import demo_facilities
from settlements.dates import add_months, month_of
from settlements.models import Photo, Settlement

pytestmark = pytest.mark.django_db


def test_demo_sessions_fill_the_calendars_with_months_missed_and_are_made_once(reference, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    registry_demo.ensure_demo_users()
    registry_demo.seed_demo_households(3)
    demo_facilities.seed_demo_facilities()
    made = demo_sessions.seed_demo_sessions()
    assert sum(made.values()) == Session.objects.count() > 0
    assert len(set(Session.objects.values_list("kind", flat=True))) > 2
    assert Session.objects.filter(venue__isnull=False).exists() and Photo.objects.exists()
    today = timezone.localdate()
    records = {
        record.settlement.code: record
        for record in selectors.session_records(day=today, settlements=Settlement.objects.all())
    }
    assert records["fumin"].any_missed is False
    two_back = add_months(month_of(today), -2)
    assert two_back in records["tehe"].missed[SessionKind.GRATITUDE]
    assert len(records["tehe"].missed[SessionKind.LITERACY]) == 2
    held_now = {code for code, record in records.items() if record.this_month[SessionKind.GRATITUDE]}
    assert held_now and held_now != set(records)  # green at some settlements, grey at the others
    assert demo_sessions.seed_demo_sessions() == {}
