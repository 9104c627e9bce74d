"""The centres' Excel ledger (台账): one row per person, its Chinese columns and how each maps to the registry.

Import, export and the blank template all read the columns from here, so a file the portal exports can be
imported again as it is.
"""

from dataclasses import dataclass

from .id_numbers import Sex
from .models import Education, Health, HukouStatus, ProjectYear, Relation
from .xlsx_writer import DATE, GENERAL, TEXT


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    household: bool = False  # a household column: may be filled on the head's row only
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, label written in the ledger)
    width: int = 12
    kind: str = GENERAL  # TEXT keeps numbers such as ID numbers as text in Excel; DATE is a date cell

    @property
    def labels(self) -> list[str]:
        return [label for _, label in self.choices]


YES_NO = (("1", "是"), ("0", "否"))

COLUMNS = (
    Column("户编号", "code", household=True, required=True, width=16, kind=TEXT),
    Column("安置点", "settlement", household=True, required=True, width=10),
    Column("楼栋", "building", household=True, width=8, kind=TEXT),
    Column("房号", "room_number", household=True, width=8, kind=TEXT),
    Column("户主姓名", "head_name", household=True, width=10),
    Column("姓名", "name", required=True, width=10),
    Column("身份证号", "id_number", required=True, width=22, kind=TEXT),
    Column("与户主关系", "relation", required=True, choices=tuple(Relation.choices), width=10),
    Column("性别", "sex", choices=tuple(Sex.CHOICES), width=6),
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
    Column("建档立卡", "registered_poor", household=True, choices=YES_NO, width=8),
    Column("入住日期", "move_in_date", household=True, width=12, kind=DATE),
    Column("文化程度", "education", choices=tuple(Education.choices), width=12),
    Column("健康状况", "health", choices=tuple(Health.choices), width=10),
    Column("户籍状态", "hukou_status", choices=tuple(HukouStatus.choices), width=16),
)

HEADERS = tuple(column.header for column in COLUMNS)
BY_HEADER = {column.header: column for column in COLUMNS}
HOUSEHOLD_COLUMNS = tuple(column for column in COLUMNS if column.household)
