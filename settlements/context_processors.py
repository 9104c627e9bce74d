from django.conf import settings

from .capabilities import UserCapabilities


def portal(request):
    from .admin_site import enters_admin

    return {
        # {% if can.import_ledgers %}: the one permission vocabulary. No user when a request is refused before
        # authentication (a 400 for a host not allowed).
        "can": UserCapabilities(getattr(request, "user", None)),
        "ENTERS_ADMIN": lambda: enters_admin(
            getattr(request, "user", None)
        ),  # asked only by the pages that show the link
        "PORTAL_TITLE": settings.PORTAL_TITLE,
        "LOGIN_FAILURE_LIMIT": settings.AXES_FAILURE_LIMIT,
        "LOGIN_LOCKOUT_MINUTES": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "SESSION_IDLE_TIMEOUT_MINUTES": settings.SESSION_IDLE_TIMEOUT_MINUTES,
        "PASSWORD_MIN_LENGTH": _password_min_length(),
    }


def _password_min_length() -> int:
    for validator in settings.AUTH_PASSWORD_VALIDATORS:
        if validator["NAME"].endswith("MinimumLengthValidator"):
            return validator.get("OPTIONS", {}).get("min_length", 8)
    return 0
