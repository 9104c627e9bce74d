"""The services' ledger imports (参保台账, 市民证发放台账) through the shared framework: a good file written with
history, every wrong row named by sheet, row, column and reason, re-import changing nothing, and the registry's
hukou status following the cards."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from services.importing import CITIZEN_CARDS, INSURANCE
from services.models import CitizenCard, InsuranceEnrolment, Scheme
from settlements import exports, imports
from settlements.imports import services as import_services
from settlements.models import HukouStatus, ImportStatus

from . import factories as make

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def xlsx(headers, *records, title="参保台账") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(["榕江县医疗保障局 参保人员名册"])  # a title row above the header
    sheet.append(list(headers))
    for record in records:
        sheet.append([record.get(header) for header in headers])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def row(person, **cells):
    return {"身份证号": person.id_number, "姓名": person.name, **cells}


def run_import(user, content, kind, *, valid_only=False):
    """Upload, check, confirm and write through the services, as the Celery jobs run them."""
    upload = SimpleUploadedFile("台账.xlsx", content, content_type=exports.XLSX_CONTENT_TYPE)
    record = import_services.import_start(user=user, upload=upload, kind=kind)
    import_services.import_check(import_id=record.pk)
    record.refresh_from_db()
    import_services.import_confirm(user=user, record=record, valid_only=valid_only)
    import_services.import_write(import_id=record.pk)
    record.refresh_from_db()
    return record


@pytest.fixture
def people(users):
    _, yang = make.resident("fumin", name="杨明")
    _, wu = make.resident("wolong", name="吴英")
    _, pan = make.resident("fengle", name="潘丰")  # 场坝's, outside the clerk of 文体
    return {"yang": yang, "wu": wu, "pan": pan}


def test_an_enrolment_ledger_is_written_with_history_and_importing_it_again_changes_nothing(users, people):
    clerk = users["clerk_wenti"]
    content = xlsx(
        INSURANCE.headers,
        row(people["yang"], 险种="城乡居民医保", 参保起始日期="2020-01-01", 参保截止日期="2020/12/31", 代缴补贴="√"),
        row(people["wu"], 险种="城镇职工基本医疗保险", 参保地="迁出地", 参保起始日期=datetime.datetime(2021, 3, 1)),
    )
    result = imports.check(INSURANCE, content, clerk)
    assert [error.text for error in result.errors] == []
    assert result.counts() == {"new": 2, "changed": 0, "unchanged": 0, "wrong": 0, "rows": 2}
    assert not InsuranceEnrolment.objects.exists()  # the check writes nothing

    record = run_import(clerk, content, "insurance")
    assert record.status == ImportStatus.DONE and record.summary["written"] == {"created": 2, "updated": 0}
    yang = InsuranceEnrolment.objects.get(person=people["yang"])
    assert (yang.scheme, yang.place, yang.end_date, yang.premium_subsidy) == (
        Scheme.RESIDENT_MEDICAL,  # read from 城乡居民医保, and the preview lists the reading
        "settlement",  # a blank 参保地 is the settlement's
        D(2020, 12, 31),
        True,
    )
    assert yang.history.get().history_change_reason == f"参保台账导入 #{record.pk}"

    again = imports.check(INSURANCE, content, clerk)
    assert again.counts() == {"new": 0, "changed": 0, "unchanged": 2, "wrong": 0, "rows": 2}
    record = run_import(clerk, content, "insurance")
    assert InsuranceEnrolment.objects.count() == 2 and InsuranceEnrolment.history.count() == 2


def test_a_changed_end_date_is_an_update_shown_old_and_new(users, people):
    clerk = users["clerk_wenti"]
    make.enrol(people["yang"], D(2020, 1, 1))
    content = xlsx(
        INSURANCE.headers,
        row(people["yang"], 险种="城乡居民基本医疗保险", 参保起始日期="2020-01-01", 参保截止日期="2020-12-31"),
    )
    result = imports.check(INSURANCE, content, clerk)
    assert result.counts()["changed"] == 1
    (change,) = INSURANCE.changes(result)
    assert change["fields"] == [{"field": "end_date", "label": "参保截止日期", "old": "（空）", "new": "2020-12-31"}]


def test_every_wrong_row_is_named_by_sheet_row_column_and_reason(users, people):
    clerk = users["clerk_wenti"]
    make.enrol(people["wu"], D(2020, 1, 1), D(2020, 12, 31))
    content = xlsx(
        INSURANCE.headers,
        row(people["pan"], 险种="城乡居民基本医疗保险", 参保起始日期="2020-01-01"),  # outside the scope
        row(people["yang"], 姓名="杨明明", 险种="城乡居民基本医疗保险", 参保起始日期="2020-01-01"),
        row(people["yang"], 险种="商业保险", 参保起始日期="2020-01-01"),
        row(people["wu"], 险种="城乡居民基本医疗保险", 参保起始日期="2020-12-31"),  # over the registry's
        row(people["yang"], 险种="城镇职工基本医疗保险", 参保起始日期="2021-01-01", 参保截止日期="2020-12-31"),
    )
    result = imports.check(INSURANCE, content, clerk)
    texts = [error.text for error in result.errors]
    assert texts == [
        "第3行 身份证号：您管理范围内的搬迁人员中没有这个身份证号：请先在户籍台账中登记该人员。",
        "第4行 姓名：与户籍台账中该身份证号人员的姓名“杨明”不一致。",
        "第5行 险种：“商业保险”不是有效的选项，应为：城乡居民基本医疗保险、城乡居民基本养老保险、城镇职工基本医疗保险、"
        "城镇职工基本养老保险。",
        "第6行 参保起始日期：该人员的城乡居民基本医疗保险在 2020-12-31 已有参保记录（2020-01-01起）："
        "同一险种的参保期间不能重叠。",
        "第7行 参保截止日期：参保截止日期不能早于参保起始日期（2021-01-01）。",
    ]
    assert {error.sheet for error in result.errors} == {"参保台账"}
    assert result.counts()["wrong"] == 5
    with pytest.raises(ValidationError, match="文件中有5行存在错误"):
        run_import(clerk, content, "insurance")
    assert InsuranceEnrolment.objects.count() == 1  # nothing written while a row is wrong


def test_a_card_ledger_sets_the_registrys_hukou_status_and_refuses_the_transferred_and_a_taken_number(users, people):
    clerk = users["clerk_wenti"]
    _, moved = make.resident("fumin", name="石花")
    make.transfer(moved, D(2019, 9, 1))
    make.card(people["pan"], D(2019, 8, 1), number="RJ-9")  # 场坝's: its holder is not named to 文体's clerk
    content = xlsx(
        CITIZEN_CARDS.headers,
        row(people["yang"], 市民证号="rj-1", 发证日期="2019-10-01"),
        row(moved, 市民证号="RJ-2", 发证日期="2019-10-01"),
        row(people["wu"], 市民证号="RJ-9", 发证日期="2019-10-01"),
        title="市民证发放台账",
    )
    result = imports.check(CITIZEN_CARDS, content, clerk)
    assert [error.text for error in result.errors] == [
        "第4行 身份证号：该人员户籍已迁入安置地（2019-09-01），不需办理易地扶贫搬迁市民证。",
        "第5行 市民证号：市民证号 RJ-9 已登记给另一人。",
    ]
    record = run_import(clerk, content, "citizen_card", valid_only=True)
    assert record.summary["written"] == {"created": 1, "updated": 0}
    card = CitizenCard.objects.get(person=people["yang"])
    assert (card.number, card.issued_on) == ("RJ-1", D(2019, 10, 1))
    people["yang"].refresh_from_db()
    assert people["yang"].hukou_status == HukouStatus.CITIZEN_CARD
    assert people["yang"].history.first().history_change_reason == f"市民证发放台账导入 #{record.pk}"

    good = xlsx(
        CITIZEN_CARDS.headers, row(people["yang"], 市民证号="RJ-1", 发证日期="2019-10-01"), title="市民证发放台账"
    )
    assert imports.check(CITIZEN_CARDS, good, clerk).counts() == {
        "new": 0,
        "changed": 0,
        "unchanged": 1,
        "wrong": 0,
        "rows": 1,
    }


def test_the_blank_templates_carry_the_columns(users):
    assert INSURANCE.headers[:4] == ("身份证号", "姓名", "险种", "参保地")
    assert CITIZEN_CARDS.headers == ("身份证号", "姓名", "市民证号", "发证日期")
    assert imports.get("insurance") is INSURANCE and imports.get("citizen_card") is CITIZEN_CARDS
