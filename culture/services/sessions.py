"""Writes of the sessions: record or correct a session with the persons who took part and its photos, all in one
transaction (a photo refused refuses the session: nothing is stored)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from settlements import audit, capabilities
from settlements.models import Settlement
from settlements.photos.services import photos_add
from settlements.services import save_with_history

from ..capabilities import KEEP_CULTURE
from ..models import Session

MSG_OUT_OF_SCOPE = "安置点“{settlement}”不在您的管辖范围内，不能为它登记活动。"
MSG_IN_FUTURE = "活动日期 {date} 在今天之后：只能登记已经开展的活动。"
MSG_VENUE_ELSEWHERE = "活动场所“{venue}”不服务于{settlement}：请选择服务本安置点的设施，或把场所填在“其他场所”。"
MSG_NO_VENUE = "请选择活动场所（设施），或填写其他场所。"
MSG_PARTICIPANT_ELSEWHERE = "参加人员{names}不是{settlement}的居民（或不在您的管辖范围内）：请只选择本安置点的居民。"
MSG_FEWER_THAN_NAMED = "参加人数 {count} 少于登记的参加人员 {named} 人：请核对参加人数。"


@audit.audited("culture_session.save", "保存教育活动")
def session_save(*, session: Session, participants=(), photos=(), actor) -> Session:
    """Record or correct `session` (a settlement of the actor's, on a day not after today, at a facility
    serving the settlement or a venue named in text), the persons of the registry who took part (residents of
    its settlement in the actor's scope) and new photos: all checked, then all stored in one transaction."""
    capabilities.require(actor, KEEP_CULTURE)
    participants = list(participants)
    _check(session, participants, actor)
    created = session.pk is None
    try:
        with transaction.atomic():
            if created:
                session.recorded_by = actor
            save_with_history(instance=session, actor=actor, reason="登记教育活动")
            session.participants.set(participants)
            if photos:
                _add_photos(session, list(photos), actor)
    except BaseException:
        if created:  # rolled back: the form shows it again as the new session it still is
            session.pk = session.id = None
        raise
    return session


def _add_photos(session, files, actor):
    """The photo service's checks, each refusal named beside the form's photo field."""
    try:
        photos_add(owner=session, files=files, actor=actor)
    except ValidationError as error:
        raise ValidationError({"photos": error.messages}) from error


def _check(session: Session, participants, actor) -> None:
    settlement = session.settlement
    if not Settlement.objects.for_user(actor).filter(pk=session.settlement_id).exists():
        raise PermissionDenied(MSG_OUT_OF_SCOPE.format(settlement=settlement))
    if session.held_on and session.held_on > timezone.localdate():
        raise ValidationError({"held_on": MSG_IN_FUTURE.format(date=session.held_on.isoformat())})
    session.venue_text = (session.venue_text or "").strip()
    if session.venue_id is not None and not session.venue.settlements.filter(pk=settlement.pk).exists():
        raise ValidationError({"venue": MSG_VENUE_ELSEWHERE.format(venue=session.venue, settlement=settlement)})
    if session.venue_id is None and not session.venue_text:
        raise ValidationError({"venue": MSG_NO_VENUE})
    elsewhere = [person.name for person in participants if person.settlement_id != settlement.pk]
    if elsewhere:
        names = "、".join(f"“{name}”" for name in elsewhere)
        raise ValidationError({"participants": MSG_PARTICIPANT_ELSEWHERE.format(names=names, settlement=settlement)})
    if session.participant_count is not None and session.participant_count < len(participants):
        raise ValidationError(
            {"participant_count": MSG_FEWER_THAN_NAMED.format(count=session.participant_count, named=len(participants))}
        )
