"""Builders for the open-affairs tests: records written through the services."""

import datetime

from governance.models import (
    AffairCategory,
    CatalogueItem,
    DemocraticEvaluation,
    DocumentKind,
    EvaluationObject,
    Frequency,
    MeetingDecision,
    MeetingKind,
    Place,
    Publication,
    ResidentsMeeting,
    SelfGovernanceDocument,
)
from governance.services import open_affairs as services
from settlements.models import Settlement
from tests.factories import HouseholdFactory, registry_keeper

D = datetime.date
STARTED = D(2019, 6, 1)


def settlement(code):
    return Settlement.objects.get(code=code) if isinstance(code, str) else code


def item(category=AffairCategory.ASSISTANCE, title=None, frequency=Frequency.AS_NEEDED, start=STARTED, actor=None):
    title = title or f"{AffairCategory(category).label}情况"
    existing = CatalogueItem.objects.filter(category=category, title=title).first()
    if existing:
        return existing
    made = CatalogueItem(category=category, title=title, frequency=frequency, start_date=start)
    return services.catalogue_item_save(item=made, actor=actor or registry_keeper())


def village_household(code="fumin", township="古州镇", village="华优村"):
    """A household of `code` from `village`, so a notice may be mirrored there."""
    return HouseholdFactory(settlement=settlement(code), origin_township=township, origin_village=village)


def publish(code, day, category=AffairCategory.ASSISTANCE, title="2026年临时救助发放名单", of=None, actor=None):
    """A community notice of the catalogue item `of` (by default the category's first)."""
    notice = Publication(
        settlement=settlement(code),
        item=of or item(category),
        title=title,
        published_on=day,
        content="救助对象及金额。",
    )
    return services.publication_save(publication=notice, actor=actor or registry_keeper())


def mirror(publication, day=None, township="古州镇", village="华优村", actor=None):
    notice = services.mirror_for(publication)
    notice.published_on = day or publication.published_on
    notice.origin_township, notice.origin_village = township, village
    return services.publication_save(publication=notice, actor=actor or registry_keeper())


def meeting(code, day, kind=MeetingKind.REPRESENTATIVES, topics="小区停车位收费方案", actor=None):
    made = ResidentsMeeting(settlement=settlement(code), kind=kind, held_on=day, topics=topics, participants=30)
    return services.meeting_save(meeting=made, actor=actor or registry_keeper())


def decide(at, matter="停车位收费标准", touches=True, consultation=None, actor=None):
    made = MeetingDecision(
        meeting=at, matter=matter, decision="按每月50元收取。", touches_interests=touches, consultation=consultation
    )
    return services.decision_save(decision=made, actor=actor or registry_keeper())


def evaluate(code, day, evaluated=EvaluationObject.CADRES, satisfaction=None, actor=None):
    made = DemocraticEvaluation(
        settlement=settlement(code),
        held_on=day,
        evaluated=evaluated,
        organiser="文体社区服务中心",
        participants=45,
        results="满意 40 人，基本满意 5 人。",
        satisfaction=satisfaction,
    )
    return services.evaluation_save(evaluation=made, actor=actor or registry_keeper())


def document(code, day, kind=DocumentKind.CHARTER, actor=None):
    made = SelfGovernanceDocument(settlement=settlement(code), kind=kind, adopted_on=day, text="第一条 ……")
    return services.document_save(document=made, actor=actor or registry_keeper())


__all__ = ["Place"]
