"""Import of the existing employment and training ledgers (就业台账, 培训台账): two importers of the shared
framework (`settlements.imports`), which reads the file, parses every cell and runs the life cycle, and its
ledgers of persons' records (`settlements.imports.person_records`: the persons and their records, the
classification, the write). This module holds what is the employment app's own: the records' identities,
the employers, workshops and posts a row names, and the rules the employment services keep.

Rows are keyed by ID number to persons already in the registry, as the importing user may see them
(`Person.objects.for_user`): a person outside the user's scope is reported exactly like an unknown ID number.
The check also applies the rules the employment services keep (one open job at a time except flexible work,
a welfare post held by one person at a time) against the registry and the file's earlier rows. It costs a
handful of queries per `LOOKUP_ROWS` rows however large the file.

A row is the same record as one in the registry (and is updated, not added, when imported again) when it
has the same identity: for a job the person, the start date and the employer's name (or, without an
employer, the kind of employment); for a training the person, the course and the start date.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef

from settlements import imports
from settlements.imports import cells
from settlements.imports.checking import CHANGED, NEW, WRONG, CheckResult
from settlements.imports.columns import Column
from settlements.imports.person_records import (
    MSG_DUPLICATE_RECORD,
    MSG_HAS_WRONG,
    MSG_NAME_MISMATCH,
    MSG_PERSON_UNKNOWN,
    Loaded,
    PersonRecordImporter,
    RecordPlan,
    classify,
)
from settlements.models import Person

from . import import_columns, services
from .models import (
    Employer,
    Employment,
    EmploymentKind,
    JobPlace,
    LedgerKind,
    TrainingRecord,
    WelfarePost,
    Workshop,
)

# --- messages (the tests use these constants) --------------------------------------------------------------


__all__ = ["MSG_DUPLICATE_RECORD", "MSG_HAS_WRONG", "MSG_NAME_MISMATCH", "MSG_PERSON_UNKNOWN"]  # the tests' messages

MSG_START_FUTURE = services.MSG_START_IN_FUTURE
MSG_END_FUTURE = "离岗日期不能晚于今天。"
MSG_END_BEFORE_START = services.MSG_END_BEFORE_START
MSG_END_REASON_NEEDED = "填写了离岗日期，须同时选择离岗原因。"
MSG_END_DATE_NEEDED = "填写了离岗原因，须同时填写离岗日期。"
MSG_EMPLOYER_NEEDED = "除自主创业、灵活就业外，须填写用工单位。"
MSG_WORKSHOP_NEEDED = "就业类型为扶贫车间或基地时，须填写车间或基地的名称。"
MSG_POST_NEEDED = "就业类型为公益性岗位时，须填写公益性岗位编号。"
MSG_WORKSHOP_UNKNOWN = "没有名为“{value}”的就业扶贫车间或基地。"
MSG_WORKSHOP_AMBIGUOUS = "名为“{value}”的车间或基地不止一个，请联系领导小组办公室区分名称。"
MSG_POST_UNKNOWN = "没有编号为“{value}”的公益性岗位。"
MSG_OVERLAP = services.MSG_OVERLAP
MSG_POST_TAKEN = services.MSG_POST_TAKEN
MSG_OTHER_HOLDER = "其他人员"  # a welfare post's holder outside the user's scope is not named
MSG_TRAINING_DATES = services.MSG_TRAINING_DATES

IDENTITY = {
    LedgerKind.EMPLOYMENT: "身份证号、上岗日期、用工单位（未填时为就业类型）",
    LedgerKind.TRAINING: "身份证号、培训项目、开班日期",
}

# Model fields a row may change on a record the registry holds (the identity fields never change).
EMPLOYMENT_FIELDS = (
    "kind",
    "job_title",
    "place",
    "end_date",
    "end_reason",
    "contract_months",
    "social_insurance",
    "monthly_pay",
    "workshop_id",
    "welfare_post_id",
)
TRAINING_FIELDS = ("kind", "sector", "provider", "end_date", "days", "on_the_job", "completed")
FIELD_HEADERS = {
    LedgerKind.EMPLOYMENT: {
        **{column.field: column.header for column in import_columns.EMPLOYMENT_COLUMNS},
        "workshop_id": "车间或基地",
        "welfare_post_id": "公益性岗位编号",
    },
    LedgerKind.TRAINING: {column.field: column.header for column in import_columns.TRAINING_COLUMNS},
}


def describe_record(record) -> str:
    """A record of the registry in a few words: “2020-03-01 上岗 · 榕江县某服装厂”, “2021-04-06 开班 · 电工”."""
    if isinstance(record, Employment):
        return f"{record.start_date.isoformat()} 上岗 · {_employment_label(record)}"
    return f"{record.start_date.isoformat()} 开班 · {record.course}"


def _employment_label(employment: Employment) -> str:
    return employment.employer_label or EmploymentKind(employment.kind).label


# --- the check ---------------------------------------------------------------------------------------------------


@dataclass
class _Registry(Loaded):
    """What the check of jobs needs besides the persons and their records: the employers, workshops and welfare
    posts the file names, with every job held on those posts (by anyone)."""

    employers: dict[str, Employer] = field(default_factory=dict)  # by name
    workshops: dict[str, list[Workshop]] = field(default_factory=dict)  # by name (names are not unique)
    posts: dict[str, WelfarePost] = field(default_factory=dict)  # by code
    post_jobs: list[Employment] = field(default_factory=list)  # with `visible`: the holder is in scope

    def workshop_names(self) -> dict[int, str]:
        return {workshop.pk: workshop.name for named in self.workshops.values() for workshop in named}

    def post_codes(self) -> dict[int, str]:
        return {post.pk: post.code for post in self.posts.values()}

    def load_references(self, plans: list[RecordPlan], scoped) -> None:
        """One query each for the employers, the workshops and the welfare posts the file names, and the jobs
        held on those posts."""

        def named(name):
            return {plan.row.values[name] for plan in plans if name in plan.row.values}

        employer_names, workshop_names, post_codes = named("employer"), named("workshop"), named("welfare_post")
        if employer_names:
            self.employers = {employer.name: employer for employer in Employer.objects.filter(name__in=employer_names)}
        if workshop_names:
            for workshop in Workshop.objects.filter(name__in=workshop_names).order_by("pk"):
                self.workshops.setdefault(workshop.name, []).append(workshop)
        if post_codes:
            self.posts = {post.code: post for post in WelfarePost.objects.filter(code__in=post_codes)}
        if self.posts:
            in_scope = scoped.filter(pk=OuterRef("person_id"))
            self.post_jobs = list(
                Employment.objects.filter(welfare_post_id__in=[post.pk for post in self.posts.values()])
                .select_related("employer", "person")
                .annotate(visible=Exists(in_scope))
                .order_by("pk")
            )


# --- the check: jobs -------------------------------------------------------------------------------------------

BY_FIELD = {column.field: column for column in import_columns.EMPLOYMENT_COLUMNS}
KIND, EMPLOYER, START_DATE, END_DATE, END_REASON, WORKSHOP, WELFARE_POST = (
    BY_FIELD[name] for name in ("kind", "employer", "start_date", "end_date", "end_reason", "workshop", "welfare_post")
)
DIRECT_FIELDS = (
    "kind",
    "job_title",
    "place",
    "start_date",
    "end_date",
    "end_reason",
    "contract_months",
    "social_insurance",
    "monthly_pay",
)
NO_EMPLOYER_NEEDED = (EmploymentKind.SELF_EMPLOYED, EmploymentKind.FLEXIBLE)
NEW_JOB_DEFAULTS = {"place": JobPlace.COUNTY, "end_date": None, "end_reason": "", "workshop_id": None}


def employment_key(person_id: int, start_date: datetime.date, employer: str, kind: str) -> tuple:
    """A job's identity: the person, the start date and the employer's name, or the kind without one."""
    return (person_id, start_date, ("employer", cells.key(employer)) if employer else ("kind", kind))


@dataclass
class _Span:
    """A job as the rules see it: who, what kind, when, on which welfare post. A job of the registry has
    its `pk`; a job of the file its `row`."""

    person_id: int
    kind: str
    start: datetime.date
    end: datetime.date | None
    post_id: int | None
    label: str
    holder: str
    pk: int | None = None
    row: int | None = None

    def overlaps(self, other: "_Span") -> bool:
        """The periods share a day (the end day is not part of a job, as in `models.active_on`)."""
        return self.start < (other.end or datetime.date.max) and other.start < (self.end or datetime.date.max)

    @property
    def job(self) -> str:
        return f"第{self.row}行，{self.label}" if self.row else f"{self.start.isoformat()}起，{self.label}"


class _Jobs:
    """The jobs the rules compare: the registry's as they are, then each good row of the file in file order
    (a row that changes a registry job takes its place). Only rows that pass join, so the good rows written
    alone (“只导入无误的行”) keep the rules too."""

    def __init__(self, registry: _Registry):
        self.by_person: dict[int, list[_Span]] = {}
        self.by_post: dict[int, list[_Span]] = {}
        self.spans: dict[int, _Span] = {}
        names = {person.pk: person.name for person in registry.persons.values()}
        for job in registry.records:
            self._add(_span_of(job, names[job.person_id]))
        for job in registry.post_jobs:
            if job.pk not in self.spans:
                self._add(_span_of(job, job.person.name if job.visible else MSG_OTHER_HOLDER))

    def _add(self, span: _Span) -> None:
        if span.pk is not None:
            self.spans[span.pk] = span
        self.by_person.setdefault(span.person_id, []).append(span)
        if span.post_id:
            self.by_post.setdefault(span.post_id, []).append(span)

    def _replace(self, span: _Span) -> None:
        old = self.spans.pop(span.pk, None)
        if old is not None:
            self.by_person[old.person_id].remove(old)
            if old.post_id:
                self.by_post[old.post_id].remove(old)
        self._add(span)

    def claim(self, span: _Span) -> list[tuple[Column, str]]:
        """The rules `span` breaks against the jobs so far; if none, it joins them."""
        problems = []
        if span.kind != EmploymentKind.FLEXIBLE:
            for other in self.by_person.get(span.person_id, ()):
                if (span.pk is not None and other.pk == span.pk) or other.kind == EmploymentKind.FLEXIBLE:
                    continue
                if span.overlaps(other) and (span.end is None or other.end is None):
                    day = max(span.start, other.start).isoformat()
                    problems.append((START_DATE, MSG_OVERLAP.format(date=day, job=other.job)))
                    break
        if span.post_id:
            for other in self.by_post.get(span.post_id, ()):
                if other.person_id == span.person_id:
                    continue  # the same person twice is the rule above
                if span.overlaps(other):
                    day = max(span.start, other.start).isoformat()
                    problems.append((WELFARE_POST, MSG_POST_TAKEN.format(date=day, name=other.holder)))
                    break
        if not problems:
            self._replace(span)
        return problems


def _span_of(job: Employment, holder: str) -> _Span:
    return _Span(
        person_id=job.person_id,
        kind=job.kind,
        start=job.start_date,
        end=job.end_date,
        post_id=job.welfare_post_id,
        label=_employment_label(job),
        holder=holder,
        pk=job.pk,
    )


def _plan_employments(result: CheckResult, registry: _Registry) -> None:
    existing = {}
    for job in registry.records:
        key = employment_key(job.person_id, job.start_date, job.employer_label, job.kind)
        existing.setdefault(key, job)
    jobs = _Jobs(registry)
    first_rows: dict[tuple, int] = {}
    for plan in result.plans:
        row, values = plan.row, plan.row.values
        _resolve_references(plan, registry)
        employer, kind = values.get("employer", ""), values.get("kind")
        identified = "start_date" in values and "employer" not in row.failed and (employer or kind)
        if plan.person is not None and identified:
            key = employment_key(plan.person.pk, values["start_date"], employer, kind)
            if result.importer.claim_key(plan, key, first_rows, START_DATE):
                plan.existing = existing.get(key)
        plan.fields.update((name, values[name]) for name in DIRECT_FIELDS if name in values)
        _check_job(plan, result.today)
        classify(plan, EMPLOYMENT_FIELDS)
        if plan.outcome in (NEW, CHANGED):
            for column, message in jobs.claim(_row_span(plan)):
                row.error(column, message)
            if row.errors:
                plan.outcome, plan.changes = WRONG, {}


def _resolve_references(plan: RecordPlan, registry: _Registry) -> None:
    """The employer (linked when the registry knows it by that name), the workshop and the welfare post."""
    row, values = plan.row, plan.row.values
    if "employer" in values:
        employer = registry.employers.get(values["employer"])
        if employer is not None:
            plan.fields.update(employer_id=employer.pk, employer_name="")
        else:
            plan.fields.update(employer_id=None, employer_name=values["employer"])
    if "workshop" in values:
        named = registry.workshops.get(values["workshop"], [])
        if len(named) == 1:
            plan.fields["workshop_id"] = named[0].pk
        else:
            message = MSG_WORKSHOP_AMBIGUOUS if named else MSG_WORKSHOP_UNKNOWN
            row.error(WORKSHOP, message.format(value=values["workshop"]))
            row.failed.add("workshop")
    if "welfare_post" in values:
        post = registry.posts.get(values["welfare_post"])
        if post is not None:
            plan.fields["welfare_post_id"] = post.pk
        else:
            row.error(WELFARE_POST, MSG_POST_UNKNOWN.format(value=values["welfare_post"]))
            row.failed.add("welfare_post")


def _merged(plan: RecordPlan, name: str):
    """A field as it will be once the row is written: the row's value, else the stored one, else the default."""
    if name in plan.fields:
        return plan.fields[name]
    if plan.existing is not None:
        return getattr(plan.existing, name)
    return NEW_JOB_DEFAULTS.get(name)


def _check_job(plan: RecordPlan, today: datetime.date) -> None:
    """The rules of one job on its own (dates, end and reason, what its kind needs), as the services keep
    them; a cell that could not be read is not judged again."""
    row, failed = plan.row, plan.row.failed
    start, end = plan.fields.get("start_date"), _merged(plan, "end_date")
    if start and start > today:
        row.error(START_DATE, MSG_START_FUTURE)
    if "end_date" in plan.fields and end > today:
        row.error(END_DATE, MSG_END_FUTURE)
    if start and end and end < start:
        row.error(END_DATE, MSG_END_BEFORE_START.format(date=start.isoformat()))
    if end and not _merged(plan, "end_reason") and "end_reason" not in failed:
        row.error(END_REASON, MSG_END_REASON_NEEDED)
    if _merged(plan, "end_reason") and not end and "end_date" not in failed:
        row.error(END_DATE, MSG_END_DATE_NEEDED)
    kind = _merged(plan, "kind")
    if kind == EmploymentKind.WORKSHOP and not _merged(plan, "workshop_id") and "workshop" not in failed:
        row.error(WORKSHOP, MSG_WORKSHOP_NEEDED)
    if kind == EmploymentKind.WELFARE_POST and not _merged(plan, "welfare_post_id") and "welfare_post" not in failed:
        row.error(WELFARE_POST, MSG_POST_NEEDED)
    if kind and kind not in NO_EMPLOYER_NEEDED and "employer" not in plan.row.values and "employer" not in failed:
        row.error(EMPLOYER, MSG_EMPLOYER_NEEDED)


def _row_span(plan: RecordPlan) -> _Span:
    kind = _merged(plan, "kind")
    employer = plan.row.values.get("employer", "")
    return _Span(
        person_id=plan.person.pk,
        kind=kind,
        start=plan.fields["start_date"],
        end=_merged(plan, "end_date"),
        post_id=_merged(plan, "welfare_post_id"),
        label=employer or EmploymentKind(kind).label,
        holder=plan.person.name,
        pk=plan.existing.pk if plan.existing is not None else None,
        row=plan.row.number,
    )


# --- the check: trainings --------------------------------------------------------------------------------------

TRAINING_BY_FIELD = {column.field: column for column in import_columns.TRAINING_COLUMNS}
COURSE, TRAINING_END = TRAINING_BY_FIELD["course"], TRAINING_BY_FIELD["end_date"]
TRAINING_DIRECT_FIELDS = ("course", "start_date", *TRAINING_FIELDS)


def _plan_trainings(result: CheckResult, registry: _Registry) -> None:
    existing = {(t.person_id, t.course, t.start_date): t for t in registry.records}
    first_rows: dict[tuple, int] = {}
    for plan in result.plans:
        values = plan.row.values
        if plan.person is not None and "course" in values and "start_date" in values:
            key = (plan.person.pk, values["course"], values["start_date"])
            if result.importer.claim_key(plan, key, first_rows, COURSE):
                plan.existing = existing.get(key)
        plan.fields.update((name, values[name]) for name in TRAINING_DIRECT_FIELDS if name in values)
        start = values.get("start_date")
        end = values.get("end_date", plan.existing.end_date if plan.existing else None)
        if start and end and end < start:
            plan.row.error(TRAINING_END, MSG_TRAINING_DATES)
        classify(plan, TRAINING_FIELDS)


# --- the importers ---------------------------------------------------------------------------------------------


class _PersonLedgerImporter(PersonRecordImporter):
    """A ledger of records of the registry's persons, one row per record, keyed by ID number."""

    def load(self, plans, user, progress) -> _Registry:
        loaded = super().load(plans, user, progress)
        return _Registry(persons=loaded.persons, records=loaded.records, scoped=loaded.scoped)

    def describe(self, record) -> str:
        return describe_record(record)

    def label_of(self, name: str) -> str:
        return FIELD_HEADERS[self.kind].get(name, name)


class EmploymentLedgerImporter(_PersonLedgerImporter):
    kind = LedgerKind.EMPLOYMENT.value
    title = "就业台账"
    columns = import_columns.EMPLOYMENT_COLUMNS
    header_keys = ("身份证号", "姓名", "就业类型", "上岗日期")
    guide = import_columns.EMPLOYMENT_GUIDE
    change_reason = "就业台账导入 #{pk}"
    order = 20
    dated_models = (Employment,)
    model = Employment
    date_field = "start_date"
    changeable = EMPLOYMENT_FIELDS
    identity = IDENTITY[LedgerKind.EMPLOYMENT]

    text_fields = {
        "name": (Person, "name"),
        "employer": (Employment, "employer_name"),
        "job_title": (Employment, "job_title"),
        "workshop": (Workshop, "name"),
        "welfare_post": (WelfarePost, "code"),
    }

    def extra_parsers(self):
        return {
            "contract_months": cells.whole_number_parser_for(Employment, "contract_months"),
            "monthly_pay": cells.amount_parser_for(Employment, "monthly_pay"),
        }

    def records(self):
        return Employment.objects.select_related("employer")

    def load(self, plans, user, progress) -> _Registry:
        registry = super().load(plans, user, progress)
        registry.load_references(plans, registry.scoped)
        return registry

    def plan_records(self, result, registry):
        result.found["names"] = {"workshop_id": registry.workshop_names(), "welfare_post_id": registry.post_codes()}
        _plan_employments(result, registry)


class TrainingLedgerImporter(_PersonLedgerImporter):
    kind = LedgerKind.TRAINING.value
    title = "培训台账"
    columns = import_columns.TRAINING_COLUMNS
    header_keys = ("身份证号", "姓名", "培训项目", "开班日期")
    guide = import_columns.TRAINING_GUIDE
    change_reason = "培训台账导入 #{pk}"
    order = 30
    dated_models = (TrainingRecord,)
    model = TrainingRecord
    date_field = "start_date"
    changeable = TRAINING_FIELDS
    identity = IDENTITY[LedgerKind.TRAINING]

    text_fields = {
        "name": (Person, "name"),
        "course": (TrainingRecord, "course"),
        "sector": (TrainingRecord, "sector"),
        "provider": (TrainingRecord, "provider"),
    }

    def extra_parsers(self):
        return {"days": cells.whole_number_parser_for(TrainingRecord, "days", low=1)}

    def plan_records(self, result, registry):
        _plan_trainings(result, registry)


EMPLOYMENT = EmploymentLedgerImporter()
TRAINING = TrainingLedgerImporter()
IMPORTERS = {importer.kind: importer for importer in (EMPLOYMENT, TRAINING)}


def check_ledger(source, user, kind: str, *, today: datetime.date | None = None, progress=None) -> CheckResult:
    """Read and check a whole ledger of `kind` (a `LedgerKind`) for `user`; write nothing (`imports.check`)."""
    return imports.check(IMPORTERS[kind], source, user, today=today, progress=progress)
