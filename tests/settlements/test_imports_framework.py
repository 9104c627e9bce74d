"""The shared ledger-import framework: what a clerk's file holds (serial dates, synonyms, 户口性质), what a
hostile file holds (limits), and a small importer of a test's own driven through the whole life cycle."""

import datetime
import io
import zipfile
from urllib.parse import quote

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from employment import importing as employment_importing
from settlements import capabilities, importing, imports, ledger
from settlements.imports import cells, reader
from settlements.imports import services as import_services
from settlements.models import HukouStatus, ImportStatus, LedgerImport, Person
from settlements.services import person_update
from tests.settlements import test_import as registry_tests
from tests.settlements.test_import import HEADERS, texts, upload, xlsx

TODAY = datetime.date(2026, 11, 29)
CONTEXT = type("Context", (), {"today": TODAY})()
good_file = registry_tests.good_file  # the registry tests' ledger of three households, as a fixture here too


# --- what a real clerk's file holds --------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_excel_serial_number_in_a_general_cell_reads_as_its_date_and_the_preview_says_so(users, good_file):
    good_file[1][HEADERS.index("入住日期")] = 43586  # a General cell: the number Excel shows for 2019-05-01
    result = importing.check_ledger(xlsx(good_file), users["office"])
    assert texts(result) == []
    plan = next(plan for plan in result.plans if plan.code == good_file[1][0])
    assert plan.values["move_in_date"] == datetime.date(2019, 5, 1)
    readings = result.preview()["readings"]
    assert {"column": "入住日期", "text": "43586", "shown": "2019-05-01（Excel 日期序号 43586）"}.items() <= readings[
        0
    ].items()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (43586, datetime.date(2019, 5, 1)),
        (43586.75, datetime.date(2019, 5, 1)),  # a time of day in the serial number
        ("43586", datetime.date(2019, 5, 1)),  # the same number typed as text
        ("20190501", datetime.date(2019, 5, 1)),
        (1, datetime.date(1900, 1, 1)),
    ],
)
def test_serial_and_compact_dates_are_read_as_dates_and_reported_as_readings(value, expected):
    parsed = cells.date_parser()(value, cells.cell_text(value), CONTEXT)
    assert isinstance(parsed, cells.Reading) and parsed.value == expected


@pytest.mark.parametrize("value", [0, -3, 73051, 2958466, "20191301", "1e5"])
def test_numbers_outside_excels_date_range_are_refused_as_dates(value):
    with pytest.raises(cells.CellError) as refused:
        cells.date_parser()(value, cells.cell_text(value), CONTEXT)
    assert refused.value.message == cells.MSG_DATE.format(value=cells.cell_text(value))


def _synonym_cases():
    importers = [importing.REGISTRY, employment_importing.EMPLOYMENT, employment_importing.TRAINING]
    for importer in importers:
        for column in importer.columns:
            by_label = {label: value for value, label in column.choices}
            for label, spellings in column.synonyms.items():
                for spelling in spellings:
                    yield pytest.param(importer, column, spelling, by_label[label], id=f"{column.header}-{spelling}")


@pytest.mark.parametrize(("importer", "column", "spelling", "stored"), list(_synonym_cases()))
def test_every_synonym_reads_as_its_choice_and_is_reported(importer, column, spelling, stored):
    parse = importer.parsers()[column.field]
    parsed = parse(spelling, spelling, CONTEXT)
    assert isinstance(parsed, cells.Reading)
    expected = (stored == "1") if column.choices == imports.YES_NO else stored
    if column.field == "project_year":
        expected = int(stored)
    assert parsed.value == expected
    assert parsed.shown == dict(column.choices)[stored]


def test_the_synonyms_cover_the_usual_spellings_the_issue_names():
    parsers = importing.REGISTRY.parsers()
    assert parsers["education"]("文盲", "文盲", CONTEXT).shown == "文盲或半文盲"
    assert parsers["education"]("初中毕业", "初中毕业", CONTEXT).shown == "初中"
    assert parsers["education"]("初中", "初中", CONTEXT) == "junior"  # the label itself is no reading
    assert parsers["registered_poor"]("√", "√", CONTEXT).value is True
    assert parsers["registered_poor"]("否", "否", CONTEXT) is False
    assert parsers["registered_poor"]("×", "×", CONTEXT).value is False


@pytest.mark.django_db
def test_the_hukou_type_column_is_not_taken_for_the_hukou_transfer_status(users, good_file):
    headers = [*good_file[0], "户口性质"]
    rows = [headers, *[[*row, "农业"] for row in good_file[1:]]]
    rows[1][headers.index(ledger.HUKOU_STATUS_HEADER)] = "非农业"  # a 户口性质 value in the wrong column
    rows[2][headers.index(ledger.HUKOU_STATUS_HEADER)] = "已迁入"  # a synonym of 已迁入安置地
    result = importing.check_ledger(xlsx(rows), users["office"])
    choices = "、".join(HukouStatus.labels)
    assert texts(result) == [f"第2行 户籍迁移情况：“非农业”是“户口性质”列的内容，不是“户籍迁移情况”：应为：{choices}。"]
    preview = result.preview()
    assert preview["ignored_columns"] == ["户口性质"]
    assert preview["notes"] == [importing.RegistryImporter.notes["户口性质"]]
    assert {"column": "户籍迁移情况", "text": "已迁入", "shown": "已迁入安置地"}.items() <= preview["readings"][
        0
    ].items()


@pytest.mark.django_db
def test_the_old_header_of_the_hukou_transfer_column_still_imports(users, good_file):
    rows = [["户籍状态" if header == ledger.HUKOU_STATUS_HEADER else header for header in good_file[0]], *good_file[1:]]
    result = importing.check_ledger(xlsx(rows), users["office"])
    assert texts(result) == [] and result.counts()["persons_new"] == 6


def test_the_template_names_the_hukou_transfer_column_unambiguously():
    assert ledger.HUKOU_STATUS_HEADER in importing.REGISTRY.headers and "户籍状态" not in importing.REGISTRY.headers


# --- what a hostile file holds -------------------------------------------------------------------------------


def _bomb(cell_bytes: int) -> bytes:
    """A small .xlsx whose one cell unpacks to `cell_bytes` bytes of text."""
    source = zipfile.ZipFile(io.BytesIO(xlsx([["户编号", "姓名", "身份证号"], ["PLACEHOLDER", "甲", "x"]])))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                before, after = data.split(b"PLACEHOLDER")
                with target.open(member.filename, "w") as stream:
                    stream.write(before)
                    chunk = b"A" * (1 << 20)
                    for _ in range(cell_bytes // len(chunk)):
                        stream.write(chunk)
                    stream.write(after)
            else:
                target.writestr(member, data)
    return output.getvalue()


def test_a_file_whose_one_cell_unpacks_to_100_mb_is_refused_before_it_is_parsed(monkeypatch):
    content = _bomb(100 << 20)
    assert len(content) < 200_000  # about 100 KB on the wire

    def parsed(*args, **kwargs):
        raise AssertionError("the sheet was handed to openpyxl")

    monkeypatch.setattr(reader._Workbook, "__init__", parsed)
    with pytest.raises(reader.LedgerFileError) as refused:
        reader.read_rows(content, importing.REGISTRY.is_header_row)
    assert refused.value.message == reader.MSG_CELL_TOO_LONG and "2,000" in refused.value.message


@pytest.mark.django_db
def test_the_check_of_a_bomb_stores_a_short_message_not_the_cell(users):
    result = importing.check_ledger(_bomb(20 << 20), users["office"])
    assert texts(result) == [reader.MSG_CELL_TOO_LONG]
    assert len(str(result.preview())) < 2_000


def test_the_unpacked_size_sheet_count_and_column_limits_are_named(monkeypatch):
    monkeypatch.setattr(reader, "MAX_UNPACKED_MB", 0)
    with pytest.raises(reader.LedgerFileError) as refused:
        reader.read_rows(xlsx([["户编号"]]), importing.REGISTRY.is_header_row)
    assert refused.value.message == reader.MSG_UNPACKED_TOO_LARGE and "200MB" in reader.MSG_UNPACKED_TOO_LARGE
    monkeypatch.undo()

    import openpyxl

    workbook = openpyxl.Workbook()
    for index in range(reader.MAX_SHEETS):
        workbook.create_sheet(f"表{index}")
    output = io.BytesIO()
    workbook.save(output)
    with pytest.raises(reader.LedgerFileError) as refused:
        reader.read_rows(output.getvalue(), importing.REGISTRY.is_header_row)
    assert refused.value.message == reader.MSG_TOO_MANY_SHEETS.format(count=reader.MAX_SHEETS + 1)

    wide = [["户编号", "姓名", "身份证号"], [None] * reader.MAX_COLUMNS + ["多余"]]
    with pytest.raises(reader.LedgerFileError) as refused:
        reader.read_rows(xlsx(wide), importing.REGISTRY.is_header_row)
    assert refused.value.message == reader.MSG_TOO_MANY_COLUMNS.format(row=2, column=reader.MAX_COLUMNS + 1)


def test_the_scan_finds_a_long_text_across_chunks_and_lets_a_full_cell_through(monkeypatch):
    monkeypatch.setattr(reader, "SCAN_CHUNK", 4096)  # the text spans many chunks
    with pytest.raises(reader.LedgerFileError):
        reader.read_rows(_bomb(1 << 20), importing.REGISTRY.is_header_row)
    rows = [["户编号", "姓名", "身份证号"], ["F1", "甲" * reader.MAX_CELL_CHARS, "x"]]  # as long as a cell may be
    title, read = reader.read_rows(xlsx(rows), importing.REGISTRY.is_header_row)
    assert read[1][1][1] == "甲" * reader.MAX_CELL_CHARS


def test_a_long_cell_under_the_scan_is_refused_naming_its_row_and_column():
    rows = [["户编号", "姓名", "身份证号"], ["F1", "甲" * (reader.MAX_CELL_CHARS + 1), "x"]]
    with pytest.raises(reader.LedgerFileError) as refused:
        reader.read_rows(xlsx(rows), importing.REGISTRY.is_header_row)
    assert refused.value.message == reader.MSG_CELL_TOO_LONG_AT.format(row=2, column="B")


@pytest.mark.django_db
def test_the_preview_cuts_long_cells(users, good_file):
    good_file[1][HEADERS.index("迁出村")] = "村" * 300
    result = importing.check_ledger(xlsx(good_file), users["office"])
    cell = result.preview()["rows"][0]["cells"][HEADERS.index("迁出村")]
    assert cell == "村" * 60 + "…"


# --- a new importer needs only its module --------------------------------------------------------------------


class PhoneUpdateImporter(imports.Importer):
    """联系电话更新表: a phone number per ID number, for persons the user may see."""

    kind = "test_phones"
    title = "联系电话更新表"
    columns = (
        imports.Column("身份证号", "id_number", required=True, kind=imports.TEXT),
        imports.Column("联系电话", "phone", required=True, kind=imports.TEXT),
    )
    header_keys = ("身份证号", "联系电话")
    guide = ("填写说明（联系电话更新表）", "1. 每行一名人员。")
    msg_has_wrong = "文件中有{rows}行存在错误。"

    def extra_parsers(self):
        return {"phone": cells.parse_phone}

    def plan(self, result, *, user, context, progress):
        numbers = [row.values["id_number"] for row in result.rows if "id_number" in row.values]
        persons = {p.id_number: p for p in Person.objects.for_user(user).with_id_numbers(numbers)}
        for row in result.rows:
            person = persons.get(row.values.get("id_number"))
            if person is None and not row.errors:
                row.error(self.columns[0], "您管理范围内没有这个身份证号。")
            if row.errors:
                outcome = imports.WRONG
            elif person.phone == row.values["phone"]:
                outcome = imports.UNCHANGED
            else:
                outcome = imports.CHANGED
            result.plans.append((row, person, outcome))

    def counts(self, result):
        counts = dict.fromkeys(imports.OUTCOMES, 0)
        for _, _, outcome in result.plans:
            counts[outcome] += 1
        return counts

    def write(self, result, *, user, valid_only, reason):
        changed = [(row, person) for row, person, outcome in result.plans if outcome == imports.CHANGED]
        for row, person in changed:
            person_update(actor=user, person=person, phone=row.values["phone"])
        return {"created": 0, "updated": len(changed)}


@pytest.fixture
def phone_importer():
    importer = imports.register(PhoneUpdateImporter())
    yield importer
    imports.unregister(importer.kind)


@pytest.mark.django_db
def test_a_registered_importer_runs_the_whole_life_cycle_through_the_shared_pages(
    client, users, good_file, phone_importer, eager_jobs, django_capture_on_commit_callbacks
):
    clerk = users["clerk_wenti"]
    importing.write_ledger(importing.check_ledger(good_file, users["office"]), users["office"])
    person = Person.objects.get(name="杨明")
    phones = xlsx([["身份证号", "联系电话"], [person.id_number, "13900002222"]])
    client.force_login(clerk)
    listing = client.get(reverse("imports:list")).content.decode()
    assert "下载联系电话更新表空白模板" in listing
    template = client.get(reverse("imports:template", args=["test_phones"]))
    assert template.status_code == 200 and quote("联系电话更新表导入模板.xlsx") in template["Content-Disposition"]

    for attempt in (1, 2):  # the same file twice: the second import changes nothing
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("imports:upload"), {"kind": "test_phones", "file": upload(phones)})
        record = LedgerImport.objects.get(pk=response.url.rstrip("/").split("/")[-1])
        assert (record.kind, record.status) == ("test_phones", ImportStatus.CHECKED)
        page = client.get(response.url).content.decode()
        assert "检查结果（共 1 行）" in page
        if attempt == 1:
            assert "检查无误。确认后将新增 0 条、更新 1 条" in page
        else:
            assert "导入不会产生任何变化" in page
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("imports:confirm", args=[record.pk]))
        record.refresh_from_db()
        assert record.status == ImportStatus.DONE
        assert record.summary["written"] == {"created": 0, "updated": 1 if attempt == 1 else 0}
    person.refresh_from_db()
    assert person.phone == "13900002222"
    assert person.history.first().history_user == clerk


@pytest.mark.django_db
def test_a_service_refuses_an_actor_without_the_import_capability(users, good_file, phone_importer):
    for key in ("leader", "reporter"):
        with pytest.raises(PermissionDenied) as refused:
            import_services.import_start(user=users[key], upload=upload(xlsx(good_file)), kind="test_phones")
        assert str(refused.value) == capabilities.IMPORT_LEDGERS.refusal
    assert not LedgerImport.objects.exists()
