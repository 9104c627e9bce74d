"""How large a request may be, and the page that refuses one too large.

Django itself limits the form fields of a request (`DATA_UPLOAD_MAX_MEMORY_SIZE`), their number
(`DATA_UPLOAD_MAX_NUMBER_FIELDS`) and the number of files (`DATA_UPLOAD_MAX_NUMBER_FILES`), raising
`RequestDataTooBig`, `TooManyFieldsSent` or `TooManyFilesSent` when it reads the body. Files are not counted in
the first limit: `RequestSizeLimitMiddleware` refuses a body larger than `REQUEST_MAX_MB` from its declared
length, before anything reads it. Each of these reaches `bad_request` (the portal's `handler400`), which
answers 413 with a Chinese page; any other unreadable request gets a Chinese 400 page.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.shortcuts import render

TOO_LARGE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


def declared_length(request) -> int:
    """The body's length as the client declared it (0 when absent or malformed, as Django reads it)."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class RequestSizeLimitMiddleware:
    """Refuses a request whose body is larger than `REQUEST_MAX_MB`, before the body is read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if declared_length(request) > settings.REQUEST_MAX_MB * 1024 * 1024:
            raise RequestDataTooBig(f"Request body larger than REQUEST_MAX_MB ({settings.REQUEST_MAX_MB} MB).")
        return self.get_response(request)


def bad_request(request, exception=None):
    """The portal's 400 page; 413 when the request was too large."""
    if isinstance(exception, TOO_LARGE):
        context = {
            "request_max_mb": settings.REQUEST_MAX_MB,
            "upload_max_mb": settings.UPLOAD_MAX_MB,
            "photo_max_mb": settings.PHOTO_MAX_MB,
            "photo_max_files": settings.PHOTO_MAX_FILES,
        }
        return render(request, "413.html", context, status=413)
    return render(request, "400.html", status=400)
