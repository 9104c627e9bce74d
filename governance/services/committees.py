"""Writes of the committees and the street office: the application's four steps, a committee and its settlements,
its establishment steps, its members and those of its supervision committee, and the mass organisations. Each
refuses an actor without `keep_governance` (PermissionDenied, nothing written), validates, writes and records
history."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from settlements import audit, capabilities, dated_facts
from settlements.models import Settlement
from settlements.services import refuse_future, save_with_history

from ..capabilities import KEEP_GOVERNANCE
from ..models import (
    Committee,
    CommitteeMember,
    CommitteeStep,
    CommitteeStepKind,
    MassOrganisation,
    Role,
    StreetOffice,
    StreetOfficeStep,
    StreetOfficeStepKind,
)

MSG_STEP_MISSING = "尚未登记上一步“{previous}”：须按“{order}”的顺序逐步登记。"
MSG_STEP_BEFORE = (
    "“{step}”的完成日期 {date} 早于上一步“{previous}”的完成日期 {previous_date}：步骤须按“{order}”的顺序进行。"
)
MSG_STEP_AFTER_NEXT = "“{step}”的完成日期 {date} 晚于下一步“{following}”的完成日期 {following_date}。"
MSG_NO_SETTLEMENTS = "请至少选择一个安置点。"
MSG_SETTLEMENT_OUTSIDE = "安置点“{name}”不在您的管辖范围内。"
MSG_SETTLEMENT_TAKEN = "安置点“{name}”已属于居委会“{committee}”：一个安置点只属于一个居委会。"
MSG_PERSON_OR_NAME = "请填写户籍台账中的人员（身份证号），或填写下派干部的姓名。"
MSG_PERSON_ELSEWHERE = "{name}不是本居委会所辖安置点的人员（在{settlement}）。"
MSG_TERM_BEFORE = "任期止不能早于任期起（{date}）。"
MSG_TWO_DIRECTORS = "{body}在 {date} 已有主任{name}（{start}起）：同一时间只能有一名主任。"
MSG_ELECTED_WITHOUT_ELECTION = "选举产生的成员须注明是哪次选举；委派的成员不填选举。"
MSG_FOUNDED_TWICE = "{settlement}的{kind}已登记（{date}成立）：如有变化，请修改原记录。"


# --- steps in their printed order (A4-W1, A4-W2) -------------------------------------------------------------------


def check_step_order(*, done: dict[int, datetime.date], step: int, done_on: datetime.date, kinds) -> None:
    """Refuse a step recorded before the one it follows has been, or dated before it (or after the next one).
    `done` maps the steps already recorded (other than `step`) to their dates; `kinds` is their IntegerChoices."""
    order = " → ".join(label for _, label in kinds.choices)
    label = kinds(step).label
    earlier = [number for number in kinds.values if number < step]
    if earlier:
        previous = max(earlier)
        if previous not in done:
            raise ValidationError({"step": MSG_STEP_MISSING.format(previous=kinds(previous).label, order=order)})
        if done_on < done[previous]:
            message = MSG_STEP_BEFORE.format(
                step=label,
                date=done_on.isoformat(),
                previous=kinds(previous).label,
                previous_date=done[previous].isoformat(),
                order=order,
            )
            raise ValidationError({"done_on": message})
    later = sorted(number for number in done if number > step)
    if later and done_on > done[later[0]]:
        following = later[0]
        message = MSG_STEP_AFTER_NEXT.format(
            step=label, date=done_on.isoformat(), following=kinds(following).label, following_date=done[following]
        )
        raise ValidationError({"done_on": message})


def _record_step(record, siblings, kinds, actor, reason):
    refuse_future(record.done_on, field="done_on", label="完成日期")
    done = dict(siblings.exclude(step=record.step).values_list("step", "done_on"))
    check_step_order(done=done, step=record.step, done_on=record.done_on, kinds=kinds)
    existing = siblings.filter(step=record.step).first()
    if existing is not None and record.pk is None:  # a correction of the step already recorded
        record.pk, record._state.adding = existing.pk, False
    record.recorded_by = actor
    return save_with_history(instance=record, actor=actor, reason=reason)


# --- the street office -----------------------------------------------------------------------------------------


def _check_settlements(settlements, actor) -> list[Settlement]:
    chosen = list(settlements)
    if not chosen:
        raise ValidationError({"settlements": MSG_NO_SETTLEMENTS})
    mine = set(Settlement.objects.for_user(actor).values_list("pk", flat=True))
    for settlement in chosen:
        if settlement.pk not in mine:
            raise ValidationError({"settlements": MSG_SETTLEMENT_OUTSIDE.format(name=settlement.name)})
    return chosen


@audit.audited("street_office.save", "保存街道办事处", target="office", result_is_target=False)
@transaction.atomic
def street_office_save(*, office: StreetOffice, settlements, actor) -> StreetOffice:
    capabilities.require(actor, KEEP_GOVERNANCE)
    chosen = _check_settlements(settlements, actor)
    office.name = office.name.strip()
    save_with_history(instance=office, actor=actor, reason="登记街道办事处")
    office.settlements.set(chosen)
    return office


@audit.audited("street_office_step.record", "登记街道办事处申报步骤", target="office")
@transaction.atomic
def street_office_step_record(*, office: StreetOffice, step: StreetOfficeStep, actor) -> StreetOfficeStep:
    """Record (or correct) one of the application's four steps, in the printed order."""
    capabilities.require(actor, KEEP_GOVERNANCE)
    step.office = office
    siblings = StreetOfficeStep.objects.filter(office=office)
    return _record_step(step, siblings, StreetOfficeStepKind, actor, "登记街道办事处申报步骤")


# --- committees -----------------------------------------------------------------------------------------------------


def _refuse_taken(committee: Committee, settlements) -> None:
    for settlement in settlements:
        other = Committee.objects.filter(settlements=settlement).exclude(pk=committee.pk).first()
        if other is not None:
            raise ValidationError(
                {"settlements": MSG_SETTLEMENT_TAKEN.format(name=settlement.name, committee=other.name)}
            )


@audit.audited("committee.save", "保存居委会", target="committee", result_is_target=False)
@transaction.atomic
def committee_save(*, committee: Committee, settlements, actor) -> Committee:
    """Record or correct a committee and the settlements it serves (each settlement in one committee)."""
    capabilities.require(actor, KEEP_GOVERNANCE)
    chosen = _check_settlements(settlements, actor)
    _refuse_taken(committee, chosen)
    committee.name = committee.name.strip()
    refuse_future(committee.established_on, field="established_on", label="成立日期")
    save_with_history(instance=committee, actor=actor, reason="登记居委会")
    committee.settlements.set(chosen)
    dated_facts.announce(Committee, dated_facts.EVERY_DAY)  # its settlements are not dated: every day's figures
    return committee


@audit.audited("committee_step.record", "登记居委会成立步骤", target="committee")
@transaction.atomic
def committee_step_record(*, committee: Committee, step: CommitteeStep, actor) -> CommitteeStep:
    """Record (or correct) one of the establishment steps: 制定方案 → 县政府常务会议审定 → 县委常委会议审批 →
    县人民政府行文批复 → 组织实施, in that order."""
    capabilities.require(actor, KEEP_GOVERNANCE)
    step.committee = committee
    siblings = CommitteeStep.objects.filter(committee=committee)
    return _record_step(step, siblings, CommitteeStepKind, actor, "登记居委会成立步骤")


# --- members ------------------------------------------------------------------------------------------------------


def _check_person(member: CommitteeMember) -> None:
    if member.person_id is None:
        member.name = member.name.strip()
        if not member.name:
            raise ValidationError({"name": MSG_PERSON_OR_NAME})
        return
    person = member.person
    member.name = person.name
    if not member.committee.settlements.filter(pk=person.settlement_id).exists():
        raise ValidationError(
            {"person": MSG_PERSON_ELSEWHERE.format(name=person.name, settlement=person.settlement.name)}
        )


def _refuse_two_directors(member: CommitteeMember) -> None:
    if member.role != Role.DIRECTOR:
        return
    others = CommitteeMember.objects.filter(committee=member.committee, body=member.body, role=Role.DIRECTOR)
    others = others.exclude(pk=member.pk).filter(term_from__lte=member.term_to or datetime.date.max)
    for other in others:
        if other.term_to is None or other.term_to >= member.term_from:
            day = max(other.term_from, member.term_from).isoformat()
            body = member.get_body_display()
            raise ValidationError(
                {
                    "role": MSG_TWO_DIRECTORS.format(
                        body=body, date=day, name=other.name, start=other.term_from.isoformat()
                    )
                }
            )


@audit.audited("committee_member.save", "保存居委会成员", target="member", result_is_target=False)
@transaction.atomic
def member_save(*, member: CommitteeMember, actor) -> CommitteeMember:
    """Record or correct a member of a committee or of its supervision committee, for a term."""
    capabilities.require(actor, KEEP_GOVERNANCE)
    _check_person(member)
    refuse_future(member.term_from, field="term_from", label="任期起")
    if member.term_to is not None and member.term_to < member.term_from:
        raise ValidationError({"term_to": MSG_TERM_BEFORE.format(date=member.term_from.isoformat())})
    if (member.came_by == "elected") != (member.election_id is not None):
        raise ValidationError({"came_by": MSG_ELECTED_WITHOUT_ELECTION})
    _refuse_two_directors(member)
    if member.pk is None:
        member.recorded_by = actor
    return save_with_history(instance=member, actor=actor, reason="登记居委会成员")


# --- mass organisations ---------------------------------------------------------------------------------------------


@audit.audited("mass_organisation.save", "保存群团组织", target="organisation", result_is_target=False)
@transaction.atomic
def mass_organisation_save(*, organisation: MassOrganisation, actor) -> MassOrganisation:
    """Record or correct the founding of a settlement's 工会, 共青团 or 妇联 (one of each per settlement)."""
    capabilities.require(actor, KEEP_GOVERNANCE)
    earlier = MassOrganisation.objects.filter(settlement=organisation.settlement, kind=organisation.kind)
    earlier = earlier.exclude(pk=organisation.pk).first()
    if earlier is not None:
        message = MSG_FOUNDED_TWICE.format(
            settlement=earlier.settlement.name, kind=earlier.get_kind_display(), date=earlier.founded_on.isoformat()
        )
        raise ValidationError({"kind": message})
    refuse_future(organisation.founded_on, field="founded_on", label="成立日期")
    if organisation.pk is None:
        organisation.recorded_by = actor
    return save_with_history(instance=organisation, actor=actor, reason="登记群团组织")
