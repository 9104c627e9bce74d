"""社区综合服务 (annex 1 task 10): the cadres origin townships post to the settlements, and the monthly service
day (县生态移民局 with 县政务服务中心 or other units, on a Thursday afternoon)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from settlements.models import ResponsibleUnit, ScopedQuerySet, Settlement


class CadrePosting(models.Model):
    """A cadre an origin township posts to a settlement (迁出地乡镇明确干部到搬迁安置点进行服务)."""

    origin_township = models.CharField("迁出乡镇", max_length=40, help_text="与户籍台账中搬迁户的“迁出乡镇”写法一致。")
    settlement = models.ForeignKey(
        Settlement, on_delete=models.PROTECT, related_name="cadre_postings", verbose_name="派驻安置点"
    )
    cadre_name = models.CharField("干部姓名", max_length=30)
    unit = models.CharField("单位及职务", max_length=100, blank=True)
    start_date = models.DateField("派驻起始日期")
    end_date = models.DateField(
        "派驻截止日期", null=True, blank=True, help_text="在岗的最后一天（含当天）；仍在岗的留空。"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="派驻干部变更")

    class Meta:
        verbose_name = "迁出地派驻干部"
        verbose_name_plural = "迁出地派驻干部"
        ordering = ["origin_township", "start_date", "id"]
        indexes = [
            models.Index(fields=["origin_township", "start_date"], name="posting_township_start"),
            models.Index(fields=["settlement", "start_date"], name="posting_settlement_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="posting_end_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.origin_township} {self.cadre_name}"


class ServiceDay(models.Model):
    """A monthly on-site service day at a settlement (服务直通车: 每月到各安置点一次，具体安排在周四下午)."""

    settlement = models.ForeignKey(
        Settlement, on_delete=models.PROTECT, related_name="service_days", verbose_name="安置点"
    )
    held_on = models.DateField("服务日期")
    starts_at = models.TimeField("开始时间")
    units = models.ManyToManyField(ResponsibleUnit, related_name="service_days", verbose_name="参加单位")
    matters = models.TextField("集中办理的事项", help_text="如 医保参保登记、市民证办理、低保申请受理。")
    households_served = models.PositiveIntegerField("服务户数", default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="服务日变更", m2m_fields=[units])

    class Meta:
        verbose_name = "服务日"
        verbose_name_plural = "服务日"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["settlement", "held_on"], name="service_day_settlement_held")]
        constraints = [
            models.UniqueConstraint(fields=["settlement", "held_on"], name="one_service_day_per_settlement_and_day")
        ]

    def __str__(self):
        return f"{self.settlement} {self.held_on:%Y-%m-%d}"
