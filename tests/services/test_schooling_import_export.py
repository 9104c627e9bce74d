"""The 教育科技局's student roster imported through the shared framework (every wrong row by sheet, row, column
and reason; importing again changes nothing), the two schooling lists exported and read back with openpyxl, and
the catchments of annex 1 loaded once, finding the demo's schools by name."""

import datetime

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from services.models import Catchment, SchoolEnrolment
from services.schooling_catchments import CATCHMENTS, SCHOOLS, CatchmentLoadError, ensure_catchments
from services.schooling_import import SCHOOL_ROSTER
from services.selectors import schooling
from settlements import demo, demo_facilities, exports, imports
from settlements.id_numbers import mask
from settlements.models import Facility, ImportStatus, Settlement

from . import schooling_factories as make
from .test_import import run_import, xlsx

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def pupils(users):
    make.school("车江小学")
    make.school("定威乡中心校", levels=["primary_school", "middle_school"])
    _, yang = make.child("fumin", name="杨明")
    _, wu = make.child("wolong", name="吴英", birth=D(2014, 6, 1))
    _, pan = make.child("fengle", name="潘丰")  # 场坝's, outside the clerk of 文体
    return {"yang": yang, "wu": wu, "pan": pan}


def row(person, **cells):
    return {"身份证号": person.id_number, "姓名": person.name, **cells}


def roster(*records):
    return xlsx(SCHOOL_ROSTER.headers, *records, title="学籍台账")


def test_a_roster_is_written_with_history_and_importing_it_again_changes_nothing(users, pupils):
    clerk = users["clerk_wenti"]
    content = roster(
        row(pupils["yang"], 学校="车江小学", 年级="六年级", 入学日期="2021-09-01"),
        row(
            pupils["wu"],
            学校="车江小学",
            年级="五年级",
            入学日期="2020-09-01",
            离校日期="2026-06-30",
            离校原因="失学",
            离校说明="随父母外出务工",
        ),
    )
    result = imports.check(SCHOOL_ROSTER, content, clerk)
    assert [error.text for error in result.errors] == []
    assert result.counts() == {"new": 2, "changed": 0, "unchanged": 0, "wrong": 0, "rows": 2}
    record = run_import(clerk, content, "school_enrolment")
    assert record.status == ImportStatus.DONE and record.summary["written"] == {"created": 2, "updated": 0}
    wu = SchoolEnrolment.objects.get(person=pupils["wu"])
    assert (wu.level, wu.end_reason, wu.end_note) == (
        "primary_school",
        "dropout",
        "随父母外出务工",
    )  # 失学 read as 辍学
    assert wu.history.get().history_change_reason == f"学籍台账导入 #{record.pk}"
    out = {stay.person_id for stay in schooling.out_of_school_stays(D(2026, 11, 20))}
    assert out == {pupils["wu"].pk, pupils["pan"].pk}  # 潘丰 of 丰乐 was never enrolled

    again = imports.check(SCHOOL_ROSTER, content, clerk)
    assert again.counts() == {"new": 0, "changed": 0, "unchanged": 2, "wrong": 0, "rows": 2}
    run_import(clerk, content, "school_enrolment")
    assert SchoolEnrolment.objects.count() == 2 and SchoolEnrolment.history.count() == 2

    graduated = roster(
        row(
            pupils["yang"],
            学校="车江小学",
            年级="六年级",
            入学日期="2021-09-01",
            离校日期="2026-07-01",
            离校原因="毕业",
        )
    )
    (change,) = SCHOOL_ROSTER.changes(imports.check(SCHOOL_ROSTER, graduated, clerk))
    assert {"field": "end_reason", "label": "离校原因", "old": "（空）", "new": "毕业"} in change["fields"]


def test_every_wrong_row_is_named_by_sheet_row_column_and_reason(users, pupils):
    clerk = users["clerk_wenti"]
    make.enrol(pupils["wu"], Facility.objects.get(name="车江小学"), D(2020, 9, 1))
    content = roster(
        row(pupils["pan"], 学校="车江小学", 年级="三年级", 入学日期="2021-09-01"),  # outside the scope
        row(pupils["yang"], 学校="车江一小", 年级="三年级", 入学日期="2021-09-01"),
        row(pupils["yang"], 学校="定威乡中心校", 年级="三年级", 入学日期="2021-09-01"),
        row(pupils["yang"], 学校="车江小学", 年级="三年级", 入学日期="2014-09-01"),
        row(pupils["yang"], 学校="车江小学", 年级="三年级", 入学日期="2021-09-01", 离校日期="2024-06-30"),
        row(
            pupils["yang"],
            学校="车江小学",
            年级="三年级",
            入学日期="2022-09-01",
            离校日期="2024-06-30",
            离校原因="辍学",
        ),
        row(pupils["wu"], 学校="车江小学", 年级="三年级", 入学日期="2024-09-01"),  # over the registry's
    )
    result = imports.check(SCHOOL_ROSTER, content, clerk)
    assert [error.text for error in result.errors] == [
        "第3行 身份证号：您管理范围内的搬迁人员中没有这个身份证号：请先在户籍台账中登记该人员。",
        "第4行 学校：您可查阅的服务设施中没有名为“车江一小”的学校或幼儿园：请先在服务设施中登记，或按登记的名称填写。",
        "第5行 学段：“定威乡中心校”设有小学、初中，请选择学段。",
        "第6行 入学日期：入学日期不能早于出生日期（2015-03-01）。",
        "第7行 离校原因：填写离校日期的，须选择离校原因（转学、毕业或辍学）。",
        "第8行 离校说明：辍学的须在“离校说明”中写明原因。",
        "第9行 入学日期：该学生在 2024-09-01 已有就读记录（2020-09-01起）：同一学生的就读期间不能重叠。",
    ]
    assert {error.sheet for error in result.errors} == {"学籍台账"}
    with pytest.raises(ValidationError, match="文件中有7行存在错误"):
        run_import(clerk, content, "school_enrolment")
    assert SchoolEnrolment.objects.count() == 1  # nothing written while a row is wrong


def test_the_blank_template_carries_the_columns():
    assert SCHOOL_ROSTER.headers == (
        "身份证号",
        "姓名",
        "学校",
        "学段",
        "年级",
        "入学日期",
        "离校日期",
        "离校原因",
        "离校说明",
    )
    assert imports.get("school_enrolment") is SCHOOL_ROSTER


def _rows(export, sheet):
    return [[cell.value for cell in row] for row in openpyxl.load_workbook(export.file)[sheet].iter_rows(min_row=2)]


def test_the_out_of_school_list_exports_each_child_and_why_with_masked_id_numbers(users, pupils):
    school = Facility.objects.get(name="车江小学")
    dropout = make.drop_out(pupils["wu"], school, D(2020, 9, 1), D(2026, 6, 30))
    make.visit(dropout, D(2026, 7, 5))
    export = exports.run(exports.get("services.out_of_school"), users["clerk_wenti"], {"day": "2026-11-20"})
    rows = _rows(export, "失学辍学儿童")
    yang, wu = pupils["yang"], pupils["wu"]
    assert [row[:4] for row in rows] == [
        ["富民", yang.household.code, "杨明", mask(yang.id_number)],
        ["卧龙", wu.household.code, "吴英", mask(wu.id_number)],
    ]
    assert [row[6:] for row in rows] == [
        ["未登记入学", None, None],
        ["辍学（2026-06-30离开车江小学）", datetime.datetime(2026, 7, 5), "劝返中"],
    ]
    sheet = openpyxl.load_workbook(export.file)["失学辍学儿童"]
    assert sheet["D2"].data_type == "s"
    full = exports.run(
        exports.get("services.out_of_school"), users["clerk_wenti"], {"day": "2026-11-20"}, full_ids=True
    )
    values = [cell.value for row in openpyxl.load_workbook(full.file).active.iter_rows() for cell in row]
    assert yang.id_number in values and pupils["pan"].id_number not in values


def test_the_aid_gap_list_exports_the_scheme_owed(users, pupils):
    school = Facility.objects.get(name="车江小学")
    make.enrol(pupils["yang"], school, D(2021, 9, 1))
    make.enrol(pupils["wu"], school, D(2020, 9, 1))
    make.aid(pupils["wu"], 2026)
    export = exports.run(exports.get("services.aid_gaps"), users["office"], {"day": "2026-11-20"})
    rows = _rows(export, "应助未助学生")
    assert [(row[2], row[6], row[7]) for row in rows] == [("杨明", "小学", "两免两补")]
    assert export.file_name == "应助未助学生_20261120.xlsx"


def test_the_catchments_are_loaded_once_and_find_the_demos_schools_by_name(reference):
    demo.ensure_demo_users()
    demo_facilities.seed_demo_facilities()
    facilities = Facility.objects.count()
    loaded = ensure_catchments()
    assert (loaded.catchments, loaded.schools) == (len(CATCHMENTS), 0)  # every school the demo made, found by name
    assert Facility.objects.count() == facilities
    assert ensure_catchments().catchments == 0 and Catchment.objects.count() == len(CATCHMENTS)
    fumin = Settlement.objects.get(code="fumin")
    before, after = (
        {c.school.name for c in schooling.settlement_catchments(fumin, day)["primary_school"]}
        for day in (D(2020, 8, 31), D(2020, 9, 1))
    )
    assert before == {"车江小学", "六佰塘小学", "车民小学"} and after == {"古州四小"}
    yangguang = Settlement.objects.get(code="yangguang")
    assert schooling.settlement_catchments(yangguang, D(2019, 12, 30))["kindergarten"] == []
    assert [c.school.name for c in schooling.settlement_catchments(yangguang, D(2019, 12, 31))["kindergarten"]] == [
        "阳光小区幼儿园"
    ]


def test_a_missing_school_is_created_as_a_facility_of_its_kind_and_a_misfiled_one_is_named(reference):
    call_command("load_catchments", verbosity=0)
    assert Facility.objects.count() == len(SCHOOLS)
    dayuanshu = Facility.objects.get(name="大榕树幼儿园")
    assert list(dayuanshu.kinds.values_list("code", flat=True)) == ["kindergarten"]
    assert dayuanshu.attributes == {"ownership": "民办"} and not dayuanshu.settlements.exists()
    assert list(Facility.objects.get(name="卧龙小区幼儿园").settlements.values_list("code", flat=True)) == ["wolong"]
    Catchment.objects.all().delete()
    Facility.objects.filter(name="车江小学").first().kinds.set([])
    with pytest.raises(CatchmentLoadError, match="设施“车江小学”已存在，但不是小学"):
        ensure_catchments()
