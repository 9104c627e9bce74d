"""The second factor: a role the policy names enrols an authenticator (QR code drawn by the portal, the
secret as text, confirmed by a first code, ten recovery codes shown once) and then gives its code after the
password; until then it reaches nothing else. Codes are computed here from the device's secret (RFC 6238)."""

import datetime
import re
from base64 import b32decode

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from settlements.accounts import services as accounts
from settlements.models import AuditEntry
from settlements.roles import Role
from tests.conftest import PASSWORD
from tests.factories import enrol_authenticator, household_with_head, totp_code

pytestmark = pytest.mark.django_db


def login(client, username):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def _entries(action):
    return AuditEntry.objects.filter(action=action).order_by("id")


def _wrong_code(key: bytes) -> str:
    """Six digits the authenticator does not show now (nor one step before or after)."""
    valid = {totp_code(key, steps_ahead=steps) for steps in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


def _secret_on(page: str) -> bytes:
    secret = re.search(r'data-testid="otp-secret">([A-Z2-7 ]+)<', page).group(1)
    return b32decode(secret.replace(" ", ""))


@pytest.fixture
def office(make_user):
    return make_user(Role.OFFICE, "县生态移民局")


def test_a_role_that_needs_a_second_factor_is_sent_to_enrol_and_reaches_nothing_else(client, office, reference):
    household, _ = household_with_head("fumin")
    response = login(client, office.username)
    assert response.status_code == 302
    home = client.get(response.url)
    assert home.status_code == 302 and home.url.startswith(reverse("second_factor_enrol"))
    for url in [reverse("household_detail", args=[household.pk]), reverse("tasks:overview"), reverse("admin:index")]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("second_factor_enrol")), url
    assert client.post(reverse("household_edit", args=[household.pk]), {}).url == reverse("second_factor_enrol")
    assert client.get(reverse("password_change")).url.startswith(reverse("second_factor_enrol"))


def test_enrolment_shows_the_qr_code_and_secret_and_takes_the_first_code(client, office):
    login(client, office.username)
    page = client.get(reverse("second_factor_enrol")).content.decode()
    qr_code = page.split('data-testid="otp-qr">')[1]
    assert qr_code.startswith("<svg") and 'id="qr-path"' in qr_code and "<img" not in page
    key = _secret_on(page)
    assert len(key) == 20
    assert _secret_on(client.get(reverse("second_factor_enrol")).content.decode()) == key  # the same on reload

    wrong = client.post(reverse("second_factor_enrol"), {"code": _wrong_code(key)})
    assert wrong.status_code == 200 and "验证码不正确或已过期" in wrong.content.decode()
    assert _entries("second_factor.enrolled").get().outcome == "refused"

    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=5), tick=False):
        confirmed = client.post(reverse("second_factor_enrol"), {"code": totp_code(key)})
        assert confirmed.status_code == 200
        codes = re.findall(r"<li>([a-z2-7]{8})</li>", confirmed.content.decode())
        assert len(codes) == 10 and len(set(codes)) == 10
        assert client.get(reverse("home")).status_code == 200
    device = TOTPDevice.objects.get(user=office)
    assert device.confirmed and device.bin_key == key
    assert StaticDevice.objects.get(user=office).token_set.count() == 10
    assert _entries("second_factor.enrolled").last().outcome == "success"


def test_a_login_without_the_second_factor_is_refused_and_the_right_code_accepted(client, office):
    device = enrol_authenticator(office)
    login(client, office.username)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("second_factor_verify"))
    wrong = client.post(reverse("second_factor_verify"), {"code": _wrong_code(device.bin_key)})
    assert wrong.status_code == 200 and "验证码不正确" in wrong.content.decode()
    assert client.get(reverse("home")).status_code == 302
    refused = _entries("second_factor.verified").get()
    assert refused.outcome == "refused" and refused.actor == office

    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=5), tick=False):
        right = client.post(reverse("second_factor_verify"), {"code": totp_code(device.bin_key), "next": "/tasks/"})
        assert right.status_code == 302 and right.url == "/tasks/"
        assert client.get(reverse("home")).status_code == 200
    assert _entries("second_factor.verified").last().outcome == "success"


def test_wrong_codes_make_the_user_wait(client, office):
    device = enrol_authenticator(office)
    login(client, office.username)
    client.post(reverse("second_factor_verify"), {"code": _wrong_code(device.bin_key)})
    response = client.post(reverse("second_factor_verify"), {"code": totp_code(device.bin_key)})
    assert "验证码错误次数过多" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_a_recovery_code_works_once(client, office):
    login(client, office.username)
    key = _secret_on(client.get(reverse("second_factor_enrol")).content.decode())
    page = client.post(reverse("second_factor_enrol"), {"code": totp_code(key)}).content.decode()
    code = re.findall(r"<li>([a-z2-7]{8})</li>", page)[0]
    client.post(reverse("logout"))

    login(client, office.username)
    response = client.post(reverse("second_factor_verify"), {"code": code.upper()}, follow=True)
    assert response.status_code == 200 and "还剩 9 个" in response.content.decode()
    assert _entries("second_factor.recovery_code_used").get().detail == {"recovery_codes_left": 9}
    client.post(reverse("logout"))

    login(client, office.username)
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=5), tick=False):
        again = client.post(reverse("second_factor_verify"), {"code": code})
    assert again.status_code == 200 and "验证码不正确" in again.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_a_role_the_policy_does_not_name_logs_in_with_the_password_alone(client, users):
    response = login(client, users["clerk_wenti"].username)
    assert client.get(response.url).status_code == 200


def test_the_policy_decides_which_roles_need_it(client, users, administrators):
    accounts.security_policy_set(
        actor=administrators["security_admin"],
        valid_from=timezone.localdate(),
        password_max_age_days=90,
        password_history=5,
        second_factor_roles=["clerk"],
    )
    login(client, users["clerk_wenti"].username)
    assert client.get(reverse("home")).url.startswith(reverse("second_factor_enrol"))
    client.post(reverse("logout"))
    login(client, users["office"].username)
    assert client.get(reverse("home")).status_code == 200


def test_the_security_administrator_resets_a_lost_factor(client, office, administrators):
    enrol_authenticator(office)
    client.force_login(administrators["security_admin"])
    detail = client.get(reverse("user_detail", args=[office.pk])).content.decode()
    assert "已绑定验证器" in detail
    assert client.post(reverse("user_second_factor_reset", args=[office.pk])).status_code == 302
    assert not TOTPDevice.objects.filter(user=office).exists()
    assert _entries("second_factor.reset").get().target_id == str(office.pk)
    client.post(reverse("logout"))
    login(client, office.username)
    assert client.get(reverse("home")).url.startswith(reverse("second_factor_enrol"))


def test_only_the_security_administrator_resets_a_factor(office, administrators):
    enrol_authenticator(office)
    with pytest.raises(Exception, match="安全管理员"):
        accounts.second_factor_reset(actor=administrators["system_admin"], user=office)
    assert TOTPDevice.objects.filter(user=office).exists()
    assert _entries("second_factor.reset").get().outcome == "refused"
