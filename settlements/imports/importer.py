"""The importer an app registers: its ledger's columns, its check, its write, its blank template, who may
use it. The framework (check, services, jobs, views, templates) does the rest.

    class JobLedgerImporter(Importer):
        kind = "employment"
        title = "就业台账"
        columns = (...)
        header_keys = ("身份证号", "姓名", "就业类型", "上岗日期")
        guide = ("填写说明（就业台账）", ...)

        def plan(self, result, *, user, context, progress): ...   # match rows with the database
        def counts(self, result): ...
        def changes(self, result): ...
        def write(self, result, *, user, valid_only, reason): ...

    imports.register(JobLedgerImporter())      # in the app's AppConfig.ready
"""

import datetime
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied

from .. import audit, capabilities
from . import cells
from .cells import Parser
from .checking import ID_NUMBER_FIELD, NEW, no_header_message
from .columns import DATE, YES_NO, Column


class Importer:
    kind: str = ""  # stored on each import record; unique among importers
    title: str = ""  # the ledger's name: 户籍台账, 就业台账
    columns: tuple[Column, ...] = ()
    header_keys: tuple[str, ...] = ()  # a row holding all of these is the header row
    guide: tuple[str, ...] = ()  # the template's 填写说明 sheet, first line its title
    capability: capabilities.Capability = capabilities.IMPORT_LEDGERS
    change_reason: str = "{title}导入 #{pk}"  # recorded with every change the write makes
    valid_only_label: str = "只导入无误的行"
    msg_has_wrong: str = "文件中有{rows}行存在错误：请修改后重新上传，或勾选“只导入无误的行”。"
    notes: dict[str, str] = {}  # a header the file may carry that this ledger does not import -> why
    # free-text columns, by field: the model field whose length bounds the text, as (model, model field)
    text_fields: dict[str, tuple] = {}
    order: int = 100  # place in the upload form and the template links
    dated_models: tuple = ()  # models whose dated facts the write may change (announced: `dated_facts`)

    # --- what the framework reads -----------------------------------------------------------------------

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(column.header for column in self.columns)

    @property
    def by_header(self) -> dict[str, Column]:
        by_header = {alias: column for column in self.columns for alias in column.header_aliases}
        by_header.update((column.header, column) for column in self.columns)
        return by_header

    @property
    def by_field(self) -> dict[str, Column]:
        return {column.field: column for column in self.columns}

    def earliest_day(self, result) -> datetime.date | None:
        """The earliest day the file's rows touch (the figures from that day on go stale); None when an
        importer cannot say, which touches every day."""
        return None

    @property
    def template_file_name(self) -> str:
        return f"{self.title}导入模板.xlsx"

    def is_header_row(self, values) -> bool:
        texts = {cells.header_text(value) for value in values}
        by_header = self.by_header
        present = {by_header[text].header for text in texts if text in by_header}
        return all(key in present for key in self.header_keys)

    def no_header_message(self) -> str:
        return no_header_message(self)

    def required_on_every_row(self, column: Column) -> bool:
        return column.required and not column.household

    def column_notes(self, ignored: list[str]) -> list[str]:
        """Why a column the file carries is not imported, where a clerk could take it for another one."""
        return [self.notes[header] for header in map(cells.header_text, ignored) if header in self.notes]

    def may_use(self, user) -> bool:
        return capabilities.has(user, self.capability)

    def require(self, user, message: str | None = None) -> None:
        if not self.may_use(user):
            raise PermissionDenied(message or self.capability.refusal)

    def reason(self, pk: int) -> str:
        return self.change_reason.format(title=self.title, pk=pk)

    # --- the check ----------------------------------------------------------------------------------------

    def context(self, *, user, today: datetime.date):
        """What the parsers read besides the cell (at least `today`)."""
        return SimpleNamespace(today=today)

    def parsers(self) -> dict[str, Parser]:
        """A parser per column: resident ID numbers, dates, choices (yes-no columns as booleans) and the free
        text of `text_fields` by default, the rest from `extra_parsers()`."""
        parsers = {name: cells.text_parser(*model_field) for name, model_field in self.text_fields.items()}
        for column in self.columns:
            if column.field == ID_NUMBER_FIELD:
                parsers[column.field] = cells.parse_id_number
            elif column.kind == DATE:
                parsers[column.field] = cells.date_parser(field=column.field)
            elif column.choices == YES_NO:
                parsers[column.field] = cells.yes_no_parser(column)
            elif column.choices:
                parsers[column.field] = cells.choice_parser(column)
        parsers.update(self.extra_parsers())
        missing = {column.field for column in self.columns} - parsers.keys()
        if missing:
            raise TypeError(f"{type(self).__name__}: no parser for {sorted(missing)}")
        return parsers

    def extra_parsers(self) -> dict[str, Parser]:
        return {}

    def plan(self, result, *, user, context, progress) -> None:
        """Match the parsed rows (`result.rows`) with the database; fill `result.plans`; give every plan an
        outcome (new, changed, unchanged, wrong) and add the errors only the database can show."""
        raise NotImplementedError

    def counts(self, result) -> dict[str, int]:
        """The outcomes counted, by key; `summary_rows` lays them out for the page."""
        raise NotImplementedError

    def changes(self, result) -> list[dict]:
        """The changes to records the portal holds, as the preview lists them: dicts of row, name, id
        (masked), record (a few words) and fields (label, old, new)."""
        return []

    def write(self, result, *, user, valid_only: bool, reason: str) -> dict:
        """Write what the check found new or changed, in one transaction; return counts by key."""
        raise NotImplementedError

    # --- the blank template ---------------------------------------------------------------------------------

    def template_choices(self, column: Column, *, user) -> list[str]:
        """The values the template offers in a column's dropdown (none for free-text columns)."""
        return column.labels

    # --- the page ---------------------------------------------------------------------------------------------

    def summary_rows(self, summary: dict) -> list[tuple]:
        """(label, new, changed, unchanged, wrong) per line of the check's table."""
        return [("行", *(summary.get(outcome, 0) for outcome in ("new", "changed", "unchanged", "wrong")))]

    def confirm_sentence(self, summary: dict) -> str:
        """What a confirmation will write, in a sentence."""
        return f"新增 {summary.get(NEW, 0):,} 条、更新 {summary.get('changed', 0):,} 条"

    def written_sentence(self, written: dict) -> str:
        """What the write wrote, in a sentence."""
        return f"已写入{self.title}：新增 {written.get('created', 0):,} 条、更新 {written.get('updated', 0):,} 条。"

    def skipped_sentence(self, summary: dict) -> str:
        """What "import only the valid rows" leaves out."""
        return f"有误的 {summary.get('wrong', 0):,} 行不导入"

    def check_notes(self, summary: dict) -> list[str]:
        """Sentences under the check's table: how the ledger is read."""
        return ["空白单元格不会清除平台中已有的内容。"]

    def has_changes(self, summary: dict) -> bool:
        return bool(summary.get(NEW) or summary.get("changed"))


_IMPORTERS: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    """Make `importer` available to the upload page, the jobs and the template links (once per kind)."""
    existing = _IMPORTERS.get(importer.kind)
    if existing is not None and type(existing) is not type(importer):
        raise ValueError(f"an importer of kind {importer.kind!r} is already registered")
    _IMPORTERS[importer.kind] = importer
    audit.define_action(audit_action(importer.kind), f"导入{importer.title}")
    return importer


def audit_action(kind: str) -> str:
    """The audit trail's action of an import of `kind`: one entry per import (`services`)."""
    return f"import.{kind}"


def unregister(kind: str) -> None:
    _IMPORTERS.pop(kind, None)


def get(kind: str) -> Importer | None:
    return _IMPORTERS.get(kind)


def all_importers() -> list[Importer]:
    return sorted(_IMPORTERS.values(), key=lambda importer: (importer.order, importer.kind))


def importers_for(user) -> list[Importer]:
    return [importer for importer in all_importers() if importer.may_use(user)]
