"""户籍管理 (annex 1 task 8, master plan item 1): the date a person moved their hukou to the settlement, and for
those who kept it, the 易地扶贫搬迁市民证. Recording either sets the registry's `Person.hukou_status` through
the core's person service, so the two never disagree."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from settlements.models import Person

from .common import PersonScopedQuerySet

MSG_CARD_NUMBER_TAKEN = "该市民证号已登记给另一人。"


class HukouTransfer(models.Model):
    """A person's voluntary move of their hukou to the settlement (落户安置地)."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="hukou_transfer", verbose_name="人员")
    transferred_on = models.DateField("户籍迁入日期")
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = PersonScopedQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="户籍迁移记录变更")

    class Meta:
        verbose_name = "户籍迁移"
        verbose_name_plural = "户籍迁移"
        ordering = ["-transferred_on", "-id"]

    def __str__(self):
        return f"{self.person} {self.transferred_on:%Y-%m-%d}"


class CitizenCard(models.Model):
    """The 易地扶贫搬迁市民证 of a person who kept their rural hukou (县内安置、暂未迁移户籍)."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="citizen_card", verbose_name="人员")
    number = models.CharField("市民证号", max_length=30, unique=True, error_messages={"unique": MSG_CARD_NUMBER_TAKEN})
    issued_on = models.DateField("发证日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = PersonScopedQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="市民证记录变更")

    class Meta:
        verbose_name = "易地扶贫搬迁市民证"
        verbose_name_plural = "易地扶贫搬迁市民证"
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["issued_on"], name="citizen_card_issued")]

    def __str__(self):
        return f"{self.person} {self.number}"
