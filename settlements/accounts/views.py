"""The login and its steps (second factor, password change), the administrators' account pages (the system
administrator's accounts, the security administrator's roles, second factors, lockouts and policy)."""

import django_otp
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from .. import capabilities
from ..admin_site import enters_admin
from ..capabilities import MANAGE_SECURITY, MANAGE_USERS, capability_required
from ..forms import add_service_errors
from ..models import SecurityPolicy, User
from ..roles import Role
from . import policy, second_factor, selectors, services
from .forms import (
    AccountCreateForm,
    AccountForm,
    CodeForm,
    NewPasswordForm,
    PortalAuthenticationForm,
    RoleForm,
    SecurityPolicyForm,
)

PAGE_SIZE = 50
MSG_ACCOUNT_PAGES = "只有系统管理员和安全管理员可以查看用户账号。"
MSG_RECOVERY_CODE_USED = "您使用了一个恢复码，还剩 {left} 个。请尽快找回手机上的验证器，或请安全管理员重置双因素认证。"


def _next(request) -> str:
    """Where to go after a step: the page first asked for, if it is one of the portal's, else the home page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


# --- the login and its steps ----------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    form_class = PortalAuthenticationForm
    redirect_authenticated_user = True


@login_required
def second_factor_verify(request):
    if policy.pending_step(request.user) != policy.VERIFY:
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_verify(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            _second_factor_passed(request, device)
            if isinstance(device, StaticDevice):
                left = second_factor.recovery_codes_left(request.user)
                messages.warning(request, MSG_RECOVERY_CODE_USED.format(left=left))
            return redirect(_next(request))
    return render(request, "accounts/second_factor_verify.html", {"form": form, "next": _next(request)})


@login_required
def second_factor_enrol(request):
    if policy.pending_step(request.user) != policy.ENROL:
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.second_factor_confirm(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            _second_factor_passed(request, device)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)})
    device = services.second_factor_enrolment(user=request.user)
    context = {
        "form": form,
        "qr_code": second_factor.qr_code_svg(device),
        "secret": second_factor.secret_text(device),
        "next": _next(request),
    }
    return render(request, "accounts/second_factor_enrol.html", context)


def _second_factor_passed(request, device) -> None:
    """The session now carries the device that verified the user (django-otp), under a new session key."""
    request.session.cycle_key()
    django_otp.login(request, device)


@login_required
def password_change(request):
    user = request.user
    form = PasswordChangeForm(user, request.POST or None)
    for field in form.fields.values():
        field.widget.attrs["class"] = "form-control"
    if request.method == "POST":
        if form.is_valid():
            services.password_change(user=user, password=form.cleaned_data["new_password1"])
            update_session_auth_hash(request, user)
            messages.success(request, "密码已修改。")
            return redirect(_next(request))
        services.password_change_refused(user=user, reasons=[m for ms in form.errors.values() for m in ms])
    context = {
        "form": form,
        "next": _next(request),
        "forced": user.must_change_password,
        "expired": not user.must_change_password and policy.password_expired(user),
        "max_age_days": policy.in_force().password_max_age_days,
    }
    return render(request, "registration/password_change_form.html", context)


# --- user accounts: the system administrator and the security administrator -----------------------------------


def _require_account_pages(user) -> None:
    if not (capabilities.has(user, MANAGE_USERS) or capabilities.has(user, MANAGE_SECURITY)):
        raise PermissionDenied(MSG_ACCOUNT_PAGES)


def _get_account(pk) -> User:
    return get_object_or_404(User.objects.filter(is_superuser=False).select_related("unit", "work_team"), pk=pk)


@login_required
def user_list(request):
    _require_account_pages(request.user)
    form, users = selectors.user_list(params=request.GET)
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"filter_form": form, "page": page})


@capability_required(MANAGE_USERS)
def user_create(request):
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.user_create_account(
                actor=request.user,
                username=data["username"],
                password=data["password1"],
                full_name=data["full_name"],
                unit=data["unit"],
                work_team=data["work_team"],
                email=data["email"],
                phone=data["phone"],
            )
        except ValidationError as refusal:
            add_service_errors(form, _password_errors_on(refusal, "password1"))
        else:
            messages.success(
                request, f"已创建账号 {account.username}。请安全管理员为其分配角色；首次登录须修改初始密码。"
            )
            return redirect("user_detail", pk=account.pk)
    return render(request, "accounts/user_form.html", {"form": form}, status=400 if form.errors else 200)


def _password_errors_on(refusal: ValidationError, field: str) -> ValidationError:
    """The service names the password `password`; the form's field is `password1`."""
    if hasattr(refusal, "error_dict") and "password" in refusal.error_dict:
        errors = dict(refusal.error_dict)
        errors[field] = errors.pop("password")
        return ValidationError(errors)
    return refusal


@login_required
def user_detail(request, pk):
    _require_account_pages(request.user)
    return _user_page(request, _get_account(pk))


def _user_page(request, account: User, status: int = 200, **forms):
    can = capabilities.UserCapabilities(request.user)
    if can["manage_users"]:
        forms.setdefault("account_form", AccountForm(initial=_account_initial(account)))
        forms.setdefault("password_form", NewPasswordForm())
    if can["manage_security"]:
        forms.setdefault(
            "role_form", RoleForm(initial={"role": account.role, "unit": account.unit, "work_team": account.work_team})
        )
    context = {
        "account": account,
        "has_authenticator": second_factor.has_authenticator(account),
        "recovery_codes_left": second_factor.recovery_codes_left(account),
        "second_factor_required": policy.second_factor_required(account),
        "password_expires_at": policy.password_expires_at(account),
        **forms,
    }
    return render(request, "accounts/user_detail.html", context, status=status)


def _account_initial(account: User) -> dict:
    fields = ["full_name", "email", "phone", "unit", "work_team", "is_active"]
    return {field: getattr(account, field) for field in fields}


@capability_required(MANAGE_USERS)
@require_POST
def user_account(request, pk):
    account = _get_account(pk)
    form = AccountForm(request.POST)
    if form.is_valid():
        try:
            services.user_update_account(actor=request.user, user=account, **form.cleaned_data)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
            account.refresh_from_db()
        else:
            messages.success(request, "账号信息已保存。")
            return redirect("user_detail", pk=account.pk)
    return _user_page(request, account, status=400, account_form=form)


@capability_required(MANAGE_USERS)
@require_POST
def user_password(request, pk):
    account = _get_account(pk)
    form = NewPasswordForm(request.POST)
    if form.is_valid():
        try:
            services.user_reset_password(actor=request.user, user=account, password=form.cleaned_data["password1"])
        except ValidationError as refusal:
            add_service_errors(form, _password_errors_on(refusal, "password1"))
        else:
            messages.success(request, f"已重置 {account.username} 的密码；该用户下次登录须修改密码。")
            return redirect("user_detail", pk=account.pk)
    return _user_page(request, account, status=400, password_form=form)


@capability_required(MANAGE_SECURITY)
@require_POST
def user_role(request, pk):
    account = _get_account(pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.user_assign_role(actor=request.user, user=account, **form.cleaned_data)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
            account.refresh_from_db()
        else:
            messages.success(request, f"{account.username} 的角色已设为“{account.get_role_display()}”。")
            return redirect("user_detail", pk=account.pk)
    return _user_page(request, account, status=400, role_form=form)


@capability_required(MANAGE_SECURITY)
@require_POST
def user_second_factor_reset(request, pk):
    account = _get_account(pk)
    try:
        services.second_factor_reset(actor=request.user, user=account)
    except ValidationError as refusal:
        messages.error(request, "；".join(refusal.messages))
    else:
        messages.success(request, f"已重置 {account.username} 的双因素认证；该用户下次登录时须重新绑定验证器。")
    return redirect("user_detail", pk=account.pk)


# --- the security administrator's pages -------------------------------------------------------------------------


@capability_required(MANAGE_SECURITY)
def security_policy(request):
    in_force = policy.in_force()
    terms = ["password_max_age_days", "password_history", "second_factor_roles"]
    form = SecurityPolicyForm(request.POST or None, initial={term: getattr(in_force, term) for term in terms})
    if request.method == "POST" and form.is_valid():
        try:
            services.security_policy_set(actor=request.user, **form.cleaned_data)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, "新的安全策略已保存。")
            return redirect("security_policy")
    context = {
        "form": form,
        "in_force": in_force,
        "policies": SecurityPolicy.objects.select_related("created_by"),
    }
    return render(request, "accounts/security_policy.html", context, status=400 if form.errors else 200)


@capability_required(MANAGE_SECURITY)
def capability_matrix(request):
    """Which role holds which capability: read-only, from the one vocabulary (`capabilities.all_capabilities`)."""
    roles = Role.choices
    rows = [
        (capability, [role in capability.roles for role, _ in roles]) for capability in capabilities.all_capabilities()
    ]
    return render(request, "accounts/capability_matrix.html", {"roles": roles, "rows": rows})


@capability_required(MANAGE_SECURITY)
def lockout_list(request):
    return render(request, "accounts/lockout_list.html", {"attempts": selectors.lockouts()})


@capability_required(MANAGE_SECURITY)
@require_POST
def lockout_unlock(request):
    username = request.POST.get("username", "")[:150]
    try:
        services.lockout_unlock(actor=request.user, username=username)
    except ValidationError as refusal:
        messages.error(request, "；".join(refusal.messages))
    else:
        messages.success(request, f"已解除账号 {username} 的登录锁定。")
    return redirect("lockout_list")


# --- the administrators' panel on the home page -----------------------------------------------------------------


def home_panel(request) -> dict | None:
    """The administrators' tools on their home page (settlements.home); None hides it from the others."""
    user = request.user
    duties = (MANAGE_USERS, MANAGE_SECURITY)  # the audit administrator has the audit panel (settlements.home)
    if not any(capabilities.has(user, capability) for capability in duties):
        return None
    return {"enters_admin": enters_admin(user)}
