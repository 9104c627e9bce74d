"""Elections of a residents' committee (annex 4 item 11, steps (1)–(4); A4-E5…E7, A4-W3, A4-R5…R7): the guidance
group and the election committee, the plan, the voter list built from the registry as of election day (with
every change the clerk makes logged), its posting, the candidates and their results, the supervision committee
elected in the same election, and the filing with 县民政局."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from settlements.id_numbers import Sex
from settlements.models import Building, Person

from .committees import Body, Committee, CommitteeScopedQuerySet, Role, SettlementsScopedQuerySet


class VotingWay(models.TextChoices):
    ON_SITE = "on_site", "现场投票（召开选举大会）"
    STATIONS = "stations", "现场投票（设立投票站）"


class Election(models.Model):
    """An election of a committee: its plan, its voter list's posting, its results and their filing."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="elections", verbose_name="居委会")
    election_day = models.DateField("选举日")
    method = models.TextField("选举方法", max_length=2000, blank=True)
    steps = models.TextField("方法步骤", max_length=2000, blank=True)
    measures = models.TextField("工作措施", max_length=2000, blank=True)
    voting_way = models.CharField("选举方式", max_length=20, choices=VotingWay.choices, default=VotingWay.ON_SITE)
    list_posted_on = models.DateField("选民名单张榜公布日期", null=True, blank=True)
    results_announced_on = models.DateField("现场公布选举结果日期", null=True, blank=True)
    filed_on = models.DateField("报县民政局备案日期", null=True, blank=True)
    filing_document = models.CharField("备案文号", max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )

    objects = CommitteeScopedQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="选举变更记录")

    class Meta:
        verbose_name = "居委会选举"
        verbose_name_plural = "居委会选举"
        ordering = ["-election_day", "-id"]

    def __str__(self):
        return f"{self.committee} {self.election_day:%Y-%m-%d} 选举"

    def get_absolute_url(self):
        return reverse("governance:election_detail", args=[self.pk])


class ElectionScopedQuerySet(SettlementsScopedQuerySet):
    settlements_path = "election__committee__settlements"


class OfficerBody(models.TextChoices):
    GUIDANCE = "guidance", "选举指导小组"
    ELECTION_COMMITTEE = "election_committee", "选举委员会"


class ElectionOfficer(models.Model):
    """A member of the guidance group (set up by the township, street or service centre) or of the election
    committee (recommended by 群众大会 or 群众代表会议)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="officers", verbose_name="选举")
    body = models.CharField("机构", max_length=20, choices=OfficerBody.choices)
    name = models.CharField("姓名", max_length=30)
    position = models.CharField("职务或单位", max_length=60, blank=True)

    objects = ElectionScopedQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="选举机构成员变更记录")

    class Meta:
        verbose_name = "选举机构成员"
        verbose_name_plural = "选举机构成员"
        ordering = ["election", "body", "id"]

    def __str__(self):
        return f"{self.get_body_display()} {self.name}"


class VoterSource(models.TextChoices):
    REGISTRY = "registry", "按户籍台账生成"
    ADDED = "added", "登记员增补"


class Voter(models.Model):
    """A name on an election's voter list: a resident of the registry (built, or added by the clerk) or a
    non-resident added with a reason; struck with a reason, it stays on the list as struck."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="voters", verbose_name="选举")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="人员（户籍台账）"
    )
    name = models.CharField("姓名", max_length=30)
    sex = models.CharField("性别", max_length=1, choices=Sex.CHOICES, blank=True)
    building = models.ForeignKey(
        Building, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="楼栋"
    )
    source = models.CharField("来源", max_length=20, choices=VoterSource.choices)
    added_reason = models.CharField("增补理由", max_length=200, blank=True)
    struck = models.BooleanField("已划去", default=False)
    strike_reason = models.CharField("划去理由", max_length=200, blank=True)

    objects = ElectionScopedQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="选民名单变更记录")

    class Meta:
        verbose_name = "选民"
        verbose_name_plural = "选民名单"
        ordering = ["election", "building__name", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "person"], condition=models.Q(person__isnull=False), name="one_voter_per_person"
            )
        ]

    def __str__(self):
        return self.name


class VoterChangeKind(models.TextChoices):
    BUILT = "built", "生成名单"
    ADDED = "added", "增补"
    STRUCK = "struck", "划去"
    RESTORED = "restored", "恢复"
    POSTED = "posted", "张榜公布"


class VoterChange(models.Model):
    """The voter list's log: who changed it, when, and why."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="voter_changes", verbose_name="选举")
    voter = models.ForeignKey(
        Voter, on_delete=models.CASCADE, null=True, blank=True, related_name="changes", verbose_name="选民"
    )
    kind = models.CharField("变更", max_length=20, choices=VoterChangeKind.choices)
    detail = models.CharField("说明", max_length=300, blank=True)
    reason = models.CharField("理由", max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="操作人"
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    objects = ElectionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "选民名单变更"
        verbose_name_plural = "选民名单变更"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.detail}"


class CandidateCategory(models.TextChoices):
    YOUNG_PARTY_MEMBER = "young_party_member", "年青党员"
    YOUNG_TALENT = "young_talent", "优秀青年"
    ENTREPRENEUR = "entrepreneur", "创业人才"
    PROSPERITY_LEADER = "prosperity_leader", "致富带头人"
    VETERAN = "veteran", "复员退伍军人"
    CADRE = "cadre", "正式干部"
    OTHER_COMMITTEE_CADRE = "other_committee_cadre", "其他社区居委会干部"
    OTHER = "other", "其他"


class Candidate(models.Model):
    """A candidate for a seat of the committee or of its supervision committee, and their result."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates", verbose_name="选举")
    voter = models.ForeignKey(
        Voter, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="选民名单上的人员"
    )
    name = models.CharField("姓名", max_length=30)
    body = models.CharField("机构", max_length=20, choices=Body.choices, default=Body.COMMITTEE)
    role = models.CharField("竞选职务", max_length=20, choices=Role.choices)
    category = models.CharField("类别", max_length=30, choices=CandidateCategory.choices)
    votes = models.PositiveIntegerField("得票数", null=True, blank=True)
    elected = models.BooleanField("当选", null=True, blank=True)

    objects = ElectionScopedQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="候选人变更记录")

    class Meta:
        verbose_name = "候选人"
        verbose_name_plural = "候选人"
        ordering = ["election", "body", "role", "id"]

    def __str__(self):
        return self.name
