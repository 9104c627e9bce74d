"""Writes of 公共教育: catchments (the office's), a child's enrolments and their end, the 控辍保学 visits after a
dropout, and student aid. Each refuses an actor without its capability (PermissionDenied, nothing written),
validates, writes and records history."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from settlements import audit, capabilities
from settlements.models import Facility, Household, Person
from settlements.services import refuse_future, save_with_history

from .. import schooling_rules
from ..capabilities import KEEP_CATCHMENTS, KEEP_SERVICES
from ..models import (
    STAGE_OF_LEVEL,
    Catchment,
    DropoutVisit,
    EndReason,
    SchoolEnrolment,
    SchoolLevel,
    Stage,
    StudentAid,
)
from ..models.schooling import school_year_label
from .outreach import MSG_UNKNOWN_TOWNSHIP
from .social_security import MSG_NO_RULE, overlapping

MSG_NOT_A_SCHOOL = "“{name}”不是学校或幼儿园：请选择设施类型为幼儿园、小学、初中或高中的设施。"
MSG_WRONG_LEVEL = "“{name}”不是{level}（它登记的类型为：{kinds}）。"
MSG_LEVEL_NEEDED = "“{name}”设有{levels}，请选择学段。"
MSG_PLACE_NEEDED = "请选择安置点，或填写迁出乡镇（按迁出乡镇安排的初中）。"
MSG_PLACE_BOTH = "安置点和迁出乡镇只能填写一项：按安置点安排的不填迁出乡镇。"
MSG_CATCHMENT_OVERLAP = "{place}的{level}已安排在“{school}”（{start}起）：同一学校的安排期间不能重叠。"
MSG_BEFORE_BIRTH = "入学日期不能早于出生日期（{date}）。"
MSG_SCHOOL_NOT_OPEN = "“{name}”于 {date} 投入使用：入学日期不能早于这一天。"
MSG_SCHOOL_CLOSED = "“{name}”已于 {date} 停用：入学日期须早于这一天。"
MSG_LEFT_BEFORE_START = "离校日期不能早于入学日期（{date}）。"
MSG_REASON_NEEDED = "填写离校日期的，须选择离校原因（转学、毕业或辍学）。"
MSG_REASON_WITHOUT_END = "仍在读的不填写离校原因；离校的请填写离校日期。"
MSG_DROPOUT_NOTE = "辍学的须在“离校说明”中写明原因。"
MSG_ENROLMENT_OVERLAP = (
    "该学生在 {date} 已在“{school}”就读（{start}起）：同一学生的就读期间不能重叠，转学的请先登记原学校的离校。"
)
MSG_HAS_VISITS = "该辍学记录已有 {count} 次控辍保学走访，离校原因不能改为辍学以外的原因。"
MSG_NOT_A_DROPOUT = "只有离校原因为辍学的就读记录才登记控辍保学走访。"
MSG_VISIT_BEFORE_DROPOUT = "走访日期不能早于辍学日期（{date}）。"
MSG_VISIT_AFTER_RETURN = "该学生已于 {date} 重新入学（{school}），控辍保学跟踪已结束：走访日期须早于这一天。"
MSG_UNKNOWN_SCHEME = "“{scheme}”不是 {date} 有效的资助项目：可选 {schemes}。"
MSG_AID_TWICE = "该学生 {year}的“{scheme}”已于 {date} 登记：如需更正，请修改原记录。"
MSG_AID_NOT_ENROLLED = (
    "该学生 {year}没有在{stages}阶段就读的记录，不能登记“{scheme}”：请先登记入学，或选择其所在学段的资助项目。"
)
MSG_YEAR_AHEAD = "学年不能晚于发放日期所在的学年（{year}）。"


# --- schools ------------------------------------------------------------------------------------------------------


def school_levels(school: Facility) -> list[str]:
    """The levels `school` teaches: its kinds that are school kinds, in the order of `SchoolLevel`."""
    codes = set(school.kinds.values_list("code", flat=True))
    return [level for level in SchoolLevel.values if level in codes]


def _levels_text(levels) -> str:
    return "、".join(SchoolLevel(level).label for level in levels)


def check_school_level(school: Facility, level: str, *, field="school") -> str:
    """The level of an enrolment or catchment at `school`: `level` when the school teaches it, the school's only
    level when `level` is empty. Raises a ValidationError naming the field otherwise."""
    levels = school_levels(school)
    if not levels:
        raise ValidationError({field: MSG_NOT_A_SCHOOL.format(name=school.name)})
    if not level:
        if len(levels) > 1:
            raise ValidationError({"level": MSG_LEVEL_NEEDED.format(name=school.name, levels=_levels_text(levels))})
        return levels[0]
    if level not in levels:
        kinds = "、".join(school.kinds.values_list("name", flat=True))
        message = MSG_WRONG_LEVEL.format(name=school.name, level=SchoolLevel(level).label, kinds=kinds)
        raise ValidationError({"level": message})
    return level


# --- catchments ---------------------------------------------------------------------------------------------------


def _check_place(catchment: Catchment) -> None:
    catchment.origin_township = catchment.origin_township.strip()
    if catchment.settlement_id and catchment.origin_township:
        raise ValidationError({"origin_township": MSG_PLACE_BOTH})
    if not catchment.settlement_id and not catchment.origin_township:
        raise ValidationError({"settlement": MSG_PLACE_NEEDED})
    township = catchment.origin_township
    if township and not Household.objects.filter(origin_township=township).exists():
        raise ValidationError({"origin_township": MSG_UNKNOWN_TOWNSHIP.format(township=township)})


def _check_catchment_overlap(catchment: Catchment) -> None:
    same = Catchment.objects.filter(
        level=catchment.level,
        school_id=catchment.school_id,
        settlement_id=catchment.settlement_id,
        origin_township=catchment.origin_township,
    ).exclude(pk=catchment.pk)
    end = catchment.valid_to or datetime.date.max
    other = same.filter(valid_from__lte=end).exclude(valid_to__lt=catchment.valid_from).first()
    if other is not None:
        place = catchment.settlement.name if catchment.settlement_id else f"迁出乡镇{catchment.origin_township}"
        message = MSG_CATCHMENT_OVERLAP.format(
            place=place, level=catchment.get_level_display(), school=catchment.school.name, start=other.valid_from
        )
        raise ValidationError({"valid_from": message})


@audit.audited("catchment.save", "保存就学安排", target="catchment", result_is_target=False)
@transaction.atomic
def catchment_save(*, catchment: Catchment, actor) -> Catchment:
    """Record or correct where the children of a settlement (or of an origin township) go to school at a level."""
    capabilities.require(actor, KEEP_CATCHMENTS)
    catchment.level = check_school_level(catchment.school, catchment.level)
    _check_place(catchment)
    if catchment.valid_to is not None and catchment.valid_to < catchment.valid_from:
        raise ValidationError({"valid_to": f"截止日期不能早于起始日期（{catchment.valid_from.isoformat()}）。"})
    _check_catchment_overlap(catchment)
    if catchment.pk is None:
        catchment.recorded_by = actor
    return save_with_history(instance=catchment, actor=actor, reason="登记就学安排")


# --- enrolments -------------------------------------------------------------------------------------------------


def _by_field(problems: list[tuple]) -> dict[str, list[str]]:
    by_field: dict[str, list[str]] = {}
    for field, message in problems:
        by_field.setdefault(field, []).append(message)
    return by_field


def enrolment_problems(enrolment: SchoolEnrolment, *, birth_date: datetime.date, visits: int) -> list[tuple]:
    """The rules one enrolment breaks on its own, as (field, message): the form's service and the roster import
    judge an enrolment by this one list (its overlap with the child's other enrolments aside). `visits`: the
    控辍保学 visits of the enrolment as stored."""
    school, start, end, reason = enrolment.school, enrolment.start_date, enrolment.end_date, enrolment.end_reason
    problems = []
    if start < birth_date:
        problems.append(("start_date", MSG_BEFORE_BIRTH.format(date=birth_date.isoformat())))
    if school.in_use_on and start < school.in_use_on:
        problems.append(("start_date", MSG_SCHOOL_NOT_OPEN.format(name=school.name, date=school.in_use_on.isoformat())))
    if school.closed_on and start >= school.closed_on:
        problems.append(("start_date", MSG_SCHOOL_CLOSED.format(name=school.name, date=school.closed_on)))
    if end is not None and end < start:
        problems.append(("end_date", MSG_LEFT_BEFORE_START.format(date=start.isoformat())))
    if end is not None and not reason:
        problems.append(("end_reason", MSG_REASON_NEEDED))
    if end is None and reason:
        problems.append(("end_reason", MSG_REASON_WITHOUT_END))
    if reason == EndReason.DROPOUT and not (enrolment.end_note or "").strip():
        problems.append(("end_note", MSG_DROPOUT_NOTE))
    if visits and reason != EndReason.DROPOUT:
        problems.append(("end_reason", MSG_HAS_VISITS.format(count=visits)))
    return problems


def _check_enrolment_overlap(enrolment: SchoolEnrolment) -> None:
    others = SchoolEnrolment.objects.filter(person_id=enrolment.person_id).exclude(pk=enrolment.pk)
    other = overlapping(others.select_related("school"), enrolment.start_date, enrolment.end_date)
    if other is not None:
        day = max(other.start_date, enrolment.start_date).isoformat()
        message = MSG_ENROLMENT_OVERLAP.format(date=day, school=other.school.name, start=other.start_date)
        raise ValidationError({"start_date": message})


@audit.audited("school_enrolment.save", "保存就读记录", target="enrolment", result_is_target=False)
@transaction.atomic
def school_enrolment_save(*, enrolment: SchoolEnrolment, actor) -> SchoolEnrolment:
    """Record a child's enrolment at a school, or correct it, or record that they left (转学, 毕业, 辍学 with a
    note). A child is at one school at a time: the end day is their last day there."""
    capabilities.require(actor, KEEP_SERVICES)
    person = Person.objects.select_for_update().get(pk=enrolment.person_id)  # one write per child at a time
    enrolment.level = check_school_level(enrolment.school, enrolment.level)
    enrolment.grade = enrolment.grade.strip()
    enrolment.end_note = enrolment.end_note.strip()
    refuse_future(enrolment.start_date, field="start_date", label="入学日期")
    if enrolment.end_date is not None:
        refuse_future(enrolment.end_date, field="end_date", label="离校日期")
    visits = DropoutVisit.objects.filter(dropout_id=enrolment.pk).count() if enrolment.pk else 0
    problems = enrolment_problems(enrolment, birth_date=person.birth_date, visits=visits)
    if problems:
        raise ValidationError(_by_field(problems))
    _check_enrolment_overlap(enrolment)
    if enrolment.pk is None:
        enrolment.recorded_by = actor
    return save_with_history(instance=enrolment, actor=actor, reason="登记就读")


def re_enrolment(dropout: SchoolEnrolment) -> SchoolEnrolment | None:
    """The child's first enrolment after the dropout, which ends its follow-up."""
    later = SchoolEnrolment.objects.filter(person_id=dropout.person_id, start_date__gt=dropout.end_date)
    return later.select_related("school").order_by("start_date", "id").first()


@audit.audited("dropout_visit.save", "保存控辍保学走访", target="visit", result_is_target=False)
@transaction.atomic
def dropout_visit_save(*, visit: DropoutVisit, actor) -> DropoutVisit:
    """Record a 控辍保学 visit to a child who dropped out: on or after the dropout, before they were enrolled again."""
    capabilities.require(actor, KEEP_SERVICES)
    dropout = SchoolEnrolment.objects.select_for_update().get(pk=visit.dropout_id)
    if dropout.end_reason != EndReason.DROPOUT:
        raise ValidationError(MSG_NOT_A_DROPOUT)
    refuse_future(visit.visited_on, field="visited_on", label="走访日期")
    if visit.visited_on < dropout.end_date:
        raise ValidationError({"visited_on": MSG_VISIT_BEFORE_DROPOUT.format(date=dropout.end_date.isoformat())})
    back = re_enrolment(dropout)
    if back is not None and visit.visited_on >= back.start_date:
        message = MSG_VISIT_AFTER_RETURN.format(date=back.start_date.isoformat(), school=back.school.name)
        raise ValidationError({"visited_on": message})
    visit.visitors, visit.actions = visit.visitors.strip(), visit.actions.strip()
    if visit.pk is None:
        visit.recorded_by = actor
    return save_with_history(instance=visit, actor=actor, reason="登记控辍保学走访")


# --- student aid --------------------------------------------------------------------------------------------------


def _rules_for(day: datetime.date):
    age, schemes = schooling_rules.school_age(day), schooling_rules.aid_schemes(day)
    if age is None:
        raise ValidationError({"granted_on": MSG_NO_RULE.format(date=day.isoformat(), name="学龄段")})
    if schemes is None:
        raise ValidationError({"granted_on": MSG_NO_RULE.format(date=day.isoformat(), name="各学段学生资助项目")})
    return age, schemes


def _check_enrolled_for(aid: StudentAid, age, schemes) -> None:
    """The child was enrolled, in the school year, at a stage that owes the aid's scheme."""
    stages = [stage for stage, scheme in schemes.items() if scheme == aid.scheme]
    levels = [level for level, stage in STAGE_OF_LEVEL.items() if stage in stages]
    start = age.school_year_start(aid.school_year)
    end = age.school_year_start(aid.school_year + 1) - datetime.timedelta(days=1)
    enrolments = SchoolEnrolment.objects.filter(person_id=aid.person_id, level__in=levels)
    if overlapping(enrolments, start, end) is None:
        names = "或".join(Stage(stage).label for stage in stages)
        year = school_year_label(aid.school_year)
        raise ValidationError({"scheme": MSG_AID_NOT_ENROLLED.format(year=year, stages=names, scheme=aid.scheme)})


@audit.audited("student_aid.save", "保存学生资助", target="aid", result_is_target=False)
@transaction.atomic
def student_aid_save(*, aid: StudentAid, actor) -> StudentAid:
    """Record or correct aid a child received for a school year: a scheme of the rule in force on the day it
    was granted, for a stage the child was enrolled at that school year, once per scheme and year."""
    capabilities.require(actor, KEEP_SERVICES)
    Person.objects.select_for_update().filter(pk=aid.person_id).first()
    refuse_future(aid.granted_on, field="granted_on", label="发放日期")
    age, schemes = _rules_for(aid.granted_on)
    if aid.school_year > age.school_year(aid.granted_on):
        raise ValidationError({"school_year": MSG_YEAR_AHEAD.format(year=age.school_year(aid.granted_on))})
    aid.scheme = aid.scheme.strip()
    if aid.scheme not in schemes.values():
        choices = "、".join(f"“{scheme}”" for scheme in dict.fromkeys(schemes.values()))
        message = MSG_UNKNOWN_SCHEME.format(scheme=aid.scheme, date=aid.granted_on.isoformat(), schemes=choices)
        raise ValidationError({"scheme": message})
    earlier = StudentAid.objects.filter(person_id=aid.person_id, school_year=aid.school_year, scheme=aid.scheme)
    earlier = earlier.exclude(pk=aid.pk).first()
    if earlier is not None:
        year, date = school_year_label(aid.school_year), earlier.granted_on.isoformat()
        raise ValidationError({"scheme": MSG_AID_TWICE.format(year=year, scheme=aid.scheme, date=date)})
    _check_enrolled_for(aid, age, schemes)
    if aid.pk is None:
        aid.recorded_by = actor
    return save_with_history(instance=aid, actor=actor, reason="登记学生资助")
