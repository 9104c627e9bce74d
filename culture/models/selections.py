"""评先选优 (annex 3 四(二), master plan item 11; seed 003 item 8): a settlement's yearly selection of 文明家庭,
勤劳致富模范户, 身边好人 "等" (the list is open), and the households or persons it honours, shown on a 光荣榜."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from settlements.models import Household, Person, PersonStatus, Relation, ResponsibleUnit, ScopedQuerySet, Settlement


class SelectionCategory(models.TextChoices):
    # annex 3: “文明家庭”、“勤劳致富模范户”、“身边好人”等
    CIVILISED_FAMILY = "civilised_family", "文明家庭"
    INDUSTRIOUS_MODEL = "industrious_model", "勤劳致富模范户"
    GOOD_PERSON = "good_person", "身边好人"
    # seed 003 item 8: 文明家庭、尊老爱幼、勤俭持家、好媳妇、好儿女、好公婆等评比活动
    RESPECT_ELDERS = "respect_elders", "尊老爱幼"
    THRIFTY = "thrifty", "勤俭持家"
    GOOD_DAUGHTER_IN_LAW = "good_daughter_in_law", "好媳妇"
    GOOD_CHILDREN = "good_children", "好儿女"
    GOOD_PARENTS_IN_LAW = "good_parents_in_law", "好公婆"
    OTHER = "other", "其他"


class Selection(models.Model):
    """One selection a settlement held for a year (评选活动), published on a day."""

    settlement = models.ForeignKey(Settlement, on_delete=models.PROTECT, related_name="+", verbose_name="安置点")
    year = models.PositiveSmallIntegerField("评选年度")
    category = models.CharField("评选类别", max_length=30, choices=SelectionCategory.choices)
    other_name = models.CharField("其他类别名称", max_length=40, blank=True, help_text="类别为“其他”时填写。")
    held_on = models.DateField("评选（公布）日期")
    organiser = models.ForeignKey(ResponsibleUnit, on_delete=models.PROTECT, related_name="+", verbose_name="组织单位")
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="评先选优变更")

    class Meta:
        verbose_name = "评先选优"
        verbose_name_plural = "评先选优"
        ordering = ["-year", "settlement__sort_order", "category", "id"]
        indexes = [models.Index(fields=["settlement", "year"], name="selection_settlement_year")]
        constraints = [
            models.UniqueConstraint(
                fields=["settlement", "year", "category", "other_name"], name="one_selection_per_category_and_year"
            ),
        ]

    def __str__(self):
        return f"{self.settlement} {self.year}年度{self.title}"

    @property
    def title(self) -> str:
        """The category as printed: its name, or the name given to “其他”."""
        return self.other_name if self.category == SelectionCategory.OTHER else self.get_category_display()


class HonourQuerySet(ScopedQuerySet):
    """Honours read within their selection's settlement."""

    settlement_path = "selection__settlement_id"


class Honour(models.Model):
    """A household or a person of the selection's settlement the selection honours (exactly one of the two);
    its photo through the portal's photo mechanism."""

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="honours", verbose_name="评选")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="获评户"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="获评人"
    )
    citation = models.CharField("事迹简介", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )

    objects = HonourQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="获评对象变更")

    class Meta:
        verbose_name = "获评对象"
        verbose_name_plural = "获评对象"
        ordering = ["selection", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(household__isnull=False, person__isnull=True)
                | Q(household__isnull=True, person__isnull=False),
                name="honour_household_or_person",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        """Who is honoured, by name only (never an ID number): the person, or the household by its head."""
        if self.person_id:
            return self.person.name
        head = (
            self.household.members.filter(relation=Relation.HEAD, status=PersonStatus.ACTIVE)
            .values_list("name", flat=True)
            .first()
        )
        return f"{head}户" if head else f"{self.household.code}户"
