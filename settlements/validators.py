"""Password rules for a government system, beside Django's own length and common-password checks."""

import re
import string

from django.contrib.auth import password_validation
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


PHONE_PATTERN = r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$"
MSG_PHONE = "联系电话应为11位手机号（如 13812345678）或带区号的固定电话（如 0855-6621234）。"


def validate_phone(value):
    if value and not re.fullmatch(PHONE_PATTERN, value):
        raise ValidationError(MSG_PHONE, code="invalid_phone")
