"""The employment and training ledger import: check, preview, write, re-import, rules, template, pages, scope
and query count."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from employment import importing, services
from employment.importing import EMPLOYMENT, TRAINING, check_ledger
from employment.models import (
    Employer,
    EmploymentKind,
    LedgerKind,
    TrainingRecord,
    WelfarePost,
    Workshop,
)
from employment.models import Employment as Job
from settlements import capabilities, exports
from settlements import services as registry_services
from settlements.imports import cells as import_cells
from settlements.imports import checking as import_checking
from settlements.imports import reader as import_reader
from settlements.imports import services as import_services
from settlements.models import ImportStatus, LedgerImport, Person, Relation, Settlement
from tasks import snapshots
from tasks.models import IndicatorSnapshot
from tests.factories import HouseholdFactory, make_id_number, registry_keeper

from .factories import D

JOB_HEADERS = list(EMPLOYMENT.headers)
TRAINING_HEADERS = list(TRAINING.headers)
JOB_KIND_LABELS = "、".join(EMPLOYMENT.by_field["kind"].labels)
JOBS, TRAININGS = LedgerKind.EMPLOYMENT, LedgerKind.TRAINING
XLSX = exports.XLSX_CONTENT_TYPE


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


_births = iter(range(1, 100_000))


def resident(name: str, settlement: str = "fumin") -> Person:
    """The head of a new household of `settlement`, registered as the portal registers persons."""
    household = HouseholdFactory(settlement=Settlement.objects.get(code=settlement))
    birth = D(1970, 1, 1) + datetime.timedelta(days=next(_births))
    return registry_services.person_create(
        actor=registry_keeper(), household=household, name=name, id_number=make_id_number(birth), relation=Relation.HEAD
    )


def many_residents(count: int) -> list[Person]:
    """`count` heads of new households of 富民, written in bulk (the query-count tests need many)."""
    households = HouseholdFactory.create_batch(count, settlement=Settlement.objects.get(code="fumin"))
    persons = []
    for index, household in enumerate(households):
        birth = D(1960, 1, 1) + datetime.timedelta(days=next(_births))
        persons.append(
            Person(
                household=household,
                settlement_id=household.settlement_id,
                name=f"人员{index}",
                id_number=make_id_number(birth),
                sex="M",
                birth_date=birth,
                relation=Relation.HEAD,
            )
        )
    return Person.objects.bulk_create(persons)


@pytest.fixture
def refs(reference):
    """An employer, a workshop and two welfare posts of 富民."""
    fumin = Settlement.objects.get(code="fumin")
    return {
        "employer": Employer.objects.create(name="榕江县某服装厂", kind="enterprise"),
        "workshop": Workshop.objects.create(
            name="富民扶贫车间", kind="workshop", settlement=fumin, opened_on=D(2020, 1, 1)
        ),
        "post": WelfarePost.objects.create(
            code="GY-001", title="cleaner", settlement=fumin, funding="employment_fund", created_on=D(2020, 1, 1)
        ),
        "post2": WelfarePost.objects.create(
            code="GY-002", title="guard", settlement=fumin, funding="employment_fund", created_on=D(2020, 1, 1)
        ),
    }


def row(person, **cells):
    """A ledger row of `person` (ID number and name from the registry unless given)."""
    return {"身份证号": person.id_number, "姓名": person.name, **cells}


def sheet(*records, headers=None, titles=()):
    headers = headers or JOB_HEADERS
    return [*[list(title) for title in titles], list(headers), *[[r.get(h) for h in headers] for r in records]]


def xlsx(rows, title="就业台账") -> bytes:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = title
    for values in rows:
        worksheet.append(values)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def upload(content: bytes, name="就业台账.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX)


def texts(result):
    return [error.text for error in result.errors]


def start_and_check(user, content, kind=JOBS):
    record = import_services.import_start(user=user, upload=upload(content), kind=kind)
    import_services.import_check(import_id=record.pk)
    record.refresh_from_db()
    return record


def run_import(user, content, kind=JOBS, *, valid_only=False):
    """Upload, check, confirm and write through the services, as the Celery tasks run them."""
    record = start_and_check(user, content, kind)
    import_services.import_confirm(user=user, record=record, valid_only=valid_only)
    import_services.import_write(import_id=record.pk)
    record.refresh_from_db()
    return record


def job_history():
    return Job.history.count()


@pytest.fixture
def good_jobs(refs):
    """Four jobs of three persons: a firm known as an employer, a workshop job since left, flexible work,
    a welfare post."""
    yang, wu, long = resident("杨明"), resident("吴英"), resident("龙梅", "wolong")
    return sheet(
        row(
            yang,
            就业类型="县内企业",
            用工单位="榕江县某服装厂",
            岗位="缝纫工",
            上岗日期="2024-03-01",
            缴纳社会保险="是",
        ),
        row(
            wu,
            就业类型="扶贫车间或基地",
            用工单位="富民扶贫车间",
            车间或基地="富民扶贫车间",
            就业地点="县内",
            上岗日期="2024/5/1",
            离岗日期="2025年1月31日",
            离岗原因="主动离职",
            **{"劳动合同期限（月）": 12, "月收入（元）": 2800.5},
        ),
        row(wu, 就业类型="灵活就业", 上岗日期=datetime.datetime(2025, 2, 10)),
        row(long, 就业类型="公益性岗位", 用工单位="文体社区服务中心", 公益性岗位编号="GY-001", 上岗日期="2023-06-01"),
    )


# --- a good employment ledger -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_good_employment_ledger_is_checked_then_written_with_history(users, good_jobs, refs):
    clerk = users["clerk_wenti"]
    result = check_ledger(xlsx(good_jobs), clerk, JOBS)
    assert texts(result) == []
    assert result.counts() == {"new": 4, "changed": 0, "unchanged": 0, "wrong": 0, "rows": 4}
    assert not Job.objects.exists()  # the check writes nothing

    record = run_import(clerk, xlsx(good_jobs))
    assert record.status == ImportStatus.DONE and record.finished_at and record.progress == 100
    assert record.summary["written"] == {"created": 4, "updated": 0}

    firm = Job.objects.get(person__name="杨明")
    assert (firm.kind, firm.employer, firm.employer_name, firm.job_title) == (
        EmploymentKind.LOCAL_FIRM,
        refs["employer"],  # linked: the registry knows the employer by that name
        "",
        "缝纫工",
    )
    assert firm.start_date == D(2024, 3, 1) and firm.end_date is None and firm.social_insurance
    assert firm.recorded_by == clerk and firm.place == "county"
    workshop = Job.objects.get(person__name="吴英", kind=EmploymentKind.WORKSHOP)
    assert (workshop.workshop, workshop.employer, workshop.employer_name) == (refs["workshop"], None, "富民扶贫车间")
    assert (workshop.start_date, workshop.end_date, workshop.end_reason) == (D(2024, 5, 1), D(2025, 1, 31), "quit")
    assert (workshop.contract_months, str(workshop.monthly_pay)) == (12, "2800.50")
    flexible = Job.objects.get(person__name="吴英", kind=EmploymentKind.FLEXIBLE)
    assert flexible.start_date == D(2025, 2, 10) and flexible.employer_label == ""
    assert Job.objects.get(person__name="龙梅").welfare_post == refs["post"]

    reason = f"就业台账导入 #{record.pk}"
    assert Job.history.filter(history_user=clerk, history_change_reason=reason, history_type="+").count() == 4
    assert job_history() == 4


@pytest.mark.django_db
def test_importing_the_same_employment_file_again_changes_nothing(users, good_jobs):
    clerk = users["clerk_wenti"]
    run_import(clerk, xlsx(good_jobs))
    before = (Job.objects.count(), job_history())
    result = check_ledger(xlsx(good_jobs), clerk, JOBS)
    assert result.counts() == {"new": 0, "changed": 0, "unchanged": 4, "wrong": 0, "rows": 4}
    record = run_import(clerk, xlsx(good_jobs))
    assert record.status == ImportStatus.DONE
    assert record.summary["written"] == {"created": 0, "updated": 0}
    assert (Job.objects.count(), job_history()) == before


@pytest.mark.django_db
def test_changes_are_previewed_old_to_new_and_blank_cells_clear_nothing(users, good_jobs, client):
    clerk = users["clerk_wenti"]
    run_import(clerk, xlsx(good_jobs))
    at = {header: JOB_HEADERS.index(header) for header in JOB_HEADERS}
    good_jobs[1][at["离岗日期"]] = "2025-06-30"  # 杨明 leaves
    good_jobs[1][at["离岗原因"]] = "合同期满"
    good_jobs[2][at["月收入（元）"]] = None  # blank: 吴英's pay stays
    good_jobs[2][at["劳动合同期限（月）"]] = None
    record = start_and_check(clerk, xlsx(good_jobs))
    assert (record.summary["changed"], record.summary["unchanged"]) == (1, 3)
    (change,) = record.preview["changes"]
    assert change["name"] == "杨明" and change["record"] == "2024-03-01 上岗 · 榕江县某服装厂"
    assert change["fields"] == [
        {"field": "end_date", "label": "离岗日期", "old": "（空）", "new": "2025-06-30"},
        {"field": "end_reason", "label": "离岗原因", "old": "（空）", "new": "合同期满"},
    ]
    client.force_login(clerk)
    page = client.get(reverse("imports:detail", args=[record.pk])).content.decode()
    assert "离岗日期：（空） → 2025-06-30" in page

    import_services.import_confirm(user=clerk, record=record)
    import_services.import_write(import_id=record.pk)
    record.refresh_from_db()
    assert record.summary["written"] == {"created": 0, "updated": 1}
    firm = Job.objects.get(person__name="杨明")
    assert (firm.end_date, firm.end_reason) == (D(2025, 6, 30), "contract_ended")
    assert str(Job.objects.get(kind=EmploymentKind.WORKSHOP).monthly_pay) == "2800.50"
    latest = firm.history.latest("history_date")
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~",
        clerk,
        f"就业台账导入 #{record.pk}",
    )


# --- wrong rows -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_wrong_rows_are_named_by_sheet_row_column_and_reason_and_nothing_is_written(users, refs):
    clerk, office = users["clerk_wenti"], users["office"]
    (p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11) = (resident(f"人员{i}") for i in range(1, 12))
    outsider = resident("丰乐人", "fengle")  # administered by 场坝: outside clerk_wenti's scope
    guard = resident("丰乐保安", "fengle")
    services.employment_start(
        person=p3, actor=clerk, kind=EmploymentKind.LOCAL_FIRM, employer_name="古州服装厂", start_date=D(2023, 1, 1)
    )
    for holder, post in ((p4, refs["post"]), (guard, refs["post2"])):
        services.employment_start(
            person=holder,
            actor=office,
            kind=EmploymentKind.WELFARE_POST,
            employer_name="文体社区服务中心",
            welfare_post=post,
            start_date=D(2022, 1, 1),
        )
    firm = {"就业类型": "县内企业", "用工单位": "某厂", "上岗日期": "2024-01-01"}
    on_post = {"就业类型": "公益性岗位", "用工单位": "文体社区服务中心", "上岗日期": "2024-03-01"}
    unknown_id = make_id_number(D(1970, 1, 1))
    next_month = (datetime.date.today() + datetime.timedelta(days=31)).isoformat()
    rows = sheet(
        {"身份证号": unknown_id, "姓名": "某人", **firm},  # row 2
        row(outsider, **firm),  # row 3
        row(p1, **{**firm, "上岗日期": "2024-13-01"}),  # row 4
        row(p2, **{**firm, "就业类型": "打零工"}),  # row 5
        row(p3, **{**firm, "用工单位": "另一厂", "上岗日期": "2024-02-01"}),  # row 6
        row(p5, **on_post, 公益性岗位编号="GY-001"),  # row 7
        row(p6, **{**firm, "姓名": "错名"}),  # row 8
        row(p7, **{**firm, "就业类型": "扶贫车间或基地", "车间或基地": "不存在车间"}),  # row 9
        row(p8, **{**firm, "上岗日期": "2020-01-01", "离岗日期": "2021-01-01"}),  # row 10
        row(p9, **firm),  # row 11: good
        row(p9, **{**firm, "用工单位": "某 厂"}),  # row 12: the same job as row 11
        row(p10, **on_post, 公益性岗位编号="GY-002"),  # row 13
        row(p11, **{**firm, "上岗日期": next_month}),  # row 14: ahead, but within the portal's range of dates
    )
    before = (Job.objects.count(), job_history())
    result = check_ledger(xlsx(rows), clerk, JOBS)
    assert texts(result) == [
        f"第2行 身份证号：{importing.MSG_PERSON_UNKNOWN}",
        f"第3行 身份证号：{importing.MSG_PERSON_UNKNOWN}",  # exactly as an unknown number
        f"第4行 上岗日期：{import_cells.MSG_DATE.format(value='2024-13-01')}",
        f"第5行 就业类型：{import_cells.MSG_CHOICE.format(value='打零工', choices=JOB_KIND_LABELS)}",
        f"第6行 上岗日期：{importing.MSG_OVERLAP.format(date='2024-02-01', job='2023-01-01起，古州服装厂')}",
        f"第7行 公益性岗位编号：{importing.MSG_POST_TAKEN.format(date='2024-03-01', name='人员4')}",
        f"第8行 姓名：{importing.MSG_NAME_MISMATCH.format(name='人员6')}",
        f"第9行 车间或基地：{importing.MSG_WORKSHOP_UNKNOWN.format(value='不存在车间')}",
        f"第10行 离岗原因：{importing.MSG_END_REASON_NEEDED}",
        f"第12行 上岗日期：{importing.MSG_DUPLICATE_RECORD.format(row=11, identity=importing.IDENTITY[JOBS])}",
        # the holder of a post outside the clerk's scope is not named
        f"第13行 公益性岗位编号：{importing.MSG_POST_TAKEN.format(date='2024-03-01', name='其他人员')}",
        f"第14行 上岗日期：{importing.MSG_START_FUTURE}",
    ]
    assert all(error.sheet == "就业台账" for error in result.errors)
    unknown, outside = (error.as_dict() for error in result.errors[:2])
    assert {**unknown, "row": 0, "text": ""} == {**outside, "row": 0, "text": ""}
    assert "丰乐保安" not in " ".join(texts(result))
    assert result.counts() == {"new": 1, "changed": 0, "unchanged": 0, "wrong": 12, "rows": 13}
    with pytest.raises(ValidationError) as refused:
        EMPLOYMENT.write(result, user=clerk, valid_only=False, reason="test")
    assert refused.value.messages == [importing.MSG_HAS_WRONG.format(rows=12)]

    record = start_and_check(clerk, xlsx(rows))
    assert record.status == ImportStatus.CHECKED
    assert [error["text"] for error in record.errors] == texts(result)
    assert record.errors[0] == {
        "sheet": "就业台账",
        "row": 2,
        "column": "身份证号",
        "message": importing.MSG_PERSON_UNKNOWN,
        "text": f"第2行 身份证号：{importing.MSG_PERSON_UNKNOWN}",
    }
    with pytest.raises(ValidationError):
        import_services.import_confirm(user=clerk, record=record)
    record.refresh_from_db()
    assert record.status == ImportStatus.CHECKED
    assert (Job.objects.count(), job_history()) == before


@pytest.mark.django_db
def test_rows_of_one_file_keep_the_rules_among_themselves_and_valid_rows_only_writes_the_good_ones(users, refs):
    clerk = users["clerk_wenti"]
    yang, wu, long = resident("杨明"), resident("吴英"), resident("龙梅")
    on_post = {"就业类型": "公益性岗位", "用工单位": "文体社区服务中心", "公益性岗位编号": "GY-001"}
    rows = sheet(
        row(yang, 就业类型="县内企业", 用工单位="甲厂", 上岗日期="2024-01-01"),  # row 2
        row(yang, 就业类型="县内企业", 用工单位="乙厂", 上岗日期="2024-06-01"),  # row 3: while row 2 is open
        row(yang, 就业类型="灵活就业", 上岗日期="2024-07-01"),  # row 4: flexible work may overlap
        row(
            yang,
            就业类型="县内企业",
            用工单位="丙厂",
            上岗日期="2023-01-01",
            离岗日期="2023-12-31",
            离岗原因="合同期满",
        ),
        row(wu, **on_post, 上岗日期="2024-01-01"),  # row 6
        row(long, **on_post, 上岗日期="2024-05-01"),  # row 7: the post is held by row 6
    )
    result = check_ledger(rows, clerk, JOBS)
    assert texts(result) == [
        f"第3行 上岗日期：{importing.MSG_OVERLAP.format(date='2024-06-01', job='第2行，甲厂')}",
        f"第7行 公益性岗位编号：{importing.MSG_POST_TAKEN.format(date='2024-05-01', name='吴英')}",
    ]

    record = start_and_check(clerk, xlsx(rows))
    with pytest.raises(ValidationError) as refused:
        import_services.import_confirm(user=clerk, record=record)
    assert refused.value.messages == [importing.MSG_HAS_WRONG.format(rows=2)]
    assert not Job.objects.exists()
    import_services.import_confirm(user=clerk, record=record, valid_only=True)
    import_services.import_write(import_id=record.pk)
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE and record.valid_only
    assert record.summary["written"] == {"created": 4, "updated": 0}
    assert set(Job.objects.values_list("person__name", "employer_name")) == {
        ("杨明", "甲厂"),
        ("杨明", ""),
        ("杨明", "丙厂"),
        ("吴英", "文体社区服务中心"),
    }


@pytest.mark.django_db
def test_a_recheck_at_write_time_stops_when_the_ledger_changed(users, good_jobs, refs):
    clerk = users["clerk_wenti"]
    record = start_and_check(clerk, xlsx(good_jobs))
    import_services.import_confirm(user=clerk, record=record)
    # Meanwhile someone records the welfare post's holder through the pages.
    services.employment_start(
        person=resident("韦兰"),
        actor=clerk,
        kind=EmploymentKind.WELFARE_POST,
        employer_name="文体社区服务中心",
        welfare_post=refs["post"],
        start_date=D(2023, 1, 1),
    )
    import_services.import_write(import_id=record.pk)
    record.refresh_from_db()
    assert record.status == ImportStatus.CHECKED
    assert record.summary["notice"] == import_services.MSG_RECHECK_FAILED.format(rows=1)
    assert Job.objects.count() == 1


@pytest.mark.django_db
def test_title_rows_columns_in_any_order_extra_columns_and_the_ways_dates_are_written(users, refs):
    clerk = users["clerk_wenti"]
    a, b, c = resident("甲"), resident("乙"), resident("丙")
    headers = [h.replace("（", "(").replace("）", ")") for h in reversed(JOB_HEADERS)]  # half-width brackets too
    headers.insert(2, "备注")
    firm = {"就业类型": "县内企业", "用工单位": "某厂"}
    records = [
        row(a, **firm, 上岗日期=datetime.datetime(2024, 5, 1), 备注="excel 日期"),
        row(b, **firm, 上岗日期="2024/5/1", **{"月收入(元)": "3,500元"}),
        row(c, **firm, 上岗日期="2024年5月1日", **{"劳动合同期限(月)": "十二"}),
    ]
    rows = [
        ["榕江县搬迁劳动力就业台账"],
        ["填报单位：文体社区服务中心"],
        headers,
        *[[r.get(h) for h in headers] for r in records],
    ]
    result = check_ledger(xlsx(rows, title="文体就业"), clerk, JOBS)
    assert result.header_row == 3 and result.ignored_columns == ["备注"] and result.sheet == "文体就业"
    assert texts(result) == [f"第6行 劳动合同期限（月）：{import_cells.MSG_WHOLE_NUMBER.format(value='十二')}"]
    assert result.errors[0].sheet == "文体就业"
    assert {plan.fields["start_date"] for plan in result.plans} == {D(2024, 5, 1)}
    assert str(result.plans[1].fields["monthly_pay"]) == "3500.00"


@pytest.mark.django_db
def test_a_file_without_the_ledgers_header_or_required_columns_is_refused_as_a_whole(users):
    office = users["office"]
    result = check_ledger(sheet(headers=[h for h in JOB_HEADERS if h != "上岗日期"]), office, JOBS)
    assert texts(result) == [EMPLOYMENT.no_header_message()]
    result = check_ledger(sheet(headers=[h for h in TRAINING_HEADERS if h != "培训机构"]), office, TRAININGS)
    assert texts(result) == [import_checking.MSG_MISSING_COLUMNS.format(columns="培训机构")]
    # a training ledger uploaded as an employment ledger
    assert texts(check_ledger(xlsx(sheet(headers=TRAINING_HEADERS)), office, JOBS)) == [
        "前30行中没有找到就业台账的表头行：表头行须包含“身份证号”“姓名”“就业类型”“上岗日期”。"
    ]
    assert texts(check_ledger(b"not a zip", office, JOBS)) == [import_reader.MSG_UNREADABLE]
    assert texts(check_ledger(sheet(), office, JOBS)) == [import_checking.MSG_NO_ROWS]


# --- the training ledger -----------------------------------------------------------------------------------------


def training(person, course, start, **cells):
    defaults = {
        "培训类型": "订单培训",
        "行业或工种": "电工",
        "培训机构": "榕江县职业技术学校",
        "结业日期": "2024-03-20",
        "培训天数": 20,
        "以工代训": "否",
        "已结业": "是",
    }
    return row(person, 培训项目=course, 开班日期=start, **{**defaults, **cells})


@pytest.mark.django_db
def test_a_training_ledger_imports_and_importing_it_again_changes_nothing(users):
    clerk = users["clerk_wenti"]
    yang, wu = resident("杨明"), resident("吴英")
    rows = sheet(
        training(yang, "电工培训", "2024-03-01"),
        training(wu, "缝纫培训", datetime.datetime(2024, 3, 1), 培训类型="定向培训", 以工代训="是", 已结业="否"),
        headers=TRAINING_HEADERS,
    )
    record = run_import(clerk, xlsx(rows, title="培训台账"), TRAININGS)
    assert record.status == ImportStatus.DONE, record.errors
    assert (record.summary["new"], record.summary["written"]) == (2, {"created": 2, "updated": 0})
    course = TrainingRecord.objects.get(person=yang)
    assert (course.course, course.kind, course.sector, course.provider) == (
        "电工培训",
        "order",
        "电工",
        "榕江县职业技术学校",
    )
    assert (course.start_date, course.end_date, course.days, course.on_the_job, course.completed) == (
        D(2024, 3, 1),
        D(2024, 3, 20),
        20,
        False,
        True,
    )
    sewing = TrainingRecord.objects.get(person=wu)
    assert (sewing.kind, sewing.on_the_job, sewing.completed, sewing.recorded_by) == ("directed", True, False, clerk)
    reason = f"培训台账导入 #{record.pk}"
    assert TrainingRecord.history.filter(history_user=clerk, history_change_reason=reason).count() == 2

    before = (TrainingRecord.objects.count(), TrainingRecord.history.count())
    again = run_import(clerk, xlsx(rows), TRAININGS)
    assert (again.summary["unchanged"], again.summary["written"]) == (2, {"created": 0, "updated": 0})
    assert (TrainingRecord.objects.count(), TrainingRecord.history.count()) == before

    rows[2][TRAINING_HEADERS.index("已结业")] = "是"  # 吴英 has finished
    changed = run_import(clerk, xlsx(rows), TRAININGS)
    assert changed.summary["written"] == {"created": 0, "updated": 1}
    assert changed.preview["changes"][0]["fields"] == [
        {"field": "completed", "label": "已结业", "old": "否", "new": "是"}
    ]
    sewing.refresh_from_db()
    assert sewing.completed and TrainingRecord.objects.count() == 2


@pytest.mark.django_db
def test_wrong_training_rows_are_named(users):
    clerk = users["clerk_wenti"]
    yang = resident("杨明")
    rows = sheet(
        training(yang, "电工培训", "2024-03-01"),  # row 2
        training(yang, "电工培训", "2024-03-01", 培训天数=21),  # row 3: the same course again
        training(yang, "烹饪培训", "2024-04-01"),  # row 4: ends (2024-03-20) before it starts
        training(yang, "", "2024-05-01", 结业日期="2024-05-10", 培训天数="二十", 培训类型="其他"),  # row 5
        headers=TRAINING_HEADERS,
    )
    assert texts(check_ledger(rows, clerk, TRAININGS)) == [
        f"第3行 培训项目：{importing.MSG_DUPLICATE_RECORD.format(row=2, identity=importing.IDENTITY[TRAININGS])}",
        f"第4行 结业日期：{importing.MSG_TRAINING_DATES}",
        f"第5行 培训项目：{import_cells.MSG_REQUIRED}",
        "第5行 培训类型：“其他”不是有效的选项，应为：定向培训、订单培训、输出培训、扶智培训。",
        f"第5行 培训天数：{import_cells.MSG_WHOLE_NUMBER.format(value='二十')}",
    ]


# --- the blank templates -------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("spec", [EMPLOYMENT, TRAINING], ids=["employment", "training"])
def test_the_blank_template_has_the_header_dropdowns_and_a_text_id_column(client, users, spec):
    client.force_login(users["clerk_wenti"])
    response = client.get(reverse("imports:template", args=[spec.kind]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    worksheet = workbook.worksheets[0]
    assert worksheet.title == spec.title
    assert [cell.value for cell in worksheet[1]] == list(spec.headers)
    assert worksheet.freeze_panes == "A2"
    letter = {header: openpyxl.utils.get_column_letter(i) for i, header in enumerate(spec.headers, start=1)}
    assert worksheet[f"{letter['身份证号']}2"].number_format == "@"
    assert worksheet.column_dimensions[letter["身份证号"]].number_format == "@"
    lists = {str(v.sqref).split(":")[0][:-1]: v.formula1 for v in worksheet.data_validations.dataValidation}
    wanted = {letter[c.header]: '"{}"'.format(",".join(c.labels)) for c in spec.columns if c.choices}
    assert lists == wanted
    if spec is EMPLOYMENT:
        assert lists[letter["就业地点"]] == '"县内,省内县外,省外"'
        assert lists[letter["缴纳社会保险"]] == '"是,否"'
    else:
        assert lists[letter["培训类型"]] == '"定向培训,订单培训,输出培训,扶智培训"'
    assert client.get(reverse("imports:template", args=["other"])).status_code == 404


@pytest.mark.django_db
def test_the_training_template_filled_in_is_imported(client, users):
    clerk = users["clerk_wenti"]
    yang = resident("杨明")
    client.force_login(clerk)
    response = client.get(reverse("imports:template", args=[TRAININGS]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    workbook.worksheets[0].append([training(yang, "电工培训", "2024-03-01").get(h) for h in TRAINING_HEADERS])
    output = io.BytesIO()
    workbook.save(output)
    record = run_import(clerk, output.getvalue(), TRAININGS)
    assert record.status == ImportStatus.DONE, record.errors
    assert TrainingRecord.objects.get().person == yang


# --- pages ------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_upload_check_preview_confirm_done_through_the_pages(
    client, users, good_jobs, eager_jobs, django_capture_on_commit_callbacks
):
    clerk = users["clerk_wenti"]
    client.force_login(clerk)
    page = client.get(reverse("imports:list"))
    assert page.status_code == 200 and "下载就业台账空白模板" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:upload"), {"kind": JOBS, "file": upload(xlsx(good_jobs))})
    record = LedgerImport.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:detail", args=[record.pk])
    record.refresh_from_db()
    assert (record.status, record.kind, record.user) == (ImportStatus.CHECKED, JOBS, clerk)

    page = client.get(response.url).content.decode()
    assert "检查结果（共 4 行）" in page and "确认导入" in page and "将新增 4 条" in page
    progress = client.get(reverse("imports:progress", args=[record.pk])).json()
    assert progress == {"status": "checked", "status_label": "已检查，待确认", "progress": 100, "running": False}
    fragment = client.get(reverse("imports:progress", args=[record.pk]), HTTP_HX_REQUEST="true")
    assert fragment["HX-Refresh"] == "true"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:confirm", args=[record.pk]))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE
    assert Job.objects.count() == 4
    page = client.get(reverse("imports:detail", args=[record.pk])).content.decode()
    assert "已写入就业台账：新增 4 条、更新 0 条" in page and f"就业台账导入 #{record.pk}" in page
    listing = client.get(reverse("imports:list")).content.decode()
    assert record.file_name in listing and "已导入" in listing


@pytest.mark.django_db
def test_a_running_import_shows_a_progress_bar_polled_by_htmx(client, users, good_jobs):
    clerk = users["clerk_wenti"]
    record = import_services.import_start(user=clerk, upload=upload(xlsx(good_jobs)), kind=JOBS)
    LedgerImport.objects.filter(pk=record.pk).update(progress=40)
    client.force_login(clerk)
    page = client.get(reverse("imports:detail", args=[record.pk])).content.decode()
    assert 'hx-get="{}"'.format(reverse("imports:progress", args=[record.pk])) in page
    assert 'aria-valuenow="40"' in page
    fragment = client.get(reverse("imports:progress", args=[record.pk]), HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in fragment and "40%" in fragment.content.decode()


@pytest.mark.django_db
def test_other_files_and_a_missing_kind_are_refused_in_chinese(client, users):
    client.force_login(users["clerk_wenti"])
    for name, content in (
        ("台账.xls", b"\xd0\xcf\x11\xe0"),
        ("台账.csv", "身份证号,姓名".encode()),
        ("假.xlsx", b"abc"),
    ):
        response = client.post(reverse("imports:upload"), {"kind": JOBS, "file": SimpleUploadedFile(name, content)})
        assert response.status_code == 400
        assert import_services.MSG_NOT_XLSX in response.content.decode()
    response = client.post(reverse("imports:upload"), {"file": upload(xlsx(sheet()))})
    assert response.status_code == 400 and "请选择台账类别。" in response.content.decode()
    assert not LedgerImport.objects.exists()


@pytest.mark.django_db
def test_a_clerk_gets_404_on_another_clerks_import(client, users, good_jobs):
    record = start_and_check(users["clerk_wenti"], xlsx(good_jobs))
    client.force_login(users["clerk_changba"])
    for name in ("imports:detail", "imports:progress"):
        assert client.get(reverse(name, args=[record.pk])).status_code == 404
    for name in ("imports:confirm", "imports:cancel"):
        assert client.post(reverse(name, args=[record.pk])).status_code == 404
    assert record.file_name not in client.get(reverse("imports:list")).content.decode()
    client.force_login(users["office"])
    assert client.get(reverse("imports:detail", args=[record.pk])).status_code == 200
    assert client.post(reverse("imports:confirm", args=[record.pk])).status_code == 403  # only the uploader
    record.refresh_from_db()
    assert record.status == ImportStatus.CHECKED and not Job.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["leader", "reporter", "team_lead"])
def test_roles_that_do_not_keep_the_registry_get_403(client, users, key):
    client.force_login(users[key])
    for response in (
        client.get(reverse("imports:list")),
        client.get(reverse("imports:template", args=[JOBS])),
        client.post(reverse("imports:upload"), {"kind": JOBS, "file": upload(xlsx(sheet()))}),
    ):
        assert response.status_code == 403
        assert capabilities.IMPORT_LEDGERS.refusal in response.content.decode()
    with pytest.raises(PermissionDenied):
        import_services.import_start(user=users[key], upload=upload(xlsx(sheet())), kind=JOBS)
    assert not LedgerImport.objects.exists()


@pytest.mark.django_db
def test_a_checked_import_can_be_cancelled(client, users, good_jobs):
    clerk = users["clerk_wenti"]
    record = start_and_check(clerk, xlsx(good_jobs))
    client.force_login(clerk)
    client.post(reverse("imports:cancel", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == ImportStatus.CANCELLED
    response = client.post(reverse("imports:confirm", args=[record.pk]), follow=True)
    assert import_services.MSG_NOT_CHECKED in response.content.decode()
    assert not Job.objects.exists()


# --- query count ---------------------------------------------------------------------------------------------


def ledger_of(persons, posts):
    """A job per person: the first ones on welfare posts, then workshop jobs, firm jobs and flexible work."""
    records = []
    for index, person in enumerate(persons):
        if index < len(posts):
            cells = {"就业类型": "公益性岗位", "用工单位": "文体社区服务中心", "公益性岗位编号": posts[index].code}
        elif index % 3 == 0:
            cells = {"就业类型": "扶贫车间或基地", "用工单位": "富民扶贫车间", "车间或基地": "富民扶贫车间"}
        elif index % 3 == 1:
            cells = {"就业类型": "县内企业", "用工单位": "榕江县某服装厂"}
        else:
            cells = {"就业类型": "灵活就业"}
        records.append(row(person, **cells, 上岗日期="2024-03-01"))
    return sheet(*records)


@pytest.mark.django_db
def test_the_check_costs_the_same_queries_for_20_rows_as_for_200(users, refs):
    clerk = users["clerk_wenti"]
    fumin = Settlement.objects.get(code="fumin")
    posts = WelfarePost.objects.bulk_create(
        WelfarePost(
            code=f"Q-{i:03d}", title="cleaner", settlement=fumin, funding="employment_fund", created_on=D(2020, 1, 1)
        )
        for i in range(10)
    )
    persons = many_residents(200)
    small, large = ledger_of(persons[:20], posts), ledger_of(persons, posts)

    def queries(rows):
        with CaptureQueriesContext(connection) as captured:
            result = check_ledger(rows, clerk, JOBS)
        assert texts(result) == []
        return len(captured), result

    (first_small, _), (first_large, result) = queries(small), queries(large)
    assert result.counts()["new"] == 200
    EMPLOYMENT.write(result, user=clerk, valid_only=False, reason="test")
    (again_small, _), (again_large, again) = queries(small), queries(large)
    assert again.counts()["unchanged"] == 200
    # the user's settlements, persons, their jobs, employers, workshops, posts, jobs on those posts
    assert first_small == first_large == again_small == again_large == 7


@pytest.mark.django_db
def test_the_training_check_costs_the_same_queries_for_20_rows_as_for_200(users):
    clerk, office = users["clerk_wenti"], users["office"]
    persons = many_residents(200)

    def queries(count, user):
        rows = sheet(*(training(p, "电工培训", "2024-03-01") for p in persons[:count]), headers=TRAINING_HEADERS)
        with CaptureQueriesContext(connection) as captured:
            result = check_ledger(rows, user, TRAININGS)
        assert texts(result) == [] and result.counts()["new"] == count
        return len(captured)

    # the user's settlements (none for the office, who sees all), the persons, their trainings
    assert queries(20, clerk) == queries(200, clerk) == 3
    assert queries(20, office) == queries(200, office) == 2


def test_an_import_makes_the_indicator_snapshots_stale_from_its_earliest_start(clerk, refs):
    worker, other = resident("人员甲"), resident("人员乙")
    days = [D(2024, 1, 31), D(2024, 2, 1), D(2024, 6, 30)]
    for day in days:
        snapshots.read(day)
    assert not IndicatorSnapshot.objects.filter(stale_since__isnull=False).exists()
    firm = {"就业类型": "县内企业", "用工单位": "某厂"}
    rows = sheet(row(worker, **firm, 上岗日期="2024-03-01"), row(other, **firm, 上岗日期="2024-02-01"))
    result = check_ledger(xlsx(rows), clerk, JOBS)

    import_services.write(importing.IMPORTERS[JOBS], result, user=clerk)

    stale = IndicatorSnapshot.objects.filter(stale_since__isnull=False)
    assert set(stale.values_list("day", flat=True)) == {D(2024, 2, 1), D(2024, 6, 30)}
    assert "employment.labour" in set(stale.values_list("group", flat=True))
    assert not stale.filter(group="settlements.residents").exists()  # the registry's figures read no jobs
