"""The Excel ledger import: check, preview, write, re-import, template, pages, scope and query count."""

import datetime
import io

import openpyxl
import pytest
import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from settlements import capabilities, exports, id_numbers, importing, ledger, rules
from settlements.importing import check_ledger, write_ledger
from settlements.imports import cells as import_cells
from settlements.imports import checking as import_checking
from settlements.imports import reader as import_reader
from settlements.imports import services as import_services
from settlements.imports import tasks as import_tasks
from settlements.models import (
    Building,
    Household,
    HouseholdEvent,
    HouseholdEventKind,
    HouseholdStatus,
    ImportStatus,
    LedgerImport,
    Membership,
    MembershipStart,
    Person,
    Settlement,
    stored_id_number,
)
from settlements.registry_exports import PersonLedger
from settlements.resources import PersonLedgerResource
from settlements.validators import MSG_PHONE
from tests.factories import add_member, household_with_head, make_id_number, with_check_digit

HEADERS = list(ledger.HEADERS)
EDUCATION_LABELS = "、".join(ledger.BY_HEADER["文化程度"].labels)
HOUSEHOLD_VALUES = {
    "安置点": "富民",
    "楼栋": "1栋",
    "房号": "101",
    "搬迁年度": "2017",
    "迁出乡镇": "古州镇",
    "迁出村": "华优村",
    "建档立卡": "是",
    "入住日期": "2019-05-01",
}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def member(name, relation, id_number, **cells):
    return {"姓名": name, "与户主关系": relation, "身份证号": id_number, **cells}


def household(code, *members, **household_cells):
    """The rows of one household: household columns on the head's (first) row only, as the ledger allows."""
    rows = []
    for index, values in enumerate(members):
        row = {"户编号": code, **values}
        if index == 0:
            row = {**HOUSEHOLD_VALUES, "户主姓名": values["姓名"], **row, **household_cells}
        rows.append(row)
    return rows


def sheet(*households, headers=HEADERS, titles=()):
    """The sheet's rows: title rows, the header row, then one row per person."""
    records = [row for rows in households for row in rows]
    return [*[list(title) for title in titles], list(headers), *[[row.get(h) for h in headers] for row in records]]


def xlsx(rows, title="台账") -> bytes:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = title
    for row in rows:
        worksheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def upload(content: bytes, name="台账.xlsx"):
    return SimpleUploadedFile(name, content, content_type=exports.XLSX_CONTENT_TYPE)


def texts(result):
    return [error.text for error in result.errors]


def ids(*births_and_sexes):
    return [make_id_number(birth, male) for birth, male in births_and_sexes]


@pytest.fixture
def good_file():
    """Three households: two in 富民 (one with three members), one in 卧龙小区 not yet moved in."""
    yang, wu, son, ou, mother, long = ids(
        (datetime.date(1980, 1, 1), True),
        (datetime.date(1982, 3, 4), False),
        (datetime.date(2008, 6, 1), True),
        (datetime.date(1975, 2, 2), True),
        (datetime.date(1950, 7, 7), False),
        (datetime.date(1990, 9, 9), False),
    )
    return sheet(
        household(
            "FM-001",
            member("杨明", "户主", yang, 性别="男", 联系电话="13812345678", 文化程度="初中"),
            member("吴英", "配偶", wu, 健康状况="长期慢性病"),
            member("杨小明", "子", son, 文化程度="小学", 户籍迁移情况="已迁入安置地"),
        ),
        household("FM-002", member("欧阳秀", "户主", ou), member("欧阳母", "母亲", mother), 房号="502"),
        household("WL-001", member("龙梅", "户主", long), 安置点="卧龙小区", 楼栋="A栋", 入住日期=None, 建档立卡="否"),
    )


def run_import(user, content, *, valid_only=False):
    """Upload, check, confirm and write through the services, as the Celery tasks run them."""
    record = import_services.import_start(user=user, upload=upload(content), kind="registry")
    import_services.import_check(import_id=record.pk)
    record.refresh_from_db()
    import_services.import_confirm(user=user, record=record, valid_only=valid_only)
    import_services.import_write(import_id=record.pk)
    record.refresh_from_db()
    return record


def history_count():
    return Household.history.count() + Person.history.count()


# --- a good file ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_good_file_is_checked_then_written_with_memberships_events_and_history(users, good_file):
    clerk = users["clerk_wenti"]
    result = check_ledger(xlsx(good_file), clerk)
    assert texts(result) == []
    counts = result.counts()
    assert (counts["households_new"], counts["persons_new"], counts["rows"]) == (3, 6, 6)
    assert Household.objects.count() == 0  # the check writes nothing

    record = run_import(clerk, xlsx(good_file))
    assert record.status == ImportStatus.DONE and record.finished_at and record.progress == 100
    written = record.summary["written"]
    assert written["households_created"] == 3 and written["persons_created"] == 6
    assert written["buildings_created"] == 2 and written["events_created"] == 2

    first = Household.objects.get(code="FM-001")
    assert first.settlement.code == "fumin" and first.building.name == "1栋" and first.room_number == "101"
    assert (first.project_year, first.origin_township, first.origin_village) == (2017, "古州镇", "华优村")
    assert first.registered_poor and first.move_in_date == datetime.date(2019, 5, 1)
    assert first.status == HouseholdStatus.MOVED_IN
    head = first.members.get(relation="head")
    assert (head.name, head.sex, head.birth_date, head.phone, head.education) == (
        "杨明",
        "M",
        datetime.date(1980, 1, 1),
        "13812345678",
        "junior",
    )
    assert first.members.get(name="吴英").health == "chronic"
    assert first.members.get(name="杨小明").hukou_status == "transferred"
    assert first.members.get(name="杨小明").relation == "son"

    assert all(person.settlement_id == first.settlement_id for person in first.members.all())

    later = Household.objects.get(code="WL-001")
    assert later.settlement.code == "wolong" and later.status == HouseholdStatus.ALLOCATED
    assert not later.registered_poor and later.move_in_date is None
    assert Building.objects.filter(settlement__code="wolong", name="A栋").exists()

    memberships = Membership.objects.filter(end_date__isnull=True)
    assert memberships.count() == 6
    assert set(memberships.filter(household=first).values_list("start_date", flat=True)) == {datetime.date(2019, 5, 1)}
    assert memberships.get(household=later).start_date == timezone.localdate()
    assert set(memberships.values_list("start_reason", flat=True)) == {MembershipStart.MOVE_IN}
    events = HouseholdEvent.objects.filter(kind=HouseholdEventKind.MOVE_IN)
    assert {event.household.code for event in events} == {"FM-001", "FM-002"}
    assert all(event.recorded_by == clerk for event in events)

    reason = f"台账导入 #{record.pk}"
    assert Household.history.filter(history_user=clerk, history_change_reason=reason, history_type="+").count() == 3
    assert Person.history.filter(history_user=clerk, history_change_reason=reason, history_type="+").count() == 6


@pytest.mark.django_db
def test_a_member_born_after_the_move_in_joins_on_the_birth_date(users):
    head, baby = ids((datetime.date(1985, 1, 1), True), (datetime.date(2021, 3, 3), False))
    rows = sheet(household("FM-010", member("杨明", "户主", head), member("杨小妹", "女", baby)))
    result = check_ledger(rows, users["office"])
    write_ledger(result, users["office"])
    membership = Membership.objects.get(person__name="杨小妹")
    assert (membership.start_date, membership.start_reason) == (datetime.date(2021, 3, 3), MembershipStart.BIRTH)


# --- wrong rows -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_wrong_rows_are_named_by_row_column_and_reason_and_nothing_is_written(users):
    clerk = users["clerk_wenti"]
    seen, _ = household_with_head("fumin")  # visible to clerk_wenti
    unseen, _ = household_with_head("fengle")  # administered by 场坝: not visible to clerk_wenti
    seen_head, unseen_head = seen.members.get(), unseen.members.get()
    good = make_id_number(datetime.date(1980, 1, 1))
    bad_checksum = good[:-1] + ("0" if good[-1] != "0" else "1")
    twin = make_id_number(datetime.date(1979, 5, 5))
    rows = sheet(
        household("E-01", member("甲", "户主", bad_checksum)),  # row 2
        household("E-02", member("乙", "配偶", make_id_number(datetime.date(1981, 1, 1), False))),  # row 3
        household(
            "E-03",
            member("丙", "户主", make_id_number(datetime.date(1970, 1, 1))),  # row 4
            member("丁", "户主", make_id_number(datetime.date(1972, 1, 1), False)),  # row 5
        ),
        household("E-04", member("戊", "户主", twin, 联系电话="12345")),  # row 6
        household("E-05", member("己", "户主", make_id_number(datetime.date(1966, 6, 6))), 安置点="幸福"),  # row 7
        household("E-06", member("庚", "户主", make_id_number(datetime.date(1967, 6, 6))), 安置点="丰乐"),  # row 8
        household("E-07", member("辛", "户主", twin)),  # row 9: the same ID as row 6
        household("E-08", member("壬", "户主", seen_head.id_number)),  # row 10
        household("E-09", member("癸", "户主", unseen_head.id_number)),  # row 11
        household(
            "E-10",
            member("子", "户主", make_id_number(datetime.date(1960, 1, 1)), 性别="女"),  # row 12
            member("丑", "子", make_id_number(datetime.date(1990, 1, 1)), 搬迁年度="2018", 文化程度="博士"),  # 13
        ),
        household("E-11", member("寅", "户主", 5.22632198001011e17), 入住日期="2019年13月1日"),  # row 14
    )
    before = (Household.objects.count(), Person.objects.count(), history_count(), Membership.objects.count())
    result = check_ledger(xlsx(rows), clerk)
    assert texts(result) == [
        f"第2行 身份证号：{id_numbers.MSG_CHECKSUM}",
        f"第3行 与户主关系：{rules.MSG_NO_HEAD}",
        f"第4行 与户主关系：{rules.MSG_MANY_HEADS.format(count=2)}",
        f"第5行 与户主关系：{rules.MSG_MANY_HEADS.format(count=2)}",
        f"第6行 联系电话：{MSG_PHONE}",
        f"第7行 安置点：{importing.MSG_SETTLEMENT_UNKNOWN.format(value='幸福')}",
        f"第8行 安置点：{importing.MSG_SETTLEMENT_OUT_OF_SCOPE.format(value='丰乐')}",
        f"第9行 身份证号：{importing.MSG_DUPLICATE_ID.format(row=6)}",
        f"第10行 身份证号：{importing.MSG_REGISTERED_IN.format(code=seen.code)}",
        f"第11行 身份证号：{importing.MSG_REGISTERED_ELSEWHERE}",
        f"第12行 性别：{importing.MSG_SEX_MISMATCH.format(sex='男')}",
        f"第13行 搬迁年度：{importing.MSG_HOUSEHOLD_CONFLICT.format(row=12, value='2017')}",
        f"第13行 文化程度：{import_cells.MSG_CHOICE.format(value='博士', choices=EDUCATION_LABELS)}",
        f"第14行 身份证号：{import_cells.MSG_ID_AS_NUMBER}",
        f"第14行 入住日期：{import_cells.MSG_DATE.format(value='2019年13月1日')}",
    ]
    assert all(error.sheet == "台账" for error in result.errors)
    counts = result.counts()
    assert counts["households_wrong"] == 11 and counts["households_new"] == 0
    assert counts["rows_wrong"] == 13
    with pytest.raises(ValidationError) as refused:
        write_ledger(result, clerk)
    assert refused.value.messages == [importing.MSG_HAS_WRONG.format(rows=13)]

    record = import_services.import_start(user=clerk, upload=upload(xlsx(rows)), kind="registry")
    import_services.import_check(import_id=record.pk)
    record.refresh_from_db()
    assert record.status == ImportStatus.CHECKED
    assert [error["text"] for error in record.errors] == texts(result)
    with pytest.raises(ValidationError):
        import_services.import_confirm(user=clerk, record=record)
    record.refresh_from_db()
    assert record.status == ImportStatus.CHECKED
    after = (Household.objects.count(), Person.objects.count(), history_count(), Membership.objects.count())
    assert after == before


@pytest.mark.django_db
def test_an_id_number_is_refused_as_a_float_but_taken_as_an_exact_integer(users):
    # A number ending in the check digit X cannot be an Excel number: take the first that ends in a digit.
    exact = next(n for n in (make_id_number(datetime.date(1980, 1, 1)) for _ in range(30)) if n[-1] != "X")
    rows = sheet(household("N-01", member("甲", "户主", int(exact))), household("N-02", member("乙", "户主", "")))
    rows[2][HEADERS.index("身份证号")] = float(exact)
    result = check_ledger(rows, users["office"])
    assert texts(result) == [f"第3行 身份证号：{import_cells.MSG_ID_AS_NUMBER}"]
    rows[2][HEADERS.index("身份证号")] = "5.22632E+17"
    assert texts(check_ledger(rows, users["office"])) == [f"第3行 身份证号：{import_cells.MSG_ID_AS_NUMBER}"]


@pytest.mark.django_db
def test_dates_and_choices_are_read_in_the_ways_centres_write_them(users):
    numbers = ids(*[(datetime.date(1970 + i, 1, 1), True) for i in range(4)])
    rows = sheet(
        household("D-1", member("甲", "户主", numbers[0]), 入住日期=datetime.datetime(2019, 5, 1), 搬迁年度=2016),
        household("D-2", member("乙", "户主", numbers[1]), 入住日期="2019/5/1", 搬迁年度="2018年度"),
        household("D-3", member("丙", "户主", numbers[2]), 入住日期="2019年5月1日", 建档立卡=True),
        household("D-4", member("丁", "户主", numbers[3]), 入住日期="2099-01-01"),
    )
    result = check_ledger(rows, users["office"])
    assert texts(result) == [f"第5行 入住日期：{importing.MSG_DATE_FUTURE}"]
    plans = {plan.code: plan for plan in result.plans}
    assert {plans[code].values["move_in_date"] for code in ("D-1", "D-2", "D-3")} == {datetime.date(2019, 5, 1)}
    assert (plans["D-1"].values["project_year"], plans["D-2"].values["project_year"]) == (2016, 2018)
    assert plans["D-3"].values["registered_poor"] is True


@pytest.mark.django_db
def test_the_head_name_column_must_match_the_head(users):
    head, wife = ids((datetime.date(1980, 1, 1), True), (datetime.date(1982, 1, 1), False))
    rows = sheet(household("H-1", member("杨明", "户主", head), member("吴英", "配偶", wife, 户主姓名="杨亮")))
    assert texts(check_ledger(rows, users["office"])) == [
        f"第3行 户主姓名：{importing.MSG_HEAD_NAME.format(row=2, name='杨明')}"
    ]


@pytest.mark.django_db
def test_a_file_without_the_required_columns_or_header_is_refused_as_a_whole(users):
    headers = [h for h in HEADERS if h not in ("搬迁年度", "迁出乡镇")]
    result = check_ledger(sheet(headers=headers), users["office"])
    assert result.fatal and texts(result) == [import_checking.MSG_MISSING_COLUMNS.format(columns="搬迁年度、迁出乡镇")]
    result = check_ledger([["榕江县易地扶贫搬迁台账"], ["姓名", "电话"]], users["office"])
    assert texts(result) == [importing.MSG_NO_HEADER]
    assert texts(check_ledger(b"not a zip", users["office"])) == [import_reader.MSG_UNREADABLE]
    assert texts(check_ledger(sheet(), users["office"])) == [import_checking.MSG_NO_ROWS]


@pytest.mark.django_db
def test_stored_errors_are_capped_and_the_rest_counted(users, monkeypatch, client):
    monkeypatch.setattr(import_checking, "MAX_STORED_ERRORS", 3)
    rows = sheet(*[household(f"C-{i}", member("甲", "户主", "123")) for i in range(5)])
    clerk = users["clerk_wenti"]
    record = import_services.import_start(user=clerk, upload=upload(xlsx(rows)), kind="registry")
    import_services.import_check(import_id=record.pk)
    record.refresh_from_db()
    assert len(record.errors) == 3
    assert (record.summary["errors_total"], record.summary["errors_stored"]) == (5, 3)
    client.force_login(clerk)
    page = client.get(reverse("imports:detail", args=[record.pk])).content.decode()
    assert "另有 2 条错误未列出" in page
    assert f"第2行 身份证号：{id_numbers.MSG_LENGTH}" == record.errors[0]["text"]


# --- the registry as it is -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_importing_the_same_file_again_changes_nothing(users, good_file):
    clerk = users["clerk_wenti"]
    run_import(clerk, xlsx(good_file))
    before = (history_count(), Membership.objects.count(), HouseholdEvent.objects.count(), Building.objects.count())
    result = check_ledger(xlsx(good_file), clerk)
    counts = result.counts()
    assert (counts["households_unchanged"], counts["persons_unchanged"]) == (3, 6)
    assert counts["households_new"] == counts["households_changed"] == counts["persons_changed"] == 0
    record = run_import(clerk, xlsx(good_file))
    assert record.status == ImportStatus.DONE
    assert set(record.summary["written"].values()) == {0}
    after = (history_count(), Membership.objects.count(), HouseholdEvent.objects.count(), Building.objects.count())
    assert after == before


@pytest.mark.django_db
def test_changed_fields_are_previewed_old_to_new_and_only_they_are_written(users, good_file, client):
    clerk = users["clerk_wenti"]
    run_import(clerk, xlsx(good_file))
    head_row = good_file[1]
    head_row[HEADERS.index("联系电话")] = "13900001111"
    head_row[HEADERS.index("房号")] = "1203"
    good_file[2][HEADERS.index("文化程度")] = "高中"  # 吴英: was blank
    person_history = Person.history.count()
    record = import_services.import_start(user=clerk, upload=upload(xlsx(good_file)), kind="registry")
    import_services.import_check(import_id=record.pk)
    record.refresh_from_db()
    s = record.summary
    assert (s["households_changed"], s["households_unchanged"], s["persons_changed"], s["persons_unchanged"]) == (
        1,
        2,
        2,
        4,
    )
    changes = {(change["kind"], change["name"]): change["fields"] for change in record.preview["changes"]}
    assert changes[("户", "杨明")] == [{"field": "room_number", "label": "房号", "old": "101", "new": "1203"}]
    assert changes[("人", "杨明")] == [
        {"field": "phone", "label": "联系电话", "old": "13812345678", "new": "13900001111"}
    ]
    assert changes[("人", "吴英")] == [{"field": "education", "label": "文化程度", "old": "（空）", "new": "高中"}]
    client.force_login(clerk)
    page = client.get(reverse("imports:detail", args=[record.pk])).content.decode()
    assert "联系电话：13812345678 → 13900001111" in page

    import_services.import_confirm(user=clerk, record=record)
    import_services.import_write(import_id=record.pk)
    record.refresh_from_db()
    assert record.summary["written"]["persons_updated"] == 2
    assert record.summary["written"]["households_updated"] == 1
    assert Person.objects.get(name="杨明").phone == "13900001111"
    assert Person.objects.get(name="吴英").education == "senior"
    assert Household.objects.get(code="FM-001").room_number == "1203"
    assert Person.history.count() == person_history + 2
    latest = Person.history.filter(name="杨明").latest("history_date")
    assert (latest.history_user, latest.history_change_reason) == (clerk, f"台账导入 #{record.pk}")


@pytest.mark.django_db
def test_a_blank_cell_never_clears_and_a_status_never_goes_back(users):
    office = users["office"]
    moved, head = household_with_head("fumin", status=HouseholdStatus.MOVED_IN)
    allocated, other_head = household_with_head("fumin", status=HouseholdStatus.ALLOCATED, move_in_date=None)
    head.phone = "13812345678"
    head.save()
    rows = sheet(
        household(moved.code, member(head.name, "户主", head.id_number), 入住日期=None, 房号=None, 楼栋=None),
        household(allocated.code, member(other_head.name, "户主", other_head.id_number), 入住日期="2020-01-02"),
    )
    result = check_ledger(rows, office)
    assert texts(result) == []
    write_ledger(result, office)
    moved.refresh_from_db()
    allocated.refresh_from_db()
    head.refresh_from_db()
    assert moved.status == HouseholdStatus.MOVED_IN and moved.move_in_date == datetime.date(2019, 5, 1)
    assert head.phone == "13812345678"
    assert allocated.status == HouseholdStatus.MOVED_IN and allocated.move_in_date == datetime.date(2020, 1, 2)
    assert HouseholdEvent.objects.get(household=allocated).kind == HouseholdEventKind.MOVE_IN


@pytest.mark.django_db
def test_members_already_registered_count_in_the_composition(users):
    office = users["office"]
    existing, head = household_with_head("fumin")
    newcomer = make_id_number(datetime.date(1990, 1, 1))
    rows = sheet(household(existing.code, member("新户主", "户主", newcomer)))
    result = check_ledger(rows, office)
    two_heads = rules.MSG_MANY_HEADS.format(count=2)
    assert texts(result) == [
        f"第2行 与户主关系：{two_heads}",
        f"第2行 与户主关系：{importing.MSG_EXISTING_MEMBER.format(name=head.name, message=two_heads)}",
    ]
    wife = make_id_number(datetime.date(1982, 2, 2), male=False)
    rows = sheet(household(existing.code, member("吴英", "配偶", wife), 户主姓名=None))
    result = check_ledger(rows, office)
    assert texts(result) == []
    write_ledger(result, office)
    joined = Person.objects.with_id_number(wife).get()
    assert joined.household == existing
    assert Membership.objects.get(person=joined).start_date == existing.move_in_date


@pytest.mark.django_db
def test_the_head_can_be_handed_over_within_a_household(users):
    office = users["office"]
    existing, head = household_with_head("fumin")
    son = add_member(existing, name="杨成", relation="son", birth=datetime.date(2000, 1, 1))
    rows = sheet(
        household(existing.code, member("杨成", "户主", son.id_number), member(head.name, "父亲", head.id_number))
    )
    result = check_ledger(rows, office)
    assert texts(result) == []
    write_ledger(result, office)
    head.refresh_from_db()
    son.refresh_from_db()
    assert (son.relation, head.relation) == ("head", "father")
    assert Membership.objects.get(person=son, end_date__isnull=True).relation == "head"


@pytest.mark.django_db
def test_a_household_cannot_change_settlement_nor_take_a_code_used_elsewhere(users):
    clerk = users["clerk_wenti"]
    mine, my_head = household_with_head("fumin")
    theirs, _ = household_with_head("fengle")
    rows = sheet(
        household(mine.code, member(my_head.name, "户主", my_head.id_number), 安置点="卧龙"),
        household(theirs.code, member("某人", "户主", make_id_number(datetime.date(1970, 1, 1)))),
    )
    assert texts(check_ledger(rows, clerk)) == [
        f"第2行 安置点：{importing.MSG_SETTLEMENT_CHANGE.format(code=mine.code, settlement='富民小区')}",
        f"第3行 户编号：{importing.MSG_CODE_TAKEN.format(code=theirs.code)}",
    ]


@pytest.mark.django_db
def test_only_the_valid_households_are_written_when_asked(users, good_file):
    clerk = users["clerk_wenti"]
    bad = household(
        "FM-BAD",
        member("好人", "户主", make_id_number(datetime.date(1970, 1, 1))),
        member("坏行", "配偶", "52263219700101001X"),
    )
    content = xlsx(good_file + sheet(bad)[1:])
    record = import_services.import_start(user=clerk, upload=upload(content), kind="registry")
    import_services.import_check(import_id=record.pk)
    record.refresh_from_db()
    assert (record.summary["households_wrong"], record.summary["persons_blocked"]) == (1, 1)
    with pytest.raises(ValidationError) as refused:
        import_services.import_confirm(user=clerk, record=record)
    assert refused.value.messages == [importing.MSG_HAS_WRONG.format(rows=1)]
    import_services.import_confirm(user=clerk, record=record, valid_only=True)
    import_services.import_write(import_id=record.pk)
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE and record.valid_only
    assert set(Household.objects.values_list("code", flat=True)) == {"FM-001", "FM-002", "WL-001"}
    assert Person.objects.count() == 6 and not Person.objects.filter(name="好人").exists()


@pytest.mark.django_db
def test_title_rows_shuffled_and_extra_columns(users, good_file, client):
    headers = list(reversed(HEADERS))
    headers.insert(3, "备注")
    records = [dict(zip(HEADERS, row, strict=True)) for row in good_file[1:]]
    records[4]["联系电话"] = "110"
    rows = [
        ["榕江县易地扶贫搬迁人员台账"],
        ["填报单位：文体社区服务中心", None, "日期：2026年11月"],
        headers,
        *[[record.get(h) for h in headers] for record in records],
    ]
    clerk = users["clerk_wenti"]
    result = check_ledger(xlsx(rows, title="文体台账"), clerk)
    assert result.header_row == 3 and result.ignored_columns == ["备注"]
    assert texts(result) == [f"第8行 联系电话：{MSG_PHONE}"]
    assert result.errors[0].sheet == "文体台账"
    assert result.counts()["households_new"] == 2

    record = import_services.import_start(user=clerk, upload=upload(xlsx(rows)), kind="registry")
    import_services.import_check(import_id=record.pk)
    client.force_login(clerk)
    page = client.get(reverse("imports:detail", args=[record.pk])).content.decode()
    assert "已忽略的列：备注" in page
    assert "第3行" in page  # where the header was found
    first_id = records[0]["身份证号"]
    assert id_numbers.mask(first_id) in page and first_id not in page  # ID numbers masked in the preview


# --- query count ---------------------------------------------------------------------------------------------


def big_file(households: int) -> list[list]:
    """`households` families of four: 4 × households rows."""
    day = datetime.timedelta(days=1)
    families = []
    for i in range(households):
        families.append(
            household(
                f"Q-{i:05d}",
                member(f"户主{i}", "户主", make_id_number(datetime.date(1960, 1, 1) + i * day)),
                member(f"配偶{i}", "配偶", make_id_number(datetime.date(1962, 1, 1) + i * day, male=False)),
                member(f"子{i}", "子", make_id_number(datetime.date(1995, 1, 1) + i * day)),
                member(f"女{i}", "女", make_id_number(datetime.date(1997, 1, 1) + i * day, male=False)),
                安置点=("富民", "卧龙")[i % 2],
            )
        )
    return sheet(*families)


@pytest.mark.django_db
def test_the_check_of_2000_rows_needs_a_handful_of_queries(users, django_assert_max_num_queries):
    office = users["office"]
    rows = big_file(500)
    # The settlements once, then one query per LOOKUP_ROWS rows for their households and persons.
    assert importing.LOOKUP_ROWS >= 2000
    with django_assert_max_num_queries(2):
        result = check_ledger(rows, office)
    assert texts(result) == [] and result.counts()["persons_new"] == 2000
    write_ledger(result, office)
    assert Person.objects.count() == 2000 and Membership.objects.count() == 2000
    with django_assert_max_num_queries(2):
        again = check_ledger(rows, office)
    assert again.counts()["persons_unchanged"] == 2000


# --- template, export and the import-export resource ------------------------------------------------------------


@pytest.mark.django_db
def test_the_blank_template_has_dropdowns_text_columns_and_a_frozen_header(client, users):
    client.force_login(users["clerk_wenti"])
    response = client.get(reverse("imports:template", args=["registry"]))
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    sheet_ = workbook.worksheets[0]
    assert [cell.value for cell in sheet_[1]] == HEADERS
    assert sheet_.freeze_panes == "A2"
    letter = {header: openpyxl.utils.get_column_letter(i) for i, header in enumerate(HEADERS, start=1)}
    for header in ("身份证号", "联系电话", "户编号"):
        assert sheet_[f"{letter[header]}2"].number_format == "@"
        assert sheet_.column_dimensions[letter[header]].width >= 10
    lists = {str(v.sqref).split(":")[0][:-1]: v.formula1 for v in sheet_.data_validations.dataValidation}
    assert lists[letter["安置点"]] == '"富民,卧龙,阳光,特和"'
    assert lists[letter["与户主关系"]] == '"户主,配偶,子,女,儿媳,女婿,孙子,孙女,父亲,母亲,兄弟姐妹,其他"'
    for header in ("性别", "搬迁年度", "建档立卡", "文化程度", "健康状况", "户籍迁移情况"):
        assert lists[letter[header]] == '"{}"'.format(",".join(ledger.BY_HEADER[header].labels)), header
    assert set(lists) == {letter[h] for h in ("安置点", "与户主关系", "性别", "搬迁年度", "建档立卡")} | {
        letter[h] for h in ("文化程度", "健康状况", "户籍迁移情况")
    }


@pytest.mark.django_db
def test_the_template_filled_in_is_imported(client, users):
    clerk = users["clerk_wenti"]
    client.force_login(clerk)
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(reverse("imports:template", args=["registry"])).getvalue()))
    worksheet = workbook.worksheets[0]
    head, wife = ids((datetime.date(1978, 4, 4), True), (datetime.date(1979, 5, 5), False))
    for record in household("TPL-1", member("潘大", "户主", head), member("潘妻", "配偶", wife)):
        worksheet.append([record.get(h) for h in HEADERS])
    output = io.BytesIO()
    workbook.save(output)
    record = run_import(clerk, output.getvalue())
    assert record.status == ImportStatus.DONE, record.errors
    assert set(Person.objects.values_list("name", flat=True)) == {"潘大", "潘妻"}


@pytest.mark.django_db
def test_the_portals_own_export_imports_back_unchanged(users, good_file):
    clerk = users["clerk_wenti"]
    run_import(clerk, xlsx(good_file))
    export = exports.run(PersonLedger, users["office"], full_ids=True)
    output, count = export.file, export.record_count
    assert count == 6
    result = check_ledger(output, clerk)
    assert texts(result) == []
    assert result.counts()["persons_unchanged"] == 6 and result.counts()["households_unchanged"] == 3


@pytest.mark.django_db
def test_the_import_export_resource_declares_the_ledger_columns(users, good_file):
    office = users["office"]
    write_ledger(check_ledger(good_file, office), office)
    dataset = PersonLedgerResource().export()
    assert list(dataset.headers) == HEADERS
    head = dict(zip(dataset.headers, dataset[0], strict=True))
    assert (head["与户主关系"], head["性别"], head["安置点"], head["建档立卡"]) == ("户主", "男", "富民", "是")
    result = check_ledger(tablib.Dataset(*dataset, headers=dataset.headers).export("xlsx"), office)
    assert texts(result) == [] and result.counts()["persons_unchanged"] == 6


# --- pages ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_upload_check_preview_confirm_done_through_the_pages(
    client, users, good_file, eager_jobs, django_capture_on_commit_callbacks
):
    clerk = users["clerk_wenti"]
    client.force_login(clerk)
    page = client.get(reverse("imports:list"))
    assert page.status_code == 200 and "下载空白模板" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:upload"), {"kind": "registry", "file": upload(xlsx(good_file))})
    record = LedgerImport.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:detail", args=[record.pk])
    record.refresh_from_db()
    assert record.status == ImportStatus.CHECKED and record.user == clerk

    page = client.get(response.url).content.decode()
    assert "检查结果（共 6 行）" in page and "确认导入" in page
    progress = client.get(reverse("imports:progress", args=[record.pk])).json()
    assert progress == {"status": "checked", "status_label": "已检查，待确认", "progress": 100, "running": False}
    fragment = client.get(reverse("imports:progress", args=[record.pk]), HTTP_HX_REQUEST="true")
    assert fragment["HX-Refresh"] == "true"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:confirm", args=[record.pk]))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE
    assert Person.objects.count() == 6
    page = client.get(reverse("imports:detail", args=[record.pk])).content.decode()
    assert "已写入台账：新增 3 户" in page
    listing = client.get(reverse("imports:list")).content.decode()
    assert record.file_name in listing and "已导入" in listing


@pytest.mark.django_db
def test_a_running_import_shows_a_progress_bar_polled_by_htmx(client, users, good_file):
    clerk = users["clerk_wenti"]
    record = import_services.import_start(user=clerk, upload=upload(xlsx(good_file)), kind="registry")
    LedgerImport.objects.filter(pk=record.pk).update(progress=40)
    client.force_login(clerk)
    page = client.get(reverse("imports:detail", args=[record.pk])).content.decode()
    assert 'hx-get="{}"'.format(reverse("imports:progress", args=[record.pk])) in page
    assert 'aria-valuenow="40"' in page
    fragment = client.get(reverse("imports:progress", args=[record.pk]), HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in fragment and "40%" in fragment.content.decode()


@pytest.mark.django_db
def test_other_files_are_refused_in_chinese(client, users):
    client.force_login(users["clerk_wenti"])
    for name, content in (("台账.xls", b"\xd0\xcf\x11\xe0"), ("台账.csv", "户编号,姓名".encode()), ("假.xlsx", b"abc")):
        response = client.post(
            reverse("imports:upload"), {"kind": "registry", "file": SimpleUploadedFile(name, content)}
        )
        assert response.status_code == 400
        assert import_services.MSG_NOT_XLSX in response.content.decode()
    assert not LedgerImport.objects.exists()


@pytest.mark.django_db
def test_a_clerk_of_another_centre_gets_404_on_anothers_import(client, users, good_file):
    record = import_services.import_start(user=users["clerk_wenti"], upload=upload(xlsx(good_file)), kind="registry")
    import_services.import_check(import_id=record.pk)
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
    assert record.status == ImportStatus.CHECKED


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["leader", "reporter", "team_lead"])
def test_roles_that_do_not_keep_the_registry_get_403(client, users, good_file, key):
    client.force_login(users[key])
    for response in (
        client.get(reverse("imports:list")),
        client.get(reverse("imports:template", args=["registry"])),
        client.post(reverse("imports:upload"), {"kind": "registry", "file": upload(xlsx(good_file))}),
    ):
        assert response.status_code == 403
        assert capabilities.IMPORT_LEDGERS.refusal in response.content.decode()
    with pytest.raises(PermissionDenied):
        import_services.import_start(user=users[key], upload=upload(xlsx(good_file)), kind="registry")
    assert not LedgerImport.objects.exists()


@pytest.mark.django_db
def test_a_checked_import_can_be_cancelled(client, users, good_file):
    clerk = users["clerk_wenti"]
    record = import_services.import_start(user=clerk, upload=upload(xlsx(good_file)), kind="registry")
    import_services.import_check(import_id=record.pk)
    client.force_login(clerk)
    client.post(reverse("imports:cancel", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == ImportStatus.CANCELLED
    response = client.post(reverse("imports:confirm", args=[record.pk]), follow=True)
    assert import_services.MSG_NOT_CHECKED in response.content.decode()
    assert not Household.objects.exists()


@pytest.mark.django_db
def test_a_recheck_at_write_time_stops_when_the_registry_changed(users, good_file):
    clerk = users["clerk_wenti"]
    record = import_services.import_start(user=clerk, upload=upload(xlsx(good_file)), kind="registry")
    import_services.import_check(import_id=record.pk)
    record.refresh_from_db()
    import_services.import_confirm(user=clerk, record=record)
    # Meanwhile someone registers the first head elsewhere.
    other, _ = household_with_head("yangguang")
    Person.objects.filter(household=other).update(**stored_id_number(good_file[1][HEADERS.index("身份证号")]))
    import_services.import_write(import_id=record.pk)
    record.refresh_from_db()
    assert record.status == ImportStatus.CHECKED
    assert record.summary["notice"] == import_services.MSG_RECHECK_FAILED.format(rows=1)
    assert not Household.objects.filter(code__startswith="FM-").exists()


def test_settlement_names_and_full_names_are_both_accepted(db, reference, users):
    settlement = Settlement.objects.get(code="fumin")
    for name in (settlement.name, settlement.full_name):
        rows = sheet(household("S-1", member("甲", "户主", make_id_number(datetime.date(1970, 1, 1))), 安置点=name))
        result = check_ledger(rows, users["office"])
        assert texts(result) == [] and result.plans[0].values["settlement"] == settlement.pk


def test_with_check_digit_builds_numbers_the_import_accepts(db, users):
    number = with_check_digit("52263219800101123")
    rows = sheet(household("W-1", member("甲", "户主", number)))
    assert texts(check_ledger(rows, users["office"])) == []


# --- reading and ID numbers as id_numbers reads them -------------------------------------------------------------


def test_the_ledger_reader_gives_the_values_openpyxl_gives():
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    workbook = openpyxl.Workbook()
    guide = workbook.active
    guide.title = "说明"
    guide.append(["本表说明：没有表头"])
    ledger_sheet = workbook.create_sheet("台账")
    ledger_sheet.append(["榕江县台账"])
    ledger_sheet.append([])
    ledger_sheet.append(HEADERS)
    ledger_sheet.append(["A-1", "富民", 3, 1703.0, None, "杨明", "522632198001010013", "户主", True, 13812345678])
    ledger_sheet.append([None, None, datetime.datetime(2019, 5, 1), datetime.date(2020, 2, 3), 2.5, "  有空格  "])
    ledger_sheet["C7"] = CellRichText(["富", TextBlock(InlineFont(b=True), "民"), "小区"])
    ledger_sheet["R9"] = "最后一列"
    content = io.BytesIO()
    workbook.save(content)

    title, rows = import_reader.read_rows(content.getvalue(), importing.REGISTRY.is_header_row)
    expected = openpyxl.load_workbook(io.BytesIO(content.getvalue()))["台账"]
    assert title == "台账"
    wanted = [
        (number, tuple(cell.value for cell in row))
        for number, row in enumerate(expected.iter_rows(), start=1)
        if any(cell.value is not None for cell in row)
    ]
    assert [number for number, _ in rows] == [number for number, _ in wanted] == [1, 3, 4, 5, 7, 9]
    for (_, got), (_, want) in zip(rows, wanted, strict=True):
        want = [str(v) if isinstance(v, CellRichText) else v for v in want]
        assert list(got) + [None] * (len(want) - len(got)) == want


@pytest.mark.parametrize(
    "number",
    [
        make_id_number(datetime.date(1980, 1, 1)),
        make_id_number(datetime.date(2024, 2, 29), male=False),
        "52263219800101001x",
        " 522632198001010013 ",
        with_check_digit("52263219800230123"),  # no 30 February
        with_check_digit("00000019800101123"),  # no such place
        with_check_digit("52263229990101123"),  # born in the future
        with_check_digit("52263218000101123"),  # older than any resident
        "522632198001010010",  # wrong check digit
        "5226321980010100",
        "52263219800101001Y",
    ],
)
def test_the_fast_lane_for_id_numbers_agrees_with_id_numbers_parse(number):
    today = datetime.date(2026, 1, 1)
    try:
        expected = id_numbers.parse(number, today=today)
    except ValidationError as error:
        with pytest.raises(ValidationError) as raised:
            import_cells.resident_id(number, today)
        assert raised.value.messages == error.messages
    else:
        assert import_cells.resident_id(number, today) == expected


# --- a partial file and the real worker ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_file_listing_some_members_leaves_the_others_alone(users):
    office = users["office"]
    existing, head = household_with_head("fumin")
    wife = add_member(existing, name="吴英", relation="spouse", birth=datetime.date(1982, 1, 1), male=False)
    rows = sheet(
        household(existing.code, member("吴英", "配偶", wife.id_number, 联系电话="13900001111"), 户主姓名=None)
    )
    result = check_ledger(rows, office)
    assert texts(result) == []
    counts = result.counts()
    assert (counts["households_changed"], counts["persons_changed"], counts["persons_new"]) == (1, 1, 0)
    write_ledger(result, office)
    wife.refresh_from_db()
    head.refresh_from_db()
    assert wife.phone == "13900001111" and head.relation == "head" and head.status == "active"


@pytest.mark.worker
def test_the_check_and_the_write_run_in_a_real_celery_worker(celery_worker_queue, settings, good_file):
    from pathlib import Path

    from django.core.management import call_command

    from settlements import services
    from settlements.roles import Role
    from tests.conftest import PASSWORD, wait_until

    settings.MEDIA_ROOT = Path(settings.VAR_DIR) / "media"  # where the worker process looks
    call_command("load_reference_data", verbosity=0)
    clerk = services.user_create(
        username="clerk-worker",
        password=PASSWORD,
        role=Role.CLERK,
        unit=Settlement.objects.get(code="fumin").administered_by,
    )
    record = LedgerImport.objects.create(
        kind="registry", user=clerk, file=upload(xlsx(good_file)), file_name="台账.xlsx", status=ImportStatus.CHECKING
    )
    try:
        import_tasks.check_import.apply_async(args=[record.pk], queue=celery_worker_queue)
        assert wait_until(lambda: LedgerImport.objects.get(pk=record.pk).status == ImportStatus.CHECKED)
        LedgerImport.objects.filter(pk=record.pk).update(status=ImportStatus.IMPORTING)
        import_tasks.write_import.apply_async(args=[record.pk], queue=celery_worker_queue)
        assert wait_until(lambda: LedgerImport.objects.get(pk=record.pk).status == ImportStatus.DONE)
        assert Person.objects.count() == 6
        assert Person.history.filter(history_change_reason=f"台账导入 #{record.pk}").count() == 6
    finally:
        record.file.delete(save=False)


@pytest.mark.django_db
def test_the_resource_reads_chinese_labels_and_refuses_unknown_ones(users):
    existing, _ = household_with_head("fumin")
    wife, child = ids((datetime.date(1982, 1, 1), False), (datetime.date(2010, 1, 1), True))
    headers = ["户编号", "姓名", "身份证号", "与户主关系", "联系电话", "文化程度", "健康状况", "户籍状态"]
    dataset = tablib.Dataset(headers=headers)
    dataset.append([existing.code, "吴英", wife, "配偶", "", "初中", "健康", "已迁入安置地"])
    dataset.append([existing.code, "杨小", child, "儿子", "", "小学", "健康", "未迁移"])
    result = PersonLedgerResource().import_data(dataset, dry_run=True)
    assert not result.has_errors()
    assert [row.number for row in result.invalid_rows] == [2]
    assert "“儿子”不是有效的选项" in str(result.invalid_rows[0].error_dict)
    assert not Person.objects.with_id_numbers([wife, child]).exists()  # a dry run


@pytest.mark.django_db
def test_only_the_changed_fields_are_written(users):
    office = users["office"]
    existing, head = household_with_head("fumin")
    rows = sheet(household(existing.code, member(head.name, "户主", head.id_number, 联系电话="13900001111")))
    result = check_ledger(rows, office)
    Person.objects.filter(pk=head.pk).update(education="senior")  # someone else's correction meanwhile
    write_ledger(result, office)
    head.refresh_from_db()
    assert (head.phone, head.education) == ("13900001111", "senior")
