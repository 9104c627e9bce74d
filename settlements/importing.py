"""The registry's ledger import (户籍台账): one row per person, grouped into households by 户编号.

An importer of the shared framework (`settlements.imports`), which reads the file, parses every cell and runs
the life cycle; this module holds what is the registry's own: the household check (`plan`: the rows of a
household agree, exactly one head, relations the ages allow, ID numbers registered nowhere else, the user's
settlements only) and the write.

`check_ledger(source, user)` checks a whole ledger for `user` and writes nothing. It reads the settlements
once, then the households (by code) and persons (by ID number) the file names with one query per
`LOOKUP_ROWS` rows, so a check costs well under one query per thousand rows however large the file.

`write_ledger(result, user, ...)` writes what a check found new or changed, in one transaction, with bulk
operations that keep the change history (django-simple-history) in the importing user's name.
"""

import contextlib
import dataclasses
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from . import bulk, id_numbers, imports, ledger, rules
from .imports import cells
from .imports.cells import MSG_REQUIRED
from .imports.checking import CHANGED, CHUNK_SIZE, NEW, UNCHANGED, WRONG, CheckResult, LedgerRow
from .imports.checking import chunks as _chunks
from .models import (
    Building,
    Household,
    HouseholdEvent,
    HouseholdEventKind,
    HouseholdStatus,
    Membership,
    MembershipStart,
    Person,
    PersonStatus,
    ProjectYear,
    Relation,
    Settlement,
    id_number_hashes,
    stored_id_number,
)

KIND = "registry"
HEADER_KEYS = ("户编号", "姓名", "身份证号")  # a row with all of these is the header row
LOOKUP_ROWS = 2000  # rows whose households and persons one query looks up (about 2,500 values in `__in`)
CHANGE_REASON = "台账导入 #{pk}"
BLOCKED = "blocked"

# --- messages (the tests use these constants) --------------------------------------------------------------

MSG_DATE_FUTURE = "入住日期不能晚于今天。"
MSG_SEX_MISMATCH = "与身份证号不符：身份证号表明为“{sex}”。"
MSG_SETTLEMENT_UNKNOWN = "没有名为“{value}”的安置点。"
MSG_SETTLEMENT_OUT_OF_SCOPE = "安置点“{value}”不在您的管理范围内，不能导入。"
MSG_DUPLICATE_ID = "身份证号与第{row}行重复。"
MSG_REGISTERED_IN = "该身份证号已登记在户 {code} 中。"
MSG_REGISTERED_ELSEWHERE = "该身份证号已登记在另一安置点的搬迁户中。"
MSG_HOUSEHOLD_CONFLICT = "与本户第{row}行填写的“{value}”不一致（户的信息以户主所在行为准）。"
MSG_HEAD_NAME = "与本户户主（第{row}行）的姓名“{name}”不一致。"
MSG_CODE_TAKEN = "户编号“{code}”已被另一安置点的搬迁户使用。"
MSG_SETTLEMENT_CHANGE = "户 {code} 已登记在{settlement}，导入不能更改搬迁户的安置点。"
MSG_EXISTING_MEMBER = "平台中已登记、未列在表中的本户成员“{name}”：{message}"
MSG_HAS_WRONG = "文件中有{rows}行存在错误：请修改后重新上传，或勾选“只导入无误的户”。"

# --- columns -------------------------------------------------------------------------------------------------

BY_FIELD = {column.field: column for column in ledger.COLUMNS}
CODE, SETTLEMENT, ID_NUMBER, SEX, HEAD_NAME = (
    BY_FIELD[name] for name in ("code", "settlement", "id_number", "sex", "head_name")
)
# Household columns that the household's rows must agree on (the code groups them; the head's name is
# checked against the head's row instead).
AGREED_HOUSEHOLD_COLUMNS = tuple(c for c in ledger.HOUSEHOLD_COLUMNS if c.field not in ("code", "head_name"))
HOUSEHOLD_FIELDS = (
    "building",
    "room_number",
    "project_year",
    "origin_township",
    "origin_village",
    "registered_poor",
    "move_in_date",
)
PERSON_FIELDS = ("name", "relation", "phone", "education", "health", "hukou_status")
STATUS_LABEL = "状态"


# --- plans -----------------------------------------------------------------------------------------------------


@dataclass
class PersonPlan:
    row: LedgerRow
    existing: Person | None = None
    changes: dict[str, tuple] = field(default_factory=dict)
    outcome: str = ""
    stored_id: dict[str, str] = field(default_factory=dict)  # a new person's ID number as stored (encrypted)


@dataclass
class HouseholdPlan:
    code: str
    rows: list[LedgerRow]
    existing: Household | None = None
    values: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, tuple] = field(default_factory=dict)
    persons: list[PersonPlan] = field(default_factory=list)
    primary: LedgerRow | None = None  # the head's row (or the first row when there is no head)
    outcome: str = ""

    @property
    def wrong(self) -> bool:
        return any(row.errors for row in self.rows)


def display_value(name: str, value) -> str:
    """A stored value as the ledger writes it: labels for choices, 是/否, dates as 2019-05-01."""
    if value is None or value == "":
        return "（空）"
    if name == "status":
        return HouseholdStatus(value).label
    if name == "registered_poor":
        return "是" if value else "否"
    if isinstance(value, datetime.date):
        return value.isoformat()
    column = BY_FIELD.get(name)
    if column and column.choices:
        return dict(column.choices).get(str(value), str(value))
    return str(value)


def _change_dict(name, old, new) -> dict:
    label = STATUS_LABEL if name == "status" else BY_FIELD[name].header
    return {"field": name, "label": label, "old": display_value(name, old), "new": display_value(name, new)}


# --- the blank template's guidance ---------------------------------------------------------------------------

GUIDE = (
    "填写说明",
    "1. 每行填写一名人员；同一户的人员填写相同的户编号。",
    "2. 户的信息（户编号以外的安置点、楼栋、房号、户主姓名、搬迁年度、迁出乡镇、迁出村、建档立卡、入住日期）"
    "可以只填在户主所在行；其他行留空或填写相同内容。",
    "3. 红色表头为必填列。身份证号、联系电话、户编号请按文本填写，不要改为数字格式，以免 Excel 丢失末几位。",
    "4. 性别可不填；填写时须与身份证号一致。出生日期和性别均取自身份证号。",
    "5. 入住日期写作 2019-05-01、2019/5/1 或 2019年5月1日。",
    "6. 有下拉列表的列请从列表中选择。空白单元格不会清除平台中已有的内容。",
    "7. 表头行以上可以有标题行；可以增加其他列，导入时会被忽略。",
    "8. “户籍迁移情况”指户口是否已迁入安置地（已迁入安置地；未迁移，持市民证；未迁移）。"
    "“户口性质”（农业/非农业）是另一回事，平台不登记，该列导入时会被忽略。",
    "9. 建档立卡可填“是/否”或“√/×”；文化程度、与户主关系等列的常见写法（如“文盲”“初中毕业”“儿子”）"
    "按对应选项导入，并在检查结果中逐一列出，请核对。入住日期也可以是 Excel 的日期序号（如 43586）。",
)


# --- the importer --------------------------------------------------------------------------------------------


@dataclass
class _Context:
    today: datetime.date
    settlements: dict[int, Settlement]
    settlements_by_name: dict[str, Settlement]


def _parse_settlement(value, text, context) -> int:
    names = context.settlements_by_name
    settlement = names[text] if text in names else names.get(cells.key(text))
    if settlement is None:
        raise cells.CellError(MSG_SETTLEMENT_UNKNOWN.format(value=text))
    if not settlement.in_scope:
        raise cells.CellError(MSG_SETTLEMENT_OUT_OF_SCOPE.format(value=text))
    return settlement.pk


class RegistryImporter(imports.Importer):
    kind = KIND
    title = "户籍台账"
    columns = ledger.COLUMNS
    header_keys = HEADER_KEYS
    guide = GUIDE
    change_reason = CHANGE_REASON
    valid_only_label = "只导入无误的户"
    msg_has_wrong = MSG_HAS_WRONG
    dated_models = (Household, Membership, Person)  # a household's earlier move-in is not in the file: every day
    notes = {
        ledger.HUKOU_TYPE_HEADER: f"“{ledger.HUKOU_TYPE_HEADER}”列（农业/非农业）未导入："
        f"它不是“{ledger.HUKOU_STATUS_HEADER}”（是否已迁入安置地），平台不登记户口性质。"
    }
    order = 10
    text_fields = {
        "code": (Household, "code"),
        "building": (Building, "name"),
        "room_number": (Household, "room_number"),
        "head_name": (Person, "name"),
        "name": (Person, "name"),
        "origin_township": (Household, "origin_township"),
        "origin_village": (Household, "origin_village"),
    }

    def required_on_every_row(self, column) -> bool:
        return column is CODE or super().required_on_every_row(column)

    def context(self, *, user, today):
        in_scope = Settlement.objects.for_user(user).filter(pk=OuterRef("pk"))
        settlements = list(Settlement.objects.annotate(in_scope=Exists(in_scope)))
        names = {}
        for settlement in settlements:
            names[cells.key(settlement.name)] = settlement
            names[cells.key(settlement.full_name)] = settlement
        return _Context(today, {s.pk: s for s in settlements}, names)

    def extra_parsers(self):
        year_aliases = {alias: str(year) for year in ProjectYear.values for alias in (f"{year}年", f"{year}年度")}
        return {
            "settlement": _parse_settlement,
            "phone": cells.parse_phone,
            "project_year": cells.choice_parser(BY_FIELD["project_year"], convert=int, aliases=year_aliases),
            "move_in_date": cells.date_parser(field="move_in_date", future_message=MSG_DATE_FUTURE),
        }

    def plan(self, result, *, user, context, progress):
        for row in result.rows:
            if row.resident and "sex" in row.values and row.values["sex"] != row.resident.sex:
                row.error(SEX, MSG_SEX_MISMATCH.format(sex=dict(id_numbers.Sex.CHOICES)[row.resident.sex]))
        registry = _Registry.load(result.rows, context.settlements, lambda fraction: progress(0.6 * fraction))
        groups = _group(result.rows)
        for index, (code, household_rows) in enumerate(groups.items()):
            result.plans.append(_plan_household(code, household_rows, registry, context))
            if (index + 1) % CHUNK_SIZE == 0:
                progress(0.6 + 0.4 * (index + 1) / len(groups))

    def counts(self, result):
        counts = {f"{kind}_{outcome}": 0 for kind in ("households", "persons") for outcome in imports.OUTCOMES}
        counts["persons_blocked"] = 0
        for plan in result.plans:
            counts[f"households_{plan.outcome}"] += 1
            for person in plan.persons:
                counts[f"persons_{person.outcome}"] += 1
        counts["persons_wrong"] += sum(1 for row in result.rows if row.errors and "code" not in row.values)
        counts["rows_wrong"] = result.wrong_rows
        return counts

    def changes(self, result):
        for plan in result.plans:
            if plan.outcome != CHANGED:
                continue
            if plan.changes:
                yield {
                    "row": plan.primary.number,
                    "record": f"户 {plan.code}",
                    "code": plan.code,
                    "kind": "户",
                    "name": plan.primary.values.get("name", ""),
                    "id": "",
                    "fields": [_change_dict(name, *values) for name, values in plan.changes.items()],
                }
            for person in plan.persons:
                if person.outcome == CHANGED:
                    yield {
                        "row": person.row.number,
                        "record": f"户 {plan.code} 成员",
                        "code": plan.code,
                        "kind": "人",
                        "name": person.existing.name,
                        "id": id_numbers.mask(person.existing.id_number),
                        "fields": [_change_dict(name, *values) for name, values in person.changes.items()],
                    }

    def write(self, result, *, user, valid_only, reason):
        return dataclasses.asdict(write_ledger(result, user, valid_only=valid_only, reason=reason))

    def template_choices(self, column, *, user):
        if column is SETTLEMENT:
            return list(Settlement.objects.for_user(user).values_list("name", flat=True))
        return column.labels

    def summary_rows(self, summary):
        outcomes = ("new", "changed", "unchanged", "wrong")
        return [
            ("户", *(summary.get(f"households_{outcome}", 0) for outcome in outcomes)),
            ("人", *(summary.get(f"persons_{outcome}", 0) for outcome in outcomes)),
        ]

    def confirm_sentence(self, summary):
        return (
            f"新增 {summary.get('households_new', 0):,} 户 {summary.get('persons_new', 0):,} 人，"
            f"更新 {summary.get('households_changed', 0):,} 户（其中变更人员 {summary.get('persons_changed', 0):,} 人）"
        )

    def written_sentence(self, written):
        buildings = written.get("buildings_created", 0)
        return (
            f"已写入台账：新增 {written.get('households_created', 0):,} 户、"
            f"更新 {written.get('households_updated', 0):,} 户；"
            f"新增 {written.get('persons_created', 0):,} 人、更新 {written.get('persons_updated', 0):,} 人"
            + (f"；新建楼栋 {buildings:,} 栋" if buildings else "")
            + "。"
        )

    def skipped_sentence(self, summary):
        return f"有误的 {summary.get('households_wrong', 0):,} 户不导入"

    def check_notes(self, summary):
        notes = ["出生日期和性别取自身份证号；空白单元格不会清除平台中已有的内容；同一户的户信息以户主所在行为准。"]
        if summary.get("persons_blocked"):
            notes.insert(0, f"另有 {summary['persons_blocked']:,} 人本身无误，但同户其他行有误，整户不能导入。")
        return notes

    def has_changes(self, summary):
        return bool(summary.get("households_new") or summary.get("households_changed"))


def check_ledger(source, user, *, today: datetime.date | None = None, progress=None) -> CheckResult:
    """Read and check a whole registry ledger for `user`; write nothing (see `imports.check`)."""
    return imports.check(REGISTRY, source, user, today=today, progress=progress)


# --- the check: households -------------------------------------------------------------------------------------


@dataclass
class _Registry:
    """What the check needs from the database: the households the file names by code, with all their
    members, and every person the file names by ID number, with their household."""

    households: dict[str, Household]
    persons: dict[str, Person]

    @classmethod
    def load(cls, rows: list[LedgerRow], settlements: dict[int, Settlement], progress) -> "_Registry":
        """One query per `LOOKUP_ROWS` rows: households by code and persons by ID number together."""
        registry = cls(households={}, persons={})
        chunks = list(_chunks(rows, LOOKUP_ROWS))
        for index, chunk in enumerate(chunks):
            codes = {row.values["code"] for row in chunk if "code" in row.values} - registry.households.keys()
            numbers = {row.resident.number for row in chunk if row.resident} - registry.persons.keys()
            if codes or numbers:
                registry._load_chunk(codes, id_number_hashes(numbers), settlements)
            progress((index + 1) / len(chunks))
        return registry

    def _load_chunk(self, codes: set[str], numbers: dict[str, str], settlements) -> None:
        # A household matched by code comes with every member (or once, without any); a person matched by
        # ID number (`numbers`: {keyed hash: number}, under every configured key) in another household comes
        # alone with that household. One query (a UNION ALL, each half served by its unique index).
        by_code = Household.objects.filter(code__in=codes).order_by().values_list(*REGISTRY_COLUMNS)
        by_number = (
            Household.objects.filter(members__id_number_hash__in=list(numbers))
            .exclude(code__in=codes)
            .order_by()
            .values_list(*REGISTRY_COLUMNS)
        )
        found: dict[int, Household] = {}
        for values in by_code.union(by_number, all=True):
            household = found.get(values[HOUSEHOLD_PK_AT])
            if household is None:
                household = Household.from_db(by_code.db, HOUSEHOLD_ATTNAMES, values[:HOUSEHOLD_WIDTH])
                household.building_name = values[HOUSEHOLD_WIDTH] or ""
                household.visible = settlements[household.settlement_id].in_scope
                household.loaded_members = {}
                found[household.pk] = household
                if household.code in codes:
                    self.households[household.code] = household
            person_values = values[HOUSEHOLD_WIDTH + 1 :]
            if person_values[0] is None or person_values[0] in household.loaded_members:
                continue  # a household without members, or a member matched both by code and by number
            person = Person.from_db(by_code.db, PERSON_ATTNAMES, person_values)
            person.household = household
            household.loaded_members[person.pk] = person
            if person.id_number_hash in numbers:  # a member loaded with its household only is not looked up
                self.persons[numbers[person.id_number_hash]] = person


HOUSEHOLD_ATTNAMES = [f.attname for f in Household._meta.concrete_fields]
PERSON_ATTNAMES = [f.attname for f in Person._meta.concrete_fields]
HOUSEHOLD_WIDTH = len(HOUSEHOLD_ATTNAMES)
HOUSEHOLD_PK_AT = HOUSEHOLD_ATTNAMES.index(Household._meta.pk.attname)
REGISTRY_COLUMNS = (
    *(f.name for f in Household._meta.concrete_fields),
    "building__name",
    *(f"members__{f.name}" for f in Person._meta.concrete_fields),
)


def _group(rows: list[LedgerRow]) -> dict[str, list[LedgerRow]]:
    """Rows by household code, in file order; a repeated ID number is an error on its later row."""
    groups: dict[str, list[LedgerRow]] = {}
    first_row: dict[str, int] = {}
    for row in rows:
        if row.resident:
            number = row.resident.number
            if number in first_row:
                row.error(ID_NUMBER, MSG_DUPLICATE_ID.format(row=first_row[number]))
                row.duplicate = True
            else:
                first_row[number] = row.number
        if "code" in row.values:
            groups.setdefault(row.values["code"], []).append(row)
    return groups


def _plan_household(code: str, rows: list[LedgerRow], registry: _Registry, context: _Context) -> HouseholdPlan:
    plan = HouseholdPlan(code=code, rows=rows)
    existing = registry.households.get(code)
    plan.existing = existing if existing is not None and existing.visible else None
    if existing is not None and not existing.visible:
        rows[0].error(CODE, MSG_CODE_TAKEN.format(code=code))

    # Match each row's person with the registry.
    for row in rows:
        person_plan = PersonPlan(row=row)
        plan.persons.append(person_plan)
        if not row.resident or row.duplicate:
            continue
        person = registry.persons.get(row.resident.number)
        if person is None:
            continue
        if plan.existing is not None and person.household_id == plan.existing.pk:
            person_plan.existing = person
        elif person.household.visible:
            row.error(ID_NUMBER, MSG_REGISTERED_IN.format(code=person.household.code))
        else:
            row.error(ID_NUMBER, MSG_REGISTERED_ELSEWHERE)

    # Rows of persons still in the household (not left or deceased) make up its composition.
    current = [p for p in plan.persons if p.existing is None or p.existing.status == PersonStatus.ACTIVE]
    heads = [p.row for p in current if p.row.values.get("relation") == Relation.HEAD]
    plan.primary = heads[0] if heads else rows[0]
    _agree_on_household_values(plan)
    if len(heads) == 1 and "name" in heads[0].values:
        for row in rows:
            if "head_name" in row.values and row.values["head_name"] != heads[0].values["name"]:
                row.error(HEAD_NAME, MSG_HEAD_NAME.format(row=heads[0].number, name=heads[0].values["name"]))

    if plan.existing is not None:
        settlement_id = plan.values.get("settlement")
        if settlement_id is not None and settlement_id != plan.existing.settlement_id:
            settlement = context.settlements[plan.existing.settlement_id].full_name
            plan.primary.error(SETTLEMENT, MSG_SETTLEMENT_CHANGE.format(code=code, settlement=settlement))

    _check_composition(plan, current, context)
    _classify(plan)
    return plan


def _agree_on_household_values(plan: HouseholdPlan) -> None:
    """Take each household column from the head's row (else the first row that fills it); rows that fill
    it differently are wrong."""
    ordered = [plan.primary, *[row for row in plan.rows if row is not plan.primary]]
    for column in AGREED_HOUSEHOLD_COLUMNS:
        source = None
        for row in ordered:
            if column.field not in row.values:
                continue
            if source is None:
                source = row
                plan.values[column.field] = row.values[column.field]
            elif row.values[column.field] != plan.values[column.field]:
                row.error(column, MSG_HOUSEHOLD_CONFLICT.format(row=source.number, value=source.cells[column.header]))
        failed = any(column.field in row.failed for row in plan.rows)
        if source is None and column.required and not failed:
            plan.primary.error(column, MSG_REQUIRED)


def _check_composition(plan: HouseholdPlan, current: list[PersonPlan], context: _Context) -> None:
    """Exactly one head and relations the ages allow, among the file's rows and the members already
    registered in the household that the file does not list."""
    rows = [p.row for p in plan.persons]
    if not all(row.resident and "relation" in row.values and not row.duplicate for row in rows):
        return  # those rows are wrong already; their relations cannot be judged
    members, owners = [], []
    for person_plan in current:
        row = person_plan.row
        members.append(rules.Member(row.values["relation"], row.resident.birth_date, row.resident.sex))
        owners.append(row)
    if plan.existing is not None:
        listed = {p.existing.pk for p in plan.persons if p.existing is not None}  # matched by ID number
        for _, person in sorted(plan.existing.loaded_members.items()):
            if person.status == PersonStatus.ACTIVE and person.pk not in listed:
                members.append(rules.Member(person.relation, person.birth_date, person.sex))
                owners.append(person)
    for problem in rules.check_household(members, context.today):
        owner = owners[problem.index] if problem.index is not None else plan.primary
        column = BY_FIELD[problem.field]
        if isinstance(owner, LedgerRow):
            owner.error(column, problem.message)
        else:
            plan.primary.error(column, MSG_EXISTING_MEMBER.format(name=owner.name, message=problem.message))


def _classify(plan: HouseholdPlan) -> None:
    if plan.wrong:
        plan.outcome = WRONG
        for person in plan.persons:
            person.outcome = WRONG if person.row.errors else BLOCKED
        return
    if plan.existing is not None:
        plan.changes = _household_changes(plan.existing, plan.values)
    for person in plan.persons:
        if person.existing is None:
            person.outcome = NEW
            person.stored_id = stored_id_number(person.row.resident.number)  # encrypted here, not in the write
            continue
        person.changes = {
            name: (getattr(person.existing, name), person.row.values[name])
            for name in PERSON_FIELDS
            if name in person.row.values and person.row.values[name] != getattr(person.existing, name)
        }
        person.outcome = CHANGED if person.changes else UNCHANGED
    if plan.existing is None:
        plan.outcome = NEW
    elif plan.changes or any(person.outcome in (NEW, CHANGED) for person in plan.persons):
        plan.outcome = CHANGED
    else:
        plan.outcome = UNCHANGED


def _household_changes(household: Household, values: dict) -> dict[str, tuple]:
    changes = {}
    for name in HOUSEHOLD_FIELDS:
        if name not in values:
            continue  # a blank cell never clears what the registry holds
        old = household.building_name if name == "building" else getattr(household, name)
        if old != values[name]:
            changes[name] = (old, values[name])
    if household.status == HouseholdStatus.ALLOCATED and values.get("move_in_date"):
        changes["status"] = (HouseholdStatus.ALLOCATED, HouseholdStatus.MOVED_IN)
    return changes


# --- the write -------------------------------------------------------------------------------------------------


@dataclass
class WriteCounts:
    households_created: int = 0
    households_updated: int = 0
    persons_created: int = 0
    persons_updated: int = 0
    buildings_created: int = 0
    memberships_created: int = 0
    events_created: int = 0


@dataclass(frozen=True)
class _Written:
    """A household as written: what its new members and its move-in event need."""

    pk: int
    settlement_id: int
    move_in_date: datetime.date | None


PERSON_OPTIONAL_FIELDS = ("phone", "education", "health", "hukou_status")  # a blank cell keeps the default


def write_ledger(result: CheckResult, user, *, valid_only: bool = False, reason: str = "台账导入") -> WriteCounts:
    """Write the new and changed households and persons of `result`, in one transaction.

    Nothing is written while a row is wrong, unless `valid_only`: then the households whose rows are all
    right are written and the others left alone. Unchanged records are not touched, so writing the same
    file twice changes nothing the second time.

    New records go in by `bulk.create_with_history` (COPY on PostgreSQL) with their "+" history rows; changed
    ones by simple-history's `bulk_update_with_history` ("~" rows), each with `user`, `reason` and one date.
    """
    if result.fatal:
        raise ValidationError([error.text for error in result.file_errors])
    if result.wrong_rows and not valid_only:
        raise ValidationError(MSG_HAS_WRONG.format(rows=result.wrong_rows))
    plans = [plan for plan in result.plans if plan.outcome in (NEW, CHANGED)]
    counts = WriteCounts()
    if not plans:
        return counts
    history = {"default_user": user, "default_change_reason": reason, "default_date": timezone.now()}
    with transaction.atomic(), _constraints_checked_per_statement():
        buildings = _create_buildings(plans, counts)
        written, move_ins = _write_households(plans, buildings, history, counts)
        _write_persons(plans, written, result.today, history, counts)
        _record_move_ins(move_ins, user, reason, counts)
    return counts


@contextlib.contextmanager
def _constraints_checked_per_statement():
    """On PostgreSQL, check the foreign keys of each bulk insert as it runs instead of at commit.

    Django declares foreign keys DEFERRABLE INITIALLY DEFERRED, so PostgreSQL queues one check per inserted
    row until the commit; for the 150,000 or so references a large ledger writes, checking them statement by
    statement is several seconds faster. The inserts go parents first, so no check can fail early that would
    have passed at commit. Deferred checking is restored afterwards for the rest of any outer transaction.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    yield  # on an error the transaction (or savepoint) rolls back, and the setting with it
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _create_buildings(plans, counts) -> dict[tuple[int, str], Building]:
    """The buildings the written households name, by (settlement, name); missing ones are created."""
    named = {(plan.values["settlement"], plan.values["building"]) for plan in plans if plan.values.get("building")}
    existing = Building.objects.filter(settlement_id__in={settlement_id for settlement_id, _ in named})
    buildings = {(b.settlement_id, b.name): b for b in existing}
    wanted = named - buildings.keys()
    created = Building.objects.bulk_create([Building(settlement_id=s, name=n) for s, n in sorted(wanted)])
    for building in created:
        buildings[(building.settlement_id, building.name)] = building
    counts.buildings_created = len(created)
    return buildings


def _write_households(plans, buildings, history, counts) -> tuple[list[_Written], list[tuple[int, datetime.date]]]:
    """Create the new households and update the changed ones; return each plan's household as written (in
    the order of `plans`) and the move-ins to record, as (household, date)."""
    new_rows, new_at, updated = [], [], []
    written: list[_Written | None] = []
    for index, plan in enumerate(plans):
        values = plan.values
        if plan.existing is None:
            move_in = values.get("move_in_date")
            new_rows.append(
                {
                    "code": plan.code,
                    "settlement_id": values["settlement"],
                    "building_id": buildings[(values["settlement"], values["building"])].pk
                    if values.get("building")
                    else None,
                    "room_number": values.get("room_number", ""),
                    "project_year": values["project_year"],
                    "origin_township": values["origin_township"],
                    "origin_village": values.get("origin_village", ""),
                    "registered_poor": values.get("registered_poor", False),
                    "move_in_date": move_in,
                    "status": HouseholdStatus.MOVED_IN if move_in else HouseholdStatus.ALLOCATED,
                }
            )
            new_at.append(index)
            written.append(None)
            continue
        household = plan.existing
        if plan.changes:
            for name, (_, new) in plan.changes.items():
                if name == "building":
                    household.building = buildings[(household.settlement_id, new)] if new else None
                else:
                    setattr(household, name, new)
            household.updated_at = history["default_date"]
            updated.append((household, plan.changes))
        written.append(_Written(household.pk, household.settlement_id, household.move_in_date))
    keys = bulk.create_with_history(
        Household,
        new_rows,
        user=history["default_user"],
        reason=history["default_change_reason"],
        date=history["default_date"],
    )
    for index, row, key in zip(new_at, new_rows, keys, strict=True):
        written[index] = _Written(key, row["settlement_id"], row["move_in_date"])
    _bulk_update_changed_fields(updated, Household, history)
    counts.households_created, counts.households_updated = len(new_rows), len(updated)
    move_ins = [
        (home.pk, home.move_in_date)
        for plan, home in zip(plans, written, strict=True)
        if (plan.existing is None and home.move_in_date) or "status" in plan.changes
    ]
    return written, move_ins


def _write_persons(plans, written: list[_Written], today, history, counts) -> None:
    new_rows, homes, stepping_down, updated, relation_changed = [], [], [], [], []
    for plan, home in zip(plans, written, strict=True):
        for person_plan in plan.persons:
            values, resident = person_plan.row.values, person_plan.row.resident
            if person_plan.outcome == NEW:
                new_rows.append(
                    {
                        "household_id": home.pk,
                        "settlement_id": home.settlement_id,
                        "name": values["name"],
                        **person_plan.stored_id,
                        "sex": resident.sex,
                        "birth_date": resident.birth_date,
                        "relation": values["relation"],
                        **{name: values[name] for name in PERSON_OPTIONAL_FIELDS if name in values},
                    }
                )
                homes.append(home)
            elif person_plan.outcome == CHANGED:
                person = person_plan.existing
                was_head = person.relation == Relation.HEAD
                for name, (_, new) in person_plan.changes.items():
                    setattr(person, name, new)
                person.updated_at = history["default_date"]
                # A head who steps down is written first, so the household never has two heads.
                steps_down = was_head and person.relation != Relation.HEAD
                (stepping_down if steps_down else updated).append((person, person_plan.changes))
                if "relation" in person_plan.changes:
                    relation_changed.append(person)
    _bulk_update_changed_fields(stepping_down, Person, history)
    keys = bulk.create_with_history(
        Person,
        new_rows,
        user=history["default_user"],
        reason=history["default_change_reason"],
        date=history["default_date"],
    )
    _bulk_update_changed_fields(updated, Person, history)
    counts.memberships_created = _open_memberships(keys, new_rows, homes, today)
    _carry_relations_into_memberships(relation_changed)
    counts.persons_created, counts.persons_updated = len(new_rows), len(stepping_down) + len(updated)


def _bulk_update_changed_fields(changed, model, history) -> None:
    """Write each (object, changes) pair's changed fields only: one bulk update per set of fields."""
    by_fields = {}
    for instance, changes in changed:
        by_fields.setdefault(tuple(sorted(changes)), []).append(instance)
    for names, instances in by_fields.items():
        bulk_update_with_history(instances, model, [*names, "updated_at"], batch_size=CHUNK_SIZE, **history)


def _open_memberships(keys: list[int], persons: list[dict], homes: list[_Written], today: datetime.date) -> int:
    """Open each new person's stay in their household, as a `MembershipStart.MOVE_IN` from the household's
    move-in date (or the import date when it has none), or as a `MembershipStart.BIRTH` from the birth date
    for a person born after that."""
    rows = []
    birth, move_in = MembershipStart.BIRTH, MembershipStart.MOVE_IN
    for key, person, home in zip(keys, persons, homes, strict=True):
        start, born = home.move_in_date or today, person["birth_date"]
        rows.append(
            {
                "person_id": key,
                "household_id": home.pk,
                "relation": person["relation"],
                "start_date": born if start < born else start,
                "start_reason": birth if start < born else move_in,
            }
        )
    bulk.create(Membership, rows, keys=False)
    return len(rows)


def _record_move_ins(move_ins: list[tuple[int, datetime.date]], user, reason: str, counts) -> None:
    rows = [
        {
            "household_id": household_id,
            "kind": HouseholdEventKind.MOVE_IN,
            "date": date,
            "recorded_by_id": user.pk if user else None,
            "reason": reason,
        }
        for household_id, date in move_ins
    ]
    bulk.create(HouseholdEvent, rows, keys=False)
    counts.events_created = len(rows)


def _carry_relations_into_memberships(persons) -> None:
    relation = {person.pk: person.relation for person in persons}
    for chunk in _chunks(list(relation)):
        open_periods = list(Membership.objects.filter(person_id__in=chunk, end_date__isnull=True))
        for membership in open_periods:
            membership.relation = relation[membership.person_id]
        Membership.objects.bulk_update(open_periods, ["relation"], batch_size=CHUNK_SIZE)


REGISTRY = RegistryImporter()
MSG_NO_HEADER = REGISTRY.no_header_message()
