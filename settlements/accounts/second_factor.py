"""The second factor (django-otp): an authenticator app on the user's phone (TOTP, RFC 6238: HMAC-SHA1 over
the time, 6 digits every 30 seconds) and ten single-use recovery codes (django-otp's static device) for a
lost phone. Reads only; the writes are services (`settlements.accounts.services`)."""

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

AUTHENTICATOR_NAME = "验证器"
RECOVERY_CODES_NAME = "恢复码"
RECOVERY_CODE_COUNT = 10


def authenticator(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def secret_text(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it typed in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> SafeString:
    """The device's otpauth:// address as an inline SVG QR code, drawn here (no remote service, no script).
    Safe: qrcode writes only path data and the fixed attributes of its own <svg>."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return mark_safe(image.to_string(encoding="unicode"))


def normalised(code: str) -> str:
    """What the user typed, as the devices compare it: no spaces or dashes, lower case (recovery codes)."""
    return "".join(code.split()).replace("-", "").lower()
