"""Sessions and their settlements' residents, recorded through the services as the portal does it."""

import datetime

from culture.models import Session, SessionKind
from culture.services import session_save
from settlements.models import ResponsibleUnit, Settlement
from tests.factories import HouseholdFactory, add_member, registry_keeper

ORGANISER = "文体社区服务中心"


def moved_in(settlement="fumin", day=datetime.date(2019, 5, 1)):
    """A household of `settlement` moved in on `day` (the settlement owes sessions from that month)."""
    return HouseholdFactory(settlement=Settlement.objects.get(code=settlement), move_in_date=day)


def resident(settlement="fumin", name="杨明", birth=datetime.date(1980, 1, 1)):
    household = moved_in(settlement)
    return add_member(household, name=name, birth=birth)


def session(settlement, day, kind=SessionKind.GRATITUDE, *, actor=None, participants=(), photos=(), **fields):
    record = Session(
        settlement=Settlement.objects.get(code=settlement) if isinstance(settlement, str) else settlement,
        kind=kind,
        held_on=day,
        title=fields.pop("title", f"{SessionKind(kind).label}（{day:%Y年%m月}）"),
        venue_text=fields.pop("venue_text", "小区广场"),
        organiser=fields.pop("organiser", None) or ResponsibleUnit.objects.get(name=ORGANISER),
        participant_count=fields.pop("participant_count", 30),
        **fields,
    )
    return session_save(session=record, participants=participants, photos=photos, actor=actor or registry_keeper())
