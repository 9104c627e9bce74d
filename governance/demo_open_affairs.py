"""Demo open-affairs data for the embedded default, written through the services: the catalogue, each settlement's
notices over the last months (the assistance ones mirrored in an origin village the same day, except one posted in
the settlement only), meetings with the consultation before each decision (except one decision taken without),
a democratic evaluation this year, and the charter and compact in most settlements. Does nothing once the
catalogue holds an item, so it is safe to run twice."""

import datetime
from collections import Counter
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from settlements.dates import add_months, month_of
from settlements.models import Household, Settlement, User

from .models import (
    AffairCategory,
    CatalogueItem,
    DemocraticEvaluation,
    DocumentKind,
    EvaluationObject,
    Frequency,
    MeetingDecision,
    MeetingKind,
    Publication,
    ResidentsMeeting,
    SelfGovernanceDocument,
)
from .services import open_affairs as services

CATALOGUE_START = datetime.date(2019, 6, 1)
CATALOGUE = [
    (AffairCategory.PROCEDURES, "社区便民服务办事流程", Frequency.AS_NEEDED),
    (AffairCategory.PROGRESS, "后续扶持重点工作进度", Frequency.MONTHLY),
    (AffairCategory.EFFECTS, "帮扶政策执行效果", Frequency.QUARTERLY),
    (AffairCategory.FINANCES, "社区经费收支", Frequency.MONTHLY),
    (AffairCategory.ASSISTANCE, "社会救助和精准帮扶落实情况", Frequency.AS_NEEDED),
    (AffairCategory.PROPERTY_FEE, "物业管理费定价和收缴", Frequency.AS_NEEDED),
    (AffairCategory.UTILITIES, "水电费定价和收缴", Frequency.AS_NEEDED),
    (AffairCategory.NETWORK_TV, "网络电视费定价和收缴", Frequency.AS_NEEDED),
    (AffairCategory.GAS, "燃气费定价和收缴", Frequency.AS_NEEDED),
    (AffairCategory.FUNDED_PROJECT, "财政和东西部协作资助项目", Frequency.AS_NEEDED),
]
MONTHS = 4
UNMIRRORED = "tehe"  # its last assistance notice is posted in the settlement only
UNCONSULTED = "fenghuang"  # its last decision was taken without a consultation
WITHOUT_COMPACT = ("tehe", "fenghuang")  # the charter adopted, the compact not yet


@transaction.atomic
def seed_demo_open_affairs() -> dict[str, int]:
    if CatalogueItem.objects.exists():
        return {}
    office = User.objects.get(username="office")
    today = timezone.localdate()
    items = {category: _item(category, title, frequency, office) for category, title, frequency in CATALOGUE}
    made = Counter(catalogue=len(items))
    for settlement in Settlement.objects.order_by("sort_order"):
        if not Household.objects.filter(settlement=settlement).exclude(origin_village="").exists():
            continue
        made.update(_publications(settlement, items, office, today))
        made.update(_meetings(settlement, office, today))
        made.update(_evaluation_and_documents(settlement, office, today))
    return dict(made)


def _item(category, title, frequency, office) -> CatalogueItem:
    item = CatalogueItem(category=category, title=title, frequency=frequency, start_date=CATALOGUE_START)
    return services.catalogue_item_save(item=item, actor=office)


def _day_in(month: datetime.date, day: int, today: datetime.date) -> datetime.date:
    return min(month.replace(day=day), today)


def _publish(settlement, item, title, day, office, content) -> Publication:
    notice = Publication(settlement=settlement, item=item, title=title, published_on=day, content=content)
    return services.publication_save(publication=notice, actor=office)


def _publications(settlement, items, office, today) -> Counter:
    made = Counter()
    household = Household.objects.filter(settlement=settlement).exclude(origin_village="").order_by("code").first()
    for back in range(MONTHS - 1, -1, -1):
        month = add_months(month_of(today), -back)
        label = f"{month.year}年{month.month}月"
        _publish(
            settlement,
            items[AffairCategory.PROGRESS],
            f"{label}工作进度",
            _day_in(month, 5, today),
            office,
            "就业、培训、基础设施等工作进度。",
        )
        _publish(
            settlement,
            items[AffairCategory.FINANCES],
            f"{label}经费收支",
            _day_in(month, 8, today),
            office,
            "社区工作经费收支明细。",
        )
        made["publications"] += 2
        if back % 2:
            continue
        day = _day_in(month, 10, today)
        notice = _publish(
            settlement,
            items[AffairCategory.ASSISTANCE],
            f"{label}临时救助和低保发放情况",
            day,
            office,
            "救助对象、金额、依据。",
        )
        made["publications"] += 1
        if settlement.code == UNMIRRORED and back == 0:
            continue  # posted in the settlement only: the page flags it
        mirror = services.mirror_for(notice)
        mirror.origin_township, mirror.origin_village = household.origin_township, household.origin_village
        services.publication_save(publication=mirror, actor=office)
        made["mirrors"] += 1
    fee = items[AffairCategory.PROPERTY_FEE]
    _publish(settlement, fee, "物业管理费收费标准", _day_in(month_of(today), 3, today), office, "每平方米每月0.3元。")
    made["publications"] += 1
    return made


def _meeting(settlement, kind, day, topics, office, outcome="") -> ResidentsMeeting:
    meeting = ResidentsMeeting(
        settlement=settlement, kind=kind, held_on=day, topics=topics, participants=35, outcome=outcome
    )
    return services.meeting_save(meeting=meeting, actor=office)


def _meetings(settlement, office, today) -> Counter:
    consulted_on = today - datetime.timedelta(days=20)
    consultation = _meeting(
        settlement, MeetingKind.CONSULTATION, consulted_on, "小区停车位管理和收费", office, "多数居民赞成按月收费。"
    )
    decided = _meeting(
        settlement, MeetingKind.REPRESENTATIVES, consulted_on + datetime.timedelta(days=7), "停车位收费方案", office
    )
    decision = MeetingDecision(
        meeting=decided,
        matter="停车位收费标准",
        decision="每月每车位50元。",
        touches_interests=True,
        consultation=consultation,
    )
    services.decision_save(decision=decision, actor=office)
    made = Counter(meetings=2, decisions=1)
    if settlement.code == UNCONSULTED:
        cleanup = _meeting(
            settlement, MeetingKind.RESIDENTS, today - datetime.timedelta(days=3), "环境卫生义务劳动", office
        )
        decision = MeetingDecision(
            meeting=cleanup,
            matter="每户每月投劳一天清扫公共区域",
            decision="每月第一个周六集中清扫。",
            touches_interests=True,
        )
        services.decision_save(decision=decision, actor=office)
        made.update(meetings=1, decisions=1)
    return made


def _evaluation_and_documents(settlement, office, today) -> Counter:
    evaluation = DemocraticEvaluation(
        settlement=settlement,
        held_on=max(today - datetime.timedelta(days=30), today.replace(month=1, day=1)),
        evaluated=EvaluationObject.CADRES,
        organiser=f"{settlement.name}所属社区服务中心",
        participants=60,
        results="满意 54 人，基本满意 5 人，不满意 1 人。",
        satisfaction=Decimal("90.0"),
    )
    services.evaluation_save(evaluation=evaluation, actor=office)
    made = Counter(evaluations=1)
    kinds = (
        [DocumentKind.CHARTER] if settlement.code in WITHOUT_COMPACT else [DocumentKind.CHARTER, DocumentKind.COMPACT]
    )
    for kind in kinds:
        document = SelfGovernanceDocument(
            settlement=settlement,
            kind=kind,
            adopted_on=datetime.date(2019, 12, 20),
            adopted_by="居民会议",
            text="第一条 为推进居民自治，维护居民合法权益，制定本章程（公约）。",
        )
        services.document_save(document=document, actor=office)
        made["documents"] += 1
    return made
