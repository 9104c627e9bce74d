import pytest

from settlements.demo import DEMO_PASSWORD, DEMO_USERS, ensure_demo_users
from settlements.models import User
from settlements.roles import Role
from tests.browser.conftest import log_in as log_in_fully

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username, password):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_each_demo_login_reaches_its_home_page(page, reference, screenshot_dir):
    """Every demo login reaches its home page; the office and the three administrators enrol their
    authenticator on the way (the security policy asks them for a second factor)."""
    ensure_demo_users()
    for username, _full_name, role, _unit, _team in DEMO_USERS:
        log_in_fully(page, username, DEMO_PASSWORD)
        assert page.get_by_test_id("home-heading").is_visible()
        assert Role(role).label in page.get_by_test_id("current-user").inner_text()
        page.screenshot(path=screenshot_dir / f"home-{username}.png", full_page=True)
        page.get_by_test_id("current-user").click()
        page.get_by_role("button", name="退出").click()
        page.wait_for_url("**/accounts/login/")


def test_wrong_password_then_lockout_in_chinese(page, reference, settings, screenshot_dir):
    ensure_demo_users()
    log_in(page, "clerk_wenti", "not-the-password")
    assert "请输入一个正确的" in page.locator(".alert-danger").inner_text()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(page, "clerk_wenti", "not-the-password")
    log_in(page, "clerk_wenti", DEMO_PASSWORD)
    assert page.get_by_role("heading", name="账户已锁定").is_visible()
    page.screenshot(path=screenshot_dir / "locked-out.png")
    assert User.objects.get(username="clerk_wenti").last_login is None
