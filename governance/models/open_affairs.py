"""居务公开、会议和协商、民主评议、自治章程 (annex 4 items 12–15): the office's catalogue of what is published,
each publication with where and when it was posted; residents' meetings and their decisions, each decision on a
matter touching the residents' interests linked to the consultation before it; democratic evaluations; and the
residents' charter and compact of each settlement."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from settlements.models import ScopedQuerySet, Settlement


class AffairCategory(models.TextChoices):
    """The catalogue's categories, as annex 4 item 14 names them."""

    PROCEDURES = "procedures", "办事流程"
    PROGRESS = "progress", "工作进度"
    EFFECTS = "effects", "执行效果"
    FINANCES = "finances", "经费收支"
    ASSISTANCE = "assistance", "社会救助和精准帮扶"
    PROPERTY_FEE = "property_fee", "物业管理费定价及收缴"
    UTILITIES = "utilities", "水电费定价及收缴"
    NETWORK_TV = "network_tv", "网络电视费定价及收缴"
    GAS = "gas", "燃气费定价及收缴"
    FUNDED_PROJECT = "funded_project", "公共财政资助或第三方资助的项目"


class Frequency(models.TextChoices):
    """How often an item is due. The seed says "及时公开" and "全程公开" without a period: read as no fixed
    frequency (`AS_NEEDED`); only a monthly or quarterly frequency the office sets is checked."""

    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"
    AS_NEEDED = "as_needed", "及时公开（不定期，逢变化即公开）"


class CatalogueItem(models.Model):
    """An item of the open-affairs catalogue (公开目录), kept by the office for every settlement."""

    category = models.CharField("类别", max_length=20, choices=AffairCategory.choices)
    title = models.CharField("公开事项", max_length=100)
    frequency = models.CharField("公开频次", max_length=12, choices=Frequency.choices, default=Frequency.AS_NEEDED)
    start_date = models.DateField("启用日期", help_text="从这一天起按公开频次检查。")
    end_date = models.DateField("停用日期", null=True, blank=True, help_text="仍在使用的留空。")
    note = models.CharField("说明", max_length=200, blank=True)

    history = HistoricalRecords(verbose_name="公开目录变更")

    class Meta:
        verbose_name = "公开目录事项"
        verbose_name_plural = "公开目录"
        ordering = ["category", "title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "title"], name="one_catalogue_item_per_title"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="catalogue_end_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()}：{self.title}"


class Place(models.TextChoices):
    COMMUNITY = "community", "安置点社区"
    ORIGIN_VILLAGE = "origin_village", "迁出村"


class Publication(models.Model):
    """A notice posted (公开) about a catalogue item: in the settlement's community, or, for the assistance the
    settlement's residents received, in their origin village as the mirror of the community's notice."""

    settlement = models.ForeignKey(
        Settlement, on_delete=models.PROTECT, related_name="publications", verbose_name="安置点"
    )
    item = models.ForeignKey(
        CatalogueItem, on_delete=models.PROTECT, related_name="publications", verbose_name="公开事项"
    )
    title = models.CharField("标题", max_length=100)
    published_on = models.DateField("公开日期")
    place = models.CharField("公开地点", max_length=16, choices=Place.choices, default=Place.COMMUNITY)
    origin_township = models.CharField("迁出乡镇", max_length=40, blank=True)
    origin_village = models.CharField("迁出村", max_length=40, blank=True)
    mirror_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mirrors",
        verbose_name="对应的安置点社区公开",
    )
    content = models.TextField("公开内容摘要")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="居务公开变更")

    class Meta:
        verbose_name = "居务公开"
        verbose_name_plural = "居务公开"
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["settlement", "published_on"], name="publication_settlement_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(place="community", mirror_of__isnull=True, origin_township="", origin_village="")
                | Q(place="origin_village", mirror_of__isnull=False),
                name="publication_place_consistent",
            ),
        ]

    def __str__(self):
        return f"{self.settlement.name} {self.published_on:%Y-%m-%d} {self.title}"

    @property
    def where(self) -> str:
        if self.place == Place.ORIGIN_VILLAGE:
            return f"迁出村（{self.origin_township}{self.origin_village}）"
        return f"{self.settlement.name}安置点社区"


class MeetingKind(models.TextChoices):
    RESIDENTS = "residents", "居民会议"
    REPRESENTATIVES = "representatives", "居民代表会议"
    CONSULTATION = "consultation", "居民协商议事会议"


class ResidentsMeeting(models.Model):
    """A residents' meeting, representatives' meeting or consultation meeting of a settlement (A4-E10)."""

    settlement = models.ForeignKey(
        Settlement, on_delete=models.PROTECT, related_name="residents_meetings", verbose_name="安置点"
    )
    kind = models.CharField("会议类型", max_length=20, choices=MeetingKind.choices)
    held_on = models.DateField("召开日期")
    topics = models.TextField("议题")
    participants = models.PositiveIntegerField("参加人数", validators=[MaxValueValidator(100000)])
    outcome = models.TextField("会议结果（协商意见或决议概要）", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="会议变更")

    class Meta:
        verbose_name = "居民会议和协商议事会议"
        verbose_name_plural = "居民会议和协商议事会议"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["settlement", "held_on"], name="meeting_settlement_held")]

    def __str__(self):
        return f"{self.settlement.name} {self.held_on:%Y-%m-%d} {self.get_kind_display()}"


class DecisionQuerySet(ScopedQuerySet):
    settlement_path = "meeting__settlement_id"


class MeetingDecision(models.Model):
    """A decision a meeting took. One on a matter touching the residents' interests (涉及搬迁群众切身利益的重大事项
    或需搬迁群众投工投劳的公共公益事项) names the consultation meeting on the same matter held before it."""

    meeting = models.ForeignKey(
        ResidentsMeeting, on_delete=models.PROTECT, related_name="decisions", verbose_name="会议"
    )
    matter = models.CharField("事项", max_length=200)
    decision = models.TextField("决定内容")
    touches_interests = models.BooleanField(
        "涉及群众切身利益或需投工投劳",
        default=False,
        help_text="涉及搬迁群众切身利益的重大事项或需搬迁群众投工投劳的公共公益事项，须先协商后决策。",
    )
    consultation = models.ForeignKey(
        ResidentsMeeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions_consulted",
        verbose_name="事先协商的会议",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )

    objects = DecisionQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="会议决定变更")

    class Meta:
        verbose_name = "会议决定"
        verbose_name_plural = "会议决定"
        ordering = ["meeting", "id"]

    def __str__(self):
        return f"{self.meeting} {self.matter}"


class EvaluationObject(models.TextChoices):
    CADRES = "cadres", "安置点社区干部"
    PUBLIC_SERVICE = "public_service", "政府部门公共服务质量"
    UNIT = "unit", "其他单位"


class DemocraticEvaluation(models.Model):
    """A democratic evaluation (民主评议) residents made of the community's cadres or a department's public
    service, organised by the township, street office or service centre (A4-E12)."""

    settlement = models.ForeignKey(
        Settlement, on_delete=models.PROTECT, related_name="democratic_evaluations", verbose_name="安置点"
    )
    held_on = models.DateField("评议日期")
    evaluated = models.CharField("评议对象", max_length=20, choices=EvaluationObject.choices)
    evaluated_name = models.CharField(
        "被评议的单位或人员", max_length=100, blank=True, help_text="评议对象为“其他单位”时必填，如 县供电局。"
    )
    organiser = models.CharField("组织单位", max_length=100, help_text="乡镇、街道（社区服务中心）。")
    participants = models.PositiveIntegerField("参加人数", validators=[MaxValueValidator(100000)])
    results = models.TextField("评议结果")
    satisfaction = models.DecimalField(
        "满意率（%）",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="评议结果给出满意率时填写。",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="民主评议变更")

    class Meta:
        verbose_name = "民主评议"
        verbose_name_plural = "民主评议"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["settlement", "held_on"], name="evaluation_settlement_held")]

    def __str__(self):
        return f"{self.settlement.name} {self.held_on:%Y-%m-%d} {self.object_label}"

    @property
    def object_label(self) -> str:
        label = self.get_evaluated_display()
        return f"{label}（{self.evaluated_name}）" if self.evaluated_name else label


class DocumentKind(models.TextChoices):
    CHARTER = "charter", "居民自治章程"
    COMPACT = "compact", "居民公约"


class SelfGovernanceDocument(models.Model):
    """The residents' charter or compact of a settlement as adopted on a day (A4-E13); a revision is a new row
    adopted later, which replaces the earlier one from its day."""

    settlement = models.ForeignKey(
        Settlement, on_delete=models.PROTECT, related_name="self_governance_documents", verbose_name="安置点"
    )
    kind = models.CharField("文件", max_length=10, choices=DocumentKind.choices)
    adopted_on = models.DateField("通过日期")
    adopted_by = models.CharField("通过的会议", max_length=100, blank=True, help_text="如 居民会议、居民代表会议。")
    text = models.TextField("全文或要点")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="自治章程和居民公约变更")

    class Meta:
        verbose_name = "居民自治章程和居民公约"
        verbose_name_plural = "居民自治章程和居民公约"
        ordering = ["settlement__sort_order", "kind", "-adopted_on"]
        constraints = [
            models.UniqueConstraint(fields=["settlement", "kind", "adopted_on"], name="one_document_version_a_day")
        ]

    def __str__(self):
        return f"{self.settlement.name} {self.get_kind_display()}（{self.adopted_on:%Y-%m-%d}）"
