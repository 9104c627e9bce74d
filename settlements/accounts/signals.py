"""The login's security events in the audit trail, from Django's and django-axes' signals: a login, a failed
one (with the username tried), a lockout, a logout. The other security events (second factor, passwords,
roles, lockouts lifted, the policy) are recorded by the services that make them."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from .. import audit
from . import policy
from .services import security_event

USERNAME_FIELD = "username"


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="audit_user_logged_in")
    user_logged_out.connect(_logged_out, dispatch_uid="audit_user_logged_out")
    user_login_failed.connect(_login_failed, dispatch_uid="audit_user_login_failed")
    user_locked_out.connect(_locked_out, dispatch_uid="audit_user_locked_out")


def _logged_in(sender, request, user, **kwargs):
    """The password was right; the second factor, when the role needs one, is recorded on its own."""
    detail = {"second_factor_required": policy.second_factor_required(user)}
    security_event(actor=user, action="login.succeeded", target=user, detail=detail)


def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        security_event(actor=user, action="logout", target=user)


def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get(USERNAME_FIELD, ""))
    locked = bool(getattr(request, "axes_locked_out", False))
    security_event(
        actor=None,
        actor_name=username,
        action="login.failed",
        outcome=audit.REFUSED,
        detail={"username": username[:150], "locked_out": locked},
    )


def _locked_out(sender, request, username, ip_address, **kwargs):
    security_event(
        actor=None,
        actor_name=str(username or ""),
        action="login.locked_out",
        outcome=audit.REFUSED,
        detail={"username": str(username or "")[:150]},
    )
