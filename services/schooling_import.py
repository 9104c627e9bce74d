"""Import of the 县教育科技局's student roster (学籍台账, one row per enrolment) through the shared framework, as the
services import their other ledgers (`services.importing`): persons matched by ID number within the importing
user's scope, every wrong row named by sheet, row, column and reason, nothing written while a row is wrong
unless the valid rows only were chosen, and importing the same file again changes nothing.

A row is the enrolment the portal holds with the same person, school and start date (updated, not added); a
blank cell never clears a stored value. The school is named as the facility is (a school or kindergarten the
user may read); its level is the school's own when it has one, else the 学段 column's.
"""

from django.db.models import Count

from settlements.imports import cells
from settlements.imports.columns import DATE, TEXT, Column
from settlements.imports.person_records import RecordPlan
from settlements.models import Facility, Person

from .import_columns import COMMON_GUIDE, ID_NUMBER, NAME
from .importing import _ServicesLedgerImporter, _Span
from .models import DropoutVisit, EndReason, SchoolEnrolment, SchoolLevel
from .schooling_forms import schools_for
from .services import schooling as schooling_services

LEVEL_SYNONYMS = {
    "学前": ("幼儿园", "学前教育", "学前班"),
    "小学": ("小学阶段",),
    "初中": ("初级中学", "初中阶段"),
    "高中": ("高级中学", "普通高中", "高中阶段"),
}
REASON_SYNONYMS = {"转学": ("转出",), "毕业": ("已毕业", "结业"), "辍学": ("失学", "流失")}

COLUMNS = (
    ID_NUMBER,
    NAME,
    Column("学校", "school_name", required=True, width=20, header_aliases=("学校名称", "就读学校")),
    Column("学段", "level", choices=tuple(SchoolLevel.choices), width=8, synonyms=LEVEL_SYNONYMS),
    Column("年级", "grade", required=True, width=10),
    Column("入学日期", "start_date", required=True, width=12, kind=DATE, header_aliases=("入校日期",)),
    Column("离校日期", "end_date", width=12, kind=DATE),
    Column("离校原因", "end_reason", choices=tuple(EndReason.choices), width=10, synonyms=REASON_SYNONYMS),
    Column("离校说明", "end_note", width=24, kind=TEXT),
)
BY_FIELD = {column.field: column for column in COLUMNS}

GUIDE = (
    "填写说明（学籍台账）",
    "1. 每行填写一名学生在一所学校的一段就读（入学日期至离校日期）；仍在读的离校日期、离校原因留空。",
    *(f"{number}. {line}" for number, line in enumerate(COMMON_GUIDE, start=2)),
    "6. 学校须按服务设施中登记的名称填写（幼儿园、小学、初中、高中）；学校只有一个学段的，学段可不填。",
    "7. 离校日期为在该校的最后一天（含当天）；离校的须填写离校原因（转学、毕业、辍学），辍学的须在离校说明中写明原因。",
    "8. 同一学生、同一学校、同一入学日期的行视为同一条就读记录：再次导入时更新该记录，不会重复登记。"
    "同一学生的就读期间不能重叠。",
)

MSG_NO_SCHOOL = "您可查阅的服务设施中没有名为“{name}”的学校或幼儿园：请先在服务设施中登记，或按登记的名称填写。"
MSG_TWO_SCHOOLS = "有 {count} 处名为“{name}”的学校：请在服务设施中区分名称后再导入。"
MSG_IN_FUTURE = "{label}不能晚于今天。"
SCHOOL = "school"


class SchoolRosterImporter(_ServicesLedgerImporter):
    kind = "school_enrolment"
    title = "学籍台账"
    columns = COLUMNS
    header_keys = ("身份证号", "姓名", "学校", "入学日期")
    guide = GUIDE
    change_reason = "学籍台账导入 #{pk}"
    order = 60
    dated_models = (SchoolEnrolment,)
    model = SchoolEnrolment
    date_field = "start_date"
    changeable = ("level", "grade", "end_date", "end_reason", "end_note")
    identity = "身份证号、学校、入学日期"
    text_fields = {
        "name": (Person, "name"),
        "school_name": (Facility, "name"),
        "grade": (SchoolEnrolment, "grade"),
        "end_note": (SchoolEnrolment, "end_note"),
    }

    def extra_parsers(self):
        return {
            "start_date": cells.date_parser(field="start_date", future_message=MSG_IN_FUTURE.format(label="入学日期")),
            "end_date": cells.date_parser(field="end_date", future_message=MSG_IN_FUTURE.format(label="离校日期")),
        }

    def plan(self, result, *, user, context, progress):
        names = {str(row.values["school_name"]).strip() for row in result.rows if "school_name" in row.values}
        schools: dict[str, list] = {}
        for school in schools_for(user).filter(name__in=names).prefetch_related("kinds"):
            schools.setdefault(school.name, []).append(school)
        result.found[SCHOOL] = schools
        super().plan(result, user=user, context=context, progress=progress)

    def plan_records(self, result, loaded):
        records = loaded.records
        existing = {(r.person_id, r.school_id, r.start_date): r for r in records}
        spans = [_Span(r.person_id, "", r.start_date, r.end_date, r.pk) for r in records]
        visited = _visited(records)
        first_rows: dict[tuple, int] = {}
        for plan in result.plans:
            school = self._school(plan, result.found[SCHOOL])
            values = plan.row.values
            plan.fields.update((name, values[name]) for name in self.changeable if name in values)
            if plan.person is None or school is None or "start_date" not in values:
                continue
            plan.fields.update(school=school, start_date=values["start_date"])
            key = (plan.person.pk, school.pk, values["start_date"])
            if not self.claim_key(plan, key, first_rows, BY_FIELD["start_date"]):
                continue
            plan.existing = existing.get(key)
            self._check_level(plan, school)
            self._check_row(plan, school, visited)
            if not plan.row.errors:
                self._check_period(plan, spans)

    def _school(self, plan: RecordPlan, schools):
        name = plan.row.values.get("school_name")
        if name is None:
            return None
        found = schools.get(str(name).strip(), [])
        if len(found) != 1:
            message = MSG_TWO_SCHOOLS.format(count=len(found), name=name) if found else MSG_NO_SCHOOL.format(name=name)
            plan.row.error(BY_FIELD["school_name"], message)
            return None
        return found[0]

    def _check_level(self, plan: RecordPlan, school) -> None:
        level = plan.fields.get("level") or (plan.existing.level if plan.existing else "")
        codes = {kind.code for kind in school.kinds.all()}
        levels = [value for value in SchoolLevel.values if value in codes]
        if level and level not in levels:
            message = schooling_services.MSG_WRONG_LEVEL.format(
                name=school.name, level=SchoolLevel(level).label, kinds="、".join(k.name for k in school.kinds.all())
            )
            plan.row.error(BY_FIELD["level"], message)
        elif not level and len(levels) > 1:
            names = "、".join(SchoolLevel(value).label for value in levels)
            message = schooling_services.MSG_LEVEL_NEEDED.format(name=school.name, levels=names)
            plan.row.error(BY_FIELD["level"], message)
        elif not level:
            plan.fields["level"] = levels[0]

    def _check_row(self, plan: RecordPlan, school, visited) -> None:
        """The enrolment the row makes, judged by the service's rules (`enrolment_problems`)."""
        fields, existing = plan.fields, plan.existing

        def merged(name, default):
            return fields.get(name, getattr(existing, name) if existing else default)

        enrolment = SchoolEnrolment(
            person=plan.person,
            school=school,
            start_date=fields["start_date"],
            end_date=merged("end_date", None),
            end_reason=merged("end_reason", ""),
            end_note=merged("end_note", ""),
        )
        visits = visited.get(existing.pk, 0) if existing else 0
        problems = schooling_services.enrolment_problems(enrolment, birth_date=plan.person.birth_date, visits=visits)
        for field, message in problems:
            plan.row.error(BY_FIELD[field], message)

    def _check_period(self, plan: RecordPlan, spans: list[_Span]) -> None:
        existing = plan.existing
        end = plan.fields.get("end_date", existing.end_date if existing else None)
        span = _Span(plan.person.pk, "", plan.fields["start_date"], end, existing.pk if existing else None)
        for other in spans:
            if other.person_id == span.person_id and (span.pk is None or other.pk != span.pk) and span.overlaps(other):
                day = max(span.start, other.start).isoformat()
                message = f"该学生在 {day} 已有就读记录（{other.start.isoformat()}起）：同一学生的就读期间不能重叠。"
                plan.row.error(BY_FIELD["start_date"], message)
                return
        spans[:] = [other for other in spans if span.pk is None or other.pk != span.pk] + [span]


def _visited(records) -> dict[int, int]:
    """Per dropout enrolment among `records`: how many 控辍保学 visits it has."""
    rows = DropoutVisit.objects.filter(dropout__in=[r.pk for r in records if r.is_dropout])
    return dict(rows.values("dropout_id").annotate(n=Count("id")).values_list("dropout_id", "n"))


SCHOOL_ROSTER = SchoolRosterImporter()
IMPORTERS = [SCHOOL_ROSTER]
