"""Uploads are told by their bytes, not their names (`settlements.uploads`): the ledger import and a report's
evidence refuse a program, a web page or a picture renamed to what the page takes, in Chinese, naming the file."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.urls import reverse

from settlements import uploads
from settlements.imports import services as import_services
from settlements.models import LedgerImport
from settlements.roles import Role
from tasks import services as task_services
from tasks.models import Evidence, ProgressReport
from tests.tasks.factories import make_task

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00"
    b"\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "Workbook".encode("utf-16-le") + b"\x00" * 1024
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64  # an iPhone's photo (高效)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["户编号", "姓名", "身份证号"])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def zipped(*names: str) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return output.getvalue()


DOCX = zipped("[Content_Types].xml", "_rels/.rels", "word/document.xml")
XLSM = zipped("[Content_Types].xml", "xl/workbook.xml", "xl/vbaProject.bin")
OFD = zipped("OFD.xml", "Doc_0/Document.xml")


def upload(name: str, content: bytes):
    return SimpleUploadedFile(name, content)


# --- what a file is ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (xlsx(), uploads.XLSX),
        (DOCX, uploads.DOCX),
        (OFD, uploads.OFD),
        (XLSM, uploads.MACROS),
        (zipped("readme.txt"), uploads.ZIP),
        (b"PK\x03\x04" + b"\x00" * 100, uploads.BROKEN_ZIP),
        (PNG, uploads.PNG),
        (JPEG, uploads.JPEG),
        (GIF, uploads.GIF),
        (WEBP, uploads.WEBP),
        (HEIC, uploads.HEIF),
        (b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1heic" + b"\x00" * 64, uploads.HEIF),
        (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64, uploads.UNKNOWN),  # a video
        (PDF, uploads.PDF),
        (OLE2, uploads.OLE2),
        (EXE, uploads.EXECUTABLE),
        (ELF, uploads.EXECUTABLE),
        (b"#!/bin/sh\nrm -rf /\n", uploads.SCRIPT),
        (HTML, uploads.HTML),
        (b"\xef\xbb\xbf  \r\n<html><body>hi</body></html>", uploads.HTML),
        ("<html><script>x</script></html>".encode("utf-16"), uploads.HTML),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', uploads.HTML),
        (b"name,id\nfoo,1\n<script>alert(1)</script>\n", uploads.HTML),
        ("户编号,姓名\nFM-1,杨光明\n".encode(), uploads.TEXT),
        ("户编号,姓名\nFM-1,杨光明\n".encode("gbk"), uploads.TEXT),
        (b"Rar!\x1a\x07\x01\x00" + b"\x00" * 32, uploads.ARCHIVE),
        (b"", uploads.EMPTY),
        (b"\x00\x01\x02\x03" * 16, uploads.UNKNOWN),
    ],
)
def test_a_file_is_known_by_its_bytes(content, kind):
    assert uploads.sniff(io.BytesIO(content)) == kind


def test_a_macro_project_in_an_old_office_file_is_found_across_the_read_chunks(monkeypatch):
    monkeypatch.setattr(uploads, "SCAN_CHUNK", 64)
    marker = "_VBA_PROJECT".encode("utf-16-le")
    for offset in range(40, 70):  # the marker starting before, across and after the first 64-byte boundary
        content = OLE2[:offset] + marker + b"\x00" * 100
        assert uploads.sniff(io.BytesIO(content)) == uploads.MACROS, offset
    assert uploads.sniff(io.BytesIO(OLE2)) == uploads.OLE2


def test_sniffing_leaves_the_file_where_it_was():
    source = io.BytesIO(xlsx())
    source.seek(7)
    uploads.sniff(source)
    assert source.tell() == 7


def test_a_large_upload_kept_in_a_temporary_file_is_sniffed_too():
    content = xlsx()
    temporary = TemporaryUploadedFile("台账.xlsx", "application/octet-stream", len(content), None)
    temporary.write(content)
    temporary.seek(0)
    assert uploads.check(temporary, {uploads.XLSX}) == uploads.XLSX
    temporary.close()


# --- what a page takes ------------------------------------------------------------------------------------------


def refusal(name, content, accept, hint=""):
    with pytest.raises(ValidationError) as raised:
        uploads.check(upload(name, content), accept, hint=hint)
    return raised.value.messages[0]


def test_a_program_or_a_web_page_is_refused_whatever_its_name():
    assert refusal("台账.xlsx", EXE, {uploads.XLSX}) == "文件“台账.xlsx”是可执行程序，不能上传。"
    assert refusal("照片.jpg", HTML, uploads.IMAGES) == "文件“照片.jpg”是网页（HTML、SVG 或 XML）文件，不能上传。"
    assert refusal("照片.png", ELF, uploads.IMAGES) == "文件“照片.png”是可执行程序，不能上传。"
    assert refusal("台账.xlsx", XLSM, {uploads.XLSX}) == "文件“台账.xlsx”是含宏（VBA）的 Office 文件，不能上传。"


def test_a_file_of_another_kind_is_named_with_what_the_page_takes():
    message = refusal("台账.xlsx", PNG, {uploads.XLSX}, hint="只能导入 Excel 文件（.xlsx）。")
    assert message == "文件“台账.xlsx”是PNG 图片，不能在此上传。只能导入 Excel 文件（.xlsx）。"


def test_content_and_extension_must_agree():
    assert uploads.check(upload("现场.JPEG", JPEG), uploads.IMAGES) == uploads.JPEG
    assert uploads.check(upload("名册.xls", OLE2), uploads.DOCUMENTS) == uploads.OLE2
    message = refusal("现场.jpg", PNG, uploads.IMAGES)
    assert message == "文件“现场.jpg”的内容是PNG 图片，与扩展名“.jpg”不符：请上传原始文件，不要修改扩展名。"
    assert "与扩展名“.docx”不符" in refusal("说明.docx", xlsx(), uploads.DOCUMENTS)
    assert (
        refusal("说明", PDF, uploads.DOCUMENTS)
        == "文件“说明”没有扩展名（其内容是PDF 文档）：请上传带扩展名的原始文件。"
    )


def test_the_validator_checks_a_form_field():
    validator = uploads.FileContentValidator(uploads.IMAGES, "只能上传图片。")
    validator(upload("现场.png", PNG))
    with pytest.raises(ValidationError, match="只能上传图片。"):
        validator(upload("现场.pdf", PDF))
    assert validator == uploads.FileContentValidator(uploads.IMAGES, "只能上传图片。")


# --- the ledger import ------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("台账.xlsx", EXE, "是可执行程序，不能上传。"),
        ("台账.xlsx", PNG, "是PNG 图片，不能在此上传。"),
        ("台账.xlsx", OLE2, "是旧版 Office 或 WPS 文件（.xls、.doc、.wps），或加了密码的 Office 文件，不能在此上传。"),
        ("台账.xlsx", "户编号,姓名\n".encode(), "是文本文件（如 CSV），不能在此上传。"),
        ("台账.xlsx", DOCX, "是Word 文档（.docx），不能在此上传。"),
        ("台账.xls", xlsx(), "的内容是Excel 工作簿（.xlsx），与扩展名“.xls”不符"),
    ],
)
def test_the_ledger_upload_refuses_what_is_not_an_xlsx_naming_the_file(client, users, name, content, reason):
    client.force_login(users["clerk_wenti"])
    response = client.post(reverse("imports:upload"), {"kind": "registry", "file": upload(name, content)})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"文件“{name}”{reason}" in page
    if content is OLE2:
        assert "请先另存为不加密的 .xlsx 再上传" in page  # what to do with an old .xls
    assert not LedgerImport.objects.exists()


@pytest.mark.django_db
def test_a_ledger_larger_than_upload_max_mb_is_refused(client, users, settings):
    settings.UPLOAD_MAX_MB = 1
    client.force_login(users["clerk_wenti"])
    content = xlsx() + b"\x00" * (1024 * 1024)
    response = client.post(reverse("imports:upload"), {"kind": "registry", "file": upload("大台账.xlsx", content)})
    assert response.status_code == 400
    assert "文件“大台账.xlsx”超过1MB，请分批导入。" in response.content.decode()
    assert "文件不超过1MB" in response.content.decode()
    assert not LedgerImport.objects.exists()


@pytest.mark.django_db
def test_the_service_checks_the_content_too(users):
    with pytest.raises(ValidationError, match="可执行程序"):
        import_services.import_start(user=users["clerk_wenti"], upload=upload("台账.xlsx", EXE), kind="registry")
    record = import_services.import_start(
        user=users["clerk_wenti"], upload=upload("台账.xlsx", xlsx()), kind="registry"
    )
    assert record.file_name == "台账.xlsx"


# --- a report's evidence ------------------------------------------------------------------------------------------


@pytest.fixture
def hr_reporter(make_user):
    return make_user(Role.REPORTER, "县人力资源社会保障局")


def report_page(client, task, *files):
    return client.post(
        reverse("tasks:report_form", args=[task.pk]),
        {"period": f"{datetime.date.today():%Y-%m}", "progress": "本月培训 2 期。", "files": list(files)},
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("现场.jpg", HTML, "是网页（HTML、SVG 或 XML）文件，不能上传。"),
        ("现场.jpg", EXE, "是可执行程序，不能上传。"),
        ("说明.docx", XLSM, "是含宏（VBA）的 Office 文件，不能上传。"),
        ("现场.jpg", PNG, "的内容是PNG 图片，与扩展名“.jpg”不符"),
        ("资料.zip", zipped("a.txt"), "是ZIP 压缩包，不能在此上传。佐证材料只能是图片"),
    ],
)
def test_evidence_is_refused_by_its_content(client, hr_reporter, name, content, reason):
    task = make_task()
    client.force_login(hr_reporter)
    response = report_page(client, task, upload("现场.png", PNG), upload(name, content))
    assert response.status_code == 200  # the form again, with the error beside the field
    assert f"文件“{name}”{reason}" in response.content.decode()
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()


@pytest.mark.django_db
def test_the_evidence_service_refuses_by_content_and_marks_pictures_by_content(hr_reporter):
    task = make_task()
    with pytest.raises(ValidationError, match="网页"):
        task_services.report_submit(
            task=task,
            actor=hr_reporter,
            period=datetime.date.today(),
            progress="x",
            files=[upload("现场.png", HTML)],
        )
    report = task_services.report_submit(
        task=task,
        actor=hr_reporter,
        period=datetime.date.today(),
        progress="x",
        files=[upload("现场.png", PNG), upload("通知.pdf", PDF), upload("名册.xlsx", xlsx())],
    )
    assert {(e.original_name, e.is_image) for e in report.evidence.all()} == {
        ("现场.png", True),
        ("通知.pdf", False),
        ("名册.xlsx", False),
    }
