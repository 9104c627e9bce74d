"""Reads of 医疗卫生: each health facility's served population and staff on a day, judged against the staffing
rules in force (which rule fails, and why, in Chinese); the serious-illness screening ledger and who is missing
from it; the family-doctor contracts. Lists start from a user's scope."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q

from settlements import facilities as core_facilities
from settlements.models import Facility, Health, Household
from settlements.selectors import resident_stays

from .. import health_rules, rules
from ..health_rules import ClinicRules
from ..models import HEALTH_KINDS, FamilyDoctorContract, IllnessScreening, MedicalStaff, in_effect_on
from .common import household_search, person_search, settlement_ids

MSG_DOCTORS_SHORT = "服务人口 {population} 人，应配 {required} 名村医，在岗 {doctors} 名（原文：{clause}）"
MSG_NO_WOMAN = "配备 {doctors} 名乡村医生，无女乡村医生（原文：{sentence}）"
MSG_NO_WESTERN_CHINESE = "在岗乡村医生 {doctors} 名，无能西会中的乡村医生（原文：{sentence}）"
MSG_STAFF_SHORT = "在岗医务人员 {workers} 名，应不少于 {required} 名（原文：{sentence}）"
MSG_UNTRAINED = "{count} 名医务人员未完成培训：{names}（原文：{sentence}）"
MSG_NOT_DESIGNATED = "未纳入新农合定点医疗机构（原文：将各安置点卫生室服务机构纳入新农合定点医疗机构）"
DESIGNATED = "designated"  # the facility kinds' attribute (fixtures/facility_kinds.json)


# --- clinics --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleCheck:
    """One staffing rule applied to one clinic on a day."""

    code: str
    title: str
    required: str
    actual: str
    passed: bool
    reason: str = ""  # why it fails, naming the figures and quoting the seed; empty when it passes


@dataclass
class ClinicStaffing:
    """A health facility on a day: whom it serves, its staff at work, and each rule it is judged by."""

    facility: Facility
    day: datetime.date
    settlements: list
    population: int
    in_use: bool
    judged: bool  # a village clinic in use serving a settlement: the staffing rules apply
    staff: list = field(default_factory=list)  # MedicalStaff at work that day
    checks: list = field(default_factory=list)
    required_doctors: int | None = None  # by the band of its served population, when that rule is in force

    @property
    def doctors(self) -> list:
        return [person for person in self.staff if person.is_doctor]

    @property
    def women_doctors(self) -> int:
        return sum(1 for person in self.doctors if person.is_woman)

    @property
    def western_chinese(self) -> int:
        return sum(1 for person in self.doctors if person.western_and_chinese)

    @property
    def trained(self) -> int:
        return sum(1 for person in self.staff if person.trained_by(self.day))

    @property
    def designated(self) -> bool:
        return self.facility.attributes.get(DESIGNATED) is True

    @property
    def failures(self) -> list[RuleCheck]:
        return [check for check in self.checks if not check.passed]

    @property
    def passed(self) -> bool:
        return self.judged and not self.failures

    def check(self, code: str) -> RuleCheck | None:
        return next((check for check in self.checks if check.code == code), None)


def health_facilities(user=None):
    """The health facilities (卫生室, 社区卫生服务中心, 乡镇卫生院) a user reads, or every one."""
    facilities = Facility.objects.for_user(user) if user is not None else Facility.objects.all()
    ids = Facility.objects.filter(kinds__code__in=HEALTH_KINDS).values("pk")
    return facilities.filter(pk__in=ids).prefetch_related("kinds", "settlements").order_by("name", "id")


def resident_counts(day: datetime.date) -> dict[int, int]:
    """Per settlement id: its residents on `day` (persons with a stay covering it in a resident household)."""
    rows = resident_stays(day=day).values("household__settlement_id").annotate(n=Count("id")).order_by()
    return {row["household__settlement_id"]: row["n"] for row in rows}


def staff_on(day: datetime.date, facilities) -> dict[int, list]:
    """Per facility id: its medical staff at work on `day`, doctors first."""
    staff = defaultdict(list)
    rows = MedicalStaff.objects.filter(in_effect_on(day), facility__in=[facility.pk for facility in facilities])
    for person in rows.order_by("role", "start_date", "id"):
        staff[person.facility_id].append(person)
    return staff


def clinic_staffing(facilities, day: datetime.date) -> list[ClinicStaffing]:
    """Each of `facilities` (health facilities, their kinds and settlements prefetched) on `day`, judged by the
    rules in force that day. The served population is the residents of the settlements it serves, together."""
    facilities = list(facilities)
    residents, staff, rules = resident_counts(day), staff_on(day, facilities), health_rules.clinic_rules(day)
    rows = [_staffing(facility, day, residents, staff.get(facility.pk, [])) for facility in facilities]
    for row in rows:
        if row.judged:
            row.checks = judge(row, rules)
    return rows


def _staffing(facility: Facility, day: datetime.date, residents: dict[int, int], staff: list) -> ClinicStaffing:
    settlements = sorted(facility.settlements.all(), key=lambda settlement: settlement.sort_order)
    in_use = core_facilities.status_on(facility, day) == core_facilities.Status.IN_USE
    village_clinic = {kind.code for kind in facility.kinds.all()} & set(health_rules.JUDGED_KINDS)
    return ClinicStaffing(
        facility=facility,
        day=day,
        settlements=settlements,
        population=sum(residents.get(settlement.pk, 0) for settlement in settlements),
        in_use=in_use,
        judged=in_use and bool(settlements) and bool(village_clinic),
        staff=staff,
    )


def judge(row: ClinicStaffing, rules: ClinicRules) -> list[RuleCheck]:
    checks = []
    if rules.doctors is not None:
        checks.append(_doctors_check(row, rules.doctors))
    woman_from = rules.woman.params["from_doctors"] if rules.woman is not None else None
    if woman_from is not None:
        checks.append(_woman_check(row, woman_from, rules.woman.basis))
    if rules.western_chinese is not None:
        checks.append(_western_chinese_check(row, rules.western_chinese, woman_from))
    if rules.staff is not None:
        checks.extend(_staff_checks(row, rules.staff))
    checks.append(_designated_check(row))
    return checks


def _doctors_check(row: ClinicStaffing, rule) -> RuleCheck:
    bands = rule.params["bands"]
    required = row.required_doctors = health_rules.doctors_required(row.population, bands)
    doctors = len(row.doctors)
    index = rules.band_holding(row.population, bands)
    clause = health_rules.band_clause(rule.basis, index, bands) if index is not None else ""
    passed = doctors >= required
    reason = (
        ""
        if passed
        else MSG_DOCTORS_SHORT.format(population=row.population, required=required, doctors=doctors, clause=clause)
    )
    return RuleCheck(
        health_rules.CLINIC_DOCTORS, "按服务人口配备村医", f"{required} 名", f"{doctors} 名", passed, reason
    )


def _woman_check(row: ClinicStaffing, woman_from: int, basis: str) -> RuleCheck:
    doctors = len(row.doctors)
    title = "女乡村医生"
    if doctors < woman_from:
        return RuleCheck(health_rules.CLINIC_WOMAN_DOCTOR, title, f"不适用（乡村医生不足 {woman_from} 名）", "—", True)
    passed = row.women_doctors >= 1
    reason = "" if passed else MSG_NO_WOMAN.format(doctors=doctors, sentence=health_rules.quoted(basis))
    return RuleCheck(health_rules.CLINIC_WOMAN_DOCTOR, title, "至少 1 名", f"{row.women_doctors} 名", passed, reason)


def _western_chinese_check(row: ClinicStaffing, rule, woman_from: int | None) -> RuleCheck:
    doctors = len(row.doctors)
    title = "能西会中的乡村医生"
    everywhere = rule.params["every_clinic"]
    if not everywhere and (woman_from is None or doctors < woman_from):
        limit = f"乡村医生不足 {woman_from} 名" if woman_from else "按规则只适用于配备 2 名以上乡村医生的卫生室"
        return RuleCheck(health_rules.CLINIC_WESTERN_CHINESE, title, f"不适用（{limit}）", "—", True)
    passed = row.western_chinese >= 1
    sentence = health_rules.quoted(rule.basis)
    reason = "" if passed else MSG_NO_WESTERN_CHINESE.format(doctors=doctors, sentence=sentence)
    return RuleCheck(
        health_rules.CLINIC_WESTERN_CHINESE, title, "至少 1 名", f"{row.western_chinese} 名", passed, reason
    )


def _staff_checks(row: ClinicStaffing, rule) -> list[RuleCheck]:
    required, sentence = rule.params["min_staff"], health_rules.quoted(rule.basis)
    workers = len(row.staff)
    passed = workers >= required
    reason = "" if passed else MSG_STAFF_SHORT.format(workers=workers, required=required, sentence=sentence)
    count = RuleCheck(health_rules.CLINIC_STAFF, "医务人员配备", f"至少 {required} 名", f"{workers} 名", passed, reason)
    return [count, _training_check(row, sentence)] if rule.params["trained"] else [count]


def _training_check(row: ClinicStaffing, sentence: str) -> RuleCheck:
    untrained = [person.name for person in row.staff if not person.trained_by(row.day)]
    names = "、".join(untrained)
    reason = MSG_UNTRAINED.format(count=len(untrained), names=names, sentence=sentence) if untrained else ""
    shown = f"{len(row.staff) - len(untrained)} / {len(row.staff)} 名已培训"
    return RuleCheck(health_rules.CLINIC_STAFF, "医务人员完成培训", "每人完成培训", shown, not untrained, reason)


def _designated_check(row: ClinicStaffing) -> RuleCheck:
    shown = "是" if row.designated else "否"
    reason = "" if row.designated else MSG_NOT_DESIGNATED
    return RuleCheck(DESIGNATED, "新农合定点医疗机构", "是", shown, row.designated, reason)


def staffing_counts(day: datetime.date) -> tuple[dict[int, int], dict[int, int]]:
    """Per settlement id on `day`: the village clinics serving it that meet every rule, and the medical workers at
    work in the village clinics serving it (a clinic serving several settlements counts for each)."""
    passing, workers = Counter(), Counter()
    for row in clinic_staffing(health_facilities(), day):
        if not row.judged:
            continue
        for settlement in row.settlements:
            passing[settlement.pk] += 1 if row.passed else 0
            workers[settlement.pk] += len(row.staff)
    return dict(passing), dict(workers)


# --- the serious-illness screening ledger (大病筛查台账) -------------------------------------------------------------


def screened_by(day: datetime.date, person_ref="person_id"):
    return Exists(IllnessScreening.objects.filter(person_id=OuterRef(person_ref), screened_on__lte=day))


def seriously_ill_poor_stays(day: datetime.date):
    """The stays of the residents of `day` with 大病 (the registry's health) in registered-poor households."""
    return resident_stays(day=day).filter(household__registered_poor=True, person__health=Health.SERIOUS)


def screening_counts(day: datetime.date) -> tuple[dict[int, int], dict[int, int]]:
    """Per settlement id on `day`: the seriously-ill poor residents screened by then, and those not."""
    rows = (
        seriously_ill_poor_stays(day)
        .values("household__settlement_id")
        .annotate(screened=Count("id", filter=Q(screened_by(day))), total=Count("id"))
        .order_by()
    )
    screened = {row["household__settlement_id"]: row["screened"] for row in rows}
    unscreened = {row["household__settlement_id"]: row["total"] - row["screened"] for row in rows}
    return screened, unscreened


def unscreened_list(*, user, day: datetime.date, settlement=None, query=""):
    """The seriously-ill poor residents of `day` in `user`'s scope with no screening by then (A1-R11), by
    household code."""
    stays = (
        seriously_ill_poor_stays(day)
        .exclude(screened_by(day))
        .filter(household__settlement_id__in=settlement_ids(user, settlement))
    )
    search = person_search(query)
    if search is not None:
        stays = stays.filter(search)
    return stays.select_related("person", "household__settlement").order_by("household__code", "person_id")


def screening_list(*, user, settlement=None, status="", query=""):
    screenings = IllnessScreening.objects.filter(person__settlement_id__in=settlement_ids(user, settlement))
    if status:
        screenings = screenings.filter(status=status)
    search = person_search(query)
    if search is not None:
        screenings = screenings.filter(search)
    return screenings.select_related("person__household__settlement").order_by("person__household__code", "person_id")


# --- family-doctor contracts ----------------------------------------------------------------------------------------


def valid_on(day: datetime.date) -> Q:
    """Contracts signed by `day` and valid through it (the last day of validity included)."""
    return Q(signed_on__lte=day, valid_to__gte=day)


def contracted(day: datetime.date, household_ref="pk"):
    return Exists(FamilyDoctorContract.objects.filter(valid_on(day), household_id=OuterRef(household_ref)))


def resident_households(day: datetime.date):
    return Household.objects.filter(pk__in=resident_stays(day=day).values("household_id"))


def contract_counts(day: datetime.date) -> tuple[dict[int, int], dict[int, int]]:
    """Per settlement id on `day`: resident households with a valid family-doctor contract, and those without."""
    rows = (
        resident_households(day)
        .values("settlement_id")
        .annotate(signed=Count("id", filter=Q(contracted(day))), total=Count("id"))
        .order_by()
    )
    signed = {row["settlement_id"]: row["signed"] for row in rows}
    unsigned = {row["settlement_id"]: row["total"] - row["signed"] for row in rows}
    return signed, unsigned


def uncontracted_households(*, user, day: datetime.date, settlement=None, query=""):
    households = (
        resident_households(day).exclude(contracted(day)).filter(settlement_id__in=settlement_ids(user, settlement))
    )
    search = household_search(query, prefix="")
    if search is not None:
        households = households.filter(search)
    return households.select_related("settlement").order_by("code")


def contract_list(*, user, day: datetime.date | None = None, settlement=None, query=""):
    contracts = FamilyDoctorContract.objects.filter(household__settlement_id__in=settlement_ids(user, settlement))
    if day is not None:
        contracts = contracts.filter(valid_on(day))
    search = household_search(query)
    if search is not None:
        contracts = contracts.filter(search)
    return contracts.select_related("household__settlement", "doctor").order_by("household__code", "-signed_on", "id")
