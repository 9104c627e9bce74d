"""Writes of 社会保障: insurance enrolments, 低保 and the one-time relief. Each refuses an actor without
`keep_services` (PermissionDenied, nothing written), validates, writes and records history."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from settlements import audit, capabilities
from settlements.models import Household, Membership
from settlements.services import refuse_future, save_with_history

from .. import rules
from ..capabilities import KEEP_SERVICES
from ..models import CitizenCard, Dibao, DibaoBasis, DibaoKind, HukouTransfer, InsuranceEnrolment, OneTimeRelief
from .common import refuse_end_before_start, today

MSG_ENROLMENT_OVERLAP = "该人员的{scheme}在 {date} 已有参保记录（{start}起）：同一险种的参保期间不能重叠。"
MSG_BASIS_NEEDED = "纳入城市低保须选择依据：已落户安置地、办理居住证或持易地扶贫搬迁市民证。"
MSG_BASIS_FOR_RURAL = "农村低保不填写“纳入城市低保的依据”。"
MSG_NO_TRANSFERRED_MEMBER = (
    "以“已落户安置地”纳入城市低保，须有家庭成员在 {date} 或之前已迁入户籍：本户成员都没有登记这一日期或之前的户籍迁入。"
)
MSG_NO_CARD_MEMBER = (
    "以“持易地扶贫搬迁市民证”纳入城市低保，须有家庭成员在 {date} 或之前已领取市民证："
    "本户成员都没有登记这一日期或之前发放的市民证。"
)
MSG_DIBAO_OVERLAP = "该户在 {date} 已有低保记录（{kind}，{start}起）：同一户的低保期间不能重叠。"
MSG_RELIEF_TWICE = "该户已于 {date} 领取一次性临时救助：“十三五”期间每户限领一次。"
MSG_RELIEF_OUTSIDE = "一次性临时救助只在 {start} 至 {end} 期间发放：{date} 不在其内。"
MSG_NO_RULE = "{date} 没有生效的“{name}”规则数据，请领导小组办公室在管理后台“规则数据”中补充。"
MSG_AMOUNT_POSITIVE = "救助金额须大于 0。"


# --- insurance ------------------------------------------------------------------------------------------------


def overlapping(records, start: datetime.date, end: datetime.date | None):
    """The first of `records` whose period (end day included, none for open) shares a day with start–end."""
    return records.filter(start_date__lte=end or datetime.date.max).exclude(end_date__lt=start).first()


def _check_enrolment(enrolment: InsuranceEnrolment) -> None:
    refuse_end_before_start(enrolment.start_date, enrolment.end_date)
    same_scheme = InsuranceEnrolment.objects.filter(person_id=enrolment.person_id, scheme=enrolment.scheme)
    other = overlapping(same_scheme.exclude(pk=enrolment.pk), enrolment.start_date, enrolment.end_date)
    if other:
        day = max(other.start_date, enrolment.start_date).isoformat()
        scheme, start = enrolment.get_scheme_display(), other.start_date.isoformat()
        raise ValidationError({"start_date": MSG_ENROLMENT_OVERLAP.format(scheme=scheme, date=day, start=start)})


@audit.audited("insurance_enrolment.save", "保存参保记录", target="enrolment", result_is_target=False)
@transaction.atomic
def enrolment_save(*, enrolment: InsuranceEnrolment, actor) -> InsuranceEnrolment:
    """Record or correct a person's enrolment in one scheme for a period (the end day is the last day covered)."""
    capabilities.require(actor, KEEP_SERVICES)
    if enrolment.pk is None:
        enrolment.recorded_by = actor
    _check_enrolment(enrolment)
    return save_with_history(instance=enrolment, actor=actor, reason="登记参保")


# --- 低保 ---------------------------------------------------------------------------------------------------------


def members_on(household: Household, day: datetime.date):
    """The ids of the persons whose stay in `household` covers `day`."""
    stays = Membership.objects.filter(household=household, start_date__lte=day).exclude(end_date__lte=day)
    return stays.values("person_id")


def _check_basis(dibao: Dibao) -> None:
    if dibao.kind == DibaoKind.RURAL:
        if dibao.basis:
            raise ValidationError({"basis": MSG_BASIS_FOR_RURAL})
        return
    if not dibao.basis:
        raise ValidationError({"basis": MSG_BASIS_NEEDED})
    members, start = members_on(dibao.household, dibao.start_date), dibao.start_date
    backing = {
        DibaoBasis.HUKOU: (HukouTransfer.objects.filter(transferred_on__lte=start), MSG_NO_TRANSFERRED_MEMBER),
        DibaoBasis.CITIZEN_CARD: (CitizenCard.objects.filter(issued_on__lte=start), MSG_NO_CARD_MEMBER),
    }
    if dibao.basis in backing:
        records, message = backing[dibao.basis]
        if not records.filter(person_id__in=members).exists():
            raise ValidationError({"basis": message.format(date=start.isoformat())})
    # 居住证: the registry keeps no residence permits; the clerk's word is taken (see the README).


def _check_dibao_overlap(dibao: Dibao) -> None:
    others = Dibao.objects.filter(household_id=dibao.household_id).exclude(pk=dibao.pk)
    other = overlapping(others, dibao.start_date, dibao.end_date)
    if other:
        day = max(other.start_date, dibao.start_date).isoformat()
        kind, start = other.get_kind_display(), other.start_date.isoformat()
        raise ValidationError({"start_date": MSG_DIBAO_OVERLAP.format(date=day, kind=kind, start=start)})


@audit.audited("dibao.save", "保存低保记录", target="dibao", result_is_target=False)
@transaction.atomic
def dibao_save(*, dibao: Dibao, actor) -> Dibao:
    """Record or correct a household's 低保 for a period. Urban 低保 names its basis, which the registry must
    back by the start date: 落户 a member whose hukou was transferred, 市民证 a member holding a card."""
    capabilities.require(actor, KEEP_SERVICES)
    if dibao.pk is None:
        dibao.recorded_by = actor
    refuse_future(dibao.start_date, field="start_date", label="起始日期")
    refuse_end_before_start(dibao.start_date, dibao.end_date)
    _check_basis(dibao)
    _check_dibao_overlap(dibao)
    return save_with_history(instance=dibao, actor=actor, reason="登记低保")


# --- the one-time relief ----------------------------------------------------------------------------------------


def _relief_rule_for(day: datetime.date) -> rules.ReliefRule:
    """The rule in force on `day`, else (for the message) today's; a refusal when there is none."""
    rule = rules.relief_rule(day) or rules.relief_rule(today())
    if rule is None:
        raise ValidationError(
            {"granted_on": MSG_NO_RULE.format(date=day.isoformat(), name="一次性临时救助的期间和次数")}
        )
    return rule


@audit.audited("one_time_relief.grant", "登记一次性临时救助", target="household", result_is_target=False)
@transaction.atomic
def relief_grant(
    *, household: Household, granted_on: datetime.date, amount: Decimal, note: str = "", actor
) -> OneTimeRelief:
    """Record the one-time relief of a household: within the rule's period (十三五), at most once."""
    capabilities.require(actor, KEEP_SERVICES)
    refuse_future(granted_on, field="granted_on", label="发放日期")
    rule = _relief_rule_for(granted_on)
    if not rule.start <= granted_on <= rule.end:
        message = MSG_RELIEF_OUTSIDE.format(start=rule.start, end=rule.end, date=granted_on.isoformat())
        raise ValidationError({"granted_on": message})
    Household.objects.select_for_update().filter(pk=household.pk).first()  # one grant at a time per household
    earlier = OneTimeRelief.objects.filter(household=household).order_by("granted_on").first()
    if earlier is not None:
        raise ValidationError({"granted_on": MSG_RELIEF_TWICE.format(date=earlier.granted_on.isoformat())})
    if amount is None or amount <= 0:
        raise ValidationError({"amount": MSG_AMOUNT_POSITIVE})
    relief = OneTimeRelief(household=household, granted_on=granted_on, amount=amount, note=note, recorded_by=actor)
    return save_with_history(instance=relief, actor=actor, reason="登记一次性临时救助")
