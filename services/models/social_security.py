"""社会保障 (annex 1 tasks 6–7): insurance enrolments per person, 低保 per household, the one-time relief of
十三五. The rules that judge them (which schemes count as medical, the relief's period) are dated rule data
(`services.rules`)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from settlements.models import Household, Person

from .common import HouseholdScopedQuerySet, PersonScopedQuerySet


class Scheme(models.TextChoices):
    RESIDENT_MEDICAL = "resident_medical", "城乡居民基本医疗保险"
    RESIDENT_PENSION = "resident_pension", "城乡居民基本养老保险"
    EMPLOYEE_MEDICAL = "employee_medical", "城镇职工基本医疗保险"
    EMPLOYEE_PENSION = "employee_pension", "城镇职工基本养老保险"


class EnrolmentPlace(models.TextChoices):
    SETTLEMENT = "settlement", "安置地"
    ORIGIN = "origin", "迁出地"


class InsuranceEnrolment(models.Model):
    """A person's enrolment in one scheme for a period (参保登记), as the 医保局 or 人社局 ledger prints it."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="insurance_enrolments", verbose_name="人员"
    )
    scheme = models.CharField("险种", max_length=20, choices=Scheme.choices)
    place = models.CharField(
        "参保地", max_length=20, choices=EnrolmentPlace.choices, help_text="安置地或迁出地（转移接续前）。"
    )
    start_date = models.DateField("参保起始日期")
    end_date = models.DateField(
        "参保截止日期",
        null=True,
        blank=True,
        help_text="保障期的最后一天（含当天），即医保局台账“参保起止日期”的止日；仍在参保的留空。",
    )
    premium_subsidy = models.BooleanField("享受代缴补贴", default=False)
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = PersonScopedQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="参保记录变更")

    class Meta:
        verbose_name = "参保记录"
        verbose_name_plural = "参保记录"
        ordering = ["person_id", "start_date", "id"]
        indexes = [models.Index(fields=["person", "scheme", "start_date"], name="enrolment_person_scheme")]
        constraints = [
            models.UniqueConstraint(fields=["person", "scheme", "start_date"], name="one_enrolment_per_scheme_start"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="enrolment_end_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.person} {self.get_scheme_display()} {self.start_date:%Y-%m-%d}起"


class DibaoKind(models.TextChoices):
    URBAN = "urban", "城市低保"
    RURAL = "rural", "农村低保"


class DibaoBasis(models.TextChoices):
    HUKOU = "hukou", "已落户安置地"
    RESIDENCE_PERMIT = "residence_permit", "办理居住证"
    CITIZEN_CARD = "citizen_card", "持易地扶贫搬迁市民证"


class Dibao(models.Model):
    """A household's 最低生活保障 for a period: urban (at the settlement's standard, on one of the three bases
    the annex names) or rural."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="dibao", verbose_name="搬迁户")
    kind = models.CharField("低保类别", max_length=10, choices=DibaoKind.choices)
    basis = models.CharField(
        "纳入城市低保的依据",
        max_length=20,
        choices=DibaoBasis.choices,
        blank=True,
        help_text="城市低保必填：已落户、居住证或市民证（附件1第7项）。",
    )
    start_date = models.DateField("起始日期")
    end_date = models.DateField(
        "截止日期", null=True, blank=True, help_text="享受低保的最后一天（含当天）；仍在享受的留空。"
    )
    kept_after_exit = models.BooleanField(
        "脱贫不脱保", default=False, help_text="脱贫后收入仍低于低保标准，继续享受低保。"
    )
    monthly_amount = models.DecimalField(
        "月保障金额（元）",
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="原文件未给出低保标准（只写“按安置地标准”），按民政部门核定的金额填写，可空。",
    )
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = HouseholdScopedQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="低保记录变更")

    class Meta:
        verbose_name = "低保记录"
        verbose_name_plural = "低保记录"
        ordering = ["household_id", "-start_date", "-id"]
        indexes = [models.Index(fields=["household", "start_date"], name="dibao_household_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="dibao_end_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.household} {self.get_kind_display()} {self.start_date:%Y-%m-%d}起"


class OneTimeRelief(models.Model):
    """The one-time temporary relief of 十三五 (搬迁贫困群众一次性临时救助): at most once per household."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="one_time_reliefs", verbose_name="搬迁户"
    )
    granted_on = models.DateField("发放日期")
    amount = models.DecimalField("救助金额（元）", max_digits=9, decimal_places=2)
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = HouseholdScopedQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="临时救助记录变更")

    class Meta:
        verbose_name = "一次性临时救助"
        verbose_name_plural = "一次性临时救助"
        ordering = ["-granted_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["household"], name="one_relief_per_household")]

    def __str__(self):
        return f"{self.household} {self.granted_on:%Y-%m-%d}"
