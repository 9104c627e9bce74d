from django.conf import settings

from .capabilities import UserCapabilities


def portal(request):
    return {
        "can": UserCapabilities(request.user),  # {% if can.import_ledgers %}: the one permission vocabulary
        "PORTAL_TITLE": settings.PORTAL_TITLE,
        "LOGIN_FAILURE_LIMIT": settings.AXES_FAILURE_LIMIT,
        "LOGIN_LOCKOUT_MINUTES": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "SESSION_IDLE_TIMEOUT_MINUTES": settings.SESSION_IDLE_TIMEOUT_MINUTES,
    }
