"""The work plan and its monthly cycle: tasks, deadlines, targets, progress reports, dispatch meetings,
follow-up actions, notifications and the claims that make each reminder go out once.

A task's status is never stored: `tasks.status` computes it as of any date from dated facts (deadlines,
report submission and acceptance times), so the dispatch report can be printed again months later.
Every queryset read on behalf of a user starts from `<Model>.objects.for_user(user)`.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from settlements import capabilities
from settlements.capabilities import SEE_ALL_TASKS
from settlements.models import Household, ResponsibleUnit, Settlement, WorkTeam


class PlanDocument(models.IntegerChoices):
    MASTER = 0, "总方案"
    ANNEX_1 = 1, "附件1 基本公共服务体系"
    ANNEX_2 = 2, "附件2 培训和就业服务体系"
    ANNEX_3 = 3, "附件3 文化服务体系"
    ANNEX_4 = 4, "附件4 社区治理体系"
    ANNEX_5 = 5, "附件5 基层党建体系"
    ANNEX_6 = 6, "附件6 社会治安综合治理"
    ANNEX_7 = 7, "附件7 “三块地”资源盘活"


def unit_task_filter(unit_ids, prefix=""):
    """Tasks that name one of `unit_ids`, as lead or co-unit."""
    return Q(**{f"{prefix}lead_unit__in": unit_ids}) | Q(**{f"{prefix}co_units__in": unit_ids})


class TaskQuerySet(models.QuerySet):
    def for_user(self, user):
        """The tasks `user` may read: all for the office and leaders; a team lead's team and unit; a unit's own.

        The one rule of task scope.
        """
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if capabilities.has(user, SEE_ALL_TASKS):
            return self.all()
        scope = Q(pk__in=[])
        if user.unit_id:
            scope |= unit_task_filter([user.unit_id])
        if user.work_team_id:
            scope |= Q(work_team_id=user.work_team_id)
        return self.filter(pk__in=self.filter(scope).values("pk"))


class Task(models.Model):
    document = models.PositiveSmallIntegerField("所属文件", choices=PlanDocument.choices)
    number = models.CharField("编号", max_length=12)
    sort_order = models.PositiveIntegerField("排序", default=0)
    section = models.CharField("所在部分", max_length=80, blank=True)
    title = models.CharField("任务", max_length=120)
    text = models.TextField("任务内容")
    work_team = models.ForeignKey(WorkTeam, on_delete=models.PROTECT, related_name="tasks", verbose_name="工作专班")
    lead_unit = models.ForeignKey(
        ResponsibleUnit, on_delete=models.PROTECT, related_name="led_tasks", verbose_name="牵头单位"
    )
    co_units = models.ManyToManyField(
        ResponsibleUnit, related_name="co_tasks", blank=True, verbose_name="配合单位", through="TaskCoUnit"
    )
    units_as_printed = models.CharField("原文责任单位", max_length=400, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = TaskQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["document", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="unique_task_number")]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def code(self):
        """The task's number with its document, e.g. 附件2-5, 总-12."""
        prefix = "总" if self.document == PlanDocument.MASTER else f"附件{self.document}"
        return f"{prefix}-{self.number}"


class TaskCoUnit(models.Model):
    """A co-unit of a task, in the order the plan names it."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="co_unit_links")
    unit = models.ForeignKey(ResponsibleUnit, on_delete=models.PROTECT, related_name="+", verbose_name="配合单位")
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "配合单位"
        verbose_name_plural = "配合单位"
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="unique_task_co_unit")]

    def __str__(self):
        return str(self.unit)


class Deadline(models.Model):
    """One 完成时限 of a task, for the whole task or for one settlement or relocation project year."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="deadlines", verbose_name="任务")
    due_on = models.DateField("完成时限")
    wording = models.CharField("原文表述", max_length=120, blank=True)
    label = models.CharField("节点内容", max_length=120, blank=True)
    settlement = models.ForeignKey(
        Settlement, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="安置点"
    )
    project_year = models.PositiveSmallIntegerField("搬迁项目年度", null=True, blank=True)
    facility_kinds = models.ManyToManyField(
        "settlements.FacilityKind",
        blank=True,
        related_name="deadlines",
        verbose_name="须建成的设施",
        help_text="到期前须投入使用的设施类型：有安置点的，指该安置点；没有的，指每个安置点。",
    )
    reading = models.TextField("本系统的理解", blank=True, help_text="原文未写明之处，系统如何理解这一时限。")
    duty = models.CharField(
        "每户的职责",
        max_length=60,
        blank=True,
        db_index=True,
        help_text="按搬迁项目年度逐户检查的职责代码（如 culture.house_photo），由读取它的模块声明；其他时限留空。",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "完成时限"
        verbose_name_plural = "完成时限"
        ordering = ["due_on", "id"]

    def __str__(self):
        return f"{self.due_on:%Y-%m-%d} {self.scope_label}".strip()

    @property
    def scope_label(self):
        parts = [self.label]
        if self.settlement_id:
            parts.append(self.settlement.name)
        if self.project_year:
            parts.append(f"{self.project_year}年度项目")
        return " ".join(part for part in parts if part)


class Target(models.Model):
    """A measurable target of a task; tied to a registered indicator when the portal computes the figure."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="targets", verbose_name="任务")
    label = models.CharField("指标", max_length=120)
    value = models.DecimalField("目标值", max_digits=12, decimal_places=2)
    unit = models.CharField("计量单位", max_length=10, blank=True)
    due_on = models.DateField("目标时限", null=True, blank=True)
    wording = models.CharField("原文表述", max_length=300, blank=True)
    indicator_key = models.CharField("对应系统指标", max_length=60, blank=True)
    per_settlement = models.BooleanField(
        "每个安置点的目标",
        default=False,
        help_text="目标值是每个安置点都要达到的（如“每个安置点卫生室 2 名医务人员”），不是全县合计。",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "目标"
        verbose_name_plural = "目标"
        ordering = ["id"]

    def __str__(self):
        return f"{self.label} {self.value:g}{self.unit}"


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    ACCEPTED = "accepted", "已采纳"
    RETURNED = "returned", "已退回"


class ProgressReportQuerySet(models.QuerySet):
    def for_user(self, user):
        """Reports on the tasks `user` may read; a unit's reporter sees its own unit's reports only."""
        tasks = Task.objects.for_user(user)
        reports = self.filter(task__in=tasks.values("pk"))
        if capabilities.has(user, SEE_ALL_TASKS) or user.work_team_id:
            return reports
        return reports.filter(unit_id=user.unit_id)


class ProgressReport(models.Model):
    """A unit's monthly report on one task. Accepted reports are final; a returned one may be resubmitted."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="reports", verbose_name="任务")
    unit = models.ForeignKey(ResponsibleUnit, on_delete=models.PROTECT, related_name="+", verbose_name="填报单位")
    period = models.DateField("报告月份", help_text="所报月份的第一天。")
    progress = models.TextField("本月工作进展")
    figure = models.DecimalField("完成数", max_digits=12, decimal_places=2, null=True, blank=True)
    problems = models.TextField("存在问题", blank=True)
    claims_done = models.BooleanField("任务已全部完成", default=False)
    completes_deadlines = models.ManyToManyField(
        Deadline, blank=True, related_name="completed_by_reports", verbose_name="本次完成的时限节点"
    )
    status = models.CharField("状态", max_length=20, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="填报人"
    )
    submitted_at = models.DateTimeField("首次提交时间")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.TextField("审核意见", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ProgressReportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "进展报告"
        verbose_name_plural = "进展报告"
        ordering = ["-period", "task__document", "task__sort_order"]
        constraints = [models.UniqueConstraint(fields=["task", "unit", "period"], name="one_report_per_unit_month")]
        indexes = [models.Index(fields=["period", "unit"]), models.Index(fields=["status", "reviewed_at"])]

    def __str__(self):
        return f"{self.task.code} {self.unit} {self.period:%Y年%m月}"


def evidence_path(instance, filename):
    return f"evidence/{instance.report.period:%Y-%m}/{instance.report_id}/{filename}"


class Evidence(models.Model):
    """A photo or document attached to a report as 资料 or 图片 (served only through the portal's scope)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField("文件", upload_to=evidence_path, max_length=300)
    original_name = models.CharField("原文件名", max_length=200)
    is_image = models.BooleanField("图片", default=False)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "已安排"
    HELD = "held", "已召开"


class Meeting(models.Model):
    """The month's dispatch meeting (月度调度会 / 联席会议)."""

    period = models.DateField("调度月份", unique=True, help_text="所调度月份的第一天。")
    held_on = models.DateField("会议日期")
    place = models.CharField("地点", max_length=100, blank=True)
    status = models.CharField("状态", max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    minutes = models.TextField("会议纪要", blank=True)
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    held_recorded_at = models.DateTimeField("召开登记时间", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "调度会"
        verbose_name_plural = "调度会"
        ordering = ["-held_on"]

    def __str__(self):
        return f"{self.period:%Y年%m月}调度会"

    @property
    def title(self):
        return str(self)


class ActionStatus(models.TextChoices):
    OPEN = "open", "未办结"
    CLOSED = "closed", "已办结"


class FollowUpActionQuerySet(models.QuerySet):
    def for_user(self, user):
        if capabilities.has(user, SEE_ALL_TASKS):
            return self.all()
        scope = Q(owner_unit_id=user.unit_id) if user.unit_id else Q(pk__in=[])
        if user.work_team_id:
            scope |= Q(task__work_team_id=user.work_team_id)
        return self.filter(scope)

    def open_on(self, day: datetime.date):
        """Actions raised at a meeting held by `day` and not closed by then."""
        return self.filter(meeting__held_on__lte=day).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))


class FollowUpAction(models.Model):
    """A decision of a meeting: an owner unit, a due date; reported on at every meeting until closed."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions", verbose_name="提出会议")
    task = models.ForeignKey(
        Task, on_delete=models.PROTECT, null=True, blank=True, related_name="actions", verbose_name="相关任务"
    )
    text = models.TextField("督办事项")
    owner_unit = models.ForeignKey(
        ResponsibleUnit, on_delete=models.PROTECT, related_name="actions", verbose_name="责任单位"
    )
    due_on = models.DateField("完成时限")
    status = models.CharField("状态", max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    closing_note = models.TextField("办结情况", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = FollowUpActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "督办事项"
        verbose_name_plural = "督办事项"
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.text[:40]


class ReminderClaim(models.Model):
    """One reminder, claimed before it is sent: the unique key makes a rerun or catch-up send nothing twice."""

    key = models.CharField("提醒标识", max_length=120, unique=True)
    kind = models.CharField("类别", max_length=30)
    created_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "提醒发送记录"
        verbose_name_plural = "提醒发送记录"
        ordering = ["-created_at"]

    def __str__(self):
        return self.key


class Notification(models.Model):
    """A message in a user's inbox; also sent by email once (`emailed_at`) when the user has an address."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name="接收人"
    )
    claim = models.ForeignKey(
        ReminderClaim, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=200, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title


# --- indicator snapshots -------------------------------------------------------------------------------------


class IndicatorSnapshot(models.Model):
    """One indicator group's values for every settlement as of `day`, as computed at `computed_at`
    (`tasks.snapshots`). A change to a dated record on or before `day` marks it stale (`stale_since`) until
    a job computes it again; `computations` counts how often it was computed."""

    day = models.DateField("统计日期")
    group = models.CharField("指标组", max_length=80)
    computed_at = models.DateTimeField("计算时间")
    stale_since = models.DateTimeField("数据更正时间", null=True, blank=True, help_text="非空表示待重新计算。")
    computations = models.PositiveIntegerField("计算次数", default=0)

    class Meta:
        verbose_name = "指标快照"
        verbose_name_plural = "指标快照"
        ordering = ["-day", "group"]
        constraints = [models.UniqueConstraint(fields=["day", "group"], name="one_snapshot_per_day_and_group")]
        indexes = [models.Index(fields=["day"], condition=Q(stale_since__isnull=False), name="snapshot_stale_day")]

    def __str__(self):
        return f"{self.group} {self.day:%Y-%m-%d}"


class IndicatorValue(models.Model):
    """One indicator's value for one settlement in a snapshot (a settlement without a row counts 0)."""

    snapshot = models.ForeignKey(IndicatorSnapshot, on_delete=models.CASCADE, related_name="values")
    indicator_key = models.CharField("指标", max_length=80)
    settlement = models.ForeignKey(Settlement, on_delete=models.PROTECT, related_name="+", verbose_name="安置点")
    value = models.DecimalField("数值", max_digits=18, decimal_places=4)

    class Meta:
        verbose_name = "指标值"
        verbose_name_plural = "指标值"
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "indicator_key", "settlement"], name="one_value_per_indicator_and_settlement"
            )
        ]

    def __str__(self):
        return f"{self.indicator_key} {self.settlement_id}: {self.value}"


class IndicatorHousehold(models.Model):
    """One household counted by an indicator that counts households, in a snapshot: the list behind the
    figure (the zero-employment households of a day), read page by page."""

    snapshot = models.ForeignKey(IndicatorSnapshot, on_delete=models.CASCADE, related_name="households")
    indicator_key = models.CharField("指标", max_length=80)
    settlement = models.ForeignKey(Settlement, on_delete=models.PROTECT, related_name="+", verbose_name="安置点")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+", verbose_name="家庭")

    class Meta:
        verbose_name = "指标所计家庭"
        verbose_name_plural = "指标所计家庭"
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "indicator_key", "settlement", "household"], name="one_entry_per_counted_household"
            )
        ]

    def __str__(self):
        return f"{self.indicator_key} {self.household_id}"


class MeetingFigure(models.Model):
    """An indicator's value as the dispatch meeting saw it, frozen when the meeting was recorded as held
    (the county figure is their sum). A reprint shows these, and says where data changed since."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="figures", verbose_name="调度会")
    indicator_key = models.CharField("指标", max_length=80)
    label = models.CharField("指标名称", max_length=120)
    unit = models.CharField("单位", max_length=10)
    sort_order = models.IntegerField("排序", default=0)
    settlement = models.ForeignKey(Settlement, on_delete=models.PROTECT, related_name="+", verbose_name="安置点")
    value = models.DecimalField("会议时数值", max_digits=18, decimal_places=4)
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        verbose_name = "调度会指标数值"
        verbose_name_plural = "调度会指标数值"
        ordering = ["sort_order", "indicator_key", "settlement_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "indicator_key", "settlement"],
                name="one_figure_per_meeting_indicator_settlement",
            )
        ]

    def __str__(self):
        return f"{self.meeting} {self.indicator_key}: {self.value}"
