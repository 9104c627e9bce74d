"""The culture facilities' own records (annex 3 五): the culture facilities themselves are the core's
(`settlements.Facility` of the 文化 kinds, judged by their standards in `settlements.facilities`); kept here are
the 乡愁馆's steps and collection (A3-W1, A3-E9), the 农家书屋's book-stock updates (A3-E6), the culture teams
(A3-E7) and the county's art works (A3-E8)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from settlements import capabilities
from settlements.models import Facility, ResponsibleUnit

NOSTALGIA_HALL = "nostalgia_hall"  # fixtures/facility_kinds.json
BOOK_KINDS = ("rural_library", "reading_room")  # the kinds that record a book stock (`books`)
BOOKS = "books"


class FacilityRecordQuerySet(models.QuerySet):
    """Records of a facility, read and kept as their facility is (`Facility.objects.for_user` / `kept_by`)."""

    def for_user(self, user):
        return self.filter(facility__in=Facility.objects.for_user(user).values("pk"))

    def kept_by(self, user):
        return self.filter(facility__in=Facility.objects.kept_by(user).values("pk"))


class NostalgiaStepKind(models.TextChoices):
    """A3-W1 in the order printed: “进行实地调查、研究，制定具体实施方案，并做好物件、图片、文字征集和场馆布置工作”."""

    SURVEY = "survey", "实地调查、研究"
    PLAN = "plan", "制定具体实施方案"
    COLLECTION = "collection", "物件、图片、文字征集"
    LAYOUT = "layout", "场馆布置"


STEP_ORDER = list(NostalgiaStepKind.values)


class NostalgiaStep(models.Model):
    """One step of a 乡愁馆's workflow, done on a day (a step follows the one printed before it)."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="nostalgia_steps", verbose_name="乡愁馆"
    )
    step = models.CharField("步骤", max_length=20, choices=NostalgiaStepKind.choices)
    done_on = models.DateField("完成日期")
    note = models.TextField("情况说明", max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )

    objects = FacilityRecordQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="乡愁馆步骤变更")

    class Meta:
        verbose_name = "乡愁馆建设步骤"
        verbose_name_plural = "乡愁馆建设步骤"
        ordering = ["facility", "done_on", "id"]
        constraints = [models.UniqueConstraint(fields=["facility", "step"], name="one_nostalgia_step_per_facility")]

    def __str__(self):
        return f"{self.facility} {self.get_step_display()}"

    @property
    def position(self) -> int:
        return STEP_ORDER.index(self.step)


class CollectionKind(models.TextChoices):
    OBJECT = "object", "物件"
    PICTURE = "picture", "图片"
    TEXT = "text", "文字"


class CollectionItem(models.Model):
    """An object, picture or text collected for a 乡愁馆 (物件、图片、文字征集)."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="collection_items", verbose_name="乡愁馆"
    )
    kind = models.CharField("类别", max_length=10, choices=CollectionKind.choices)
    title = models.CharField("名称", max_length=100)
    origin_township = models.CharField("来源乡镇", max_length=40, blank=True)
    origin_village = models.CharField("来源村寨", max_length=40, blank=True)
    donor = models.CharField("捐赠（提供）人", max_length=60, blank=True)
    collected_on = models.DateField("征集日期")
    note = models.TextField("说明", max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )

    objects = FacilityRecordQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="乡愁馆藏品变更")

    class Meta:
        verbose_name = "乡愁馆藏品"
        verbose_name_plural = "乡愁馆藏品"
        ordering = ["-collected_on", "-id"]
        indexes = [models.Index(fields=["facility", "collected_on"], name="collection_facility_day")]

    def __str__(self):
        return self.title


class BookStockUpdate(models.Model):
    """Books added to a 农家书屋 (or 图书室) on a day (“要定期更新书籍”). The facility's `books` attribute is the
    stock; each update adds its volumes to it (`culture.services.facilities.book_stock_update_save`)."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="book_stock_updates", verbose_name="农家书屋"
    )
    updated_on = models.DateField("更新日期")
    titles_added = models.PositiveIntegerField("新增种数")
    volumes_added = models.PositiveIntegerField("新增册数")
    note = models.TextField("说明", max_length=2000, blank=True, help_text="如 补充的书籍类别、来源。")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )

    objects = FacilityRecordQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="藏书更新变更")

    class Meta:
        verbose_name = "藏书更新"
        verbose_name_plural = "藏书更新"
        ordering = ["-updated_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(volumes_added__gte=F("titles_added")), name="volumes_not_below_titles")
        ]

    def __str__(self):
        return f"{self.facility} {self.updated_on:%Y-%m-%d}"

    def clean(self):
        if self.titles_added is not None and self.volumes_added is not None and self.volumes_added < self.titles_added:
            raise ValidationError({"volumes_added": "新增册数不能少于新增种数（每种至少一册）。"})


class ArtForm(models.TextChoices):
    SONG = "song", "歌曲"
    DANCE = "dance", "舞蹈"
    DRAMA = "drama", "戏剧、小品"
    FILM = "film", "影视、微电影"
    LITERATURE = "literature", "文学"
    FINE_ARTS = "fine_arts", "美术、摄影、书法"
    OTHER = "other", "其他"


class ArtWorkQuerySet(models.QuerySet):
    """The county's art works: read by whoever reads the culture ledger, kept by the office (a county record)."""

    def for_user(self, user):
        from ..capabilities import READ_CULTURE

        return self.all() if capabilities.has(user, READ_CULTURE) else self.none()

    def kept_by(self, user):
        return self.all() if capabilities.has(user, capabilities.SEE_ALL_SETTLEMENTS) else self.none()


class ArtWork(models.Model):
    """A work reflecting the relocated families' changed lives (“反映搬迁群众生产生活巨变的优秀文艺作品”): the
    county's, not a settlement's."""

    title = models.CharField("作品名称", max_length=100)
    form = models.CharField("体裁", max_length=20, choices=ArtForm.choices)
    completed_on = models.DateField("完成日期")
    authors = models.CharField("作者", max_length=200, blank=True)
    units = models.ManyToManyField(ResponsibleUnit, blank=True, related_name="+", verbose_name="创作（组织）单位")
    note = models.TextField("简介", max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )

    objects = ArtWorkQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="文艺作品变更", m2m_fields=[units])

    class Meta:
        verbose_name = "文艺作品"
        verbose_name_plural = "文艺作品"
        ordering = ["-completed_on", "-id"]

    def __str__(self):
        return self.title
