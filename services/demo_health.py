"""Demo health data for the embedded default, over the demo facilities (`settlements.demo_facilities`) and
households, written through the services, with some rules broken on purpose so the clinic pages show why:

- 富民小区卫生室 meets every rule (a man and a woman doctor, one practising both medicines, a nurse, all trained);
- the 文体社区卫生服务中心 (卧龙、阳光、特和) is short of doctors for its population: its village doctor left, two
  other medical workers remain (and so no one practising both medicines);
- 丰乐社区卫生室 has its doctor and a nurse, but no doctor practising both medicines;
- 凤凰小区卫生室 has 2 doctors and no woman (and is not designated for the new rural scheme);
- 定威乡卫生院 has staff, and is not judged as a village clinic.

Most seriously-ill members of registered-poor households are screened (some followed by monitoring); most
households have a family-doctor contract. Seeded random; does nothing once a medical worker exists.
"""

import datetime
import random
from collections import Counter

from django.db import transaction
from django.utils import timezone

from settlements.id_numbers import Sex
from settlements.models import Facility, Health, Household, Person, PersonStatus, User

from . import services
from .models import FamilyDoctorContract, IllnessScreening, MedicalStaff, ScreeningStatus, StaffRole
from .selectors.health import health_facilities

D = datetime.date
DOCTOR, OTHER = StaffRole.VILLAGE_DOCTOR, StaffRole.OTHER
M, F = Sex.MALE, Sex.FEMALE
# facility -> (name, sex, role, practises both medicines, trained on, started, left)
STAFF = {
    "富民小区卫生室": [
        ("龙光明", M, DOCTOR, True, D(2019, 3, 20), D(2019, 2, 1), None),
        ("吴秀英", F, DOCTOR, False, D(2019, 3, 20), D(2019, 2, 1), None),
        ("杨晓梅", F, OTHER, False, D(2019, 4, 15), D(2019, 2, 15), None),
    ],
    "文体社区卫生服务中心": [
        ("石永康", M, DOCTOR, True, D(2019, 7, 10), D(2019, 6, 28), D(2025, 6, 30)),
        ("潘丽华", F, OTHER, False, D(2019, 7, 10), D(2019, 6, 28), None),
        ("王海燕", F, OTHER, False, D(2020, 3, 5), D(2019, 9, 1), None),
    ],
    "丰乐社区卫生室": [
        ("杨正军", M, DOCTOR, False, D(2019, 3, 1), D(2018, 12, 1), None),
        ("龙春花", F, OTHER, False, D(2019, 3, 1), D(2018, 12, 1), None),
    ],
    "凤凰小区卫生室": [
        ("吴国华", M, DOCTOR, True, D(2019, 4, 2), D(2018, 11, 1), None),
        ("潘德明", M, DOCTOR, False, D(2019, 4, 2), D(2018, 11, 1), None),
    ],
    "定威乡卫生院": [
        ("石建平", M, DOCTOR, True, D(2015, 5, 1), D(2008, 1, 1), None),
        ("杨丽", F, OTHER, False, D(2016, 5, 1), D(2010, 3, 1), None),
    ],
}
DIAGNOSES = ["尿毒症", "恶性肿瘤", "重性精神病", "耐多药肺结核", "儿童白血病", "先天性心脏病", "血友病"]
HOSPITALS = ["黔东南州人民医院", "榕江县人民医院", "贵州医科大学附属医院"]
MONITORING = ["入户随访，按时服药", "复查，病情稳定", "转诊州医院住院治疗", "出院，纳入慢病随访"]


@transaction.atomic
def seed_demo_health() -> dict[str, int]:
    if MedicalStaff.objects.exists():
        return {}
    office = User.objects.get(username="office")
    today = timezone.localdate()
    rand = random.Random("rongjiang-demo-health")
    made = Counter(staff=_staff(office, today))
    made.update(_screenings(office, today, rand))
    made["contracts"] = _contracts(office, today, rand)
    return dict(made)


def _staff(office, today) -> int:
    made = 0
    facilities = {facility.name: facility for facility in Facility.objects.filter(name__in=STAFF)}
    for facility_name, rows in STAFF.items():
        facility = facilities.get(facility_name)
        if facility is None:
            continue
        for name, sex, role, both, trained, start, end in rows:
            staff = MedicalStaff(
                facility=facility,
                name=name,
                sex=sex,
                role=role,
                western_and_chinese=both,
                qualification="乡村医生执业证书" if role == DOCTOR else "护士执业证书",
                trained_on=trained if trained <= today else None,
                start_date=min(start, today),
                end_date=end if end and end < today else None,
            )
            services.medical_staff_save(staff=staff, actor=office)
            made += 1
    return made


def _screenings(office, today, rand) -> Counter:
    """Seven in eight seriously-ill members of registered-poor households screened after the move-in (the first
    and every eighth after it not yet); a third of those followed by a monitoring entry."""
    made = Counter()
    ill = (
        Person.objects.filter(
            household__registered_poor=True,
            household__move_in_date__isnull=False,
            health=Health.SERIOUS,
            status=PersonStatus.ACTIVE,
        )
        .values_list("pk", "household__move_in_date", "birth_date")
        .order_by("pk")
    )
    for index, (person_id, moved_in, born) in enumerate(ill):
        if index % 8 == 0:
            continue
        screened = min(max(moved_in, born, D(2019, 6, 1)) + datetime.timedelta(days=rand.randint(10, 200)), today)
        status = rand.choice([ScreeningStatus.LEDGER, ScreeningStatus.TREATING, ScreeningStatus.MONITORING])
        screening = IllnessScreening(
            person_id=person_id,
            screened_on=screened,
            diagnosis=rand.choice(DIAGNOSES),
            status=status,
            treated_at=rand.choice(HOSPITALS) if status != ScreeningStatus.LEDGER else "",
        )
        services.illness_screening_save(screening=screening, actor=office)
        made["screenings"] += 1
        noted = screened + datetime.timedelta(days=rand.randint(30, 300))
        if rand.random() < 0.35 and noted <= today:
            services.monitoring_entry_add(
                screening=screening,
                noted_on=noted,
                note=rand.choice(MONITORING),
                status=ScreeningStatus.MONITORING,
                actor=office,
            )
            made["monitoring"] += 1
    return made


def _contracts(office, today, rand) -> int:
    """Most resident households signed with a doctor of the clinic serving them (a team where none was at work),
    valid to the end of next year; one in eight expired at the end of 2024, one in eight never signed."""
    doctors = _doctors_by_settlement()
    made = 0
    households = Household.objects.filter(move_in_date__isnull=False, moved_out_on__isnull=True)
    for index, household in enumerate(households.select_related("settlement").order_by("code")):
        if index % 8 == 0:
            continue
        signed = min(max(household.move_in_date, D(2019, 7, 1)) + datetime.timedelta(days=rand.randint(5, 120)), today)
        valid_to = D(2024, 12, 31) if index % 8 == 1 else D(today.year + 1, 12, 31)
        if valid_to < signed:
            valid_to = D(signed.year, 12, 31)
        doctor = next((staff for staff in doctors.get(household.settlement_id, []) if staff.at_work_on(signed)), None)
        team = "" if doctor else f"{household.settlement.name}家庭医生签约服务团队"
        contract = FamilyDoctorContract(
            household=household, doctor=doctor, team=team, signed_on=signed, valid_to=valid_to
        )
        services.contract_save(contract=contract, actor=office)
        made += 1
    return made


def _doctors_by_settlement() -> dict[int, list]:
    doctors: dict[int, list] = {}
    for facility in health_facilities():
        for staff in facility.medical_staff.filter(role=DOCTOR).order_by("start_date", "id"):
            for settlement in facility.settlements.all():
                doctors.setdefault(settlement.pk, []).append(staff)
    return doctors
