from .models import Notification


def inbox(request):
    """The unread count shown beside 消息 on every page (one query for a signed-in user)."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    return {"UNREAD_NOTIFICATIONS": Notification.objects.filter(recipient=user, read_at__isnull=True).count()}
