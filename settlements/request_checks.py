"""Refuse a request carrying a NUL character (in its path, its query string or its form data) with a 400.

No value the portal accepts contains one: Django's form fields refuse it, but a value read straight from the
query string (a search box, an admin list filter) would reach the database, which cannot store it (PostgreSQL
raises on it). One check here covers every page, the admin's included.
"""

from urllib.parse import unquote_plus

from django.core.exceptions import SuspiciousOperation

NUL = "\x00"


class NulCharacterInRequest(SuspiciousOperation):
    """Answered 400 by Django (templates/400.html)."""


def carries_nul(request) -> bool:
    if NUL in request.path or NUL in unquote_plus(request.META.get("QUERY_STRING", "")):
        return True
    return request.method == "POST" and any(
        NUL in key or any(NUL in value for value in values) for key, values in request.POST.lists()
    )


class RefuseNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if carries_nul(request):
            raise NulCharacterInRequest("A NUL character in the request.")
        return self.get_response(request)
