"""Login lockout per account, idle timeout, password rules, logout."""

import datetime

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from settlements.roles import Role
from tests.conftest import PASSWORD


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_wrong_password_shows_a_chinese_message(client, make_user):
    user = make_user(Role.OFFICE, "县生态移民局")
    response = login(client, user.username, "wrong")
    assert response.status_code == 200
    assert "请输入一个正确的用户名和密码" in response.content.decode()


@pytest.mark.django_db
def test_account_locks_after_repeated_failures_and_only_that_account(client, settings, make_user):
    victim = make_user(Role.CLERK, "文体社区服务中心")
    colleague = make_user(Role.CLERK, "文体社区服务中心")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, victim.username, "wrong-password")
    locked = login(client, victim.username, PASSWORD)
    assert locked.status_code == 429
    assert "账户已锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # The same browser and address may still log in with another account.
    response = login(client, colleague.username, PASSWORD)
    assert response.status_code == 302 and response.url == reverse("home")


@pytest.mark.django_db
def test_lockout_ends_after_the_cooloff_time(client, settings, make_user):
    user = make_user(Role.LEADER)
    start = datetime.datetime(2026, 11, 22, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            login(client, user.username, "wrong-password")
        assert login(client, user.username, PASSWORD).status_code == 429
        clock.shift(settings.AXES_COOLOFF_TIME + datetime.timedelta(minutes=1))
        assert login(client, user.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_failures_below_the_limit_are_forgotten_after_a_successful_login(client, settings, make_user):
    user = make_user(Role.LEADER)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, user.username, "wrong-password")
    assert login(client, user.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, user.username, "wrong-password")
    assert login(client, user.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_idle_session_expires_but_activity_keeps_it_alive(client, settings, make_user):
    user = make_user(Role.LEADER)
    idle = datetime.timedelta(minutes=settings.SESSION_IDLE_TIMEOUT_MINUTES)
    start = datetime.datetime(2026, 11, 22, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        assert login(client, user.username, PASSWORD).status_code == 302
        for _ in range(3):  # active for longer than the timeout in total, never idle that long
            clock.shift(idle - datetime.timedelta(minutes=5))
            assert client.get(reverse("home")).status_code == 200
        clock.shift(idle + datetime.timedelta(minutes=1))
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_logout(client, make_user):
    user = make_user(Role.LEADER)
    login(client, user.username, PASSWORD)
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.parametrize(
    "password, reason",
    [
        ("Ab1!", "太短"),
        ("abcdefghijkl", "至少包含"),
        ("abcdefgh1234", "至少包含"),
        ("12345678901234", "只包含数字"),
        ("Password123", "太常见"),
    ],
)
def test_weak_passwords_are_refused_in_chinese(password, reason):
    with pytest.raises(ValidationError) as raised:
        validate_password(password)
    assert any(reason in message for message in raised.value.messages), raised.value.messages


def test_a_strong_password_passes():
    validate_password("Rongjiang-Portal-2026")
