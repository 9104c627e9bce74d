"""The portal's one photo mechanism (settlements.photos): a registered owner's photos are checked file by file,
turned upright, stripped of EXIF (no GPS), kept as a print size and a thumbnail in one transaction, served and
deleted only within the user's scope (issue 13, item 6).

The production code registers no owner yet: these tests register the household as one (`owner`)."""

import datetime
import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from PIL import ExifTags, Image

from settlements import photos
from settlements.audit import REFUSED, SUCCESS
from settlements.capabilities import KEEP_HOUSEHOLDS, READ_REGISTRY
from settlements.models import AuditEntry, Building, Household, Photo
from settlements.photos.services import photo_delete, photos_add
from tests.factories import household_with_head
from tests.test_deployment import environment, manage

MB = 1024 * 1024
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
RED, BLUE = (220, 20, 20), (20, 20, 220)


# --- images made in memory ---------------------------------------------------------------------------------------


def halves(size=(400, 200)) -> Image.Image:
    """Red on the left, blue on the right."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    return image


def exif_of(orientation=None, taken=None, offset=None, gps=False, camera=False) -> Image.Exif:
    exif = Image.Exif()
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    details = exif.get_ifd(ExifTags.IFD.Exif)
    if taken:
        details[ExifTags.Base.DateTimeOriginal] = taken
    if offset:
        details[ExifTags.Base.OffsetTimeOriginal] = offset
    if camera:
        exif[ExifTags.Base.Make] = "Huawei"
        exif[ExifTags.Base.Model] = "P60"
        details[ExifTags.Base.BodySerialNumber] = "SN-4711-0815"
    if gps:
        position = exif.get_ifd(ExifTags.IFD.GPSInfo)
        position[ExifTags.GPS.GPSLatitudeRef] = "N"
        position[ExifTags.GPS.GPSLatitude] = (25.0, 56.0, 12.5)
        position[ExifTags.GPS.GPSLongitudeRef] = "E"
        position[ExifTags.GPS.GPSLongitude] = (108.0, 31.0, 7.25)
    return exif


def jpeg(image=None, **options) -> bytes:
    output = io.BytesIO()
    (image or halves()).save(output, "JPEG", quality=95, **options)
    return output.getvalue()


def png(image) -> bytes:
    output = io.BytesIO()
    image.save(output, "PNG")
    return output.getvalue()


def webp(image) -> bytes:
    output = io.BytesIO()
    image.save(output, "WEBP", quality=90)
    return output.getvalue()


def bomb() -> bytes:
    """A tiny PNG whose header claims 60,000 × 60,000 pixels (a decompression bomb)."""
    data = bytearray(png(Image.new("L", (8, 8))))
    start = data.index(b"IHDR")
    data[start + 4 : start + 12] = struct.pack(">II", 60_000, 60_000)
    data[start + 17 : start + 21] = struct.pack(">I", zlib.crc32(bytes(data[start : start + 17])))
    return bytes(data)


def upload(name, content) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def opened(field) -> Image.Image:
    with field.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
        return image


def near(pixel, colour, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"


# --- the owner and the files ---------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media: Path) -> list[Path]:
    return sorted(path for path in media.rglob("*") if path.is_file()) if media.exists() else []


@pytest.fixture
def owner(reference):
    """Households may own photos (kept by their clerks) for the length of a test."""
    registration = photos.register(Household, capability=KEEP_HOUSEHOLDS, scope=Household.objects.for_user)
    yield registration
    photos.unregister(Household)


@pytest.fixture
def wenti_home(owner):
    """A household of 富民 (文体社区服务中心)."""
    return household_with_head("fumin")[0]


def add(home, user, *files, caption=""):
    return photos_add(owner=home, files=list(files), actor=user, caption=caption)


# --- the registry ------------------------------------------------------------------------------------------------


def test_registering_twice_the_same_way_is_harmless_differently_raises(owner):
    assert photos.register(Household, capability=KEEP_HOUSEHOLDS, scope=Household.objects.for_user) == owner
    with pytest.raises(ValueError, match="registered twice"):
        photos.register(Household, capability=READ_REGISTRY, scope=Household.objects.for_user)
    with pytest.raises(ValueError, match="registered twice"):
        photos.register(Household, capability=KEEP_HOUSEHOLDS, scope=Building.objects.for_user)
    assert photos.get("settlements.household") == owner and owner.key == "settlements.household"


def test_an_owner_not_registered_has_no_photos_service_or_gallery(reference, users, media):
    home, _ = household_with_head("fumin")
    with pytest.raises(LookupError):
        photos_add(owner=home, files=[upload("a.jpg", jpeg())], actor=users["clerk_wenti"])
    with pytest.raises(LookupError):
        photos.gallery(home, users["clerk_wenti"])
    assert stored_files(media) == []


# --- what is kept of a photo ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "kept"),
    [((400, 200), (200, 400)), ((4800, 2400), (1000, 2000))],  # the second decoded at half size, then scaled
)
def test_a_photo_taken_sideways_is_turned_upright(wenti_home, users, media, size, kept):
    """EXIF orientation 6: the camera held upright stores the picture turned left; shown turned right."""
    sent = jpeg(halves(size), exif=exif_of(orientation=6))
    (photo,) = add(wenti_home, users["clerk_wenti"], upload("竖拍.jpg", sent))
    assert (photo.image_width, photo.image_height) == kept
    upright = opened(photo.image)
    assert upright.size == kept
    width, height = kept
    assert near(upright.getpixel((width // 2, height // 8)), RED)
    assert near(upright.getpixel((width // 2, height * 7 // 8)), BLUE)
    thumbnail = opened(photo.thumbnail)
    assert thumbnail.size == (photo.thumbnail_width, photo.thumbnail_height) == (160, 320)
    assert near(thumbnail.getpixel((80, 20)), RED) and near(thumbnail.getpixel((80, 300)), BLUE)
    assert ExifTags.Base.Orientation not in upright.getexif()


def test_gps_camera_serial_and_every_other_exif_are_stripped(wenti_home, users, media):
    exif = exif_of(taken="2026:04:03 10:20:30", gps=True, camera=True)
    sent = jpeg(exif=exif, comment=b"Huawei P60 SN-4711-0815")
    assert Image.open(io.BytesIO(sent)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the file sent holds a position
    (photo,) = add(wenti_home, users["clerk_wenti"], upload("定位.jpg", sent))
    for field in (photo.image, photo.thumbnail):
        kept = opened(field)
        assert kept.format == "JPEG" and kept.mode == "RGB"
        assert len(kept.getexif()) == 0 and not kept.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert not {"exif", "xmp", "comment"} & set(kept.info)
        with field.open("rb") as stored:
            content = stored.read()
        assert b"Exif" not in content and b"SN-4711" not in content and b"Huawei" not in content


@pytest.mark.parametrize(
    ("exif", "taken_at"),
    [
        (exif_of(taken="2026:04:03 10:20:30"), datetime.datetime(2026, 4, 3, 10, 20, 30, tzinfo=SHANGHAI)),
        (  # taken abroad: the camera wrote its offset
            exif_of(taken="2026:04:03 10:20:30", offset="+09:00"),
            datetime.datetime(2026, 4, 3, 9, 20, 30, tzinfo=SHANGHAI),
        ),
        (exif_of(), None),
        (exif_of(taken="0000:00:00 00:00:00"), None),  # a camera that never knew the date
        (exif_of(taken="2099:01:01 08:00:00"), None),  # a clock set wrong: not a moment yet to come
    ],
)
def test_when_the_photo_was_taken_is_read_before_the_exif_goes(wenti_home, users, media, exif, taken_at):
    (photo,) = add(wenti_home, users["clerk_wenti"], upload("a.jpg", jpeg(exif=exif)))
    photo.refresh_from_db()
    assert photo.taken_at == taken_at


def test_several_photos_at_once_each_a_print_size_and_a_thumbnail(wenti_home, users, media):
    clerk = users["clerk_wenti"]
    transparent = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    transparent.paste((20, 20, 220, 255), (100, 100, 200, 200))
    added = add(
        wenti_home,
        clerk,
        upload("大.jpg", jpeg(halves((3000, 1500)))),
        upload("透明.png", png(transparent)),
        upload("网页图.webp", webp(halves((640, 480)))),
        caption="  门前道路硬化完工  ",
    )
    assert [(p.image_width, p.image_height, p.thumbnail_width, p.thumbnail_height) for p in added] == [
        (2000, 1000, 320, 160),
        (300, 300, 300, 300),
        (640, 480, 320, 240),
    ]
    assert Photo.objects.count() == 3 and len(stored_files(media)) == 6
    assert {p.caption for p in added} == {"门前道路硬化完工"}
    assert all(p.owner == wenti_home and p.uploaded_by == clerk for p in added)
    assert all(p.file_size == p.image.size for p in added)
    flattened = opened(added[1].image)
    assert near(flattened.getpixel((10, 10)), (255, 255, 255), 8) and near(flattened.getpixel((150, 150)), BLUE)
    assert all(path.suffix == ".jpg" and len(path.stem.removesuffix("-thumb")) == 32 for path in stored_files(media))
    history = Photo.history.filter(history_type="+")
    assert history.count() == 3 and {h.history_user for h in history} == {clerk}
    entry = AuditEntry.objects.get(action="photo.add")
    assert entry.outcome == SUCCESS and entry.actor == clerk and entry.target_id == str(wenti_home.pk)


# --- what is refused, and that nothing is kept then ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.pdf", PDF, "文件“a.pdf”不是图片（其内容是PDF 文档）：只能上传 JPEG、PNG 或 WebP 格式的照片。"),
        ("名单.jpg", "户编号,姓名\nFM-1,杨光明\n".encode(), "文件“名单.jpg”不是图片（其内容是文本文件（如 CSV））"),
        ("空.jpg", b"", "文件“空.jpg”不是图片（其内容是空文件）"),
        ("setup.jpg", EXE, "文件“setup.jpg”是可执行程序，不能上传。"),
        ("截断.jpg", jpeg(halves((800, 600)))[:3000], "照片“截断.jpg”已损坏或不完整，无法读取"),
        ("IMG_0001.HEIC", HEIC, "照片“IMG_0001.HEIC”是 HEIC/HEIF 格式"),
        ("bomb.png", bomb(), "照片“bomb.png”的像素超过"),
    ],
)
def test_a_file_that_is_no_photo_refuses_the_whole_upload(wenti_home, users, media, name, content, message):
    clerk = users["clerk_wenti"]
    with pytest.raises(ValidationError) as refused:
        add(wenti_home, clerk, upload("好.jpg", jpeg()), upload(name, content))
    assert len(refused.value.messages) == 1 and refused.value.messages[0].startswith(message)
    assert Photo.objects.count() == 0 and Photo.history.count() == 0 and stored_files(media) == []
    entry = AuditEntry.objects.get(action="photo.add")
    assert entry.outcome == REFUSED and message in entry.detail["reason"]


def test_a_heic_photo_is_told_how_to_make_the_phone_take_jpeg(wenti_home, users, media):
    with pytest.raises(ValidationError) as refused:
        add(wenti_home, users["clerk_wenti"], upload("IMG_0001.HEIC", HEIC))
    assert "兼容性最佳" in refused.value.messages[0] and "JPEG" in refused.value.messages[0]


def test_a_photo_over_the_size_limit_is_refused_naming_its_size(wenti_home, users, media, settings):
    assert settings.PHOTO_MAX_MB == 15
    large = jpeg() + b"\x00" * (int(17.2 * MB) - len(jpeg()))  # a JPEG with trailing bytes: 17.2 MB
    with pytest.raises(ValidationError) as refused:
        add(wenti_home, users["clerk_wenti"], upload("a.jpg", jpeg()), upload("b.jpg", large))
    assert refused.value.messages == ["照片“b.jpg”有 17.2 MB，超过 15 MB 的上限。"]
    assert Photo.objects.count() == 0 and stored_files(media) == []


def test_every_file_refused_is_named_at_once(wenti_home, users, media):
    with pytest.raises(ValidationError) as refused:
        add(wenti_home, users["clerk_wenti"], upload("a.pdf", PDF), upload("好.jpg", jpeg()), upload("b.jpg", b"x"))
    named = [message.split("（")[0] for message in refused.value.messages]
    assert named == ["文件“a.pdf”不是图片", "文件“b.jpg”不是图片"]
    assert Photo.objects.count() == 0 and stored_files(media) == []


def test_too_many_photos_at_once_are_refused(wenti_home, users, media, settings):
    content = jpeg(Image.new("RGB", (40, 30), RED))
    files = [upload(f"{n}.jpg", content) for n in range(settings.PHOTO_MAX_FILES + 1)]
    with pytest.raises(ValidationError) as refused:
        add(wenti_home, users["clerk_wenti"], *files)
    assert refused.value.messages == ["一次最多上传 20 张照片，本次选择了 21 张：请分批上传。"]
    assert Photo.objects.count() == 0 and stored_files(media) == []
    with pytest.raises(ValidationError, match="请选择要上传的照片"):
        add(wenti_home, users["clerk_wenti"])


def test_a_failure_while_storing_leaves_no_row_and_no_file(wenti_home, users, media, monkeypatch):
    from settlements.photos import services

    save, saved = services.save_with_history, []

    def fail_on_the_second(**kwargs):
        if saved:
            raise RuntimeError("the database went away")
        saved.append(save(**kwargs))
        return saved[-1]

    monkeypatch.setattr(services, "save_with_history", fail_on_the_second)
    with pytest.raises(RuntimeError):
        add(wenti_home, users["clerk_wenti"], upload("1.jpg", jpeg()), upload("2.jpg", jpeg()))
    assert saved and Photo.objects.count() == 0 and stored_files(media) == []


def test_a_caption_too_long_is_refused(wenti_home, users, media):
    with pytest.raises(ValidationError, match="照片说明不能超过 200 个字"):
        add(wenti_home, users["clerk_wenti"], upload("a.jpg", jpeg()), caption="长" * 201)
    assert stored_files(media) == []


def test_the_services_refuse_a_reader_and_a_clerk_of_another_centre(wenti_home, users, media):
    for user in (users["leader"], users["clerk_changba"]):
        with pytest.raises(PermissionDenied):
            add(wenti_home, user, upload("a.jpg", jpeg()))
    (photo,) = add(wenti_home, users["clerk_wenti"], upload("a.jpg", jpeg()))
    for user in (users["leader"], users["clerk_changba"]):
        with pytest.raises(PermissionDenied):
            photo_delete(photo=photo, actor=user)
    assert Photo.objects.count() == 1 and len(stored_files(media)) == 2


def test_deleting_a_photo_removes_its_row_then_its_files(wenti_home, users, media, django_capture_on_commit_callbacks):
    clerk = users["clerk_wenti"]
    kept, gone = add(wenti_home, clerk, upload("a.jpg", jpeg()), upload("b.jpg", jpeg()))
    with django_capture_on_commit_callbacks(execute=True):
        photo_delete(photo=gone, actor=clerk)
    assert list(Photo.objects.all()) == [kept]
    assert stored_files(media) == sorted([Path(kept.image.path), Path(kept.thumbnail.path)])
    deleted = Photo.history.get(id=gone.pk, history_type="-")
    assert deleted.history_user == clerk and deleted.history_change_reason == "删除照片"
    assert AuditEntry.objects.get(action="photo.delete").target_id == str(gone.pk)
    with pytest.raises(ValidationError, match="已被删除"):
        photo_delete(photo=gone, actor=clerk)


# --- the pages ---------------------------------------------------------------------------------------------------


@pytest.fixture
def wenti_photo(wenti_home, users, media):
    return add(wenti_home, users["clerk_wenti"], upload("a.jpg", jpeg()), caption="外墙")[0]


def urls_of(photo) -> dict[str, str]:
    return {
        "image": reverse("photo_image", args=[photo.pk]),
        "thumbnail": reverse("photo_thumbnail", args=[photo.pk]),
        "delete": reverse("photo_delete", args=[photo.pk]),
    }


def add_url(home) -> str:
    return reverse("photo_add", args=["settlements.household", home.pk])


def test_a_clerk_uploads_several_photos_and_is_sent_back_with_a_message(client, wenti_home, users, media):
    client.force_login(users["clerk_wenti"])
    back = reverse("household_detail", args=[wenti_home.pk])
    files = [upload("1.jpg", jpeg()), upload("2.png", png(halves()))]
    response = client.post(add_url(wenti_home), {"photos": files, "caption": "入户走访", "next": back})
    assert response.status_code == 302 and response.url == back
    assert "已上传 2 张照片。" in client.get(back).content.decode()
    assert [photo.caption for photo in Photo.objects.all()] == ["入户走访", "入户走访"]


def test_a_refused_upload_is_told_in_chinese_on_the_owners_page(client, wenti_home, users, media):
    client.force_login(users["clerk_wenti"])
    back = reverse("household_detail", args=[wenti_home.pk])
    response = client.post(add_url(wenti_home), {"photos": [upload("a.pdf", PDF)], "next": back}, follow=True)
    assert response.redirect_chain == [(back, 302)]
    assert "文件“a.pdf”不是图片" in response.content.decode()
    assert Photo.objects.count() == 0 and stored_files(media) == []
    nothing = client.post(add_url(wenti_home), {"next": back}, follow=True)
    assert "请选择要上传的照片。" in nothing.content.decode()


def test_twenty_photos_from_a_phone_are_one_upload(client, wenti_home, users, media, settings):
    client.force_login(users["clerk_wenti"])
    content = jpeg(Image.new("RGB", (40, 30), RED))
    files = [upload(f"IMG_{n:04d}.jpg", content) for n in range(settings.PHOTO_MAX_FILES)]
    client.post(add_url(wenti_home), {"photos": files})
    assert Photo.objects.count() == 20
    one_more = [*files, upload("IMG_0020.jpg", content)]
    response = client.post(add_url(wenti_home), {"photos": one_more}, follow=True)
    assert response.status_code == 200 and "一次最多上传 20 张照片" in response.content.decode()
    assert Photo.objects.count() == 20


def test_a_request_over_request_max_mb_gets_the_chinese_413_page(client, wenti_home, users, media, settings):
    settings.REQUEST_MAX_MB = 1
    client.force_login(users["clerk_wenti"])
    large = jpeg() + b"\x00" * (MB // 2)
    response = client.post(add_url(wenti_home), {"photos": [upload("a.jpg", large), upload("b.jpg", large)]})
    assert response.status_code == 413
    page = response.content.decode()
    assert "提交的内容过大" in page and "照片每张不能超过 15 MB、一次最多 20 张" in page
    assert Photo.objects.count() == 0


def test_the_request_limit_holds_a_full_upload_of_photos(settings):
    assert settings.REQUEST_MAX_MB > settings.PHOTO_MAX_MB * settings.PHOTO_MAX_FILES
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES > settings.PHOTO_MAX_FILES


def test_settings_refuse_a_request_limit_too_small_for_the_photos(tmp_path):
    result = manage(environment(tmp_path, DEBUG="true", REQUEST_MAX_MB="200"), "check")
    assert result.returncode != 0
    assert "PHOTO_MAX_MB × PHOTO_MAX_FILES（300）" in result.stderr


def test_an_unsafe_next_sends_the_clerk_home(client, wenti_home, users, media):
    client.force_login(users["clerk_wenti"])
    response = client.post(add_url(wenti_home), {"photos": [upload("a.jpg", jpeg())], "next": "//evil.example/"})
    assert response.status_code == 302 and response.url == reverse("home")


def test_photos_are_served_as_private_jpegs_to_users_in_scope(client, wenti_photo, users):
    for role in ("clerk_wenti", "leader", "office"):
        client.force_login(users[role])
        for name in ("image", "thumbnail"):
            response = client.get(urls_of(wenti_photo)[name])
            assert response.status_code == 200 and response["Content-Type"] == "image/jpeg", (role, name)
            assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
            assert "public" not in response["Cache-Control"]
            assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == "JPEG"
    again = client.get(urls_of(wenti_photo)["thumbnail"], HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_a_clerk_of_another_centre_gets_404_everywhere(client, wenti_home, wenti_photo, users, media):
    client.force_login(users["clerk_changba"])
    urls = urls_of(wenti_photo)
    assert client.post(add_url(wenti_home), {"photos": [upload("a.jpg", jpeg())]}).status_code == 404
    for url in (urls["image"], urls["thumbnail"], urls["delete"]):
        assert client.get(url).status_code == 404, url
    assert client.post(urls["delete"]).status_code == 404
    assert Photo.objects.count() == 1 and len(stored_files(media)) == 2


def test_users_without_the_registry_get_404(client, wenti_photo, users):
    client.force_login(users["reporter"])
    for url in urls_of(wenti_photo).values():
        assert client.get(url).status_code == 404, url


def test_a_reader_may_view_but_not_upload_or_delete(client, wenti_home, wenti_photo, users, media):
    client.force_login(users["leader"])
    urls = urls_of(wenti_photo)
    assert client.post(add_url(wenti_home), {"photos": [upload("b.jpg", jpeg())]}).status_code == 403
    assert client.get(urls["delete"]).status_code == 403
    assert client.post(urls["delete"]).status_code == 403
    assert client.get(urls["image"]).status_code == 200
    assert Photo.objects.count() == 1 and len(stored_files(media)) == 2


def test_deleting_asks_first_then_takes_a_post(client, wenti_home, wenti_photo, users):
    client.force_login(users["clerk_wenti"])
    back = reverse("household_detail", args=[wenti_home.pk])
    url = urls_of(wenti_photo)["delete"]
    confirmation = client.get(url, {"next": back})
    page = confirmation.content.decode()
    assert confirmation.status_code == 200 and "确定删除搬迁户“" in page and "确认删除" in page
    assert f'value="{back}"' in page and Photo.objects.filter(pk=wenti_photo.pk).exists()
    assert client.get(add_url(wenti_home)).status_code == 405
    response = client.post(url, {"next": back})
    assert response.status_code == 302 and response.url == back
    assert not Photo.objects.filter(pk=wenti_photo.pk).exists()
    assert "已删除照片。" in client.get(back).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, wenti_home, wenti_photo):
    for url in [*urls_of(wenti_photo).values(), add_url(wenti_home)]:
        response = client.post(url) if url.endswith("/add/") else client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url


def test_an_owner_or_photo_of_a_model_no_longer_registered_is_404(client, wenti_home, wenti_photo, users):
    client.force_login(users["office"])
    assert client.post(reverse("photo_add", args=["settlements.building", 1])).status_code == 404
    photos.unregister(Household)
    assert client.get(urls_of(wenti_photo)["image"]).status_code == 404
    assert client.post(add_url(wenti_home)).status_code == 404


def test_a_missing_file_is_404_not_500(client, wenti_photo, users):
    Path(wenti_photo.image.path).unlink()
    client.force_login(users["clerk_wenti"])
    assert client.get(urls_of(wenti_photo)["image"]).status_code == 404


# --- the gallery -------------------------------------------------------------------------------------------------


def gallery_html(home, user) -> str:
    request = RequestFactory().get(f"/households/{home.pk}/")
    request.user = user
    return render_to_string("partials/photo_gallery.html", {"gallery": photos.gallery(home, user)}, request=request)


def test_the_gallery_shows_thumbnails_and_offers_upload_and_delete_to_those_allowed(wenti_home, wenti_photo, users):
    urls = urls_of(wenti_photo)
    clerk_page = gallery_html(wenti_home, users["clerk_wenti"])
    assert f'<a href="{urls["image"]}"' in clerk_page and f'<img src="{urls["thumbnail"]}"' in clerk_page
    assert "外墙" in clerk_page and "共 1 张" in clerk_page
    assert '<input type="file" name="photos" multiple accept="image/*"' in clerk_page
    assert f'action="{add_url(wenti_home)}"' in clerk_page and 'enctype="multipart/form-data"' in clerk_page
    assert f"{urls['delete']}?next=/households/{wenti_home.pk}/" in clerk_page
    reader_page = gallery_html(wenti_home, users["leader"])
    assert f'<img src="{urls["thumbnail"]}"' in reader_page
    assert 'type="file"' not in reader_page and urls["delete"] not in reader_page
