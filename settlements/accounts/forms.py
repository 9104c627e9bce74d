"""The forms of the login, its steps, and the administrators' pages. Each parses input only; the services
check permissions, validate and write."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.core.exceptions import ValidationError
from django.utils import timezone

from .. import audit
from ..forms import NOTE_MAX_LENGTH, BootstrapMixin
from ..input_ranges import PortalForm, PortalFormMixin, PortalModelForm
from ..models import ResponsibleUnit, SecurityPolicy, WorkTeam
from ..roles import NO_ROLE_LABEL, Role
from .middleware import MSG_SUPERUSER
from .services import security_event

MSG_PASSWORDS_DIFFER = "两次输入的密码不一致。"


PASSWORD_MAX_LENGTH = 128  # what a password manager generates, and far below what hashing would notice


def password_field(label, autocomplete="new-password"):
    return forms.CharField(
        label=label,
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class PortalAuthenticationForm(PortalFormMixin, AuthenticationForm):
    """Django's login form, refusing the superuser (set-up only) with a Chinese message."""

    username = UsernameField(max_length=150, widget=forms.TextInput(attrs={"autofocus": True}))
    password = password_field("密码", autocomplete="current-password")

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.is_superuser:
            security_event(
                actor=None,
                actor_name=user.get_username(),
                action="login.refused",
                target=user,
                outcome=audit.REFUSED,
                detail={"reason": "超级管理员账号不能登录门户"},
            )
            raise ValidationError(MSG_SUPERUSER, code="superuser")


class CodeForm(BootstrapMixin, PortalForm):
    code = forms.CharField(
        label="验证码",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class NewPasswordForm(BootstrapMixin, PortalForm):
    """A password typed twice (the validators run in the service, with the user it is for)."""

    password1 = password_field("新密码")
    password2 = password_field("再次输入新密码")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", MSG_PASSWORDS_DIFFER)
        return cleaned


class ScopeFields(PortalForm):
    unit = forms.ModelChoiceField(
        label="所属单位", queryset=ResponsibleUnit.objects.filter(is_active=True), required=False
    )
    work_team = forms.ModelChoiceField(label="所属专班", queryset=WorkTeam.objects.all(), required=False)


class AccountForm(BootstrapMixin, ScopeFields):
    """What the system administrator keeps of an account: who it is, where they work, whether it is active."""

    full_name = forms.CharField(label="姓名", max_length=30)
    email = forms.EmailField(label="电子邮箱", required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    is_active = forms.BooleanField(label="启用", required=False, help_text="停用的账号不能登录。")

    field_order = ["full_name", "unit", "work_team", "email", "phone", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class AccountCreateForm(AccountForm, NewPasswordForm):
    username = forms.CharField(label="用户名", max_length=150, help_text="登录用，只能包含字母、数字和 @ . + - _。")

    field_order = ["username", "full_name", "unit", "work_team", "email", "phone", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["is_active"]
        self.fields["password1"].label = "初始密码"
        self.fields["password1"].help_text = "用户首次登录时须修改此密码。"
        self.fields["password2"].label = "再次输入初始密码"


class RoleForm(BootstrapMixin, ScopeFields):
    role = forms.ChoiceField(label="角色", choices=[("", NO_ROLE_LABEL), *Role.choices], required=False)

    field_order = ["role", "unit", "work_team"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class SecurityPolicyForm(BootstrapMixin, PortalModelForm):
    second_factor_roles = forms.MultipleChoiceField(
        label="须双因素认证的角色",
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=SecurityPolicy._meta.get_field("second_factor_roles").help_text,
    )
    basis = forms.CharField(
        label="依据", required=False, max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = SecurityPolicy
        fields = ["valid_from", "password_max_age_days", "password_history", "second_factor_roles", "basis"]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "basis": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"basis": "设定或调整的理由（如上级通知、测评意见）。"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].initial = timezone.localdate()
        self._style()
        self.fields["second_factor_roles"].widget.attrs["class"] = "form-check-input"


USER_STATUS = [("", "全部"), ("active", "启用"), ("inactive", "已停用")]


class UserFilterForm(BootstrapMixin, PortalForm):
    q = forms.CharField(label="搜索", required=False, max_length=60)
    role = forms.ChoiceField(
        label="角色", choices=[("", "全部"), ("none", NO_ROLE_LABEL), *Role.choices], required=False
    )
    status = forms.ChoiceField(label="状态", choices=USER_STATUS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
        for field in self.fields.values():
            field.widget.attrs["class"] += (
                " form-control-sm" if field.widget.input_type == "text" else " form-select-sm"
            )
