"""公共教育 (annex 1 tasks 1–4): the schools' catchments (就学安排), each child's enrolments with their end and
the 控辍保学 visits after a dropout, student aid per school year, and the episodes of a child of compulsory age
out of school (the claim of the nightly alert).

Schools and kindergartens are the core's facilities (`settlements.Facility` of the kinds in `SchoolLevel`), not a
model of this app. What counts as school age and which aid each stage owes are dated rule data
(`services.schooling_rules`).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from settlements import capabilities
from settlements.models import Facility, Person, Settlement

from .common import PersonScopedQuerySet


class SchoolLevel(models.TextChoices):
    """A school's level, named by the facility kind that marks a school of that level."""

    KINDERGARTEN = "kindergarten", "学前"
    PRIMARY = "primary_school", "小学"
    MIDDLE = "middle_school", "初中"
    HIGH = "high_school", "高中"


class Stage(models.TextChoices):
    """The stages of the school-age rule and of student aid."""

    PRESCHOOL = "preschool", "学前教育"
    COMPULSORY = "compulsory", "义务教育"
    HIGH_SCHOOL = "high_school", "高中阶段教育"


STAGE_OF_LEVEL = {
    SchoolLevel.KINDERGARTEN: Stage.PRESCHOOL,
    SchoolLevel.PRIMARY: Stage.COMPULSORY,
    SchoolLevel.MIDDLE: Stage.COMPULSORY,
    SchoolLevel.HIGH: Stage.HIGH_SCHOOL,
}
SCHOOL_KINDS = tuple(SchoolLevel.values)  # the facility kinds that are schools


class CatchmentQuerySet(models.QuerySet):
    def for_user(self, user):
        """A settlement's catchments within the user's scope; those by origin township are the county's, read by
        every reader of the services."""
        if capabilities.has(user, capabilities.SEE_ALL_SETTLEMENTS):
            return self.all()
        settlement_ids = list(Settlement.objects.for_user(user).values_list("pk", flat=True))
        return self.filter(Q(settlement_id__in=settlement_ids) | Q(settlement__isnull=True))


class Catchment(models.Model):
    """Where the children of a settlement (or, for 初中, of an origin township) go to school at one level, for a
    period: annex 1 task 1 (就学安排), kept by the office as the 县教育科技局 arranges it."""

    level = models.CharField("学段", max_length=20, choices=SchoolLevel.choices)
    school = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="school_catchments", verbose_name="学校"
    )
    settlement = models.ForeignKey(
        Settlement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="school_catchments",
        verbose_name="安置点",
        help_text="按安置点安排的填写安置点；按迁出乡镇安排的（初中）留空，填写迁出乡镇。",
    )
    origin_township = models.CharField(
        "迁出乡镇", max_length=40, blank=True, help_text="与户籍台账中搬迁户的“迁出乡镇”写法一致。"
    )
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("截止日期", null=True, blank=True, help_text="安排的最后一天（含当天）；仍有效的留空。")
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
        help_text="空表示由 manage.py load_catchments 按原文件载入。",
    )

    objects = CatchmentQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="就学安排变更")

    class Meta:
        verbose_name = "就学安排"
        verbose_name_plural = "就学安排"
        ordering = ["level", "settlement_id", "origin_township", "valid_from", "id"]
        indexes = [
            models.Index(fields=["settlement", "level", "valid_from"], name="catchment_settlement_level"),
            models.Index(fields=["origin_township", "level"], name="catchment_township_level"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(settlement__isnull=False) & Q(origin_township=""))
                | (Q(settlement__isnull=True) & ~Q(origin_township="")),
                name="catchment_settlement_or_township",
                violation_error_message="请选择安置点，或填写迁出乡镇（按迁出乡镇安排的初中）：两项只填一项。",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="catchment_end_after_start",
                violation_error_message="截止日期不能早于起始日期。",
            ),
        ]

    def __str__(self):
        place = self.settlement.name if self.settlement_id else f"{self.origin_township}（迁出乡镇）"
        return f"{place} {self.get_level_display()} {self.school}"


class EndReason(models.TextChoices):
    TRANSFER = "transfer", "转学"
    GRADUATED = "graduated", "毕业"
    DROPOUT = "dropout", "辍学"


class SchoolEnrolment(models.Model):
    """A child's enrolment at one school (入学) from a day until they leave it: 在读 while open on a day."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="school_enrolments", verbose_name="学生")
    school = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="school_enrolments", verbose_name="学校"
    )
    level = models.CharField("学段", max_length=20, choices=SchoolLevel.choices)
    grade = models.CharField("年级", max_length=20, help_text="如 三年级、初二、高一、中班。")
    start_date = models.DateField("入学日期")
    end_date = models.DateField(
        "离校日期", null=True, blank=True, help_text="在该校的最后一天（含当天）；仍在读的留空。"
    )
    end_reason = models.CharField("离校原因", max_length=20, choices=EndReason.choices, blank=True)
    end_note = models.CharField("离校说明", max_length=200, blank=True, help_text="辍学的须写明原因。")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = PersonScopedQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="就读记录变更")

    class Meta:
        verbose_name = "就读记录"
        verbose_name_plural = "就读记录"
        ordering = ["person_id", "start_date", "id"]
        indexes = [models.Index(fields=["person", "start_date"], name="school_enrolment_person_start")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "school", "start_date"],
                name="one_enrolment_per_school_start",
                violation_error_message="该学生在该校同一入学日期已有就读记录。",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(end_date__isnull=True),
                name="one_open_school_enrolment",
                violation_error_message="该学生已有一条在读的就读记录：转学的请先登记原学校的离校。",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="school_enrolment_end_after_start",
                violation_error_message="离校日期不能早于入学日期。",
            ),
            models.CheckConstraint(
                condition=(Q(end_date__isnull=True) & Q(end_reason=""))
                | (Q(end_date__isnull=False) & ~Q(end_reason="")),
                name="school_enrolment_end_has_reason",
                violation_error_message="填写离校日期的须选择离校原因；仍在读的不填写离校原因。",
            ),
        ]

    def __str__(self):
        return f"{self.person} {self.school} {self.start_date:%Y-%m-%d}起"

    @property
    def is_dropout(self) -> bool:
        return self.end_reason == EndReason.DROPOUT


class VisitResult(models.TextChoices):
    RETURNED = "returned", "已返校"
    PERSUADING = "persuading", "劝返中"
    OTHER = "other", "其他"


class DropoutVisitQuerySet(PersonScopedQuerySet):
    settlement_path = "dropout__person__settlement_id"


class DropoutVisit(models.Model):
    """A 控辍保学 visit to a child who dropped out (an enrolment that ended 辍学), until they are enrolled again."""

    dropout = models.ForeignKey(
        SchoolEnrolment, on_delete=models.PROTECT, related_name="dropout_visits", verbose_name="辍学记录"
    )
    visited_on = models.DateField("走访日期")
    visitors = models.CharField("走访人", max_length=100, help_text="如 包保干部、班主任、社区干部的姓名。")
    actions = models.TextField("开展的工作", max_length=1000)
    result = models.CharField("结果", max_length=20, choices=VisitResult.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = DropoutVisitQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="控辍保学走访变更")

    class Meta:
        verbose_name = "控辍保学走访"
        verbose_name_plural = "控辍保学走访"
        ordering = ["dropout_id", "visited_on", "id"]

    def __str__(self):
        return f"{self.dropout.person} {self.visited_on:%Y-%m-%d}"


class StudentAid(models.Model):
    """Aid a child received for a school year under the scheme of their stage (两补, 两免两补, 两助三免)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="student_aid", verbose_name="学生")
    school_year = models.PositiveSmallIntegerField("学年", help_text="学年开始的年份：2026 即 2026—2027 学年。")
    scheme = models.CharField("资助项目", max_length=20)
    amount = models.DecimalField(
        "金额（元）",
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="原文件未给出资助标准，按实际发放的填写，可空。",
    )
    granted_on = models.DateField("发放日期")
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = PersonScopedQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="学生资助变更")

    class Meta:
        verbose_name = "学生资助"
        verbose_name_plural = "学生资助"
        ordering = ["person_id", "-school_year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "school_year", "scheme"],
                name="one_aid_per_scheme_and_year",
                violation_error_message="该学生该学年的这一资助项目已有登记。",
            )
        ]

    def __str__(self):
        return f"{self.person} {self.school_year}学年 {self.scheme}"

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)


def school_year_label(year: int) -> str:
    """2026 → “2026—2027学年”."""
    return f"{year}—{year + 1}学年"


class OutOfSchoolEpisode(models.Model):
    """A child's spell of compulsory age out of school: the centre is alerted once per episode (the open row is
    the claim, `tasks.episodes`)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="out_of_school_episodes")
    started_on = models.DateField("发现日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)

    class Meta:
        verbose_name = "失学辍学记录"
        verbose_name_plural = "失学辍学记录"
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(ended_on__isnull=True), name="one_open_out_of_school_episode"
            )
        ]

    def __str__(self):
        return f"{self.person} {self.started_on:%Y-%m-%d}"
