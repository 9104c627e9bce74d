"""Writes of the open affairs: the office's catalogue, publications (in the community, and the assistance's mirror
in the origin village), meetings and their decisions, democratic evaluations and the self-governance documents.
Each refuses an actor without `keep_governance` (PermissionDenied, nothing written) and a settlement outside the
actor's scope, validates, writes and records who made the change. The rules' breaches (an assistance notice not
mirrored the same day, a decision without an earlier consultation) are recorded as facts and flagged by the
selectors, not refused: a county would rather keep the record and see the breach than lose the record."""

from django.core.exceptions import ValidationError
from django.db import transaction

from settlements import audit, capabilities
from settlements.models import Household, Settlement
from settlements.services import refuse_future, save_with_history

from .. import open_affairs_rules as rules
from ..capabilities import KEEP_GOVERNANCE
from ..models import (
    CatalogueItem,
    DemocraticEvaluation,
    EvaluationObject,
    MeetingDecision,
    MeetingKind,
    Place,
    Publication,
    ResidentsMeeting,
    SelfGovernanceDocument,
)

MSG_END_BEFORE_START = "停用日期不能早于启用日期（{date}）。"
MSG_CATALOGUE_OFFICE = "公开目录由县领导小组办公室维护：您的角色不能修改公开目录。"
MSG_OUT_OF_SCOPE = "所选安置点不在您的管辖范围内。"
MSG_ITEM_NOT_IN_USE = "公开事项“{item}”在 {date} 未启用（启用 {start}{end}）：请选择当时在用的公开事项或核对公开日期。"
MSG_MIRROR_REQUIRED = "在迁出村公开的，须选择它对应的安置点社区公开。"
MSG_MIRROR_NOT_COMMUNITY = "对应的公开须是在安置点社区的公开。"
MSG_MIRROR_CATEGORY = "只有{categories}类的公开需要在迁出村同步公开：“{title}”属于“{category}”。"
MSG_VILLAGE_REQUIRED = "在迁出村公开的，须填写迁出乡镇和迁出村。"
MSG_UNKNOWN_VILLAGE = (
    "户籍台账中{settlement}没有迁出地为“{township}{village}”的搬迁户：请按户籍台账的写法填写迁出乡镇和迁出村。"
)
MSG_NO_MIRROR_RULE = "{date} 没有生效的“社会救助和精准帮扶同步公开”规则数据，请在管理后台“规则数据”中补充。"
MSG_NOT_A_CONSULTATION = "事先协商的会议须是居民协商议事会议：所选会议是{kind}。"
MSG_CONSULTATION_ELSEWHERE = "事先协商的会议须是本安置点（{settlement}）的会议。"
MSG_CONSULTATION_ITSELF = "事先协商的会议不能是作出本决定的会议本身。"
MSG_UNIT_NAME_REQUIRED = "评议对象为“其他单位”时，须填写被评议的单位。"


def _require_keeper(actor, settlement: Settlement) -> None:
    """The actor keeps the ledger, for a settlement of theirs."""
    capabilities.require(actor, KEEP_GOVERNANCE)
    if not Settlement.objects.for_user(actor).filter(pk=settlement.pk).exists():
        raise ValidationError({"settlement": MSG_OUT_OF_SCOPE})


def _save(record, actor, reason):
    if record.pk is None:
        record.recorded_by = actor
    return save_with_history(instance=record, actor=actor, reason=reason)


# --- the catalogue ----------------------------------------------------------------------------------------------


def may_keep_catalogue(user) -> bool:
    return capabilities.has(user, KEEP_GOVERNANCE) and capabilities.has(user, capabilities.SEE_ALL_SETTLEMENTS)


@audit.audited("open_affairs.catalogue_save", "保存公开目录事项", target="item", result_is_target=False)
@transaction.atomic
def catalogue_item_save(*, item: CatalogueItem, actor) -> CatalogueItem:
    """Add or correct an item of the catalogue (the office's: it applies to every settlement)."""
    capabilities.require(actor, KEEP_GOVERNANCE)
    capabilities.require(actor, capabilities.SEE_ALL_SETTLEMENTS, MSG_CATALOGUE_OFFICE)
    item.title = item.title.strip()
    if item.end_date is not None and item.end_date < item.start_date:
        raise ValidationError({"end_date": MSG_END_BEFORE_START.format(date=item.start_date.isoformat())})
    return save_with_history(instance=item, actor=actor, reason="保存公开目录")


# --- publications -----------------------------------------------------------------------------------------------


def _check_item_in_use(publication: Publication) -> None:
    item, day = publication.item, publication.published_on
    if day < item.start_date or (item.end_date is not None and day > item.end_date):
        end = f"，停用 {item.end_date:%Y-%m-%d}" if item.end_date else ""
        start = f"{item.start_date:%Y-%m-%d}"
        raise ValidationError(
            {"published_on": MSG_ITEM_NOT_IN_USE.format(item=item.title, date=day.isoformat(), start=start, end=end)}
        )


def _check_mirror(publication: Publication) -> None:
    """An origin-village notice mirrors a community notice of a category the rule in force names, and names a
    village the settlement's households come from (as the registry writes it)."""
    mirrored = publication.mirror_of
    if mirrored is None:
        raise ValidationError({"mirror_of": MSG_MIRROR_REQUIRED})
    if mirrored.place != Place.COMMUNITY:
        raise ValidationError({"mirror_of": MSG_MIRROR_NOT_COMMUNITY})
    params = rules.params_on(rules.ASSISTANCE_MIRROR, mirrored.published_on)
    if params is None:
        raise ValidationError({"mirror_of": MSG_NO_MIRROR_RULE.format(date=mirrored.published_on.isoformat())})
    if mirrored.item.category not in params["categories"]:
        names = "、".join(f"“{CatalogueItem(category=c).get_category_display()}”" for c in params["categories"])
        category = mirrored.item.get_category_display()
        message = MSG_MIRROR_CATEGORY.format(categories=names, title=mirrored.title, category=category)
        raise ValidationError({"mirror_of": message})
    publication.settlement, publication.item = mirrored.settlement, mirrored.item
    publication.origin_township = publication.origin_township.strip()
    publication.origin_village = publication.origin_village.strip()
    township, village = publication.origin_township, publication.origin_village
    if not township or not village:
        raise ValidationError({"origin_village": MSG_VILLAGE_REQUIRED})
    households = Household.objects.filter(
        settlement=publication.settlement, origin_township=township, origin_village=village
    )
    if not households.exists():
        message = MSG_UNKNOWN_VILLAGE.format(settlement=publication.settlement.name, township=township, village=village)
        raise ValidationError({"origin_village": message})


@audit.audited("open_affairs.publication_save", "保存居务公开", target="publication", result_is_target=False)
@transaction.atomic
def publication_save(*, publication: Publication, actor) -> Publication:
    """Record or correct a notice: in the settlement's community, or in an origin village as the mirror of the
    community's notice of assistance (then its settlement and item are the community notice's). A mirror on
    another day is recorded and flagged (A4-R12), not refused."""
    capabilities.require(actor, KEEP_GOVERNANCE)
    if publication.place == Place.ORIGIN_VILLAGE:
        _check_mirror(publication)
    else:
        publication.mirror_of, publication.origin_township, publication.origin_village = None, "", ""
    _require_keeper(actor, publication.settlement)
    refuse_future(publication.published_on, field="published_on", label="公开日期")
    _check_item_in_use(publication)
    publication.title = publication.title.strip()
    return _save(publication, actor, "登记居务公开")


def mirror_for(publication: Publication) -> Publication:
    """A new origin-village notice mirroring `publication`, dated the same day (the form's start)."""
    return Publication(
        settlement=publication.settlement,
        item=publication.item,
        title=publication.title,
        published_on=publication.published_on,
        place=Place.ORIGIN_VILLAGE,
        mirror_of=publication,
        content=publication.content,
    )


# --- meetings and decisions ------------------------------------------------------------------------------------


@audit.audited("open_affairs.meeting_save", "保存居民会议", target="meeting", result_is_target=False)
@transaction.atomic
def meeting_save(*, meeting: ResidentsMeeting, actor) -> ResidentsMeeting:
    """Record or correct a residents' meeting, representatives' meeting or consultation meeting."""
    _require_keeper(actor, meeting.settlement)
    refuse_future(meeting.held_on, field="held_on", label="召开日期")
    return _save(meeting, actor, "登记会议")


def _check_consultation(decision: MeetingDecision) -> None:
    consultation, meeting = decision.consultation, decision.meeting
    if consultation is None:
        return
    if consultation.pk == meeting.pk:
        raise ValidationError({"consultation": MSG_CONSULTATION_ITSELF})
    if consultation.kind != MeetingKind.CONSULTATION:
        raise ValidationError({"consultation": MSG_NOT_A_CONSULTATION.format(kind=consultation.get_kind_display())})
    if consultation.settlement_id != meeting.settlement_id:
        raise ValidationError({"consultation": MSG_CONSULTATION_ELSEWHERE.format(settlement=meeting.settlement.name)})


@audit.audited("open_affairs.decision_save", "保存会议决定", target="decision", result_is_target=False)
@transaction.atomic
def decision_save(*, decision: MeetingDecision, actor) -> MeetingDecision:
    """Record or correct a meeting's decision. The consultation it names is a consultation meeting of the same
    settlement; one held the same day or later, or none for a matter touching the residents' interests, is
    recorded and flagged (A4-R8: `selectors.open_affairs.decision_breach`), not refused."""
    _require_keeper(actor, decision.meeting.settlement)
    _check_consultation(decision)
    decision.matter = decision.matter.strip()
    return _save(decision, actor, "登记会议决定")


# --- evaluations and documents --------------------------------------------------------------------------------


@audit.audited("open_affairs.evaluation_save", "保存民主评议", target="evaluation", result_is_target=False)
@transaction.atomic
def evaluation_save(*, evaluation: DemocraticEvaluation, actor) -> DemocraticEvaluation:
    _require_keeper(actor, evaluation.settlement)
    refuse_future(evaluation.held_on, field="held_on", label="评议日期")
    evaluation.evaluated_name = evaluation.evaluated_name.strip()
    if evaluation.evaluated == EvaluationObject.UNIT and not evaluation.evaluated_name:
        raise ValidationError({"evaluated_name": MSG_UNIT_NAME_REQUIRED})
    return _save(evaluation, actor, "登记民主评议")


@audit.audited("open_affairs.document_save", "保存居民自治章程或居民公约", target="document", result_is_target=False)
@transaction.atomic
def document_save(*, document: SelfGovernanceDocument, actor) -> SelfGovernanceDocument:
    _require_keeper(actor, document.settlement)
    refuse_future(document.adopted_on, field="adopted_on", label="通过日期")
    return _save(document, actor, "登记居民自治章程或居民公约")
