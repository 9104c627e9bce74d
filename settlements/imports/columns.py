"""A ledger's columns: the header a clerk's file carries, the field it fills, and how its cells read.

`Column` is shared by every importer, by the blank templates and by the exports that write a ledger which can
be imported again. A choice column keeps, beside its choices, the synonyms clerks write for them (`synonyms`:
label -> other spellings), so "文盲" reads as "文盲或半文盲" in every importer that offers that choice; the
preview lists every such reading, so nothing is reinterpreted silently.
"""

from dataclasses import dataclass, field

from ..xlsx_writer import DATE, GENERAL, TEXT  # how a template or an export formats the column's cells

__all__ = ["DATE", "GENERAL", "NO", "TEXT", "YES", "YES_NO", "YES_NO_SYNONYMS", "Column", "yes_no_column"]


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    household: bool = False  # (the registry) a household column: may be filled on the head's row only
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, label written in the ledger)
    width: int = 12
    kind: str = GENERAL  # TEXT keeps numbers such as ID numbers as text in Excel; DATE is a date cell
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)
    # other headers a clerk's file may give this column (an older name of it); the template writes `header`
    header_aliases: tuple[str, ...] = ()
    # values that belong to another column the file may have: value -> that column's header (e.g. 农业 is a
    # 户口性质, not a 户籍迁移情况); the error names the column the value belongs to
    belongs_elsewhere: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def labels(self) -> list[str]:
        return [label for _, label in self.choices]


YES, NO = "是", "否"
YES_NO = (("1", YES), ("0", NO))
# What clerks write in a yes-no column. A blank cell is "not given": a new record takes the default (否), a
# record the portal holds keeps its value, as in every other column.
YES_NO_SYNONYMS = {
    YES: ("√", "✓", "✔", "☑", "Y", "YES", "有", "对"),
    NO: ("×", "✗", "✘", "N", "NO", "无", "不是"),
}


def yes_no_column(header: str, field_name: str, **options) -> Column:
    return Column(header, field_name, choices=YES_NO, synonyms=YES_NO_SYNONYMS, **options)
