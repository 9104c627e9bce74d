"""The centres' Excel ledger (台账): one row per person, its Chinese columns and how each maps to the registry.

Import, export and the blank template all read the columns from here, so a file the portal exports can be
imported again as it is.
"""

from .id_numbers import Sex
from .imports.columns import DATE, TEXT, Column, yes_no_column
from .models import Education, Health, HukouStatus, ProjectYear, Relation

__all__ = ["BY_HEADER", "COLUMNS", "HEADERS", "HOUSEHOLD_COLUMNS", "Column"]


# What clerks write for the registry's choices (label -> other spellings); the preview lists every such reading.
RELATION_SYNONYMS = {
    "户主": ("本人",),
    "配偶": ("妻子", "丈夫", "妻", "夫"),
    "子": ("儿子", "长子", "次子", "三子"),
    "女": ("女儿", "长女", "次女", "三女"),
    "孙子": ("孙",),
    "父亲": ("父",),
    "母亲": ("母",),
    "兄弟姐妹": ("兄", "弟", "姐", "妹", "兄弟", "姐妹"),
}
SEX_SYNONYMS = {"男": ("男性",), "女": ("女性",)}
EDUCATION_SYNONYMS = {
    "学龄前": ("学前", "未上学（学龄前）"),
    "文盲或半文盲": ("文盲", "半文盲"),
    "小学": ("小学毕业", "小学肄业"),
    "初中": ("初中毕业", "初中肄业"),
    "高中": ("高中毕业", "普高"),
    "中专或中技": ("中专", "中技", "技校", "职高"),
    "大专": ("专科", "大学专科"),
    "本科及以上": ("本科", "大学本科"),
}
HEALTH_SYNONYMS = {
    "健康": ("良好", "正常"),
    "长期慢性病": ("慢性病",),
    "患有大病": ("大病", "重病"),
    "残疾": ("残疾人",),
}
# 户籍迁移情况 says whether the person's hukou moved to the settlement. A clerk's file often also has 户口性质
# (农业/非农业), a different fact the registry does not keep: its values are refused here naming that column.
HUKOU_STATUS_HEADER = "户籍迁移情况"
HUKOU_TYPE_HEADER = "户口性质"
HUKOU_STATUS_SYNONYMS = {
    "已迁入安置地": ("已迁入", "已迁", "已迁移"),
    "未迁移，持市民证": ("持市民证", "未迁移持市民证", "未迁移,持市民证"),
    "未迁移": ("未迁", "未迁入"),
}
HUKOU_TYPE_VALUES = dict.fromkeys(("农业", "非农业", "农业户口", "非农业户口", "农村", "城镇"), HUKOU_TYPE_HEADER)

COLUMNS = (
    Column("户编号", "code", household=True, required=True, width=16, kind=TEXT),
    Column("安置点", "settlement", household=True, required=True, width=10),
    Column("楼栋", "building", household=True, width=8, kind=TEXT),
    Column("房号", "room_number", household=True, width=8, kind=TEXT),
    Column("户主姓名", "head_name", household=True, width=10),
    Column("姓名", "name", required=True, width=10),
    Column("身份证号", "id_number", required=True, width=22, kind=TEXT),
    Column(
        "与户主关系", "relation", required=True, choices=tuple(Relation.choices), width=10, synonyms=RELATION_SYNONYMS
    ),
    Column("性别", "sex", choices=tuple(Sex.CHOICES), width=6, synonyms=SEX_SYNONYMS),
    Column("联系电话", "phone", width=14, kind=TEXT),
    Column(
        "搬迁年度",
        "project_year",
        household=True,
        required=True,
        choices=tuple((str(value), str(value)) for value in ProjectYear.values),
        width=10,
    ),
    Column("迁出乡镇", "origin_township", household=True, required=True, width=10),
    Column("迁出村", "origin_village", household=True, width=10),
    yes_no_column("建档立卡", "registered_poor", household=True, width=8),
    Column("入住日期", "move_in_date", household=True, width=12, kind=DATE),
    Column("文化程度", "education", choices=tuple(Education.choices), width=12, synonyms=EDUCATION_SYNONYMS),
    Column("健康状况", "health", choices=tuple(Health.choices), width=10, synonyms=HEALTH_SYNONYMS),
    Column(
        HUKOU_STATUS_HEADER,
        "hukou_status",
        choices=tuple(HukouStatus.choices),
        width=16,
        synonyms=HUKOU_STATUS_SYNONYMS,
        header_aliases=("户籍状态",),  # its name until 2026-11: files exported then still import
        belongs_elsewhere=HUKOU_TYPE_VALUES,
    ),
)

HEADERS = tuple(column.header for column in COLUMNS)
BY_HEADER = {column.header: column for column in COLUMNS}
HOUSEHOLD_COLUMNS = tuple(column for column in COLUMNS if column.household)
