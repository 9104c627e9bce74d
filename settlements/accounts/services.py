"""Writes to accounts and their security. Each service refuses an actor without its capability (the system
administrator's `manage_users`, the security administrator's `manage_security`), validates, writes, and
records one security event in the audit trail — its success, or its refusal with the reason."""

import datetime
import functools

from axes.utils import reset as axes_reset
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import audit, capabilities
from ..capabilities import MANAGE_SECURITY, MANAGE_USERS
from ..models import SecurityPolicy, User
from ..roles import NO_ROLE_LABEL, Role
from ..services import user_save
from . import policy, second_factor

MSG_NOT_YOURSELF_ROLE = "不能修改自己的角色，请由另一名安全管理员办理。"
MSG_NOT_YOURSELF_DEACTIVATE = "不能停用自己的账号。"
MSG_NOT_YOURSELF_RESET = "请在“修改密码”页修改自己的密码。"
MSG_NOT_YOURSELF_FACTOR = "不能重置自己的双因素认证，请由另一名安全管理员办理。"
MSG_POLICY_IN_THE_PAST = "生效日期不能早于今天：已经生效的策略不能改写。"
MSG_WRONG_CODE = "验证码不正确或已过期。请输入验证器上当前显示的6位数字，或一个未用过的恢复码。"
MSG_WRONG_FIRST_CODE = "验证码不正确或已过期，请输入验证器上当前显示的6位数字。"
MSG_THROTTLED = "验证码错误次数过多，请{seconds}秒后再试。"
MSG_NO_USERNAME = "请指定要解除锁定的账号。"
MSG_ALREADY_ENROLLED = "您已绑定验证器。如需更换，请联系安全管理员重置。"


# --- the audit of security events -----------------------------------------------------------------------------


# The security events of accounts and logins, with the label the audit page shows.
for _name, _label in (
    ("login.succeeded", "登录成功"),
    ("login.failed", "登录失败"),
    ("login.locked_out", "账号被锁定"),
    ("login.refused", "拒绝登录"),
    ("login.unlocked", "解除登录锁定"),
    ("logout", "退出登录"),
    ("password.changed", "修改密码"),
    ("second_factor.enrolled", "绑定双因素认证"),
    ("second_factor.verified", "双因素认证验证"),
    ("second_factor.recovery_code_used", "使用恢复码"),
    ("second_factor.reset", "重置双因素认证"),
    ("security_policy.changed", "修改安全策略"),
    ("user.created", "创建用户账号"),
    ("user.updated", "修改用户账号"),
    ("user.password_reset", "重置用户密码"),
    ("user.role_changed", "分配角色"),
):
    audit.define_action(_name, _label, audit.SECURITY)


def security_event(*, actor, action, target=None, outcome=audit.SUCCESS, detail=None, actor_name=""):
    return audit.record(
        actor=actor,
        action=action,
        category=audit.SECURITY,
        target=target,
        outcome=outcome,
        detail=detail,
        actor_name=actor_name,
    )


def _refusals_audited(action: str, *, target: str | None = "user", actor: str = "actor"):
    """Record a refusal (PermissionDenied or ValidationError) of the wrapped service through the audit trail's
    one mechanism (`audit.refusals_recorded`), then re-raise it. The service records its own success, with what
    changed."""

    def decorator(service):
        @functools.wraps(service)
        def wrapped(**kwargs):
            subject = kwargs.get(target) if target else None
            with audit.refusals_recorded(actor=kwargs.get(actor), action=action, target=subject):
                return service(**kwargs)

        return wrapped

    return decorator


def _validate_password(password: str, user: User, field: str = "password") -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as problems:
        raise ValidationError({field: problems.messages}) from problems


def _role_label(role: str) -> str:
    return Role(role).label if role in Role.values else NO_ROLE_LABEL


def _standing(user: User) -> dict:
    """A user's role and scope as the audit trail records it."""
    return {
        "role": _role_label(user.role),
        "unit": str(user.unit) if user.unit_id else "",
        "work_team": str(user.work_team) if user.work_team_id else "",
    }


# --- user accounts: the system administrator ------------------------------------------------------------------


@_refusals_audited("user.created", target=None)
@transaction.atomic
def user_create_account(
    *,
    actor: User,
    username: str,
    password: str,
    full_name: str = "",
    unit=None,
    work_team=None,
    email: str = "",
    phone: str = "",
) -> User:
    """A new account with an initial password the user must change at first login, and no role: the security
    administrator assigns it (the system administrator grants no access to anything)."""
    capabilities.require(actor, MANAGE_USERS)
    user = User(
        username=username, full_name=full_name, unit=unit, work_team=work_team, email=email, phone=phone, role=""
    )
    _validate_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user_save(user=user)
    security_event(actor=actor, action="user.created", target=user, detail=_standing(user))
    return user


ACCOUNT_FIELDS = {
    "full_name": "姓名",
    "email": "电子邮箱",
    "phone": "联系电话",
    "unit": "所属单位",
    "work_team": "所属专班",
    "is_active": "启用",
}


@_refusals_audited("user.updated")
@transaction.atomic
def user_update_account(
    *, actor: User, user: User, full_name: str, email: str, phone: str, unit, work_team, is_active: bool
) -> User:
    """Correct an account's name, contacts and unit or team, or deactivate it (the role is not changed here)."""
    capabilities.require(actor, MANAGE_USERS)
    if user.pk == actor.pk and not is_active:
        raise ValidationError({"is_active": MSG_NOT_YOURSELF_DEACTIVATE})
    before = {field: _shown(getattr(user, field)) for field in ACCOUNT_FIELDS}
    user.full_name, user.email, user.phone = full_name, email, phone
    user.unit, user.work_team, user.is_active = unit, work_team, is_active
    user_save(user=user)
    changes = {
        label: [before[field], _shown(getattr(user, field))]
        for field, label in ACCOUNT_FIELDS.items()
        if before[field] != _shown(getattr(user, field))
    }
    if changes:
        security_event(actor=actor, action="user.updated", target=user, detail={"changes": changes})
    return user


def _shown(value) -> str | bool:
    return value if isinstance(value, bool) else str(value or "")


@_refusals_audited("user.password_reset")
@transaction.atomic
def user_reset_password(*, actor: User, user: User, password: str) -> User:
    """Set a new initial password (the user forgot theirs); the user must change it at their next login.
    Their sessions end: a session is bound to the password it was opened with."""
    capabilities.require(actor, MANAGE_USERS)
    if user.pk == actor.pk:
        raise ValidationError(MSG_NOT_YOURSELF_RESET)
    _validate_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    security_event(actor=actor, action="user.password_reset", target=user)
    return user


# --- roles, lockouts, factors and the policy: the security administrator ----------------------------------------


@_refusals_audited("user.role_changed")
@transaction.atomic
def user_assign_role(*, actor: User, user: User, role: str, unit=None, work_team=None) -> User:
    """Give `user` a role (and with it its capabilities) and the unit or work team the role needs; an empty
    role withdraws every capability. Recorded with the old and the new."""
    capabilities.require(actor, MANAGE_SECURITY)
    if user.pk == actor.pk:
        raise ValidationError(MSG_NOT_YOURSELF_ROLE)
    old = _standing(user)
    user.role, user.unit, user.work_team = role or "", unit, work_team
    user_save(user=user)
    new = _standing(user)
    if new != old:
        security_event(actor=actor, action="user.role_changed", target=user, detail={"old": old, "new": new})
    return user


@_refusals_audited("second_factor.reset")
@transaction.atomic
def second_factor_reset(*, actor: User, user: User) -> int:
    """Remove the user's authenticator and recovery codes (a lost phone); they enrol again at their next login,
    or at their next page if logged in. Returns how many devices were removed."""
    capabilities.require(actor, MANAGE_SECURITY)
    if user.pk == actor.pk:
        raise ValidationError(MSG_NOT_YOURSELF_FACTOR)
    removed = 0
    for device_class in (TOTPDevice, StaticDevice):
        count, _ = device_class.objects.filter(user=user).delete()
        removed += count
    security_event(actor=actor, action="second_factor.reset", target=user)
    return removed


@_refusals_audited("login.unlocked", target="username")
def lockout_unlock(*, actor: User, username: str) -> int:
    """Lift the lockout of an account (forget its failed logins); returns how many records were removed."""
    capabilities.require(actor, MANAGE_SECURITY)
    if not username:
        raise ValidationError(MSG_NO_USERNAME)
    removed = axes_reset(username=username)
    security_event(actor=actor, action="login.unlocked", target=username, detail={"records": removed})
    return removed


POLICY_FIELDS = ("valid_from", "password_max_age_days", "password_history", "second_factor_roles")


def _policy_terms(security_policy: SecurityPolicy) -> dict:
    return {
        "valid_from": security_policy.valid_from.isoformat(),
        "password_max_age_days": security_policy.password_max_age_days,
        "password_history": security_policy.password_history,
        "second_factor_roles": security_policy.second_factor_role_labels(),
    }


@_refusals_audited("security_policy.changed", target=None)
@transaction.atomic
def security_policy_set(
    *,
    actor: User,
    valid_from: datetime.date,
    password_max_age_days: int,
    password_history: int,
    second_factor_roles: list[str],
    basis: str = "",
) -> SecurityPolicy:
    """A new policy from `valid_from` (today or later); the policies before it stay as they were."""
    capabilities.require(actor, MANAGE_SECURITY)
    if valid_from < timezone.localdate():
        raise ValidationError({"valid_from": MSG_POLICY_IN_THE_PAST})
    old = policy.in_force(valid_from)
    new = SecurityPolicy(
        valid_from=valid_from,
        password_max_age_days=password_max_age_days,
        password_history=password_history,
        second_factor_roles=[role for role in Role.values if role in set(second_factor_roles)],
        basis=basis,
        created_by=actor,
    )
    new.full_clean()
    new.save()
    security_event(
        actor=actor,
        action="security_policy.changed",
        target=new,
        detail={"old": _policy_terms(old), "new": _policy_terms(new)},
    )
    return new


# --- the user's own steps: password change, enrolment, verification ---------------------------------------------


@_refusals_audited("password.changed", actor="user")
@transaction.atomic
def password_change(*, user: User, password: str) -> User:
    """The user's own new password (the old one already checked by the form): dated, kept in the history,
    and the forced change is done."""
    _validate_password(password, user)
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    security_event(actor=user, action="password.changed", target=user)
    return user


def password_change_refused(*, user: User, reasons: list[str]) -> None:
    """A change the form refused (wrong old password, a weak or reused new one)."""
    security_event(
        actor=user,
        action="password.changed",
        target=user,
        outcome=audit.REFUSED,
        detail={"reason": "；".join(reasons)[:500]},
    )


@transaction.atomic
def second_factor_enrolment(*, user: User) -> TOTPDevice:
    """The authenticator being enrolled: the user's unconfirmed device (one, so the QR code stays the same
    when the page is reloaded), made with a new random secret when there is none."""
    if second_factor.has_authenticator(user):
        raise ValidationError(MSG_ALREADY_ENROLLED)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name=second_factor.AUTHENTICATOR_NAME, confirmed=False)


@_refusals_audited("second_factor.enrolled", actor="user")
def second_factor_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator by its first code; replace the recovery codes with ten new ones. Returns the
    device and the codes, which are shown once and kept only as the device's tokens."""
    device = second_factor_enrolment(user=user)
    with transaction.atomic():  # a wrong code's count (django-otp's throttling) is kept
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        _check_allowed(device)
        accepted = device.verify_token(second_factor.normalised(code))
    if not accepted:
        raise ValidationError({"code": MSG_WRONG_FIRST_CODE})
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = _new_recovery_codes(user)
        security_event(actor=user, action="second_factor.enrolled", target=user)
    return device, codes


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=second_factor.RECOVERY_CODES_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(second_factor.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@_refusals_audited("second_factor.verified", actor="user")
def second_factor_verify(*, user: User, code: str):
    """The device that accepts `code`: the authenticator's current code, or a recovery code (used up).
    ValidationError when none does, or while too many wrong codes make the user wait."""
    code = second_factor.normalised(code)
    with transaction.atomic():
        device = _device_for(user, code)
        _check_allowed(device)
        accepted = device.verify_token(code)
    if not accepted:
        raise ValidationError({"code": MSG_WRONG_CODE})
    if isinstance(device, StaticDevice):
        left = second_factor.recovery_codes_left(user)
        security_event(
            actor=user, action="second_factor.recovery_code_used", target=user, detail={"recovery_codes_left": left}
        )
    else:
        security_event(actor=user, action="second_factor.verified", target=user)
    return device


def _device_for(user: User, code: str):
    """The authenticator for six digits, the recovery codes for anything else (both throttled by django-otp)."""
    devices = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    device = devices.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        raise ValidationError({"code": MSG_WRONG_CODE})
    return device


def _check_allowed(device) -> None:
    allowed, why = device.verify_is_allowed()
    if allowed:
        return
    if why and why.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS and why.get("locked_until"):
        seconds = max(1, int((why["locked_until"] - timezone.now()).total_seconds()) + 1)
        raise ValidationError({"code": MSG_THROTTLED.format(seconds=seconds)})
    raise ValidationError({"code": MSG_WRONG_CODE})
