"""Writes to the employment ledger. Each service refuses an actor without `keep_employment` (PermissionDenied,
nothing written), validates, writes and records who made the change.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from settlements import audit, capabilities
from settlements.models import Person
from settlements.services import save_with_history

from .capabilities import KEEP_EMPLOYMENT
from .models import (
    Employer,
    Employment,
    EmploymentEnd,
    EmploymentKind,
    FollowUpVisit,
    JobOffer,
    JobPost,
    JobPush,
    LabourCondition,
    LabourProfile,
    TrainingRecord,
    Unemployment,
)

MSG_START_IN_FUTURE = "上岗日期不能晚于今天。"
MSG_OVERLAP = "该人员在 {date} 已有在岗记录（{job}），请先登记原工作的离岗。"
MSG_END_BEFORE_START = "离岗日期不能早于上岗日期（{date}）。"
MSG_ALREADY_ENDED = "该就业记录已登记离岗。"
MSG_END_REASON = "请选择离岗原因。"
MSG_WORKSHOP_NEEDED = "就业类型为扶贫车间或基地时，请选择车间或基地。"
MSG_POST_NEEDED = "就业类型为公益性岗位时，请选择岗位。"
MSG_POST_TAKEN = "该公益性岗位在 {date} 已由 {name} 在岗。"
MSG_EMPLOYER_NEEDED = "请填写用工单位。"
MSG_TRAINING_DATES = "结业日期不能早于开班日期。"
MSG_CONDITION_DATES = "结束日期不能早于起始日期。"
MSG_PUSH_IN_FUTURE = "活动日期不能晚于今天。"
MSG_NO_PERSONS = "请至少选择一名推送对象。"


def _today():
    return timezone.localdate()


# --- employment and unemployment ------------------------------------------------------------------------------


def _check_employment(employment: Employment):
    if employment.start_date > _today():
        raise ValidationError({"start_date": MSG_START_IN_FUTURE})
    if employment.kind == EmploymentKind.WORKSHOP and not employment.workshop_id:
        raise ValidationError({"workshop": MSG_WORKSHOP_NEEDED})
    if employment.kind == EmploymentKind.WELFARE_POST and not employment.welfare_post_id:
        raise ValidationError({"welfare_post": MSG_POST_NEEDED})
    needs_employer = employment.kind not in (EmploymentKind.SELF_EMPLOYED, EmploymentKind.FLEXIBLE)
    if needs_employer and not (employment.employer_id or employment.employer_name.strip()):
        raise ValidationError({"employer": MSG_EMPLOYER_NEEDED})
    current = Employment.objects.filter(person=employment.person, end_date__isnull=True).exclude(pk=employment.pk)
    overlapping = current.filter(start_date__lte=employment.start_date).first()
    if overlapping and employment.kind != EmploymentKind.FLEXIBLE and overlapping.kind != EmploymentKind.FLEXIBLE:
        raise ValidationError(
            {"start_date": MSG_OVERLAP.format(date=employment.start_date, job=overlapping.employer_label)}
        )
    if employment.welfare_post_id:
        holder = (
            Employment.objects.active_on(employment.start_date)
            .filter(welfare_post_id=employment.welfare_post_id)
            .exclude(pk=employment.pk)
            .select_related("person")
            .first()
        )
        if holder:
            raise ValidationError(
                {"welfare_post": MSG_POST_TAKEN.format(date=employment.start_date, name=holder.person.name)}
            )


@audit.audited("employment.start", "登记就业", target="person")
@transaction.atomic
def employment_start(*, person: Person, actor, **fields) -> Employment:
    """Record a job; it closes the person's open unemployment registration (再就业)."""
    capabilities.require(actor, KEEP_EMPLOYMENT)
    employment = Employment(person=person, recorded_by=actor, **fields)
    _check_employment(employment)
    save_with_history(instance=employment, actor=actor, reason="登记就业")
    for open_spell in Unemployment.objects.filter(person=person, ended_on__isnull=True):
        open_spell.ended_on = max(employment.start_date, open_spell.registered_on)
        save_with_history(instance=open_spell, actor=actor, reason="实现再就业")
    return employment


@audit.audited("employment.end", "登记离岗", target="employment", result_is_target=False)
@transaction.atomic
def employment_end(
    *, employment: Employment, end_date: datetime.date, reason: str, actor, helper=None
) -> Unemployment | None:
    """Record that a job ended. A lost job registers unemployment and opens one-to-one follow-up."""
    capabilities.require(actor, KEEP_EMPLOYMENT)
    employment = Employment.objects.select_for_update().get(pk=employment.pk)
    if employment.end_date:
        raise ValidationError(MSG_ALREADY_ENDED)
    if end_date < employment.start_date:
        raise ValidationError({"end_date": MSG_END_BEFORE_START.format(date=employment.start_date)})
    if end_date > _today():
        raise ValidationError({"end_date": "离岗日期不能晚于今天。"})
    if reason not in EmploymentEnd.values:
        raise ValidationError({"end_reason": MSG_END_REASON})
    employment.end_date = end_date
    employment.end_reason = reason
    save_with_history(instance=employment, actor=actor, reason="登记离岗")
    if reason not in (EmploymentEnd.LOST, EmploymentEnd.CONTRACT_ENDED, EmploymentEnd.QUIT):
        return None
    spell = Unemployment(
        person=employment.person, lost_employment=employment, registered_on=end_date, helper=helper or actor
    )
    return save_with_history(instance=spell, actor=actor, reason="失业登记")


@audit.audited("follow_up_visit.create", "记录失业人员帮扶回访", target="unemployment")
def follow_up_record(*, unemployment: Unemployment, visited_on: datetime.date, note: str, actor) -> FollowUpVisit:
    capabilities.require(actor, KEEP_EMPLOYMENT)
    visit = FollowUpVisit(unemployment=unemployment, visited_on=visited_on, note=note.strip(), by=actor)
    visit.full_clean()
    visit.save()
    return visit


# --- the ledger's own facts ------------------------------------------------------------------------------------


@audit.audited("labour_profile.save", "更新劳动力信息", target="person")
def profile_save(*, person: Person, actor, **fields) -> LabourProfile:
    capabilities.require(actor, KEEP_EMPLOYMENT)
    profile, _ = LabourProfile.objects.get_or_create(person=person)
    for name, value in fields.items():
        setattr(profile, name, value)
    return save_with_history(instance=profile, actor=actor, reason="更新劳动力信息")


@audit.audited("labour_condition.create", "登记劳动力特殊情形", target="person")
def condition_record(*, person: Person, kind: str, start_date, end_date=None, note="", actor) -> LabourCondition:
    capabilities.require(actor, KEEP_EMPLOYMENT)
    if end_date and end_date < start_date:
        raise ValidationError({"end_date": MSG_CONDITION_DATES})
    condition = LabourCondition(person=person, kind=kind, start_date=start_date, end_date=end_date, note=note)
    return save_with_history(instance=condition, actor=actor, reason="登记劳动力特殊情形")


@audit.audited("training_record.create", "登记培训", target="person")
def training_record(*, person: Person, actor, **fields) -> TrainingRecord:
    capabilities.require(actor, KEEP_EMPLOYMENT)
    training = TrainingRecord(person=person, recorded_by=actor, **fields)
    if training.end_date < training.start_date:
        raise ValidationError({"end_date": MSG_TRAINING_DATES})
    return save_with_history(instance=training, actor=actor, reason="登记培训")


# --- posts and pushes ----------------------------------------------------------------------------------------


@audit.audited("employer.save", "更新用工单位", target="employer")
def employer_save(*, employer: Employer, actor) -> Employer:
    capabilities.require(actor, KEEP_EMPLOYMENT)
    return save_with_history(instance=employer, actor=actor, reason="更新用工单位")


@audit.audited("job_post.save", "更新岗位信息", target="post")
def job_post_save(*, post: JobPost, actor) -> JobPost:
    capabilities.require(actor, KEEP_EMPLOYMENT)
    return save_with_history(instance=post, actor=actor, reason="更新岗位信息")


@audit.audited("job_push.create", "登记岗位推送")
@transaction.atomic
def job_push_record(*, settlement, held_on, title, offers: dict[Person, list[JobPost]], note="", actor) -> JobPush:
    """A push activity at a settlement, with who was offered which posts."""
    capabilities.require(actor, KEEP_EMPLOYMENT)
    if held_on > _today():
        raise ValidationError({"held_on": MSG_PUSH_IN_FUTURE})
    if not offers:
        raise ValidationError({"persons": MSG_NO_PERSONS})
    push = save_with_history(
        instance=JobPush(settlement=settlement, held_on=held_on, title=title, note=note, recorded_by=actor),
        actor=actor,
        reason="岗位推送",
    )
    posts = {post.pk: post for person_posts in offers.values() for post in person_posts}
    push.posts.set(posts.values())
    JobOffer.objects.bulk_create(
        [
            JobOffer(person=person, post=post, push=push, offered_on=held_on, recorded_by=actor)
            for person, person_posts in offers.items()
            for post in person_posts
        ],
        ignore_conflicts=True,
    )
    return push


@audit.audited("job_offer.create", "登记岗位推送对象", target="person")
def job_offer_record(*, person: Person, post: JobPost, offered_on, actor) -> JobOffer:
    capabilities.require(actor, KEEP_EMPLOYMENT)
    offer, _ = JobOffer.objects.get_or_create(
        person=person, post=post, offered_on=offered_on, defaults={"recorded_by": actor}
    )
    return offer
