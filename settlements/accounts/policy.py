"""What the security policy in force asks of a user: a second factor, a password younger than the maximum
age, a changed initial password. Read by the gate middleware, the login pages and the password validator."""

import datetime

from django.utils import timezone

from ..models import SecurityPolicy, User
from .policy_data import FIRST_POLICY

# The steps a user who has given their password may still owe, in the order they are asked for.
VERIFY = "verify"  # enter the code of their authenticator (or a recovery code)
ENROL = "enrol"  # bind an authenticator first: the role needs one and the user has none
PASSWORD = "password"  # change an expired password, or the initial one an administrator set


def in_force(day: datetime.date | None = None) -> SecurityPolicy:
    """The policy that holds on `day` (today): the latest to take effect on or before it. Before any policy
    row exists, the first policy of `policy_data` (unsaved)."""
    day = day or timezone.localdate()
    policy = SecurityPolicy.objects.filter(valid_from__lte=day).order_by("-valid_from", "-id").first()
    return policy or SecurityPolicy(**FIRST_POLICY)


def second_factor_required(user: User, policy: SecurityPolicy | None = None) -> bool:
    return bool(user.role) and user.role in (policy or in_force()).second_factor_roles


def password_expires_at(user: User, policy: SecurityPolicy | None = None) -> datetime.datetime | None:
    if user.password_changed_at is None:
        return None
    return user.password_changed_at + datetime.timedelta(days=(policy or in_force()).password_max_age_days)


def password_expired(user: User, policy: SecurityPolicy | None = None) -> bool:
    """Older than the policy's maximum age; a password of unknown age counts as expired."""
    expires = password_expires_at(user, policy)
    return expires is None or expires <= timezone.now()


def pending_step(user: User) -> str | None:
    """What a logged-in user must do before anything else, or None. `user.is_verified()` comes from
    django-otp's middleware: the session's device, if the user entered its code in this session."""
    policy = in_force()
    if second_factor_required(user, policy) and not user.is_verified():
        from .second_factor import has_authenticator

        return VERIFY if has_authenticator(user) else ENROL
    if user.must_change_password or password_expired(user, policy):
        return PASSWORD
    return None
