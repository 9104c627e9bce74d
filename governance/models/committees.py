"""Residents' committees and the street office (annex 4 items 1–7, 16; master plan 15): the street-office
application and its four steps, the residents' committees (社区居民委员会) of one or several settlements with
their establishment steps, their members and the members of their supervision committee (居(村)务监督委员会),
and the mass organisations (工会、共青团、妇联) of each settlement.

A committee or a street office covers several settlements (a small settlement is attached to the committee of
another): a user reads it when one of its settlements is in their scope (`SettlementsScopedQuerySet`, as the
core scopes a facility serving several settlements).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from settlements import capabilities
from settlements.models import Person, ScopedQuerySet, Settlement


class SettlementsScopedQuerySet(models.QuerySet):
    """Records of several settlements (`settlements_path`, a many-to-many): read by a user with one of them in
    scope."""

    settlements_path = "settlements"

    def for_user(self, user):
        if capabilities.has(user, capabilities.SEE_ALL_SETTLEMENTS):
            return self.all()
        settlement_ids = list(Settlement.objects.for_user(user).values_list("pk", flat=True))
        return self.filter(**{f"{self.settlements_path}__in": settlement_ids}).distinct()


class StepRecord(models.Model):
    """A dated step of a workflow, with the document that records it (文号 and 标题)."""

    done_on = models.DateField("完成日期")
    document_number = models.CharField("文号", max_length=60, blank=True)
    document_title = models.CharField("文件标题", max_length=200, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )

    class Meta:
        abstract = True


# --- the street office (A4-E1, A4-W1) ------------------------------------------------------------------------------


class StreetOfficeStepKind(models.IntegerChoices):
    PLAN = 1, "制定工作方案"
    MATERIALS = 2, "组织申报材料"
    APPLY = 3, "向省州申请报批（县报州、州报省）"
    IMPLEMENT = 4, "组织实施"


class StreetOffice(models.Model):
    """The street office (街道办事处) to be set up, and the settlements to be included in it."""

    name = models.CharField("名称", max_length=60)
    settlements = models.ManyToManyField(Settlement, related_name="+", verbose_name="纳入的安置点")
    note = models.TextField("备注", max_length=2000, blank=True)

    objects = SettlementsScopedQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="街道办事处变更记录", m2m_fields=[settlements])

    class Meta:
        verbose_name = "街道办事处"
        verbose_name_plural = "街道办事处"
        ordering = ["id"]

    def __str__(self):
        return self.name


class StreetOfficeStepQuerySet(SettlementsScopedQuerySet):
    settlements_path = "office__settlements"


class StreetOfficeStep(StepRecord):
    office = models.ForeignKey(StreetOffice, on_delete=models.CASCADE, related_name="steps", verbose_name="街道办事处")
    step = models.PositiveSmallIntegerField("步骤", choices=StreetOfficeStepKind.choices)

    objects = StreetOfficeStepQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="街道办事处申报步骤变更记录")

    class Meta:
        verbose_name = "街道办事处申报步骤"
        verbose_name_plural = "街道办事处申报步骤"
        ordering = ["office", "step"]
        constraints = [models.UniqueConstraint(fields=["office", "step"], name="one_street_office_step_each")]

    def __str__(self):
        return f"{self.office} {self.get_step_display()}"


# --- residents' committees (A4-E2, A4-W2, A4-E8, A4-E9) -----------------------------------------------------------


class Staffing(models.TextChoices):
    ELECTED = "elected", "选举产生"
    APPOINTED = "appointed", "委派制（下派正式干部）"


class Committee(models.Model):
    """A residents' committee (社区居民委员会) and the settlements it serves; a small settlement is attached to
    the committee of a bigger one (A4-R4). Its households are those of its settlements."""

    name = models.CharField("居委会名称", max_length=60, unique=True)
    settlements = models.ManyToManyField(Settlement, related_name="+", verbose_name="所辖安置点")
    established_on = models.DateField("成立日期", null=True, blank=True, help_text="尚未成立的留空。")
    staffing = models.CharField("产生方式", max_length=20, choices=Staffing.choices, default=Staffing.ELECTED)
    note = models.TextField("备注", max_length=2000, blank=True)

    objects = SettlementsScopedQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="居委会变更记录", m2m_fields=[settlements])

    class Meta:
        verbose_name = "社区居民委员会"
        verbose_name_plural = "社区居民委员会"
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("governance:committee_detail", args=[self.pk])

    def established_by(self, day) -> bool:
        return self.established_on is not None and self.established_on <= day


class CommitteeStepKind(models.IntegerChoices):
    PLAN = 1, "制定方案"
    REVIEWED = 2, "审定：县政府常务会议审定"
    APPROVED = 3, "审批：县委常委会议审批"
    REPLIED = 4, "批复：县人民政府行文批复"
    IMPLEMENT = 5, "组织实施"


class CommitteeScopedQuerySet(SettlementsScopedQuerySet):
    settlements_path = "committee__settlements"


class CommitteeStep(StepRecord):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="steps", verbose_name="居委会")
    step = models.PositiveSmallIntegerField("步骤", choices=CommitteeStepKind.choices)

    objects = CommitteeScopedQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="居委会成立步骤变更记录")

    class Meta:
        verbose_name = "居委会成立步骤"
        verbose_name_plural = "居委会成立步骤"
        ordering = ["committee", "step"]
        constraints = [models.UniqueConstraint(fields=["committee", "step"], name="one_committee_step_each")]

    def __str__(self):
        return f"{self.committee} {self.get_step_display()}"


class Body(models.TextChoices):
    COMMITTEE = "committee", "居民委员会"
    SUPERVISION = "supervision", "居(村)务监督委员会"


class Role(models.TextChoices):
    DIRECTOR = "director", "主任"
    DEPUTY = "deputy", "副主任"
    MEMBER = "member", "委员"


class CameBy(models.TextChoices):
    ELECTED = "elected", "选举产生"
    APPOINTED = "appointed", "委派"


class CommitteeMember(models.Model):
    """A member of a committee or of its supervision committee for a term: a resident of the registry, or a
    posted cadre named here (委派制 "下派正式干部"); elected in an election, or appointed."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="members", verbose_name="居委会")
    body = models.CharField("机构", max_length=20, choices=Body.choices, default=Body.COMMITTEE)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="人员（户籍台账）"
    )
    name = models.CharField("姓名", max_length=30)
    role = models.CharField("职务", max_length=20, choices=Role.choices)
    term_from = models.DateField("任期起")
    term_to = models.DateField("任期止", null=True, blank=True, help_text="任期最后一天；仍在任的留空。")
    came_by = models.CharField("产生方式", max_length=20, choices=CameBy.choices)
    election = models.ForeignKey(
        "governance.Election",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seated_members",
        verbose_name="选举",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )

    objects = CommitteeScopedQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="居委会成员变更记录")

    class Meta:
        verbose_name = "居委会成员"
        verbose_name_plural = "居委会成员"
        ordering = ["committee", "body", "role", "term_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_to__isnull=True) | Q(term_to__gte=F("term_from")), name="member_term_to_after_from"
            ),
        ]

    def __str__(self):
        return f"{self.committee} {self.get_body_display()} {self.get_role_display()} {self.name}"

    def serving_on(self, day) -> bool:
        return self.term_from <= day and (self.term_to is None or day <= self.term_to)


# --- mass organisations (A4-E15) ----------------------------------------------------------------------------------


class MassOrganisationKind(models.TextChoices):
    UNION = "union", "工会"
    YOUTH_LEAGUE = "youth_league", "共青团"
    WOMEN = "women", "妇联"


class MassOrganisationQuerySet(ScopedQuerySet):
    pass


class MassOrganisation(models.Model):
    """工会、共青团 or 妇联 of a settlement, founded on a day."""

    settlement = models.ForeignKey(Settlement, on_delete=models.PROTECT, related_name="+", verbose_name="安置点")
    kind = models.CharField("群团组织", max_length=20, choices=MassOrganisationKind.choices)
    founded_on = models.DateField("成立日期")
    note = models.CharField("备注", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )

    objects = MassOrganisationQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="群团组织变更记录")

    class Meta:
        verbose_name = "群团组织"
        verbose_name_plural = "群团组织"
        ordering = ["settlement__sort_order", "kind"]
        constraints = [models.UniqueConstraint(fields=["settlement", "kind"], name="one_mass_organisation_each")]

    def __str__(self):
        return f"{self.settlement} {self.get_kind_display()}"
