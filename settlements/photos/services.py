"""Adding and deleting photos. Each service refuses an actor without the owner's capability, or whose scope does
not hold the owner (PermissionDenied, nothing written), and records history and one audit entry."""

import logging
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from .. import audit, capabilities
from ..models import Photo
from ..services import save_with_history
from . import images, registry

logger = logging.getLogger(__name__)

CAPTION_MAX_LENGTH = Photo._meta.get_field("caption").max_length
MSG_CAPTION_TOO_LONG = "照片说明不能超过 {limit} 个字（现有 {length} 个字）。"
MSG_OUT_OF_SCOPE = "该记录不在您的管辖范围内，不能修改它的照片。"
MSG_ALREADY_DELETED = "该照片已被删除。"
MSG_OWNER_GONE = "该照片所属的记录已不存在。"


@audit.audited("photo.add", "上传照片", target="owner")
def photos_add(*, owner, files, actor, caption: str = "") -> list[Photo]:
    """Every file checked first (`images.prepare_all`: a file refused refuses all, naming each); then all are
    stored in one transaction. If anything fails, no row and no file is left (called inside a transaction of
    the caller's that later rolls back, the files would stay: the pages call it outside one)."""
    _registration_for(owner, actor)
    caption = _checked_caption(caption)
    prepared = images.prepare_all(files)
    return _store(owner, prepared, actor=actor, caption=caption)


@audit.audited("photo.delete", "删除照片", target="photo")
@transaction.atomic
def photo_delete(*, photo: Photo, actor) -> None:
    """Delete the photo's row (its history keeps the deletion) and, once that is committed, its two files."""
    owner = photo.owner
    if owner is None:
        raise ValidationError(MSG_OWNER_GONE)
    _registration_for(owner, actor)
    stored = Photo.objects.select_for_update().filter(pk=photo.pk).first()
    if stored is None:
        raise ValidationError(MSG_ALREADY_DELETED)
    names = [stored.image.name, stored.thumbnail.name]
    stored._history_user = actor
    stored._change_reason = "删除照片"
    stored.delete()
    transaction.on_commit(lambda: delete_files(names))


def _registration_for(owner, actor) -> registry.PhotoOwner:
    registration = registry.of(owner)
    capabilities.require(actor, registration.capability)
    if not registration.in_scope(owner, actor):
        raise PermissionDenied(MSG_OUT_OF_SCOPE)
    registration.require_change(owner, actor)
    return registration


def _checked_caption(caption: str) -> str:
    caption = (caption or "").strip()
    if len(caption) > CAPTION_MAX_LENGTH:
        raise ValidationError({"caption": MSG_CAPTION_TOO_LONG.format(limit=CAPTION_MAX_LENGTH, length=len(caption))})
    return caption


def _store(owner, prepared, *, actor, caption) -> list[Photo]:
    written: list[str] = []
    try:
        with transaction.atomic():
            return [_store_one(owner, photo, actor=actor, caption=caption, written=written) for photo in prepared]
    except BaseException:
        delete_files(written)
        raise


def _store_one(owner, prepared: images.PreparedPhoto, *, actor, caption, written: list[str]) -> Photo:
    token = secrets.token_hex(16)  # the files' names say nothing and cannot be guessed
    photo = Photo(
        owner=owner,
        image_width=prepared.print_size.width,
        image_height=prepared.print_size.height,
        thumbnail_width=prepared.thumbnail.width,
        thumbnail_height=prepared.thumbnail.height,
        file_size=len(prepared.print_size.content),
        taken_at=prepared.taken_at,
        caption=caption,
        uploaded_by=actor,
    )
    photo.image.save(f"{token}.jpg", ContentFile(prepared.print_size.content), save=False)
    written.append(photo.image.name)
    photo.thumbnail.save(f"{token}-thumb.jpg", ContentFile(prepared.thumbnail.content), save=False)
    written.append(photo.thumbnail.name)
    return save_with_history(instance=photo, actor=actor, reason="上传照片")


def delete_files(names) -> None:
    """Remove stored files; one that cannot be removed is logged, not raised (the rows are what count)."""
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.exception("Could not delete the photo file %s", name)
