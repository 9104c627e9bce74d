"""新旧住房对比照片 (annex 3 四(一), master plan item 10): the photo of a household's old house beside its new one,
collected and hung in the new home by 县生态移民局 (A3-R12), due by a date that depends on the household's
project year (the plan's deadlines, `tasks.household_duties`)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from settlements.models import Household, ResponsibleUnit, ScopedQuerySet

DEFAULT_HANGING_UNIT = "县生态移民局"  # A3-R12: 新旧对比照片 → 县生态移民局 ("收集整理…合理悬挂")


class HousePhotoQuerySet(ScopedQuerySet):
    """Hangings read within their household's settlement."""

    settlement_path = "household__settlement_id"


class HousePhoto(models.Model):
    """The hanging of a household's old-vs-new house photo; the photos themselves (the old house and the new,
    several files) through the portal's photo mechanism (`settlements.photos`)."""

    household = models.OneToOneField(
        Household, on_delete=models.PROTECT, related_name="house_photo", verbose_name="搬迁户"
    )
    hung_on = models.DateField("悬挂日期")
    hung_by = models.ForeignKey(ResponsibleUnit, on_delete=models.PROTECT, related_name="+", verbose_name="悬挂单位")
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )

    objects = HousePhotoQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="新旧住房对比照片悬挂变更")

    class Meta:
        verbose_name = "新旧住房对比照片悬挂"
        verbose_name_plural = "新旧住房对比照片悬挂"
        ordering = ["-hung_on", "-id"]
        indexes = [models.Index(fields=["hung_on"], name="house_photo_hung_on")]

    def __str__(self):
        return f"{self.household} {self.hung_on:%Y-%m-%d}"
