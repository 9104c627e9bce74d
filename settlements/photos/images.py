"""A clerk's photo, checked and made into what the portal keeps: a print size and a thumbnail.

Each file is checked before anything is written: not over `PHOTO_MAX_MB`, a JPEG, PNG or WebP by its bytes
(`settlements.uploads.sniff`; a phone's HEIC is refused with how to make the phone take JPEG, unless Pillow
here reads it), not a decompression bomb (more pixels than Pillow's own limit), and decoded whole (a
truncated file is refused). Then it is turned upright by its EXIF orientation, converted to RGB (transparency
on white), scaled to a long side of at most `PHOTO_PRINT_PX` and `PHOTO_THUMBNAIL_PX`, and encoded as JPEG
without its EXIF, XMP or comments: no GPS position and no camera serial leave this module. The moment the
photo was taken (EXIF DateTimeOriginal) is read before.

All of it happens in memory, one file at a time; what is kept of a file is its two small JPEGs.
"""

import datetime
import io
import math
import pathlib
import struct
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import ExifTags, Image, ImageOps

from .. import input_ranges, uploads

MSG_NO_PHOTOS = "请选择要上传的照片。"
MSG_TOO_MANY = "一次最多上传 {limit} 张照片，本次选择了 {count} 张：请分批上传。"
MSG_TOO_LARGE = "照片“{name}”有 {size} MB，超过 {limit} MB 的上限。"
MSG_NOT_A_PHOTO = "文件“{name}”不是图片（其内容是{kind}）：只能上传 JPEG、PNG 或 WebP 格式的照片。"
MSG_HEIF = (
    "照片“{name}”是 HEIC/HEIF 格式（苹果等手机的“高效”格式），平台无法读取：请在手机的“设置 → 相机 → 格式”中"
    "选择“兼容性最佳”（即 JPEG）后重新拍摄，或先把照片转存为 JPEG 再上传。"
)
MSG_BROKEN = "照片“{name}”已损坏或不完整，无法读取：请从相册重新选择或重新拍摄后上传。"
MSG_TOO_MANY_PIXELS = "照片“{name}”的像素超过 {limit} 万的上限，不能上传：请上传相机正常拍摄的照片。"

PRINT_QUALITY = 85
THUMBNAIL_QUALITY = 80
MAX_PIXELS = Image.MAX_IMAGE_PIXELS  # Pillow's own limit against decompression bombs (about 8,900 万)
_FORMATS = {uploads.JPEG: ("JPEG", "MPO"), uploads.PNG: ("PNG",), uploads.WEBP: ("WEBP",), uploads.HEIF: ("HEIF",)}
# What a damaged or hostile file makes Pillow raise while it reads or decodes it.
_UNREADABLE = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError, struct.error)


@dataclass(frozen=True)
class Rendition:
    """One JPEG the portal keeps."""

    content: bytes
    width: int
    height: int


@dataclass(frozen=True)
class PreparedPhoto:
    name: str  # the file's name as the clerk sent it (for messages)
    print_size: Rendition
    thumbnail: Rendition
    taken_at: datetime.datetime | None


def prepare_all(files) -> list[PreparedPhoto]:
    """Every file checked and prepared; a ValidationError naming every file refused (and why) if any is."""
    files = list(files)
    if not files:
        raise ValidationError(MSG_NO_PHOTOS, code="no_photos")
    if len(files) > settings.PHOTO_MAX_FILES:
        raise ValidationError(MSG_TOO_MANY.format(limit=settings.PHOTO_MAX_FILES, count=len(files)), code="too_many")
    prepared, errors = [], []
    for upload in files:
        try:
            prepared.append(prepare(upload))
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)
    return prepared


def prepare(upload) -> PreparedPhoto:
    """`upload` (a Django UploadedFile or a named binary file) checked, made upright and scaled."""
    name = pathlib.PurePath(getattr(upload, "name", "") or "").name or "（无文件名）"
    _check_size(upload, name)
    kind = uploads.sniff(upload)
    image = _open(upload, kind, name)
    try:
        return _prepared(image, name)
    except _UNREADABLE as error:
        raise ValidationError(MSG_BROKEN.format(name=name), code="photo_broken") from error
    finally:
        image.close()


def _check_size(upload, name: str) -> None:
    size = upload.size
    if size > settings.PHOTO_MAX_MB * 1024 * 1024:
        shown = f"{size / 1024 / 1024:.1f}"
        raise ValidationError(
            MSG_TOO_LARGE.format(name=name, size=shown, limit=settings.PHOTO_MAX_MB), code="photo_too_large"
        )


def readable_formats(kind: uploads.Kind) -> tuple[str, ...]:
    """Pillow's formats that read a file of `kind` here; none for a kind that is not a photo or that no
    installed plugin reads (HEIF without pillow-heif)."""
    Image.init()
    return tuple(name for name in _FORMATS.get(kind, ()) if name in Image.OPEN)


def _open(upload, kind: uploads.Kind, name: str) -> Image.Image:
    formats = readable_formats(kind)
    if kind is uploads.HEIF and not formats:
        raise ValidationError(MSG_HEIF.format(name=name), code="photo_heif")
    if kind.refused:
        raise ValidationError(uploads.MSG_REFUSED.format(name=name, kind=kind), code="file_refused")
    if not formats:
        raise ValidationError(MSG_NOT_A_PHOTO.format(name=name, kind=kind), code="not_a_photo")
    too_many_pixels = ValidationError(
        MSG_TOO_MANY_PIXELS.format(name=name, limit=MAX_PIXELS // 10_000), code="photo_too_many_pixels"
    )
    upload.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(upload, formats=formats)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise too_many_pixels from error
        except _UNREADABLE as error:
            raise ValidationError(MSG_BROKEN.format(name=name), code="photo_broken") from error
    if image.width * image.height > MAX_PIXELS:
        image.close()
        raise too_many_pixels
    return image


def _prepared(image: Image.Image, name: str) -> PreparedPhoto:
    taken_at = taken_at_of(image)
    icc_profile = image.info.get("icc_profile")  # the colours' meaning (a phone's Display P3): no personal data
    _decode_small(image, settings.PHOTO_PRINT_PX)
    image.load()  # the whole file: a truncated one raises here
    upright = _as_rgb(ImageOps.exif_transpose(image))
    print_size = _scaled(upright, settings.PHOTO_PRINT_PX)
    thumbnail = _scaled(print_size, settings.PHOTO_THUMBNAIL_PX)
    return PreparedPhoto(
        name=name,
        print_size=_jpeg(print_size, PRINT_QUALITY, icc_profile),
        thumbnail=_jpeg(thumbnail, THUMBNAIL_QUALITY, icc_profile),
        taken_at=taken_at,
    )


def _decode_small(image: Image.Image, longest_side: int) -> None:
    """Let a large JPEG decode at 1/2, 1/4 or 1/8 of its size, as long as its long side stays at least
    `longest_side` (a 12-megapixel photo decodes at a quarter of the pixels; other formats decode whole)."""
    ratio = longest_side / max(image.size)
    if ratio < 1:
        image.draft(None, (math.ceil(image.width * ratio), math.ceil(image.height * ratio)))


def taken_at_of(image: Image.Image) -> datetime.datetime | None:
    """When the photo was taken (EXIF DateTimeOriginal, with OffsetTimeOriginal when the camera wrote it, else
    the portal's time zone); None when absent, unreadable or implausible (before the earliest date the portal
    takes, or ahead of now: a camera's clock that was never set)."""
    try:
        exif = image.getexif().get_ifd(ExifTags.IFD.Exif)
        text = exif.get(ExifTags.Base.DateTimeOriginal)
        offset = exif.get(ExifTags.Base.OffsetTimeOriginal)
    except _UNREADABLE:
        return None
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.datetime.strptime(text.strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    zone = _offset(offset) or timezone.get_current_timezone()
    moment = moment.replace(tzinfo=zone)
    plausible = moment.date() >= input_ranges.earliest_date() and moment <= timezone.now() + datetime.timedelta(days=1)
    return moment if plausible else None


def _offset(text) -> datetime.timezone | None:
    """ "+08:00" as a time zone; None for anything else."""
    if not isinstance(text, str):
        return None
    try:
        parsed = datetime.datetime.strptime(text.strip("\x00 "), "%z")
    except ValueError:
        return None
    return parsed.tzinfo


def _as_rgb(image: Image.Image) -> Image.Image:
    if image.mode == "RGB":
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        with_alpha = image.convert("RGBA")
        flat = Image.new("RGB", with_alpha.size, "white")
        flat.paste(with_alpha, mask=with_alpha.getchannel("A"))
        return flat
    return image.convert("RGB")


def _scaled(image: Image.Image, longest_side: int) -> Image.Image:
    """A copy whose long side is at most `longest_side` (never enlarged)."""
    copy = image.copy()
    copy.thumbnail((longest_side, longest_side), Image.Resampling.LANCZOS)
    return copy


def _jpeg(image: Image.Image, quality: int, icc_profile: bytes | None) -> Rendition:
    image.info = {}  # Pillow would otherwise carry a comment (and more) of the original into the JPEG
    output = io.BytesIO()
    options = {"icc_profile": icc_profile} if icc_profile else {}
    image.save(output, "JPEG", quality=quality, **options)
    return Rendition(output.getvalue(), image.width, image.height)
