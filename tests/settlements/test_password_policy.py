"""Passwords: an expired one forces a change before anything else, the last five may not return, and an
account an administrator created or reset changes its password at the first login."""

import datetime

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from settlements.accounts import services as accounts
from settlements.models import AuditEntry, PasswordHistory, ResponsibleUnit
from settlements.roles import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PASSWORDS = [f"Rongjiang-{n}-Passw0rd!" for n in range(1, 8)]


def login(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def change(client, old, new):
    return client.post(reverse("password_change"), {"old_password": old, "new_password1": new, "new_password2": new})


def _entries(action):
    return AuditEntry.objects.filter(action=action).order_by("id")


def test_an_expired_password_forces_a_change_before_anything_else(client, users):
    clerk = users["clerk_wenti"]
    later = timezone.now() + datetime.timedelta(days=91)
    with time_machine.travel(later, tick=False):
        login(client, clerk.username)
        for url in [reverse("home"), reverse("household_list"), reverse("employment:overview")]:
            response = client.get(url)
            assert response.status_code == 302 and response.url.startswith(reverse("password_change")), url
        page = client.get(reverse("password_change")).content.decode()
        assert "已超过 90 天未修改" in page
        response = change(client, PASSWORD, PASSWORDS[0])
        assert response.status_code == 302
        assert client.get(reverse("home")).status_code == 200
    clerk.refresh_from_db()
    assert clerk.password_changed_at == later and not clerk.must_change_password
    assert _entries("password.changed").get().actor == clerk


def test_a_password_younger_than_the_maximum_age_is_not_asked_for(client, users):
    with time_machine.travel(timezone.now() + datetime.timedelta(days=89), tick=False):
        login(client, users["clerk_wenti"].username)
        assert client.get(reverse("home")).status_code == 200


def test_none_of_the_last_five_passwords_may_return(client, users):
    clerk = users["clerk_wenti"]
    client.force_login(clerk)
    current = PASSWORD
    for new in PASSWORDS[:5]:
        assert change(client, current, new).status_code == 302, new
        current = new
    # PASSWORDS[0..4] are the last five (PASSWORDS[4] the current one); PASSWORD is sixth from now.
    for reused in PASSWORDS[:5]:
        response = change(client, current, reused)
        assert response.status_code == 200
        assert "新密码不能与最近5次使用过的密码相同" in response.content.decode(), reused
    refused = _entries("password.changed").filter(outcome="refused")
    assert refused.count() == 5 and "最近5次" in refused.first().detail["reason"]
    assert change(client, current, PASSWORD).status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password(PASSWORD)


def test_the_history_validator_says_why_in_chinese_for_any_path(users):
    clerk = users["clerk_wenti"]
    with pytest.raises(ValidationError, match="新密码不能与最近5次使用过的密码相同"):
        validate_password(PASSWORD, clerk)
    validate_password(PASSWORDS[0], clerk)
    assert PasswordHistory.objects.filter(user=clerk).count() == 1


def test_an_administrators_reset_may_not_reuse_a_recent_password_either(users, administrators):
    clerk = users["clerk_wenti"]
    with pytest.raises(ValidationError, match="最近5次"):
        accounts.user_reset_password(actor=administrators["system_admin"], user=clerk, password=PASSWORD)
    assert _entries("user.password_reset").get().outcome == "refused"


def test_the_history_follows_the_policy_in_force(users, administrators):
    clerk = users["clerk_wenti"]
    for new in PASSWORDS[:2]:
        accounts.password_change(user=clerk, password=new)
    accounts.security_policy_set(
        actor=administrators["security_admin"],
        valid_from=timezone.localdate(),
        password_max_age_days=90,
        password_history=2,
        second_factor_roles=[],
    )
    validate_password(PASSWORD, clerk)  # third from now: allowed under a history of 2
    with pytest.raises(ValidationError, match="最近2次"):
        validate_password(PASSWORDS[0], clerk)


def test_an_account_the_administrator_created_changes_its_password_at_first_login(client, administrators, reference):
    unit = ResponsibleUnit.objects.get(name="文体社区服务中心")
    account = accounts.user_create_account(
        actor=administrators["system_admin"], username="xinren", password=PASSWORDS[0], full_name="新人", unit=unit
    )
    accounts.user_assign_role(actor=administrators["security_admin"], user=account, role=Role.CLERK, unit=unit)
    login(client, "xinren", PASSWORDS[0])
    response = client.get(reverse("household_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("password_change"))
    assert "首次登录须修改" in client.get(response.url).content.decode()
    assert change(client, PASSWORDS[0], PASSWORDS[1]).url == reverse("home")
    assert client.get(reverse("household_list")).status_code == 200
    account.refresh_from_db()
    assert not account.must_change_password


def test_after_a_reset_the_user_changes_the_password_and_returns_to_the_page_asked_for(client, users, administrators):
    clerk = users["clerk_wenti"]
    accounts.user_reset_password(actor=administrators["system_admin"], user=clerk, password=PASSWORDS[0])
    login(client, clerk.username, PASSWORDS[0])
    response = client.get(reverse("person_list"))
    assert response.url == f"{reverse('password_change')}?next=%2Fpersons%2F"
    response = client.post(
        response.url,
        {
            "old_password": PASSWORDS[0],
            "new_password1": PASSWORDS[1],
            "new_password2": PASSWORDS[1],
            "next": "/persons/",
        },
    )
    assert response.url == "/persons/"
    assert client.get("/persons/").status_code == 200


def test_a_wrong_old_password_is_refused_and_audited(client, users):
    client.force_login(users["leader"])
    response = change(client, "not-my-password", PASSWORDS[0])
    assert response.status_code == 200
    assert users["leader"].check_password(PASSWORD)
    assert _entries("password.changed").get().outcome == "refused"
