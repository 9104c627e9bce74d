"""The ledger (台账) as a django-import-export resource: one row per person, the Chinese columns of
`ledger.COLUMNS` with import-export Fields and widgets.

The portal's own ledger import (`importing.check_ledger` / `importing.write_ledger`) checks a whole file and
writes it in bulk, which a row-by-row resource cannot do fast enough for 25,000 rows; this resource declares
the same columns for django-import-export (exports, the admin, comparisons) and is kept in step with
`ledger.COLUMNS` by the tests. Rows it imports are persons of households that already exist (户编号); the
household columns are read-only here.
"""

from import_export import fields, instance_loaders, resources, widgets

from . import ledger
from .id_numbers import Sex
from .models import Education, Health, Household, HukouStatus, Person, Relation


class ChoiceLabelWidget(widgets.Widget):
    """A choice written as its Chinese label (户主, 男, 初中) and stored as its value."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.labels = {str(value): str(label) for value, label in choices}
        self.values = {label: value for value, label in self.labels.items()}

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return ""
        if text in self.values:
            return self.values[text]
        if text in self.labels:
            return text
        raise ValueError(f"“{text}”不是有效的选项，应为：{'、'.join(self.labels.values())}。")

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(str(value), "" if value is None else str(value))


class YesNoWidget(widgets.Widget):
    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


class IdNumberInstanceLoader(instance_loaders.ModelInstanceLoader):
    """Finds a row's person by its ID number, which is stored encrypted: through its keyed hash."""

    def get_instance(self, row):
        number = self.resource.fields["id_number"].clean(row)
        return self.get_queryset().with_id_number(number).first() if number else None


class PersonLedgerResource(resources.ModelResource):
    """The ledger's columns, in its order and with its headers."""

    code = fields.Field("household", "户编号", widgets.ForeignKeyWidget(Household, "code"))
    settlement = fields.Field("household__settlement__name", "安置点", readonly=True)
    building = fields.Field("household__building__name", "楼栋", readonly=True)
    room_number = fields.Field("household__room_number", "房号", readonly=True)
    head_name = fields.Field(column_name="户主姓名", readonly=True)
    name = fields.Field("name", "姓名", widgets.CharWidget())
    id_number = fields.Field("id_number", "身份证号", widgets.CharWidget())
    relation = fields.Field("relation", "与户主关系", ChoiceLabelWidget(Relation.choices))
    sex = fields.Field("sex", "性别", ChoiceLabelWidget(Sex.CHOICES), readonly=True)
    phone = fields.Field("phone", "联系电话", widgets.CharWidget())
    project_year = fields.Field("household__project_year", "搬迁年度", readonly=True)
    origin_township = fields.Field("household__origin_township", "迁出乡镇", readonly=True)
    origin_village = fields.Field("household__origin_village", "迁出村", readonly=True)
    registered_poor = fields.Field("household__registered_poor", "建档立卡", YesNoWidget(), readonly=True)
    move_in_date = fields.Field("household__move_in_date", "入住日期", widgets.DateWidget("%Y-%m-%d"), readonly=True)
    education = fields.Field("education", "文化程度", ChoiceLabelWidget(Education.choices))
    health = fields.Field("health", "健康状况", ChoiceLabelWidget(Health.choices))
    hukou_status = fields.Field("hukou_status", ledger.HUKOU_STATUS_HEADER, ChoiceLabelWidget(HukouStatus.choices))

    class Meta:
        model = Person
        fields = tuple(column.field for column in ledger.COLUMNS)
        export_order = fields
        import_id_fields = ("id_number",)
        instance_loader_class = IdNumberInstanceLoader
        skip_unchanged = True
        report_skipped = False

    def get_queryset(self):
        return Person.objects.select_related("household__settlement", "household__building")

    def dehydrate_head_name(self, person):
        """Household columns may be filled on the head's row only."""
        return person.name if person.relation == Relation.HEAD else ""

    def before_save_instance(self, instance, row, **kwargs):
        """What the ledger does not carry: birth date and sex (from the ID number), the settlement."""
        from .services import person_apply_id_number

        person_apply_id_number(person=instance)
        instance.settlement_id = instance.household.settlement_id
