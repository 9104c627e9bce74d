"""医疗卫生 (annex 1 task 5): the medical staff of the health facilities (the facilities themselves are the core's,
`settlements.Facility` of kinds 卫生室, 社区卫生服务中心, 乡镇卫生院), the serious-illness screening ledger of the
registered-poor (大病筛查台账, with its dated monitoring), and the family-doctor contracts per household.

The rules that judge a clinic's staffing (doctors by served population, a woman doctor, 能西会中, two trained
medical workers) are dated rule data (`services.health_rules`)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from settlements import capabilities
from settlements.id_numbers import Sex
from settlements.models import Facility, Household, Person, ScopedQuerySet

from .common import HouseholdScopedQuerySet, PersonScopedQuerySet

HEALTH_KINDS = ("clinic", "community_health_centre", "township_hospital")  # fixtures/facility_kinds.json


class FacilityScopedQuerySet(models.QuerySet):
    """Records of a facility: a user reads those of the facilities they may read (`Facility.objects.for_user`,
    the core's one rule for facilities: those serving a settlement of theirs, and the county's own)."""

    def for_user(self, user):
        if capabilities.has(user, capabilities.SEE_ALL_SETTLEMENTS):
            return self.all()
        return self.filter(facility__in=Facility.objects.for_user(user).values("pk"))


class StaffRole(models.TextChoices):
    VILLAGE_DOCTOR = "village_doctor", "乡村医生"
    OTHER = "other", "其他医务人员"


class MedicalStaff(models.Model):
    """A medical worker of a health facility (乡村医生 or another medical worker), for the period they work there."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="medical_staff", verbose_name="医疗卫生机构"
    )
    name = models.CharField("姓名", max_length=30)
    sex = models.CharField("性别", max_length=1, choices=Sex.CHOICES)
    role = models.CharField("岗位", max_length=20, choices=StaffRole.choices)
    western_and_chinese = models.BooleanField("能西会中", default=False, help_text="既能用西医也会用中医诊疗。")
    qualification = models.CharField(
        "执业资格", max_length=60, blank=True, help_text="如 乡村医生执业证书、执业助理医师。"
    )
    trained_on = models.DateField("完成培训日期", null=True, blank=True, help_text="尚未完成培训的留空。")
    start_date = models.DateField("到岗日期")
    end_date = models.DateField("离岗日期", null=True, blank=True, help_text="在岗的最后一天（含当天）；仍在岗的留空。")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )

    objects = FacilityScopedQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="医务人员变更")

    class Meta:
        verbose_name = "医务人员"
        verbose_name_plural = "医务人员"
        ordering = ["facility_id", "role", "start_date", "id"]
        indexes = [models.Index(fields=["facility", "start_date"], name="medical_staff_facility_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="medical_staff_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.facility} {self.name}"

    @property
    def is_doctor(self) -> bool:
        return self.role == StaffRole.VILLAGE_DOCTOR

    @property
    def is_woman(self) -> bool:
        return self.sex == Sex.FEMALE

    def at_work_on(self, day) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)

    def trained_by(self, day) -> bool:
        return self.trained_on is not None and self.trained_on <= day


class ScreeningStatus(models.TextChoices):
    SCREENED = "screened", "筛查"
    LEDGER = "ledger", "已建台账"
    TREATING = "treating", "救治中"
    TREATED = "treated", "已救治"
    MONITORING = "monitoring", "动态监测"


class IllnessScreening(models.Model):
    """A registered-poor person's entry in the serious-illness screening ledger (大病筛查台账): when they were
    screened, the diagnosis, where their 大病专项救治 stands. One entry per person; its monitoring is dated."""

    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="illness_screening", verbose_name="人员"
    )
    screened_on = models.DateField("筛查日期")
    diagnosis = models.CharField("诊断", max_length=100)
    status = models.CharField("大病专项救治情况", max_length=20, choices=ScreeningStatus.choices)
    treated_at = models.CharField("救治医院", max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = PersonScopedQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="大病筛查台账变更")

    class Meta:
        verbose_name = "大病筛查台账"
        verbose_name_plural = "大病筛查台账"
        ordering = ["-screened_on", "-id"]
        indexes = [models.Index(fields=["screened_on"], name="screening_screened_on")]

    def __str__(self):
        return f"{self.person} {self.screened_on:%Y-%m-%d}"


class MonitoringEntryQuerySet(ScopedQuerySet):
    settlement_path = "screening__person__settlement_id"


class MonitoringEntry(models.Model):
    """One dated entry of a screened person's 动态管理和监测: a visit, a check-up, a change in treatment."""

    screening = models.ForeignKey(
        IllnessScreening, on_delete=models.CASCADE, related_name="entries", verbose_name="大病筛查台账"
    )
    noted_on = models.DateField("日期")
    note = models.CharField("情况", max_length=300)
    status = models.CharField(
        "此后的救治情况", max_length=20, choices=ScreeningStatus.choices, help_text="登记后台账的救治情况随之更新。"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )

    objects = MonitoringEntryQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="动态监测记录变更")

    class Meta:
        verbose_name = "动态监测记录"
        verbose_name_plural = "动态监测记录"
        ordering = ["-noted_on", "-id"]

    def __str__(self):
        return f"{self.screening.person} {self.noted_on:%Y-%m-%d}"


class FamilyDoctorContract(models.Model):
    """A household's family-doctor contract (家庭医生签约): with a doctor of a health facility, or a team."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="family_doctor_contracts", verbose_name="户"
    )
    doctor = models.ForeignKey(
        MedicalStaff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name="签约医生",
    )
    team = models.CharField("签约团队", max_length=60, blank=True, help_text="未指定医生时填写家庭医生团队。")
    signed_on = models.DateField("签约日期")
    valid_to = models.DateField("有效期至", help_text="签约有效的最后一天（含当天）。")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )

    objects = HouseholdScopedQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="家庭医生签约变更")

    class Meta:
        verbose_name = "家庭医生签约"
        verbose_name_plural = "家庭医生签约"
        ordering = ["household_id", "-signed_on", "-id"]
        indexes = [models.Index(fields=["household", "signed_on"], name="contract_household_signed")]
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gte=F("signed_on")), name="contract_valid_after_signed"),
        ]

    def __str__(self):
        return f"{self.household} {self.signed_on:%Y-%m-%d}"

    @property
    def signed_with(self) -> str:
        return self.doctor.name if self.doctor_id else self.team
