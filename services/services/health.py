"""Writes of 医疗卫生: the medical staff of the health facilities, the serious-illness screening ledger and its
monitoring, the family-doctor contracts. Each refuses an actor without `keep_services` (PermissionDenied,
nothing written), validates, writes and records history."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from settlements import audit, capabilities
from settlements.models import Facility, Person
from settlements.services import refuse_future, save_with_history

from ..capabilities import KEEP_SERVICES
from ..models import HEALTH_KINDS, FamilyDoctorContract, IllnessScreening, MedicalStaff, MonitoringEntry
from .common import refuse_end_before_start, today

MSG_NOT_HEALTH = "“{facility}”不是医疗卫生机构（卫生室、社区卫生服务中心或乡镇卫生院），不能登记医务人员。"
MSG_NOT_KEPT = "“{facility}”不服务您所在服务中心的安置点：您可以查阅，不能修改其医务人员。"
MSG_TRAINED_IN_FUTURE = "完成培训日期不能晚于今天；尚未完成培训的请留空。"
MSG_SCREENED_BEFORE_BIRTH = "筛查日期不能早于出生日期（{date}）。"
MSG_ALREADY_SCREENED = "该人员已在大病筛查台账中（{date}筛查）：如有变化，请修改原记录或登记动态监测。"
MSG_ENTRY_BEFORE_SCREENING = "动态监测日期不能早于筛查日期（{date}）。"
MSG_DOCTOR_OR_TEAM = "请选择签约医生，或填写签约团队。"
MSG_DOCTOR_ELSEWHERE = "签约医生{name}所在的“{facility}”不服务该户所在的{settlement}安置点。"
MSG_DOCTOR_NOT_AT_WORK = "签约医生{name}在签约日期 {date} 不在岗。"
MSG_VALID_BEFORE_SIGNED = "有效期至不能早于签约日期（{date}）。"
MSG_CONTRACT_OVERLAP = "该户在 {date} 已有有效的家庭医生签约（{start}至{end}）：同一户的签约期间不能重叠。"


# --- medical staff ----------------------------------------------------------------------------------------------------


def require_keeper_of(facility: Facility, actor) -> None:
    """The actor keeps the services and this facility (the office every one, a clerk those of their settlements)."""
    capabilities.require(actor, KEEP_SERVICES)
    if not Facility.objects.kept_by(actor).filter(pk=facility.pk).exists():
        raise PermissionDenied(MSG_NOT_KEPT.format(facility=facility.name))


def _refuse_other_facilities(facility: Facility) -> None:
    if not facility.kinds.filter(code__in=HEALTH_KINDS).exists():
        raise ValidationError({"facility": MSG_NOT_HEALTH.format(facility=facility.name)})


@audit.audited("medical_staff.save", "保存医务人员", target="staff", result_is_target=False)
@transaction.atomic
def medical_staff_save(*, staff: MedicalStaff, actor) -> MedicalStaff:
    """Record or correct a medical worker of a health facility, for the period they work there."""
    require_keeper_of(staff.facility, actor)
    _refuse_other_facilities(staff.facility)
    staff.name = staff.name.strip()
    refuse_future(staff.start_date, field="start_date", label="到岗日期")
    refuse_end_before_start(staff.start_date, staff.end_date)
    if staff.trained_on is not None and staff.trained_on > today():
        raise ValidationError({"trained_on": MSG_TRAINED_IN_FUTURE})
    if staff.pk is None:
        staff.recorded_by = actor
    return save_with_history(instance=staff, actor=actor, reason="登记医务人员")


# --- the screening ledger -------------------------------------------------------------------------------------------


@audit.audited("illness_screening.save", "保存大病筛查台账", target="screening", result_is_target=False)
@transaction.atomic
def illness_screening_save(*, screening: IllnessScreening, actor) -> IllnessScreening:
    """Record or correct a person's entry in the serious-illness screening ledger (one per person)."""
    capabilities.require(actor, KEEP_SERVICES)
    person = Person.objects.get(pk=screening.person_id)
    earlier = IllnessScreening.objects.filter(person=person).exclude(pk=screening.pk).first()
    if earlier is not None:
        raise ValidationError(MSG_ALREADY_SCREENED.format(date=earlier.screened_on.isoformat()))
    refuse_future(screening.screened_on, field="screened_on", label="筛查日期")
    if screening.screened_on < person.birth_date:
        raise ValidationError({"screened_on": MSG_SCREENED_BEFORE_BIRTH.format(date=person.birth_date.isoformat())})
    if screening.pk is None:
        screening.recorded_by = actor
    return save_with_history(instance=screening, actor=actor, reason="登记大病筛查")


@audit.audited("monitoring_entry.add", "登记大病动态监测", target="screening")
@transaction.atomic
def monitoring_entry_add(
    *, screening: IllnessScreening, noted_on: datetime.date, note: str, status: str, actor
) -> MonitoringEntry:
    """Add a dated monitoring entry to a screened person's ledger; the ledger's status becomes the entry's."""
    capabilities.require(actor, KEEP_SERVICES)
    screening = IllnessScreening.objects.select_for_update().get(pk=screening.pk)
    refuse_future(noted_on, field="noted_on", label="监测日期")
    if noted_on < screening.screened_on:
        raise ValidationError({"noted_on": MSG_ENTRY_BEFORE_SCREENING.format(date=screening.screened_on.isoformat())})
    entry = MonitoringEntry(screening=screening, noted_on=noted_on, note=note.strip(), status=status, recorded_by=actor)
    save_with_history(instance=entry, actor=actor, reason="登记动态监测")
    if screening.status != status:
        screening.status = status
        save_with_history(instance=screening, actor=actor, reason="动态监测更新救治情况")
    return entry


# --- family-doctor contracts ---------------------------------------------------------------------------------------


def _check_doctor(contract: FamilyDoctorContract) -> None:
    doctor, household = contract.doctor, contract.household
    if doctor is None:
        if not contract.team.strip():
            raise ValidationError({"doctor": MSG_DOCTOR_OR_TEAM})
        return
    served = doctor.facility.settlements.all()
    if served.exists() and not served.filter(pk=household.settlement_id).exists():
        facility, settlement = doctor.facility.name, household.settlement.name
        raise ValidationError(
            {"doctor": MSG_DOCTOR_ELSEWHERE.format(name=doctor.name, facility=facility, settlement=settlement)}
        )
    if not doctor.at_work_on(contract.signed_on):
        raise ValidationError(
            {"doctor": MSG_DOCTOR_NOT_AT_WORK.format(name=doctor.name, date=contract.signed_on.isoformat())}
        )


def _refuse_overlap(contract: FamilyDoctorContract) -> None:
    others = FamilyDoctorContract.objects.filter(household_id=contract.household_id).exclude(pk=contract.pk)
    other = others.filter(signed_on__lte=contract.valid_to, valid_to__gte=contract.signed_on).first()
    if other is not None:
        day = max(other.signed_on, contract.signed_on).isoformat()
        start, end = other.signed_on.isoformat(), other.valid_to.isoformat()
        raise ValidationError({"signed_on": MSG_CONTRACT_OVERLAP.format(date=day, start=start, end=end)})


@audit.audited("family_doctor_contract.save", "保存家庭医生签约", target="contract", result_is_target=False)
@transaction.atomic
def contract_save(*, contract: FamilyDoctorContract, actor) -> FamilyDoctorContract:
    """Record or correct a household's family-doctor contract: with a doctor of a facility serving its settlement
    (at work on the day it was signed), or with a team; valid from its signing to its last day."""
    capabilities.require(actor, KEEP_SERVICES)
    contract.team = contract.team.strip()
    refuse_future(contract.signed_on, field="signed_on", label="签约日期")
    if contract.valid_to < contract.signed_on:
        raise ValidationError({"valid_to": MSG_VALID_BEFORE_SIGNED.format(date=contract.signed_on.isoformat())})
    _check_doctor(contract)
    _refuse_overlap(contract)
    if contract.pk is None:
        contract.recorded_by = actor
    return save_with_history(instance=contract, actor=actor, reason="登记家庭医生签约")
