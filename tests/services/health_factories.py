"""Builders for the health tests: health facilities (through the core's facility service), their medical staff,
screenings and family-doctor contracts (through the services' writes)."""

import datetime

from services import services
from services.models import FamilyDoctorContract, IllnessScreening, MedicalStaff, ScreeningStatus, StaffRole
from settlements import services as registry_services
from settlements.id_numbers import Sex
from settlements.models import Facility, FacilityKind, Settlement
from tests.factories import registry_keeper

D = datetime.date
OPENED = D(2019, 2, 1)
TRAINED = D(2019, 3, 1)


def clinic(settlements=("fumin",), *, name=None, kind="clinic", in_use_on=OPENED, designated=True, actor=None):
    """A health facility of `kind` serving `settlements`, in use from `in_use_on`."""
    return registry_services.facility_save(
        actor=actor or registry_keeper(),
        facility=Facility(name=name or f"{settlements[0] if settlements else '全县'}卫生室", in_use_on=in_use_on),
        kinds=FacilityKind.objects.filter(code=kind),
        settlements=Settlement.objects.filter(code__in=settlements),
        attributes={"designated": designated},
    )


def staff(
    facility,
    name="龙医生",
    *,
    woman=False,
    doctor=True,
    both=True,
    trained=TRAINED,
    start=OPENED,
    end=None,
    actor=None,
):
    """A medical worker: by default a trained man, a village doctor practising both medicines, since `OPENED`."""
    record = MedicalStaff(
        facility=facility,
        name=name,
        sex=Sex.FEMALE if woman else Sex.MALE,
        role=StaffRole.VILLAGE_DOCTOR if doctor else StaffRole.OTHER,
        western_and_chinese=both,
        qualification="乡村医生执业证书" if doctor else "护士执业证书",
        trained_on=trained,
        start_date=start,
        end_date=end,
    )
    return services.medical_staff_save(staff=record, actor=actor or registry_keeper())


def screening(person, day, status=ScreeningStatus.LEDGER, diagnosis="尿毒症", actor=None):
    record = IllnessScreening(person=person, screened_on=day, diagnosis=diagnosis, status=status)
    return services.illness_screening_save(screening=record, actor=actor or registry_keeper())


def contract(household, signed, valid_to, *, doctor=None, team="", actor=None):
    record = FamilyDoctorContract(
        household=household,
        doctor=doctor,
        team=team or ("" if doctor else "富民家庭医生团队"),
        signed_on=signed,
        valid_to=valid_to,
    )
    return services.contract_save(contract=record, actor=actor or registry_keeper())
