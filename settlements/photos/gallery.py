"""What the gallery partial (`templates/partials/photo_gallery.html`) needs for one owner and one user."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from ..models import Photo
from . import registry
from .forms import PhotoUploadForm


@dataclass(frozen=True)
class Gallery:
    photos: list[Photo]
    may_change: bool  # the user may add and delete photos of this owner
    upload_url: str
    form: PhotoUploadForm
    max_files: int
    max_mb: int


def gallery(owner, user) -> Gallery:
    """The gallery of `owner`, a record the page read through its model's scope for `user`."""
    registration = registry.of(owner)
    return Gallery(
        photos=list(registry.photos_of(owner)),
        may_change=registration.may_change(owner, user),
        upload_url=reverse("photo_add", args=[registration.key, owner.pk]),
        form=PhotoUploadForm(auto_id="photo_%s"),  # its ids clash with no form of the owner's page
        max_files=settings.PHOTO_MAX_FILES,
        max_mb=settings.PHOTO_MAX_MB,
    )
