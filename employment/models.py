"""Training and employment (annex 2): the labour ledger, employment, unemployment and its follow-up,
training, job posts and pushes, workshops and bases, public-welfare posts, employers and subsidy rules.

Everything that changes is dated (employment start and end, conditions, training, posts), so the
indicators can be reproduced as of any day. Records are read on behalf of a user through the person's
scope (`Person.objects.for_user`) or the settlement's (`Settlement.objects.for_user`).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from settlements.models import Person, Settlement


def active_on(day: datetime.date, start="start_date", end="end_date", prefix=""):
    """Rows whose period covers `day`: started by then and not yet ended (the end day is excluded)."""
    return Q(**{f"{prefix}{start}__lte": day}) & (
        Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gt": day})
    )


# --- who counts as labour ---------------------------------------------------------------------------------


class ConditionKind(models.TextChoices):
    STUDENT = "student", "在校学生"
    DISABLED = "disabled", "残疾（无劳动能力）"
    SERIOUSLY_ILL = "seriously_ill", "患有大病"
    OTHER = "other", "其他无法就业情形"


class LabourRule(models.Model):
    """Who counts as labour from `valid_from` (until `valid_to`): an age band and the excluded conditions.

    The office keeps these in the admin; the rule in force on a day decides that day's labour.
    """

    name = models.CharField("规则名称", max_length=60)
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("失效日期", null=True, blank=True, help_text="当天起不再适用；空表示一直有效。")
    min_age = models.PositiveSmallIntegerField("最低年龄（周岁）")
    max_age = models.PositiveSmallIntegerField("最高年龄（周岁）")
    excluded_conditions = models.JSONField(
        "不计为劳动力的情形", default=list, help_text="在校学生、残疾、患有大病等，见“劳动力特殊情形”。"
    )
    stable_months = models.PositiveSmallIntegerField(
        "稳定就业月数", default=3, help_text="连续在岗满此月数计为稳定就业（“一户一人”）。"
    )
    basis = models.TextField("依据", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "劳动力认定规则"
        verbose_name_plural = "劳动力认定规则"
        ordering = ["-valid_from"]

    def __str__(self):
        return f"{self.name}（{self.valid_from:%Y-%m-%d}起）"


class LabourCondition(models.Model):
    """A dated condition that can take a person out of the labour force (student, disabled, seriously ill)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="labour_conditions")
    kind = models.CharField("情形", max_length=20, choices=ConditionKind.choices)
    start_date = models.DateField("起始日期")
    end_date = models.DateField("结束日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "劳动力特殊情形"
        verbose_name_plural = "劳动力特殊情形"
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["person", "start_date"])]

    def __str__(self):
        return self.get_kind_display()


class JobPlace(models.TextChoices):
    COUNTY = "county", "县内"
    PROVINCE = "province", "省内县外"
    OUTSIDE = "outside", "省外"


class LabourProfile(models.Model):
    """What the ledger knows of a person beyond the registry: skills and wishes (家庭就业扶贫台账)."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="labour_profile")
    skills = models.CharField("劳动技能", max_length=200, blank=True, help_text="多项用“、”分隔，如 电工、缝纫。")
    training_wish = models.CharField("培训意愿", max_length=200, blank=True)
    job_wish = models.CharField("就业意愿（岗位）", max_length=200, blank=True)
    place_wish = models.CharField("意向就业地", max_length=20, choices=JobPlace.choices, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "劳动力信息"
        verbose_name_plural = "劳动力信息"

    def __str__(self):
        return str(self.person)


# --- employers, workshops, welfare posts --------------------------------------------------------------------


class EmployerKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    COOPERATIVE = "cooperative", "农民专业合作社"
    INDIVIDUAL = "individual", "个体工商户"
    HR_AGENCY = "hr_agency", "人力资源服务机构"
    PUBLIC = "public", "机关事业单位"


class Employer(models.Model):
    name = models.CharField("单位名称", max_length=100, unique=True)
    kind = models.CharField("类别", max_length=20, choices=EmployerKind.choices)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    staff_count = models.PositiveIntegerField("在职职工人数", null=True, blank=True)
    is_small = models.BooleanField("小微企业", default=False)
    address = models.CharField("地址", max_length=200, blank=True)
    contact = models.CharField("联系人及电话", max_length=60, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "用工单位"
        verbose_name_plural = "用工单位"
        ordering = ["name"]

    def __str__(self):
        return self.name


class WorkshopKind(models.TextChoices):
    WORKSHOP = "workshop", "就业扶贫车间"
    BASE = "base", "就业扶贫基地"


class Workshop(models.Model):
    """A 扶贫车间 or 就业扶贫基地 serving a settlement, from its creation or recognition until it closes."""

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类别", max_length=20, choices=WorkshopKind.choices)
    settlement = models.ForeignKey(
        Settlement, on_delete=models.PROTECT, related_name="workshops", verbose_name="安置点"
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, null=True, blank=True, related_name="workshops", verbose_name="经营主体"
    )
    opened_on = models.DateField("创建或认定日期")
    closed_on = models.DateField("停办日期", null=True, blank=True)
    provincial_on = models.DateField("认定为省级日期", null=True, blank=True)
    products = models.CharField("主营产品", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "就业扶贫车间和基地"
        verbose_name_plural = "就业扶贫车间和基地"
        ordering = ["settlement__sort_order", "name"]

    def __str__(self):
        return self.name


class WelfarePostTitle(models.TextChoices):
    CLEANER = "cleaner", "保洁员"
    GUARD = "guard", "保安员"
    CULTURE_KEEPER = "culture_keeper", "文化活动室管理员"
    OTHER = "other", "其他"


class Funding(models.TextChoices):
    EMPLOYMENT_FUND = "employment_fund", "就业补助资金"
    EAST_WEST = "east_west", "东西部帮扶资金"


class WelfarePost(models.Model):
    """One of the 180 part-time public-welfare posts; its holder is an employment record of kind 公益性岗位."""

    code = models.CharField("岗位编号", max_length=20, unique=True)
    title = models.CharField("岗位", max_length=20, choices=WelfarePostTitle.choices)
    settlement = models.ForeignKey(
        Settlement, on_delete=models.PROTECT, related_name="welfare_posts", verbose_name="安置点"
    )
    funding = models.CharField("资金来源", max_length=20, choices=Funding.choices)
    created_on = models.DateField("开发日期")
    abolished_on = models.DateField("撤销日期", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "公益性岗位"
        verbose_name_plural = "公益性岗位"
        ordering = ["settlement__sort_order", "code"]

    def __str__(self):
        return f"{self.code} {self.get_title_display()}"


# --- employment and unemployment ---------------------------------------------------------------------------


class EmploymentKind(models.TextChoices):
    LOCAL_FIRM = "local_firm", "县内企业"
    INDUSTRIAL_PARK = "industrial_park", "工业园区"
    WORKSHOP = "workshop", "扶贫车间或基地"
    WELFARE_POST = "welfare_post", "公益性岗位"
    ORGANISED_PROVINCE = "organised_province", "有组织输出（省内县外）"
    ORGANISED_OUTSIDE = "organised_outside", "有组织输出（省外）"
    SELF_EMPLOYED = "self_employed", "自主创业或个体经营"
    FLEXIBLE = "flexible", "灵活就业"


class EmploymentEnd(models.TextChoices):
    LOST = "lost", "失业（被辞退、企业停产等）"
    QUIT = "quit", "主动离职"
    CONTRACT_ENDED = "contract_ended", "合同期满"
    CHANGED_JOB = "changed_job", "转换工作"
    OTHER = "other", "其他"


class EmploymentQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(person__in=Person.objects.for_user(user))

    def active_on(self, day: datetime.date):
        return self.filter(active_on(day))


class Employment(models.Model):
    """A dated job of a person (就业失业情况登记). Ending it because the job was lost registers unemployment."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="employments", verbose_name="人员")
    kind = models.CharField("就业类型", max_length=30, choices=EmploymentKind.choices)
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, null=True, blank=True, related_name="employments", verbose_name="用工单位"
    )
    employer_name = models.CharField("用工单位（名称）", max_length=100, blank=True)
    job_title = models.CharField("岗位", max_length=60, blank=True)
    place = models.CharField("就业地点", max_length=20, choices=JobPlace.choices, default=JobPlace.COUNTY)
    start_date = models.DateField("上岗日期")
    end_date = models.DateField("离岗日期", null=True, blank=True)
    end_reason = models.CharField("离岗原因", max_length=20, choices=EmploymentEnd.choices, blank=True)
    contract_months = models.PositiveSmallIntegerField("劳动合同期限（月）", null=True, blank=True)
    social_insurance = models.BooleanField("缴纳社会保险", default=False)
    monthly_pay = models.DecimalField("月收入（元）", max_digits=9, decimal_places=2, null=True, blank=True)
    workshop = models.ForeignKey(
        Workshop, on_delete=models.PROTECT, null=True, blank=True, related_name="employments", verbose_name="车间或基地"
    )
    welfare_post = models.ForeignKey(
        WelfarePost,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employments",
        verbose_name="公益性岗位",
    )
    placed_by = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name="组织输出或推荐机构",
    )
    follow_up_months = models.PositiveSmallIntegerField("跟踪服务月数", null=True, blank=True)
    business_registered_on = models.DateField("工商登记日期", null=True, blank=True, help_text="自主创业时填写。")
    job_post = models.ForeignKey(
        "JobPost", on_delete=models.SET_NULL, null=True, blank=True, related_name="employments", verbose_name="岗位信息"
    )
    training = models.ForeignKey(
        "TrainingRecord",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employments",
        verbose_name="通过培训就业",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = EmploymentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "就业记录"
        verbose_name_plural = "就业记录"
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["person", "start_date", "end_date"], name="employment_period")]

    def __str__(self):
        return f"{self.person} {self.get_kind_display()} {self.employer or self.employer_name}"

    @property
    def employer_label(self):
        return str(self.employer) if self.employer_id else self.employer_name


class UnemploymentQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(person__in=Person.objects.for_user(user))


class Unemployment(models.Model):
    """失业登记: opened when a job is lost, closed when the person is employed again; followed up one to one."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="unemployments", verbose_name="人员")
    lost_employment = models.OneToOneField(
        Employment, on_delete=models.PROTECT, null=True, blank=True, related_name="unemployment"
    )
    registered_on = models.DateField("失业登记日期")
    ended_on = models.DateField("再就业日期", null=True, blank=True)
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="一对一帮扶责任人",
    )

    objects = UnemploymentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "失业登记"
        verbose_name_plural = "失业登记"
        ordering = ["-registered_on"]

    def __str__(self):
        return f"{self.person} {self.registered_on:%Y-%m-%d}"


class FollowUpVisit(models.Model):
    """One step of the one-to-one help: a visit, a call, a recommendation."""

    unemployment = models.ForeignKey(Unemployment, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField("帮扶日期")
    note = models.TextField("帮扶情况")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="帮扶人")

    class Meta:
        verbose_name = "帮扶记录"
        verbose_name_plural = "帮扶记录"
        ordering = ["-visited_on", "-id"]

    def __str__(self):
        return f"{self.visited_on:%Y-%m-%d}"


# --- training -------------------------------------------------------------------------------------------------


class TrainingKind(models.TextChoices):
    DIRECTED = "directed", "定向培训"
    ORDER = "order", "订单培训"
    OUTPUT = "output", "输出培训"
    ENABLING = "enabling", "扶智培训"


class TrainingRecordQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(person__in=Person.objects.for_user(user))


class TrainingRecord(models.Model):
    """A person's place on a course (职业培训卡): what, by whom, how long, and whether it led to work."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="trainings", verbose_name="人员")
    course = models.CharField("培训项目", max_length=100)
    kind = models.CharField("培训类型", max_length=20, choices=TrainingKind.choices)
    sector = models.CharField("行业或工种", max_length=60, blank=True)
    provider = models.CharField("培训机构", max_length=100)
    employer = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trainings",
        verbose_name="以工代训单位",
    )
    start_date = models.DateField("开班日期")
    end_date = models.DateField("结业日期")
    days = models.PositiveSmallIntegerField("培训天数")
    on_the_job = models.BooleanField("以工代训（在岗培训）", default=False)
    completed = models.BooleanField("已结业", default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = TrainingRecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "培训记录"
        verbose_name_plural = "培训记录"
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["person", "end_date"])]
        constraints = [
            models.UniqueConstraint(fields=["person", "course", "start_date"], name="one_training_per_course_start")
        ]

    def __str__(self):
        return f"{self.person} {self.course}"


# --- job posts and pushes -------------------------------------------------------------------------------------


class JobPost(models.Model):
    """An entry of the 岗位信息数据库."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="posts", verbose_name="用工单位")
    title = models.CharField("岗位名称", max_length=60)
    sector = models.CharField("行业或工种", max_length=60, blank=True)
    requirements = models.TextField("岗位要求", blank=True)
    skills = models.CharField("所需技能", max_length=200, blank=True, help_text="多项用“、”分隔。")
    place = models.CharField("工作地点", max_length=100)
    place_kind = models.CharField("地点范围", max_length=20, choices=JobPlace.choices, default=JobPlace.COUNTY)
    pay_min = models.DecimalField("月薪下限（元）", max_digits=9, decimal_places=2, null=True, blank=True)
    pay_max = models.DecimalField("月薪上限（元）", max_digits=9, decimal_places=2, null=True, blank=True)
    benefits = models.CharField("福利待遇", max_length=200, blank=True)
    openings = models.PositiveIntegerField("招聘人数")
    max_age = models.PositiveSmallIntegerField("年龄上限", null=True, blank=True)
    published_on = models.DateField("发布日期")
    valid_until = models.DateField("有效期至")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "岗位信息"
        verbose_name_plural = "岗位信息"
        ordering = ["-published_on", "id"]

    def __str__(self):
        return f"{self.employer} · {self.title}"


class PushQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(settlement__in=Settlement.objects.for_user(user))


class JobPush(models.Model):
    """A 岗位推送 activity at a settlement (each settlement at least once every two quarters)."""

    settlement = models.ForeignKey(
        Settlement, on_delete=models.PROTECT, related_name="job_pushes", verbose_name="安置点"
    )
    held_on = models.DateField("活动日期")
    title = models.CharField("活动名称", max_length=100)
    posts = models.ManyToManyField(JobPost, blank=True, related_name="pushes", verbose_name="推送岗位")
    note = models.TextField("说明", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = PushQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "岗位推送活动"
        verbose_name_plural = "岗位推送活动"
        ordering = ["-held_on"]

    def __str__(self):
        return self.title


class JobOffer(models.Model):
    """Who was offered which post, at a push or one to one."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="job_offers", verbose_name="人员")
    post = models.ForeignKey(JobPost, on_delete=models.PROTECT, related_name="offers", verbose_name="岗位")
    push = models.ForeignKey(
        JobPush, on_delete=models.CASCADE, null=True, blank=True, related_name="offers", verbose_name="推送活动"
    )
    offered_on = models.DateField("推送日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "岗位推送记录"
        verbose_name_plural = "岗位推送记录"
        ordering = ["-offered_on"]
        constraints = [models.UniqueConstraint(fields=["person", "post", "offered_on"], name="one_offer_per_day")]

    def __str__(self):
        return f"{self.person} → {self.post}"


# --- alerts ---------------------------------------------------------------------------------------------------


class ZeroEmploymentEpisode(models.Model):
    """A household's spell as a zero-employment household: its centre is alerted once per episode."""

    household = models.ForeignKey(
        "settlements.Household", on_delete=models.PROTECT, related_name="zero_employment_episodes"
    )
    started_on = models.DateField("发现日期")
    ended_on = models.DateField("清零日期", null=True, blank=True)

    class Meta:
        verbose_name = "零就业家庭记录"
        verbose_name_plural = "零就业家庭记录"
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(ended_on__isnull=True), name="one_open_zero_employment_episode"
            )
        ]

    def __str__(self):
        return f"{self.household} {self.started_on:%Y-%m-%d}"


# --- subsidies --------------------------------------------------------------------------------------------------


class SubsidySubject(models.TextChoices):
    PERSON = "person", "搬迁劳动力"
    EMPLOYER = "employer", "用工单位或服务机构"
    WORKSHOP = "workshop", "就业扶贫车间或基地"


class SubsidyUnit(models.TextChoices):
    ONCE = "once", "元（一次性）"
    PER_MONTH = "per_month", "元/人·月"
    PER_DAY = "per_day", "元/人·天"
    CAP = "cap", "元（最高额度）"


class SubsidyRule(models.Model):
    """A subsidy of annex 2 as data: its amount, validity and the parameters its conditions test.

    The conditions themselves are code (`employment.subsidies`, one evaluator per `code`); what the seed
    fixes (amounts, months, dates, shares) lives here, so the office can correct a figure without a release.
    """

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("补贴名称", max_length=60)
    subject = models.CharField("对象", max_length=20, choices=SubsidySubject.choices)
    amount = models.DecimalField("金额", max_digits=12, decimal_places=2)
    unit = models.CharField("计发方式", max_length=20, choices=SubsidyUnit.choices)
    valid_from = models.DateField("起始日期", null=True, blank=True)
    valid_to = models.DateField("截止日期", null=True, blank=True, help_text="含当天。")
    params = models.JSONField("条件参数", default=dict, blank=True)
    basis = models.TextField("原文依据")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "补贴规则"
        verbose_name_plural = "补贴规则"
        ordering = ["subject", "code"]

    def __str__(self):
        return self.name

    def in_force_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


# --- imports ------------------------------------------------------------------------------------------------


class LedgerKind(models.TextChoices):
    EMPLOYMENT = "employment", "就业台账"
    TRAINING = "training", "培训台账"
