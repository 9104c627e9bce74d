"""Enrolling an authenticator in the browser: the QR code the portal draws, the secret typed into an
authenticator (here: the code computed from it), the recovery codes shown once, the home page."""

from base64 import b32decode

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from settlements import services
from settlements.roles import Role
from tests.conftest import PASSWORD
from tests.factories import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_enrols_an_authenticator_and_reaches_the_home_page(page, reference, screenshot_dir):
    office = services.user_create(username="office", password=PASSWORD, role=Role.OFFICE, full_name="吴主任")
    page.goto("/accounts/login/")
    page.fill("#id_username", "office")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/second-factor/enrol/**")

    qr_code = page.get_by_test_id("otp-qr").locator("svg")
    assert qr_code.is_visible()
    box = qr_code.bounding_box()
    assert box["width"] == box["height"] == 220
    page.screenshot(path=screenshot_dir / "second-factor-enrol.png", full_page=True)
    secret = page.get_by_test_id("otp-secret").inner_text()
    key = b32decode(secret.replace(" ", ""))

    page.goto("/households/")  # nothing else is reachable before the authenticator is bound
    page.wait_for_url("**/accounts/second-factor/enrol/**")
    assert page.get_by_test_id("otp-secret").inner_text() == secret

    page.fill("#id_code", totp_code(key))
    page.get_by_role("button", name="完成绑定").click()
    codes = page.get_by_test_id("recovery-codes").locator("li")
    assert codes.count() == 10
    page.screenshot(path=screenshot_dir / "second-factor-recovery-codes.png", full_page=True)
    page.get_by_test_id("continue").click()
    page.wait_for_url("**/households/")
    page.get_by_role("link", name="首页").click()
    assert page.get_by_test_id("home-heading").is_visible()
    assert TOTPDevice.objects.get(user=office).confirmed
