"""The photo pages of every registered owner: upload, the two image sizes, delete (after a confirmation page).

An owner outside the user's scope, or a photo whose owner is, is a 404; a user who may read the owner but not
change it gets a 403 on upload and delete. After an upload or a deletion the user is sent back to `next` (the
owner's page, when it is a safe address of this portal) with a Chinese message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag, url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from . import registry, services
from .forms import PhotoUploadForm

MSG_FILE_MISSING = "照片文件不存在。"


@login_required
@require_POST
def photo_add(request, owner, pk):
    registration, record = registry.owner_for_user(owner, pk, request.user)
    registration.require_change(record, request.user)
    back = _next_url(request, record)
    form = PhotoUploadForm(request.POST)
    if not form.is_valid():
        _error_messages(request, [error for errors in form.errors.values() for error in errors])
        return redirect(back)
    try:
        added = services.photos_add(
            owner=record,
            files=request.FILES.getlist("photos"),
            actor=request.user,
            caption=form.cleaned_data["caption"],
        )
    except ValidationError as error:
        _error_messages(request, error.messages)
    else:
        messages.success(request, f"已上传 {len(added)} 张照片。")
    return redirect(back)


@login_required
def photo_delete(request, pk):
    photo, registration, record = registry.photo_for_user(pk, request.user)
    registration.require_change(record, request.user)
    back = _next_url(request, record)
    if request.method != "POST":
        context = {"photo": photo, "registration": registration, "owner": record, "next": back}
        return render(request, "settlements/photo_confirm_delete.html", context)
    try:
        services.photo_delete(photo=photo, actor=request.user)
    except ValidationError as error:
        _error_messages(request, error.messages)
    else:
        messages.success(request, "已删除照片。")
    return redirect(back)


@login_required
@require_safe
def photo_image(request, pk):
    """The print size (the gallery's click-through)."""
    return _serve(request, pk, "image", "照片{pk}.jpg")


@login_required
@require_safe
def photo_thumbnail(request, pk):
    return _serve(request, pk, "thumbnail", "照片{pk}-缩略图.jpg")


def _serve(request, pk, field: str, file_name: str):
    """The JPEG, to a user whose scope holds its owner. Private: no shared cache keeps it, and the browser asks
    again each time (a 304 when unchanged), so a shared computer shows it to no one logged out."""
    photo, _, _ = registry.photo_for_user(pk, request.user)
    stored = getattr(photo, field)
    etag = quote_etag(stored.name.rsplit("/", 1)[-1])
    response = get_conditional_response(request, etag=etag)
    if response is None:
        try:
            handle = stored.open("rb")
        except FileNotFoundError:
            raise Http404(MSG_FILE_MISSING) from None
        response = FileResponse(handle, content_type="image/jpeg", filename=file_name.format(pk=photo.pk))
        response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ("Cookie",))
    return response


def _next_url(request, record) -> str:
    """Where to go back to: `next` when it is a path on this portal, else the owner's page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    page = getattr(record, "get_absolute_url", None)
    return page() if page else reverse("home")


def _error_messages(request, texts) -> None:
    for text in texts:
        messages.error(request, text)
