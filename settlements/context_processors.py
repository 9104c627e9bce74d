from django.conf import settings

from .capabilities import UserCapabilities


def portal(request):
    return {
        # {% if can.import_ledgers %}: the one permission vocabulary. No user when a request is refused before
        # authentication (a 400 for a host not allowed).
        "can": UserCapabilities(getattr(request, "user", None)),
        "PORTAL_TITLE": settings.PORTAL_TITLE,
        "LOGIN_FAILURE_LIMIT": settings.AXES_FAILURE_LIMIT,
        "LOGIN_LOCKOUT_MINUTES": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "SESSION_IDLE_TIMEOUT_MINUTES": settings.SESSION_IDLE_TIMEOUT_MINUTES,
    }
