"""The core registry: responsible units, work teams, settlements, buildings, households, persons, users.

Every queryset read on behalf of a user starts from `<Model>.objects.for_user(user)`; the rule of who sees
which settlement lives in `SettlementQuerySet.for_user` alone.
"""

import datetime
import re

from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Right
from django.utils import timezone
from simple_history.models import HistoricalRecords

from . import capabilities, personal_data
from .id_numbers import Sex, mask, normalize
from .roles import NO_ROLE_LABEL, Role
from .validators import validate_phone


class UnitKind(models.TextChoices):
    COUNTY_PARTY = "county_party", "县委部门"
    COUNTY_DEPARTMENT = "county_department", "县直部门"
    JUDICIAL = "judicial", "政法机关"
    ENTERPRISE = "enterprise", "国有企业和公用事业单位"
    MASS_ORGANISATION = "mass_organisation", "群团组织"
    TOWNSHIP = "township", "乡镇人民政府"
    TOWNSHIP_PARTY = "township_party", "乡镇党委"
    SERVICE_CENTRE = "service_centre", "社区服务中心"
    CENTRE_PARTY = "centre_party", "社区党工委"
    COLLECTIVE = "collective", "统称（多个单位）"


# Bodies that administer settlements (annex 3, 建设范围): service centres and townships.
ADMINISTERING_KINDS = (UnitKind.SERVICE_CENTRE, UnitKind.TOWNSHIP)


class NameKeyManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class CodeKeyManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class ResponsibleUnit(models.Model):
    """A 责任单位: a county bureau, company, township, service centre or a collective designation."""

    name = models.CharField("单位名称", max_length=60, unique=True)
    kind = models.CharField("单位类别", max_length=32, choices=UnitKind.choices)
    aliases = models.JSONField(
        "其他写法", default=list, blank=True, help_text="原文件中出现的简称或其他写法，用于匹配。"
    )
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    objects = NameKeyManager()

    class Meta:
        verbose_name = "责任单位"
        verbose_name_plural = "责任单位"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)

    @property
    def administers_settlements(self):
        return self.kind in ADMINISTERING_KINDS


class WorkTeam(models.Model):
    """One of the seven 工作专班 under the leading group, led by a unit (its 班长)."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("专班名称", max_length=60, unique=True)
    annex = models.PositiveSmallIntegerField("对应附件", unique=True)
    lead_unit = models.ForeignKey(
        ResponsibleUnit, on_delete=models.PROTECT, related_name="led_work_teams", verbose_name="牵头单位"
    )
    lead_basis = models.CharField("牵头依据", max_length=200, help_text="原文件中确定牵头单位的依据。")
    sort_order = models.PositiveIntegerField("排序", default=0)

    objects = CodeKeyManager()

    class Meta:
        verbose_name = "工作专班"
        verbose_name_plural = "工作专班"
        ordering = ["sort_order"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class SettlementQuerySet(models.QuerySet):
    def for_user(self, user):
        """The settlements whose records `user` may read. The one rule of registry scope."""
        if capabilities.has(user, capabilities.SEE_ALL_SETTLEMENTS):
            return self
        if user.is_authenticated and user.is_active and user.role == Role.CLERK and user.unit_id:
            return self.filter(administered_by_id=user.unit_id)
        return self.none()


class SettlementManager(CodeKeyManager.from_queryset(SettlementQuerySet)):
    pass


class Settlement(models.Model):
    """A 安置点 and the body that administers it."""

    code = models.SlugField("代码", max_length=30, unique=True)
    name = models.CharField("安置点", max_length=30, unique=True)
    full_name = models.CharField("全称", max_length=60)
    administered_by = models.ForeignKey(
        ResponsibleUnit,
        on_delete=models.PROTECT,
        related_name="administered_settlements",
        verbose_name="管理单位",
        limit_choices_to={"kind__in": ADMINISTERING_KINDS},
    )
    location = models.CharField("位置", max_length=100, blank=True)
    planned_households = models.PositiveIntegerField("计划安置户数", null=True, blank=True)
    planned_persons = models.PositiveIntegerField("计划安置人数", null=True, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    objects = SettlementManager()

    class Meta:
        verbose_name = "安置点"
        verbose_name_plural = "安置点"
        ordering = ["sort_order"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)

    def clean(self):
        if self.administered_by_id and not self.administered_by.administers_settlements:
            raise ValidationError({"administered_by": "管理单位必须是社区服务中心或乡镇人民政府。"})


class ScopedQuerySet(models.QuerySet):
    """A queryset of rows that reach a settlement through `settlement_path`: a `settlement` column of their own
    (buildings, households, persons), or their person's or household's (a domain app's records subclass it and
    name the path: "person__settlement_id").

    The settlement ids are read first and passed as a list: with a handful of literal ids PostgreSQL
    estimates and plans scoped searches over millions of rows well, which it does not with a subquery.
    """

    settlement_path = "settlement_id"

    def for_user(self, user):
        if capabilities.has(user, capabilities.SEE_ALL_SETTLEMENTS):
            return self.all()
        settlement_ids = list(Settlement.objects.for_user(user).values_list("pk", flat=True))
        return self.filter(**{f"{self.settlement_path}__in": settlement_ids})


class BuildingQuerySet(ScopedQuerySet):
    pass


class BuildingKind(models.TextChoices):
    """A block of flats has a building head (楼长), a courtyard of low houses a courtyard head (院长, seed 003
    item 14): the same record, one current head each, named by its kind."""

    BUILDING = "building", "楼栋"
    COURTYARD = "courtyard", "院落"


BUILDING_HEAD_TITLES = {BuildingKind.BUILDING: "楼长", BuildingKind.COURTYARD: "院长"}


class Building(models.Model):
    settlement = models.ForeignKey(
        Settlement, on_delete=models.PROTECT, related_name="buildings", verbose_name="安置点"
    )
    name = models.CharField("楼栋", max_length=30)
    kind = models.CharField("类别", max_length=20, choices=BuildingKind.choices, default=BuildingKind.BUILDING)

    objects = BuildingQuerySet.as_manager()

    class Meta:
        verbose_name = "楼栋"
        verbose_name_plural = "楼栋"
        ordering = ["settlement__sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["settlement", "name"], name="unique_building_per_settlement")]

    def __str__(self):
        return f"{self.settlement.name} {self.name}"

    @property
    def head_title(self) -> str:
        return BUILDING_HEAD_TITLES.get(self.kind, "楼长")


class ProjectYear(models.IntegerChoices):
    Y2016 = 2016, "2016年度"
    Y2017 = 2017, "2017年度"
    Y2018 = 2018, "2018年度"


class HouseholdStatus(models.TextChoices):
    ALLOCATED = "allocated", "已分房未入住"
    MOVED_IN = "moved_in", "已入住"
    MOVED_OUT = "moved_out", "已迁出"
    DISSOLVED = "dissolved", "已注销"


class HouseholdQuerySet(ScopedQuerySet):
    pass


class Household(models.Model):
    """A relocated household (搬迁户): the unit of 一户一册."""

    code = models.CharField("户编号", max_length=30, unique=True)
    settlement = models.ForeignKey(
        Settlement, on_delete=models.PROTECT, related_name="households", verbose_name="安置点"
    )
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="households", verbose_name="楼栋", null=True, blank=True
    )
    room_number = models.CharField("房号", max_length=20, blank=True)
    project_year = models.PositiveSmallIntegerField("搬迁年度", choices=ProjectYear.choices)
    origin_township = models.CharField("迁出乡镇", max_length=40)
    origin_village = models.CharField("迁出村", max_length=40, blank=True)
    registered_poor = models.BooleanField("建档立卡贫困户", default=False)
    move_in_date = models.DateField("入住日期", null=True, blank=True)
    moved_out_on = models.DateField("迁出（注销）日期", null=True, blank=True)
    move_out_reason = models.CharField("迁出（注销）原因", max_length=200, blank=True)
    status = models.CharField("状态", max_length=20, choices=HouseholdStatus.choices, default=HouseholdStatus.ALLOCATED)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = HouseholdQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="搬迁户变更记录")

    class Meta:
        verbose_name = "搬迁户"
        verbose_name_plural = "搬迁户"
        ordering = ["settlement__sort_order", "code"]
        indexes = [
            models.Index(fields=["settlement", "status"], name="household_settlement_status"),
            models.Index(fields=["settlement", "code"], name="household_settlement_code"),
            models.Index(fields=["room_number"], name="household_room"),  # the search by room number
        ]

    def __str__(self):
        return self.code

    def clean(self):
        if self.building_id and self.settlement_id and self.building.settlement_id != self.settlement_id:
            raise ValidationError({"building": "楼栋不属于所选安置点。"})


class Relation(models.TextChoices):
    HEAD = "head", "户主"
    SPOUSE = "spouse", "配偶"
    SON = "son", "子"
    DAUGHTER = "daughter", "女"
    DAUGHTER_IN_LAW = "daughter_in_law", "儿媳"
    SON_IN_LAW = "son_in_law", "女婿"
    GRANDSON = "grandson", "孙子"
    GRANDDAUGHTER = "granddaughter", "孙女"
    FATHER = "father", "父亲"
    MOTHER = "mother", "母亲"
    SIBLING = "sibling", "兄弟姐妹"
    OTHER = "other", "其他"


class Education(models.TextChoices):
    PRESCHOOL = "preschool", "学龄前"
    ILLITERATE = "illiterate", "文盲或半文盲"
    PRIMARY = "primary", "小学"
    JUNIOR = "junior", "初中"
    SENIOR = "senior", "高中"
    VOCATIONAL = "vocational", "中专或中技"
    COLLEGE = "college", "大专"
    BACHELOR = "bachelor", "本科及以上"


class Health(models.TextChoices):
    HEALTHY = "healthy", "健康"
    CHRONIC = "chronic", "长期慢性病"
    SERIOUS = "serious", "患有大病"
    DISABLED = "disabled", "残疾"


class HukouStatus(models.TextChoices):
    TRANSFERRED = "transferred", "已迁入安置地"
    CITIZEN_CARD = "citizen_card", "未迁移，持市民证"
    NOT_TRANSFERRED = "not_transferred", "未迁移"


class PersonStatus(models.TextChoices):
    ACTIVE = "active", "在册"
    LEFT = "left", "已迁出本户"
    DECEASED = "deceased", "已死亡"


# --- resident ID numbers, encrypted at rest ------------------------------------------------------------------
# The number is stored encrypted (SM4-GCM), with keyed hashes (HMAC-SM3) of the whole number, its last 4 and its
# last 6 characters for exact and partial search, and its first 6 digits (the region of registration) in clear.
# Birth date and sex are kept as ever; the masked form is computed from the decrypted number when shown.
ID_NUMBER = "person.id_number"  # the purposes bound into the ciphertext and the hashes
ID_TAIL4 = "person.id_number.last4"
ID_TAIL6 = "person.id_number.last6"
ID_NUMBER_COLUMNS = ("id_number_encrypted", "id_number_hash", "id_region", "id_tail4_hash", "id_tail6_hash")
MSG_ID_NUMBER_TAKEN = "该身份证号已登记在册。"
FULL_ID = re.compile(r"[0-9]{17}[0-9X]")
TAIL = re.compile(r"[0-9]*[0-9X]")


def stored_id_number(number: str) -> dict[str, str]:
    """The columns that store a resident ID number (normalised first), with the current key."""
    number = normalize(number)
    return {
        "id_number_encrypted": personal_data.encrypt(number, purpose=ID_NUMBER),
        "id_number_hash": personal_data.keyed_hash(number, purpose=ID_NUMBER),
        "id_region": number[:6],
        "id_tail4_hash": personal_data.keyed_hash(number[-4:], purpose=ID_TAIL4),
        "id_tail6_hash": personal_data.keyed_hash(number[-6:], purpose=ID_TAIL6),
    }


def read_id_number(ciphertext: str) -> str:
    """The ID number of a stored ciphertext ("" for none)."""
    return personal_data.decrypt(ciphertext, purpose=ID_NUMBER) if ciphertext else ""


def id_number_hashes(numbers) -> dict[str, str]:
    """{stored hash: number} for `numbers` under every configured key: matches stored persons back to numbers."""
    return personal_data.hash_table({normalize(number) for number in numbers}, purpose=ID_NUMBER)


def id_number_search(text: str, prefix: str = "") -> models.Q | None:
    """What a clerk types of an ID number, as a condition on persons (`prefix` reaches them through a
    relation, e.g. "person__"), or None when `text` is no such part: the whole number (exact); its first 6
    digits or its last 6; its last 4; or 8 digits that form a birth date (19850312)."""
    text = normalize(text)

    def hashed(column, purpose):
        return models.Q(**{f"{prefix}{column}__in": personal_data.keyed_hashes(text, purpose=purpose)})

    if FULL_ID.fullmatch(text):
        return hashed("id_number_hash", ID_NUMBER)
    if len(text) == 6 and TAIL.fullmatch(text):
        tail = hashed("id_tail6_hash", ID_TAIL6)
        return models.Q(**{f"{prefix}id_region": text}) | tail if text.isdigit() else tail
    if len(text) == 4 and TAIL.fullmatch(text):
        return hashed("id_tail4_hash", ID_TAIL4)
    if len(text) == 8 and text.isdigit():
        try:
            birth_date = datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            return None
        return models.Q(**{f"{prefix}birth_date": birth_date})
    return None


class PersonQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(status=PersonStatus.ACTIVE)

    def with_id_number(self, number: str):
        """The person registered with this ID number (found under any configured key)."""
        return self.with_id_numbers([number])

    def with_id_numbers(self, numbers):
        """The persons registered with any of these ID numbers; match them back with `id_number_hashes`."""
        return self.filter(id_number_hash__in=list(id_number_hashes(numbers)))

    def search_id_number(self, text: str):
        """The persons whose ID number a clerk's partial input names (see `id_number_search`)."""
        condition = id_number_search(text)
        return self.filter(condition) if condition is not None else self.none()


class Person(models.Model):
    """A member of a household (一人一档). Birth date and sex come from the ID number only."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members", verbose_name="所属户")
    # The household's settlement, kept beside the person so that scope and filters over millions of
    # persons need no join. Set by the services whenever the household is set or changes settlement.
    settlement = models.ForeignKey(
        Settlement, on_delete=models.PROTECT, related_name="+", verbose_name="安置点", editable=False
    )
    name = models.CharField("姓名", max_length=30, db_index=True)
    # The ID number, encrypted; read and set it as `person.id_number` (see `stored_id_number`).
    id_number_encrypted = models.CharField("身份证号（密文）", max_length=100, editable=False)
    id_number_hash = models.CharField(
        "身份证号（检索码）",
        max_length=personal_data.HASH_LENGTH,
        unique=True,
        editable=False,
        error_messages={"unique": MSG_ID_NUMBER_TAKEN},
    )
    id_region = models.CharField("身份证号前6位", max_length=6, editable=False)
    id_tail4_hash = models.CharField("身份证号后4位（检索码）", max_length=personal_data.HASH_LENGTH, editable=False)
    id_tail6_hash = models.CharField("身份证号后6位（检索码）", max_length=personal_data.HASH_LENGTH, editable=False)
    sex = models.CharField("性别", max_length=1, choices=Sex.CHOICES, editable=False)
    birth_date = models.DateField("出生日期", editable=False)
    relation = models.CharField("与户主关系", max_length=20, choices=Relation.choices)
    phone = models.CharField("联系电话", max_length=20, blank=True, validators=[validate_phone])
    education = models.CharField("文化程度", max_length=20, choices=Education.choices, blank=True)
    health = models.CharField("健康状况", max_length=20, choices=Health.choices, default=Health.HEALTHY)
    hukou_status = models.CharField(
        "户籍状态", max_length=20, choices=HukouStatus.choices, default=HukouStatus.NOT_TRANSFERRED
    )
    status = models.CharField("在册状态", max_length=20, choices=PersonStatus.choices, default=PersonStatus.ACTIVE)
    left_on = models.DateField("离开本户日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="人员变更记录")

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["household", "id"]
        indexes = [
            models.Index(fields=["household", "id"], name="person_household_id"),
            models.Index(fields=["birth_date"], name="person_birth_date"),
            models.Index(fields=["settlement", "household", "id"], name="person_settlement_household"),
            models.Index(fields=["settlement", "birth_date"], name="person_settlement_birth"),
            models.Index(fields=["settlement", "hukou_status"], name="person_settlement_hukou"),
            models.Index(Right("phone", 4), name="person_phone_tail4"),  # 4 digits searched are a phone's 尾号
            # Partial search by ID number (the history table gets none of these).
            models.Index(fields=["id_region"], name="person_id_region"),
            models.Index(fields=["id_tail4_hash"], name="person_id_tail4"),
            models.Index(fields=["id_tail6_hash"], name="person_id_tail6"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(relation="head", status="active"),
                name="one_head_per_household",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def id_number(self) -> str:
        """The resident ID number, decrypted (once per ciphertext the instance holds)."""
        ciphertext = self.id_number_encrypted
        cached = self.__dict__.get("_id_number_read")
        if cached is None or cached[0] != ciphertext:
            cached = (ciphertext, read_id_number(ciphertext))
            self._id_number_read = cached
        return cached[1]

    @id_number.setter
    def id_number(self, value: str) -> None:
        """Store a number (normalised; validated by `services.person_save`, not here): its ciphertext, hashes
        and region. The same number again changes nothing."""
        number = normalize(value or "")
        if self.id_number_hash and self.id_number_hash == personal_data.keyed_hash(number, purpose=ID_NUMBER):
            return
        for column, stored in stored_id_number(number).items():
            setattr(self, column, stored)
        self._id_number_read = (self.id_number_encrypted, number)

    @property
    def masked_id_number(self) -> str:
        return mask(self.id_number)

    def validate_unique(self, exclude=None):
        """An ID number is registered once in the whole registry, whichever configured key stored it."""
        errors = {}
        try:
            super().validate_unique(exclude={*(exclude or ()), "id_number_hash"})
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if self.id_number_encrypted and Person.objects.with_id_number(self.id_number).exclude(pk=self.pk).exists():
            errors.setdefault("id_number", []).append(ValidationError(MSG_ID_NUMBER_TAKEN, code="unique"))
        if errors:
            raise ValidationError(errors)


class MembershipStart(models.TextChoices):
    MOVE_IN = "move_in", "随户入住"
    BIRTH = "birth", "出生"
    SPLIT = "split", "分户迁入"
    MERGE = "merge", "合户迁入"
    MARRIAGE = "marriage", "婚嫁迁入"
    OTHER = "other", "其他迁入"


class MembershipEnd(models.TextChoices):
    MOVE_OUT = "move_out", "迁出"
    DEATH = "death", "死亡"
    SPLIT = "split", "分户迁出"
    MERGE = "merge", "合户迁出"
    MARRIAGE = "marriage", "婚嫁迁出"
    OTHER = "other", "其他"


class Membership(models.Model):
    """A person's dated stay in a household: counts as of any past date are read from these."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships", verbose_name="人员")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="memberships", verbose_name="所属户"
    )
    relation = models.CharField("与户主关系", max_length=20, choices=Relation.choices)
    start_date = models.DateField("起始日期")
    start_reason = models.CharField("起始原因", max_length=20, choices=MembershipStart.choices)
    end_date = models.DateField("结束日期", null=True, blank=True)
    end_reason = models.CharField("结束原因", max_length=20, choices=MembershipEnd.choices, blank=True)

    class Meta:
        verbose_name = "户成员期间"
        verbose_name_plural = "户成员期间"
        ordering = ["start_date", "id"]
        indexes = [
            models.Index(fields=["household", "start_date", "end_date"], name="membership_period"),
            # the persons with an ended stay, the few who may have several (`selectors.resident_figures`)
            models.Index(fields=["person"], condition=models.Q(end_date__isnull=False), name="membership_ended"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(end_date__isnull=True), name="one_open_membership_per_person"
            )
        ]

    def __str__(self):
        return f"{self.person} @ {self.household} {self.start_date}–{self.end_date or ''}"


class HouseholdEventKind(models.TextChoices):
    MOVE_IN = "move_in", "入住"
    MOVE_OUT = "move_out", "迁出"
    BIRTH = "birth", "出生"
    DEATH = "death", "死亡"
    MEMBER_JOINED = "member_joined", "成员迁入"
    MEMBER_LEFT = "member_left", "成员迁出"
    SPLIT = "split", "分户"
    MERGE = "merge", "合户"


class HouseholdEvent(models.Model):
    """A dated life event of a household, as recorded by a clerk: never an overwrite."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="events", verbose_name="搬迁户")
    kind = models.CharField("事项", max_length=20, choices=HouseholdEventKind.choices)
    date = models.DateField("日期")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="events", verbose_name="涉及人员"
    )
    related_household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="相关户"
    )
    reason = models.CharField("原因或说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        "User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "户事项"
        verbose_name_plural = "户事项"
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.household} {self.get_kind_display()} {self.date}"


class PersonalDataAccessKind(models.TextChoices):
    """The audit trail's actions of personal-data access (category `AuditCategory.PERSONAL_DATA`)."""

    REVEAL = "personal_data.reveal", "查看完整身份证号"
    EXPORT_MASKED = "personal_data.export_masked", "导出（身份证号已遮蔽）"
    EXPORT_FULL = "personal_data.export_full", "导出完整身份证号"
    HOUSEHOLD_FILE = "personal_data.household_file", "下载一户一册"


class AuditCategory(models.TextChoices):
    SECURITY = "security", "安全事件"
    WRITE = "write", "数据写入"
    PERSONAL_DATA = "personal_data", "个人信息访问"


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", "成功"
    REFUSED = "refused", "拒绝"


class AuditEntryQuerySet(models.QuerySet):
    def for_user(self, user):
        """The whole trail for the audit administrator; nothing for anyone else."""
        return self if capabilities.has(user, capabilities.READ_AUDIT_TRAIL) else self.none()


class AuditEntry(models.Model):
    """One line of the append-only audit trail (see `settlements.audit`): who did what to which record,
    and whether it was allowed. Each entry carries the hash of the one before it, so an edited or deleted
    row breaks the chain; a database trigger refuses UPDATE, and DELETE except of archived old entries."""

    at = models.DateTimeField("时间", db_index=True)
    # No database constraint: an entry outlives any change to the user table and is never cascaded.
    actor = models.ForeignKey(
        "User",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="用户",
    )
    actor_name = models.CharField("用户名", max_length=150, blank=True)
    category = models.CharField("类别", max_length=20, choices=AuditCategory.choices)
    action = models.CharField("操作", max_length=60, db_index=True)
    outcome = models.CharField("结果", max_length=10, choices=AuditOutcome.choices)
    target_type = models.CharField("对象类型", max_length=60, blank=True)
    target_id = models.CharField("对象编号", max_length=40, blank=True)
    target_label = models.CharField("对象", max_length=200, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)
    ip_address = models.GenericIPAddressField("IP地址", null=True, blank=True)
    previous_hash = models.CharField("前一条的摘要", max_length=64, unique=True)
    entry_hash = models.CharField("本条摘要", max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["actor", "at"], name="audit_actor_at"),
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
            # The audit page's search (see also the trigram indexes of migration 0012).
            models.Index(fields=["actor_name", "at"], name="audit_actor_name_at"),
            models.Index(fields=["target_id"], name="audit_target_id"),
            models.Index(fields=["at"], condition=models.Q(outcome="refused"), name="audit_refused_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.get_outcome_display()}"


class AuditArchive(models.Model):
    """Audit entries older than the retention period, moved to a file: which, where, and the file's digest."""

    created_at = models.DateTimeField("归档时间", auto_now_add=True)
    file_name = models.CharField("归档文件", max_length=200, unique=True)
    file_sha256 = models.CharField("文件SHA-256", max_length=64)
    first_id = models.BigIntegerField("起始记录号")
    last_id = models.BigIntegerField("截止记录号", unique=True)
    entry_count = models.PositiveIntegerField("记录数")
    first_previous_hash = models.CharField("首条的前一条摘要", max_length=64)
    last_entry_hash = models.CharField("末条摘要", max_length=64)

    class Meta:
        verbose_name = "审计记录归档"
        verbose_name_plural = "审计记录归档"
        ordering = ["last_id"]

    def __str__(self):
        return self.file_name


class VerificationStatus(models.TextChoices):
    RUNNING = "running", "校验中"
    DONE = "done", "已完成"
    FAILED = "failed", "未能完成"


class AuditVerification(models.Model):
    """One check of the audit trail's hash chain, asked for on the audit page and run by a Celery job."""

    requested_by = models.ForeignKey("User", on_delete=models.PROTECT, related_name="+", verbose_name="发起人")
    requested_at = models.DateTimeField("发起时间", auto_now_add=True)
    status = models.CharField("状态", max_length=10, choices=VerificationStatus.choices)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    checked = models.PositiveBigIntegerField("已校验条数", default=0)
    problems = models.JSONField("发现的问题", default=list, blank=True)  # the first ones, see problem_count
    problem_count = models.PositiveIntegerField("问题数", default=0)
    last_id = models.BigIntegerField("最后一条记录号", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "审计记录摘要链校验"
        verbose_name_plural = "审计记录摘要链校验"
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"{self.requested_at:%Y-%m-%d %H:%M} {self.get_status_display()}"

    @property
    def intact(self) -> bool:
        return self.status == VerificationStatus.DONE and not self.problem_count


class ImportStatus(models.TextChoices):
    CHECKING = "checking", "检查中"
    CHECKED = "checked", "已检查，待确认"
    IMPORTING = "importing", "导入中"
    DONE = "done", "已导入"
    FAILED = "failed", "失败"
    CANCELLED = "cancelled", "已取消"


class LedgerImport(models.Model):
    """One Excel ledger brought in through the browser, of any registered importer's kind (户籍台账,
    就业台账 …): its check, preview, and what was written. See `settlements.imports`."""

    kind = models.CharField("台账类别", max_length=40, db_index=True)
    user = models.ForeignKey("User", on_delete=models.PROTECT, related_name="+", verbose_name="导入人")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    file = models.FileField("文件", upload_to="imports/%Y/%m/")
    file_name = models.CharField("文件名", max_length=200)
    status = models.CharField("状态", max_length=20, choices=ImportStatus.choices)
    valid_only = models.BooleanField("只导入无误的记录", default=False)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    summary = models.JSONField("统计", default=dict, blank=True)
    errors = models.JSONField("错误", default=list, blank=True)
    preview = models.JSONField("预览", default=dict, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    # Uploaded files hold full ID numbers: deleted after UPLOAD_RETENTION_DAYS; the record stays.
    file_deleted_at = models.DateTimeField("文件删除时间", null=True, blank=True)

    class Meta:
        verbose_name = "台账导入"
        verbose_name_plural = "台账导入"
        ordering = ["-created_at"]

    def __str__(self):
        return self.file_name


class Photo(models.Model):
    """A photo given as evidence, attached to any record of a model registered as a photo owner
    (`settlements.photos`): a facility, a culture session, a house. Kept as a print size and a thumbnail, both
    JPEG re-encoded without EXIF (no GPS, no camera serial); the original is not kept. Served only through the
    portal, to users whose scope holds the owner."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", verbose_name="所属类别")
    object_id = models.PositiveBigIntegerField("所属记录编号")
    owner = GenericForeignKey("content_type", "object_id")
    image = models.FileField("照片（打印尺寸）", upload_to="photos/%Y/%m/")
    image_width = models.PositiveIntegerField("宽（像素）")
    image_height = models.PositiveIntegerField("高（像素）")
    thumbnail = models.FileField("缩略图", upload_to="photos/%Y/%m/")
    thumbnail_width = models.PositiveIntegerField("缩略图宽（像素）")
    thumbnail_height = models.PositiveIntegerField("缩略图高（像素）")
    file_size = models.PositiveIntegerField("文件大小（字节）", help_text="打印尺寸照片的大小。")
    taken_at = models.DateTimeField("拍摄时间", null=True, blank=True, help_text="照片 EXIF 中记录的拍摄时间。")
    caption = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey("User", on_delete=models.PROTECT, related_name="+", verbose_name="上传人")
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    history = HistoricalRecords(verbose_name="照片变更记录")

    class Meta:
        verbose_name = "照片"
        verbose_name_plural = "照片"
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="photo_owner")]

    def __str__(self):
        return self.caption or f"照片 {self.pk}"


class User(AbstractUser):
    """A portal user with one role; clerks and reporters belong to a unit, team leads to a work team."""

    full_name = models.CharField("姓名", max_length=30, blank=True)
    # Blank for a new account: the system administrator creates it, the security administrator gives it a role.
    role = models.CharField("角色", max_length=20, choices=Role.choices, blank=True, default="")
    unit = models.ForeignKey(
        ResponsibleUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="users", verbose_name="所属单位"
    )
    work_team = models.ForeignKey(
        WorkTeam, on_delete=models.PROTECT, null=True, blank=True, related_name="users", verbose_name="所属专班"
    )
    phone = models.CharField("联系电话", max_length=20, blank=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True, editable=False)
    must_change_password = models.BooleanField(
        "须修改密码", default=False, help_text="管理员创建账号或重置密码后，用户首次登录须先修改密码。"
    )

    objects = UserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self):
        return self.full_name or self.username

    def clean(self):
        super().clean()
        if self.role == Role.CLERK and not (self.unit_id and self.unit.administers_settlements):
            raise ValidationError({"unit": "社区服务中心工作人员必须属于管理安置点的社区服务中心或乡镇。"})
        if self.role == Role.REPORTER and not self.unit_id:
            raise ValidationError({"unit": "责任单位填报员必须指定所属单位。"})
        if self.role == Role.TEAM_LEAD and not self.work_team_id:
            raise ValidationError({"work_team": "专班班长必须指定所属专班。"})

    def get_role_display(self):
        return Role(self.role).label if self.role in Role.values else NO_ROLE_LABEL

    def set_password(self, raw_password):
        """Every new password is dated (expiry); the history of hashes is kept by the password validator
        `settlements.validators.PasswordHistoryValidator`, which Django tells of each change."""
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    # The Django admin opens each model to the capabilities its ModelAdmin names (`settlements.admin_site`);
    # Django's own per-user and group permissions are not used.
    def has_perm(self, perm, obj=None):
        from .admin_site import permits

        return permits(self, perm)

    def has_module_perms(self, app_label):
        from .admin_site import opens_app

        return opens_app(self, app_label)

    # Shorthands kept for older callers; each asks the permission vocabulary, where the rule lives. New code
    # asks `capabilities.has(user, ...)`, templates `{% if can.NAME %}`.
    @property
    def can_edit_registry(self):
        return capabilities.has(self, capabilities.KEEP_HOUSEHOLDS)

    @property
    def can_reveal_id_numbers(self):
        return capabilities.has(self, capabilities.REVEAL_ID_NUMBERS)

    @property
    def sees_registry(self):
        return capabilities.has(self, capabilities.READ_REGISTRY)

    @property
    def sees_all_tasks(self):
        return capabilities.has(self, capabilities.SEE_ALL_TASKS)

    @property
    def reports_progress(self):
        return capabilities.has(self, capabilities.REPORT_PROGRESS)

    @property
    def runs_dispatch(self):
        return capabilities.has(self, capabilities.RUN_DISPATCH)


class PasswordHistory(models.Model):
    """The hash of every password a user has had, so the last few may not be used again."""

    user = models.ForeignKey("User", on_delete=models.CASCADE, related_name="password_history", verbose_name="用户")
    password = models.CharField("密码摘要", max_length=128)
    created_at = models.DateTimeField("设置时间", default=timezone.now)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d}"


class SecurityPolicy(models.Model):
    """The password and second-factor policy from `valid_from` on, set by the security administrator.

    A policy is never edited: a new one is added with the date it takes effect, so the policy that held on any
    day can be read back (`settlements.accounts.policy.in_force`). The first comes from GB/T 22239-2019 and
    issue 10 (`settlements/accounts/policy_data.py`).
    """

    valid_from = models.DateField("生效日期")
    password_max_age_days = models.PositiveSmallIntegerField(
        "密码有效期（天）",
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="密码超过此天数未修改，用户登录后须先修改密码。",
    )
    password_history = models.PositiveSmallIntegerField(
        "不得重复使用的最近密码数",
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text="新密码不能与最近这么多次使用过的密码相同（含当前密码）。",
    )
    second_factor_roles = models.JSONField(
        "须双因素认证的角色", default=list, blank=True, help_text="这些角色的用户登录时须输入验证器上的动态验证码。"
    )
    basis = models.TextField("依据", blank=True)
    created_by = models.ForeignKey(
        "User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="设定人"
    )
    created_at = models.DateTimeField("设定时间", default=timezone.now)

    class Meta:
        verbose_name = "安全策略"
        verbose_name_plural = "安全策略"
        ordering = ["-valid_from", "-id"]

    def __str__(self):
        return f"安全策略（{self.valid_from:%Y-%m-%d}起）"

    def clean(self):
        unknown = set(self.second_factor_roles) - set(Role.values)
        if unknown:
            raise ValidationError({"second_factor_roles": f"未知的角色：{'、'.join(sorted(unknown))}。"})

    def second_factor_role_labels(self) -> list[str]:
        return [Role(role).label for role in Role.values if role in self.second_factor_roles]


class DatedRule(models.Model):
    """A rule of the plan kept as data: a threshold, a band, a deadline or a weekday, from `valid_from` on.

    Where a seed gives a number, `basis` quotes the sentence; where it is silent or ambiguous, `reading` says
    how the portal reads it, so the office can see and change it. A rule is never edited to change what held
    before: a new row with the day it takes effect keeps every past figure reproducible
    (`settlements.dated_rules`).
    """

    code = models.SlugField("规则代码", max_length=60, help_text="如 services.citizen_card_months；系统按此代码读取。")
    name = models.CharField("规则名称", max_length=80)
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("失效日期", null=True, blank=True, help_text="当天起不再适用；空表示一直有效。")
    params = models.JSONField("参数", default=dict, blank=True)
    basis = models.TextField("原文依据", help_text="原文件的原话（文件名和条目）。")
    reading = models.TextField("本系统的理解", blank=True, help_text="原文未写明或前后不一致之处，系统如何理解。")

    history = HistoricalRecords(verbose_name="规则变更记录")

    class Meta:
        verbose_name = "规则数据"
        verbose_name_plural = "规则数据"
        ordering = ["code", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["code", "valid_from"], name="one_rule_per_code_and_day")]

    def __str__(self):
        return f"{self.name}（{self.valid_from:%Y-%m-%d}起）"

    def clean(self):
        from . import dated_rules

        errors = {}
        if self.valid_to and self.valid_from and self.valid_to <= self.valid_from:
            errors["valid_to"] = "失效日期须晚于生效日期。"
        problem = dated_rules.params_problem(self.code, self.params)
        if problem:
            errors["params"] = problem
        if not errors and self.valid_from and dated_rules.overlapping(self).exists():
            errors["valid_from"] = "与同一代码的另一条规则的有效期重叠：请先给那一条设定失效日期。"
        if errors:
            raise ValidationError(errors)


# --- facilities -------------------------------------------------------------------------------------------------


class AttributeType(models.TextChoices):
    NUMBER = "number", "数值"
    TEXT = "text", "文字"
    YES_NO = "yes_no", "是/否"
    CHOICE = "choice", "选项"


class FacilityKind(models.Model):
    """A kind of facility a plan asks for (社区综合服务中心, 农贸市场, 卫生室, 农家书屋 …) and the attributes a
    facility of this kind records: `attributes` is a list of {"key", "label", "type", "unit", "choices"}.

    The kinds come from the seeds (fixtures/facility_kinds.json); an app that needs another adds it there.
    What a kind must measure up to is dated rule data (`settlements.facilities`), not a column here.
    """

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("设施类型", max_length=40, unique=True)
    group = models.CharField("类别", max_length=30, blank=True, help_text="如“六个一”、医疗卫生、教育、文化。")
    attributes = models.JSONField("登记的属性", default=list, blank=True)
    default_unit = models.ForeignKey(
        ResponsibleUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="默认责任单位",
        help_text="原文件写明由哪个单位负责这类设施（如“农家书屋。由县文体广电旅游局负责”）；新建设施时默认填入。",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    objects = CodeKeyManager()

    class Meta:
        verbose_name = "设施类型"
        verbose_name_plural = "设施类型"
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)

    def clean(self):
        from . import facilities

        problem = facilities.attributes_problem(self.attributes)
        if problem:
            raise ValidationError({"attributes": problem})


class FacilityQuerySet(models.QuerySet):
    def for_user(self, user):
        """The facilities `user` may read: those serving a settlement in their scope, and the county's own
        (serving no settlement in particular, such as a school in town)."""
        if capabilities.has(user, capabilities.SEE_ALL_SETTLEMENTS):
            return self.all()
        if not (user.is_authenticated and user.is_active):
            return self.none()
        settlement_ids = list(Settlement.objects.for_user(user).values_list("pk", flat=True))
        return self.filter(models.Q(settlements__in=settlement_ids) | models.Q(settlements__isnull=True)).distinct()

    def kept_by(self, user):
        """The facilities `user` may change: every one for the office, those serving a settlement of their
        centre for a clerk."""
        if capabilities.has(user, capabilities.SEE_ALL_SETTLEMENTS):
            return self.all()
        settlement_ids = list(Settlement.objects.for_user(user).values_list("pk", flat=True))
        return self.filter(settlements__in=settlement_ids).distinct()


class Facility(models.Model):
    """A service facility: a room, a building or an organisation serving one or several settlements.

    One room may count for several kinds ("一室多能、一室多用"), so `kinds` is a set. Its dates are facts: the
    status on any day follows from them (`settlements.facilities.status_on`).
    """

    name = models.CharField("设施名称", max_length=100)
    kinds = models.ManyToManyField(FacilityKind, related_name="facilities", verbose_name="设施类型")
    settlements = models.ManyToManyField(
        Settlement, related_name="facilities", blank=True, verbose_name="服务安置点", help_text="空表示全县性设施。"
    )
    address = models.CharField("地址", max_length=200, blank=True)
    responsible_unit = models.ForeignKey(
        ResponsibleUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="责任单位"
    )
    planned_on = models.DateField("计划投入使用日期", null=True, blank=True)
    started_on = models.DateField("开工（筹建）日期", null=True, blank=True)
    in_use_on = models.DateField("建成投入使用（成立）日期", null=True, blank=True)
    closed_on = models.DateField("停用日期", null=True, blank=True)
    attributes = models.JSONField("属性", default=dict, blank=True)
    note = models.TextField("备注", max_length=2000, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = FacilityQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="设施变更记录", m2m_fields=[kinds, settlements])

    class Meta:
        verbose_name = "服务设施"
        verbose_name_plural = "服务设施"
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["in_use_on"], name="facility_in_use_on")]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.started_on and self.in_use_on and self.in_use_on < self.started_on:
            errors["in_use_on"] = "投入使用日期不能早于开工日期。"
        if self.closed_on and (self.in_use_on is None or self.closed_on <= self.in_use_on):
            errors["closed_on"] = "停用日期须晚于投入使用日期。"
        if errors:
            raise ValidationError(errors)


# --- grids and heads (网格、网格员、楼长、院长) ------------------------------------------------------------------


class GridKind(models.TextChoices):
    """Two kinds of grid, both kept (conflict C1): annex 4's governance grid or resident group (100–200
    households), annex 6's security grid (300–400 households). Every resident household is in one of each."""

    GOVERNANCE = "governance", "治理网格（居民小组）"
    SECURITY = "security", "治安网格"


class GridQuerySet(ScopedQuerySet):
    pass


class Grid(models.Model):
    settlement = models.ForeignKey(Settlement, on_delete=models.PROTECT, related_name="grids", verbose_name="安置点")
    kind = models.CharField("网格类型", max_length=20, choices=GridKind.choices)
    name = models.CharField("网格名称", max_length=40)
    note = models.TextField("备注", max_length=1000, blank=True)
    established_on = models.DateField("划定日期", null=True, blank=True)
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)

    objects = GridQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="网格变更记录")

    class Meta:
        verbose_name = "网格"
        verbose_name_plural = "网格"
        ordering = ["settlement__sort_order", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["settlement", "kind", "name"], name="unique_grid_name_per_settlement")
        ]

    def __str__(self):
        return self.name

    @property
    def choice_label(self) -> str:
        """How a list of grids of several settlements names it: 富民 · 一组（治理网格（居民小组））."""
        return f"{self.settlement.name} · {self.name}（{self.get_kind_display()}）"

    def clean(self):
        if self.dissolved_on and self.established_on and self.dissolved_on <= self.established_on:
            raise ValidationError({"dissolved_on": "撤销日期须晚于划定日期。"})


class GridAssignmentQuerySet(ScopedQuerySet):
    settlement_path = "household__settlement_id"

    def on(self, day: datetime.date):
        """The assignments that cover `day` (from their start, until the day before their end)."""
        return self.filter(start_date__lte=day).filter(models.Q(end_date__isnull=True) | models.Q(end_date__gt=day))


class GridAssignment(models.Model):
    """A household's dated place in a grid of one kind. A move closes the open row and opens one in the new grid
    on the same day, so the grid of any past day can be read back; at most one open row per household and kind
    (a database constraint)."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="grid_assignments", verbose_name="搬迁户"
    )
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="assignments", verbose_name="网格")
    kind = models.CharField("网格类型", max_length=20, choices=GridKind.choices, editable=False)
    start_date = models.DateField("起始日期")
    end_date = models.DateField("终止日期", null=True, blank=True, help_text="当天起不再属于该网格。")

    objects = GridAssignmentQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="网格划分变更记录")

    class Meta:
        verbose_name = "网格划分"
        verbose_name_plural = "网格划分"
        ordering = ["household", "kind", "start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "kind"], condition=models.Q(end_date__isnull=True), name="one_open_grid_per_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gt=models.F("start_date")),
                name="grid_assignment_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["grid", "end_date"], name="grid_assignment_grid")]

    def __str__(self):
        return f"{self.household} → {self.grid}"


class GridMemberQuerySet(ScopedQuerySet):
    settlement_path = "grid__settlement_id"


class GridMember(models.Model):
    """A grid member (网格员): a resident of the registry or staff named with a phone; several per grid."""

    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="members", verbose_name="网格")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="搬迁人员"
    )
    name = models.CharField("姓名", max_length=30)
    phone = models.CharField("联系电话", max_length=20, blank=True, validators=[validate_phone])
    start_date = models.DateField("任职日期")
    end_date = models.DateField("离任日期", null=True, blank=True, help_text="当天起不再担任。")
    note = models.CharField("备注", max_length=200, blank=True)

    objects = GridMemberQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="网格员变更记录")

    class Meta:
        verbose_name = "网格员"
        verbose_name_plural = "网格员"
        ordering = ["grid", "start_date", "id"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.end_date and self.start_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": "离任日期须晚于任职日期。"})


class BuildingHeadQuerySet(ScopedQuerySet):
    settlement_path = "building__settlement_id"

    def on(self, day: datetime.date):
        return self.filter(start_date__lte=day).filter(models.Q(end_date__isnull=True) | models.Q(end_date__gt=day))


class BuildingHead(models.Model):
    """The head of a building (楼长) or of a courtyard (院长), dated: one current head per building (a database
    constraint on the open row; `services.building_head_save` refuses overlapping periods)."""

    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="heads", verbose_name="楼栋（院落）")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="搬迁人员"
    )
    name = models.CharField("姓名", max_length=30)
    phone = models.CharField("联系电话", max_length=20, blank=True, validators=[validate_phone])
    start_date = models.DateField("任职日期")
    end_date = models.DateField("卸任日期", null=True, blank=True, help_text="当天起不再担任。")

    objects = BuildingHeadQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="楼长（院长）变更记录")

    class Meta:
        verbose_name = "楼长（院长）"
        verbose_name_plural = "楼长（院长）"
        ordering = ["building__settlement__sort_order", "building__name", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["building"], condition=models.Q(end_date__isnull=True), name="one_open_head_per_building"
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.end_date and self.start_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": "卸任日期须晚于任职日期。"})


# --- community groups (社会组织、志愿者队伍、文体团体) ------------------------------------------------------------


class GroupFamily(models.TextChoices):
    SOCIAL = "social", "社会组织"
    VOLUNTEERS = "volunteers", "志愿者队伍"
    CULTURE = "culture", "文体团体"


class GroupKind(models.Model):
    """A kind of group of residents a plan asks a settlement to grow: annex 4's social organisations and
    volunteer teams, annex 3's culture volunteer team and culture groups. The kinds and the seed's sentence for
    each come from fixtures/group_kinds.json; which kinds an app counts is its own (`community_groups`)."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("类别", max_length=40, unique=True)
    family = models.CharField("大类", max_length=20, choices=GroupFamily.choices)
    source = models.TextField("原文依据", blank=True, help_text="原文件的句子，以及需要说明时本系统的理解。")
    sort_order = models.PositiveIntegerField("排序", default=0)

    objects = CodeKeyManager()

    class Meta:
        verbose_name = "社会组织和队伍类别"
        verbose_name_plural = "社会组织和队伍类别"
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


def group_active_condition(day: datetime.date) -> models.Q:
    """The groups active on `day`: founded by then and not disbanded before (the disbanding day still counts)."""
    return models.Q(founded_on__lte=day) & (models.Q(disbanded_on__isnull=True) | models.Q(disbanded_on__gte=day))


class CommunityGroupQuerySet(ScopedQuerySet):
    def active_on(self, day: datetime.date):
        return self.filter(group_active_condition(day))


class CommunityGroup(models.Model):
    """A group of residents of a settlement: a social organisation, a volunteer team or a culture group
    (附件4 六 17, 附件3 六（一）（二）), with its dates, leader, head count and the members found in the registry."""

    settlement = models.ForeignKey(
        Settlement, on_delete=models.PROTECT, related_name="community_groups", verbose_name="安置点"
    )
    kind = models.ForeignKey(GroupKind, on_delete=models.PROTECT, related_name="groups", verbose_name="类别")
    name = models.CharField("名称", max_length=60)
    founded_on = models.DateField("成立日期")
    disbanded_on = models.DateField("解散日期", null=True, blank=True, help_text="仍在活动的留空。")
    leader = models.CharField("负责人", max_length=30, blank=True)
    members_count = models.PositiveIntegerField("成员人数")
    members = models.ManyToManyField(
        Person, blank=True, related_name="community_groups", verbose_name="户籍台账中的成员", help_text="选填。"
    )
    note = models.TextField("备注", max_length=2000, blank=True)
    recorded_by = models.ForeignKey("User", on_delete=models.PROTECT, related_name="+", verbose_name="登记人")

    objects = CommunityGroupQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="社会组织和队伍变更", m2m_fields=[members])

    class Meta:
        verbose_name = "社会组织和队伍"
        verbose_name_plural = "社会组织和队伍"
        ordering = ["settlement__sort_order", "kind__sort_order", "name", "id"]
        indexes = [models.Index(fields=["settlement", "founded_on"], name="community_group_founded")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(disbanded_on__isnull=True) | models.Q(disbanded_on__gte=models.F("founded_on")),
                name="community_group_disbanded_after_founded",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.founded_on and self.disbanded_on and self.disbanded_on < self.founded_on:
            raise ValidationError({"disbanded_on": "解散日期不能早于成立日期。"})
