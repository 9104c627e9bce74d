"""Which models may own photos, who may add and delete their photos, and how a user's scope finds them.

An app registers a model in its `AppConfig.ready()`:

    photos.register(
        Facility, capability=KEEP_FACILITIES, scope=Facility.objects.for_user, keep_scope=Facility.objects.kept_by
    )

`capability` adds and deletes the owner's photos; `scope(user)` is the queryset of owners the user may read
(their photos too), and `keep_scope(user)`, when the two differ, those whose photos the user may change (a clerk
reads a county school, but keeps only the facilities of their centre). The owner's key in the URLs is the
model's label (`settlements.facility`). Registering the same model again the same way changes nothing;
differently, it raises.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404

from .. import capabilities
from ..capabilities import Capability
from ..models import Photo

MSG_NO_SUCH_OWNER = "照片所属的记录不存在，或不在您的管辖范围内。"
MSG_NO_SUCH_PHOTO = "照片不存在，或不在您的管辖范围内。"
MSG_NOT_KEPT = "您可以查看这条记录的照片，但它不由您维护，不能上传或删除照片。"

Scope = Callable[[object], models.QuerySet]


@dataclass(frozen=True)
class PhotoOwner:
    """A model whose records may own photos."""

    model: type[models.Model]
    capability: Capability  # who may add and delete the photos
    scope: Scope  # user -> the records whose photos the user may see
    keep_scope: Scope | None = None  # user -> those whose photos the user may change (default: `scope`)

    @property
    def key(self) -> str:
        return self.model._meta.label_lower

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)

    def in_scope(self, owner, user) -> bool:
        return self.scope(user).filter(pk=owner.pk).exists()

    def may_change(self, owner, user) -> bool:
        """Whether `user` may add and delete photos of `owner` (a record within their reading scope)."""
        if not capabilities.has(user, self.capability):
            return False
        return self.keep_scope is None or self.keep_scope(user).filter(pk=owner.pk).exists()

    def require_change(self, owner, user) -> None:
        """Refuse (403, in Chinese) a user who may read `owner` but not change its photos."""
        capabilities.require(user, self.capability)
        if not self.may_change(owner, user):
            raise PermissionDenied(MSG_NOT_KEPT)


class OwnerKeyConverter:
    """The owner's key in a URL: an app label, a dot, a model name (`settlements.household`)."""

    regex = r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


_OWNERS: dict[str, PhotoOwner] = {}


def register(
    model: type[models.Model], *, capability: Capability, scope: Scope, keep_scope: Scope | None = None
) -> PhotoOwner:
    """Let the records of `model` own photos (once per model; the same registration again changes nothing)."""
    if not isinstance(capability, Capability):
        raise TypeError(f"photo owner {model._meta.label_lower}: capability must be a settlements Capability")
    if not callable(scope):
        raise TypeError(f"photo owner {model._meta.label_lower}: scope must be a function of the user")
    if not isinstance(model._meta.pk, models.AutoField | models.BigAutoField | models.IntegerField):
        raise TypeError(f"photo owner {model._meta.label_lower}: its primary key must be a whole number")
    owner = PhotoOwner(model, capability, scope, keep_scope)
    existing = _OWNERS.get(owner.key)
    if existing is not None and existing != owner:
        raise ValueError(f"photo owner {owner.key!r} is registered twice, differently")
    _OWNERS[owner.key] = owner
    return owner


def unregister(model: type[models.Model]) -> None:
    _OWNERS.pop(model._meta.label_lower, None)


def get(key: str) -> PhotoOwner | None:
    return _OWNERS.get(key)


def all_owners() -> list[PhotoOwner]:
    return sorted(_OWNERS.values(), key=lambda owner: owner.key)


def of(owner: models.Model) -> PhotoOwner:
    """The registration of `owner`'s model; a model no app registered is a programming error (LookupError)."""
    registration = _OWNERS.get(owner._meta.label_lower)
    if registration is None:
        raise LookupError(f"{owner._meta.label_lower} is not registered as a photo owner (settlements.photos)")
    return registration


def owner_for_user(key: str, pk: int, user) -> tuple[PhotoOwner, models.Model]:
    """The registration of `key` and its record `pk` as `user` may read it; 404 if either is not there."""
    registration = _OWNERS.get(key)
    if registration is None:
        raise Http404(MSG_NO_SUCH_OWNER)
    return registration, get_object_or_404(registration.scope(user), pk=pk)


def photo_for_user(pk: int, user) -> tuple[Photo, PhotoOwner, models.Model]:
    """The photo `pk`, its owner's registration and its owner, when the owner is in `user`'s scope; else 404."""
    photo = get_object_or_404(Photo, pk=pk)
    model = ContentType.objects.get_for_id(photo.content_type_id).model_class()
    if model is None:
        raise Http404(MSG_NO_SUCH_PHOTO)
    try:
        registration, owner = owner_for_user(model._meta.label_lower, photo.object_id, user)
    except Http404:
        raise Http404(MSG_NO_SUCH_PHOTO) from None
    return photo, registration, owner


def photos_of(owner: models.Model) -> models.QuerySet:
    """The photos of `owner`, oldest first."""
    content_type = ContentType.objects.get_for_model(owner)
    return Photo.objects.filter(content_type=content_type, object_id=owner.pk)
