"""What an uploaded file really is, told by its bytes, not its name.

The portal accepts few kinds of file: ledgers (.xlsx), a progress report's evidence (pictures and office
documents) and photos (`settlements.photos`). `sniff` recognises those and the dangerous or mistaken files a
clerk may send instead (a program, a web page, a macro workbook, an old .xls, a CSV, an archive, a phone's
HEIC photo) from the first bytes and, for the ZIP-based formats, the names in the ZIP's directory. `check`
refuses a file whose content is not one of the kinds a page accepts, or does not match its name's extension,
with a Chinese message naming the file and the reason.

A small sniff of these few formats rather than libmagic (python-magic): it needs no system library, tells an
.xlsx from a .docx and a macro workbook (libmagic calls them all ZIP or "Microsoft OOXML"), and each rule is
tested here.
"""

import pathlib
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

HEAD_BYTES = 8192
SCAN_CHUNK = 1 << 20


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # what the file is, in the message: "文件“x”是{label}"
    suffixes: frozenset[str] = frozenset()  # the extensions a file of this kind may have
    refused: bool = False  # never accepted, whatever the page: said so plainly

    def __str__(self):
        return self.label


def _kind(key, label, *suffixes, refused=False) -> Kind:
    return Kind(key, label, frozenset(suffixes), refused)


# Kinds a page may accept.
XLSX = _kind("xlsx", "Excel 工作簿（.xlsx）", ".xlsx")
DOCX = _kind("docx", "Word 文档（.docx）", ".docx")
OLE2 = _kind("ole2", "旧版 Office 或 WPS 文件（.xls、.doc、.wps），或加了密码的 Office 文件", ".xls", ".doc", ".wps")
OFD = _kind("ofd", "OFD 版式文档", ".ofd")
PDF = _kind("pdf", "PDF 文档", ".pdf")
JPEG = _kind("jpeg", "JPEG 图片", ".jpg", ".jpeg")
PNG = _kind("png", "PNG 图片", ".png")
GIF = _kind("gif", "GIF 图片", ".gif")
WEBP = _kind("webp", "WebP 图片", ".webp")
HEIF = _kind("heif", "HEIC/HEIF 格式的照片（苹果等手机的“高效”格式）", ".heic", ".heif")
IMAGES = frozenset({JPEG, PNG, GIF, WEBP})
DOCUMENTS = frozenset({PDF, DOCX, XLSX, OLE2, OFD})

# Kinds recognised only to say what they are.
EXECUTABLE = _kind("executable", "可执行程序", refused=True)
SCRIPT = _kind("script", "脚本程序", refused=True)
HTML = _kind("html", "网页（HTML、SVG 或 XML）文件", refused=True)
MACROS = _kind("macros", "含宏（VBA）的 Office 文件", refused=True)
ZIP = _kind("zip", "ZIP 压缩包")
ARCHIVE = _kind("archive", "压缩包（RAR、7z 或 gzip）")
TEXT = _kind("text", "文本文件（如 CSV）")
EMPTY = _kind("empty", "空文件")
BROKEN_ZIP = _kind("broken_zip", "损坏或不完整的 ZIP 格式文件（Office 文件未保存完整）")
UNKNOWN = _kind("unknown", "无法识别类型的文件")

MSG_REFUSED = "文件“{name}”是{kind}，不能上传。"
MSG_NOT_ACCEPTED = "文件“{name}”是{kind}，不能在此上传。{hint}"
MSG_WRONG_SUFFIX = "文件“{name}”的内容是{kind}，与扩展名“{suffix}”不符：请上传原始文件，不要修改扩展名。"
MSG_NO_SUFFIX = "文件“{name}”没有扩展名（其内容是{kind}）：请上传带扩展名的原始文件。"

_MAGIC = [  # (prefix, kind), checked in order
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"%PDF-", PDF),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE2),
    (b"MZ", EXECUTABLE),  # Windows .exe, .dll, .scr
    (b"\x7fELF", EXECUTABLE),
    (b"\xfe\xed\xfa\xce", EXECUTABLE),  # Mach-O
    (b"\xfe\xed\xfa\xcf", EXECUTABLE),
    (b"\xce\xfa\xed\xfe", EXECUTABLE),
    (b"\xcf\xfa\xed\xfe", EXECUTABLE),
    (b"\xca\xfe\xba\xbe", EXECUTABLE),  # Mach-O universal, Java class
    (b"#!", SCRIPT),
    (b"Rar!\x1a\x07", ARCHIVE),
    (b"7z\xbc\xaf\x27\x1c", ARCHIVE),
    (b"\x1f\x8b", ARCHIVE),
]
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1")
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a ZIP with entries; an empty ZIP
_MARKUP = (b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<svg", b"<?xml", b"<!--")
_MARKUP_ANYWHERE = (b"<script", b"<html", b"<iframe", b"<svg", b"javascript:")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_VBA_IN_OLE2 = "_VBA_PROJECT".encode("utf-16-le")  # the name of a macro storage in the compound file


def sniff(upload) -> Kind:
    """The kind of file `upload` (a Django UploadedFile or a binary file object) holds, by its bytes; the file's
    position is left where it was."""
    position = upload.tell()
    try:
        upload.seek(0)
        head = upload.read(HEAD_BYTES)
        if not head:
            return EMPTY
        if head.startswith(_ZIP_MAGIC):
            return _sniff_zip(upload)
        if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
            return WEBP
        if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:  # an ISO base media file of HEIF's brands
            return HEIF
        for prefix, kind in _MAGIC:
            if head.startswith(prefix):
                return _macros_in_ole2(upload) if kind is OLE2 else kind
        return _sniff_text(head)
    finally:
        upload.seek(position)


def _sniff_zip(upload) -> Kind:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return BROKEN_ZIP
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return MACROS
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return XLSX
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return DOCX
    if "OFD.xml" in names:
        return OFD
    return ZIP


def _macros_in_ole2(upload) -> Kind:
    """OLE2, unless the compound file holds a VBA project (the directory names it anywhere in the file)."""
    upload.seek(0)
    tail = b""
    while chunk := upload.read(SCAN_CHUNK):
        if _VBA_IN_OLE2 in tail + chunk:
            return MACROS
        tail = chunk[-len(_VBA_IN_OLE2) :]
    return OLE2


def _sniff_text(head: bytes) -> Kind:
    text = head
    for bom in _BOMS:
        if text.startswith(bom):
            text = text[len(bom) :]
            break
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: markup is spelt with zero bytes between letters
        text = text.replace(b"\x00", b"")
    lowered = text.lstrip().lower()
    if lowered.startswith(_MARKUP) or (b"\x00" not in lowered and any(tag in lowered for tag in _MARKUP_ANYWHERE)):
        return HTML
    if b"\x00" in text:
        return UNKNOWN
    for encoding in ("utf-8", "gb18030"):
        try:
            text.decode(encoding)
        except UnicodeDecodeError as error:
            if error.start >= len(text) - 4:  # a character cut at the end of the head
                return TEXT
            continue
        return TEXT
    return UNKNOWN


def suffix_of(upload) -> str:
    return pathlib.PurePath(upload.name or "").suffix.lower()


def check(upload, accept, *, hint: str = "") -> Kind:
    """The kind of `upload` if it is one of `accept` and its name's extension fits it; otherwise a
    ValidationError in Chinese naming the file and the reason (followed by `hint`, what the page takes)."""
    name = pathlib.PurePath(upload.name or "").name
    kind = sniff(upload)
    if kind.refused:
        raise ValidationError(MSG_REFUSED.format(name=name, kind=kind), code="file_refused")
    if kind not in accept:
        raise ValidationError(MSG_NOT_ACCEPTED.format(name=name, kind=kind, hint=hint), code="file_kind")
    suffix = suffix_of(upload)
    if not suffix:
        raise ValidationError(MSG_NO_SUFFIX.format(name=name, kind=kind), code="file_suffix")
    if suffix not in kind.suffixes:
        raise ValidationError(MSG_WRONG_SUFFIX.format(name=name, kind=kind, suffix=suffix), code="file_suffix")
    return kind


@deconstructible
class FileContentValidator:
    """A form field's validator: the file must be one of `accept` by content and by extension (`check`)."""

    def __init__(self, accept, hint: str = ""):
        self.accept = frozenset(accept)
        self.hint = hint

    def __call__(self, upload):
        check(upload, self.accept, hint=self.hint)

    def __eq__(self, other):
        return isinstance(other, FileContentValidator) and (self.accept, self.hint) == (other.accept, other.hint)
