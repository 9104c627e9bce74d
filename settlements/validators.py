"""Password rules for a government system, beside Django's own length and common-password checks."""

import re
import string

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

CHARACTER_CLASSES = (
    ("大写字母", set(string.ascii_uppercase)),
    ("小写字母", set(string.ascii_lowercase)),
    ("数字", set(string.digits)),
    ("符号", set(string.punctuation)),
)


class CharacterClassesValidator:
    """The password uses at least `min_classes` of: upper case, lower case, digits, symbols."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        used = sum(1 for _, chars in CHARACTER_CLASSES if chars.intersection(password))
        if used < self.min_classes:
            raise ValidationError(self._message(), code="password_too_simple")

    def get_help_text(self):
        return self._message()

    def _message(self):
        names = "、".join(name for name, _ in CHARACTER_CLASSES)
        return f"密码须至少包含{names}中的{self.min_classes}类。"


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with its message in Chinese (Django 5.2's zh-hans catalogue lacks it)."""

    def get_error_message(self):
        return f"密码太短，至少需要{self.min_length}个字符。"

    def get_help_text(self):
        return f"密码至少需要{self.min_length}个字符。"


class PasswordHistoryValidator:
    """No reuse of the last N passwords, the current one included (N: the security policy in force).

    Django tells every password validator of each new password (`password_changed`, after the user is saved),
    wherever it was set — the user's own change, a reset, a set-up command — so the history is kept here, in
    one place.
    """

    kept = 24  # the most the policy may ask for

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        count = self._count()
        if any(check_password(password, hashed) for hashed in self._recent_hashes(user, count)):
            raise ValidationError(self._message(count), code="password_reused")

    def password_changed(self, password, user):
        from .models import PasswordHistory

        PasswordHistory.objects.create(user=user, password=user.password)
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[self.kept :]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self):
        return self._message(self._count())

    @staticmethod
    def _count() -> int:
        from .accounts import policy

        return policy.in_force().password_history

    @staticmethod
    def _recent_hashes(user, count: int) -> list[str]:
        from .models import PasswordHistory

        recent = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[:count])
        return [user.password, *recent] if user.password else recent

    @staticmethod
    def _message(count: int) -> str:
        return f"新密码不能与最近{count}次使用过的密码相同。"


PHONE_PATTERN = r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$"
MSG_PHONE = "联系电话应为11位手机号（如 13812345678）或带区号的固定电话（如 0855-6621234）。"


def validate_phone(value):
    if value and not re.fullmatch(PHONE_PATTERN, value):
        raise ValidationError(MSG_PHONE, code="invalid_phone")
