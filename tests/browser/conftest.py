"""Playwright driving Debian's chromium (it cannot download its own browser here)."""

from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run the tests with scripts/test, which installs it.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot_dir():
    path = Path(settings.VAR_DIR) / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_in(page, username, password):
    """Log in through the login page and, where the role needs a second factor, through it as a user would:
    enrol an authenticator from the secret the page shows, or type the code of the one enrolled. Ends on the
    page the login leads to (the home page)."""
    import time
    from base64 import b32decode

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.factories import totp_code

    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/second-factor/enrol/" in page.url:
        secret = page.get_by_test_id("otp-secret").inner_text()
        page.fill("#id_code", totp_code(b32decode(secret.replace(" ", ""))))
        page.get_by_role("button", name="完成绑定").click()
        page.get_by_test_id("continue").click()
    elif "/accounts/second-factor/" in page.url:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        unused_step = min(1, max(0, device.last_t + 1 - int(time.time()) // 30))  # each code is accepted once
        page.fill("#id_code", totp_code(device.bin_key, steps_ahead=unused_step))
        page.get_by_role("button", name="验证").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)
