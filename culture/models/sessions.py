"""Education sessions and activities held at a settlement (annex 3 (一)(三)(四), seed 003 items 2 and 5): a
gratitude session and a literacy / town-life class every month, festival activities, 道德讲堂, 妇女夜校, 新时代讲习所
and 法制教育, each with its venue, organiser, participants and photos as evidence."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from settlements.models import Facility, Person, ResponsibleUnit, ScopedQuerySet, Settlement


class SessionKind(models.TextChoices):
    GRATITUDE = "gratitude", "感恩教育"
    LITERACY = "literacy", "扫盲及城镇生产生活方式适应性教育培训"
    FESTIVAL = "festival", "节庆文体活动（中华传统节日、重要节假日）"
    ETHNIC_FESTIVAL = "ethnic_festival", "少数民族特色节日活动"
    MORAL_LECTURE = "moral_lecture", "道德讲堂"
    WOMENS_NIGHT_SCHOOL = "womens_night_school", "妇女夜校"
    LECTURE_HALL = "lecture_hall", "新时代讲习所"
    LEGAL_EDUCATION = "legal_education", "法制教育（普法宣传）"


SHORT_NAMES = {  # the calendar's column heads
    SessionKind.GRATITUDE: "感恩教育",
    SessionKind.LITERACY: "扫盲及适应性培训",
    SessionKind.FESTIVAL: "节庆文体活动",
    SessionKind.ETHNIC_FESTIVAL: "少数民族节日",
    SessionKind.MORAL_LECTURE: "道德讲堂",
    SessionKind.WOMENS_NIGHT_SCHOOL: "妇女夜校",
    SessionKind.LECTURE_HALL: "新时代讲习所",
    SessionKind.LEGAL_EDUCATION: "法制教育",
}


class Session(models.Model):
    """One session or activity held at a settlement on a day."""

    settlement = models.ForeignKey(
        Settlement, on_delete=models.PROTECT, related_name="culture_sessions", verbose_name="安置点"
    )
    kind = models.CharField("活动类别", max_length=30, choices=SessionKind.choices)
    held_on = models.DateField("活动日期")
    title = models.CharField("主题", max_length=100)
    venue = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="culture_sessions",
        verbose_name="活动场所（设施）",
        help_text="服务本安置点的设施；不在设施台账中的场所填在“其他场所”。",
    )
    venue_text = models.CharField("其他场所", max_length=100, blank=True, help_text="如 小区广场、楼栋架空层。")
    organiser = models.ForeignKey(
        ResponsibleUnit, on_delete=models.PROTECT, related_name="culture_sessions", verbose_name="组织单位"
    )
    participant_count = models.PositiveIntegerField("参加人数")
    participants = models.ManyToManyField(
        Person, blank=True, related_name="culture_sessions", verbose_name="参加人员（台账中的）"
    )
    note = models.TextField("备注", max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="活动变更", m2m_fields=[participants])

    class Meta:
        verbose_name = "教育活动"
        verbose_name_plural = "教育活动"
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["settlement", "held_on"], name="culture_session_settlement_day"),
            models.Index(fields=["kind", "held_on"], name="culture_session_kind_day"),
        ]

    def __str__(self):
        return f"{self.settlement} {self.held_on:%Y-%m-%d} {self.get_kind_display()}"

    @property
    def venue_name(self) -> str:
        return self.venue.name if self.venue_id else self.venue_text
