"""三员分立: the system administrator keeps accounts and reference data, the security administrator roles,
lockouts and the policy, the audit administrator reads the trail; none acts as another, none reads personal
data, the office keeps its daily work without them, and the superuser is refused on every page."""

import datetime
import os

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from settlements import capabilities
from settlements.accounts import services as accounts
from settlements.accounts.middleware import MSG_SUPERUSER
from settlements.models import AuditEntry, ResponsibleUnit, SecurityPolicy, User
from settlements.roles import Role
from tests.conftest import PASSWORD
from tests.factories import household_with_head

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Fresh-Passw0rd#2026"


def _entries(action):
    return AuditEntry.objects.filter(action=action).order_by("id")


@pytest.fixture
def resident(reference):
    household, head = household_with_head("fumin")
    return household, head


def _personal_data_pages(household, person):
    """Every kind of page that shows residents: registry lists and exports, one household, imports, employment,
    and the admin's household and person pages."""
    return [
        reverse("household_list"),
        reverse("person_list"),
        reverse("person_export"),
        reverse("registry_as_of"),
        reverse("household_create"),
        reverse("household_detail", args=[household.pk]),
        reverse("household_edit", args=[household.pk]),
        reverse("household_file", args=[household.pk]),
        reverse("household_file_xlsx", args=[household.pk]),
        reverse("person_reveal", args=[person.pk]),
        reverse("imports:list"),
        reverse("imports:template", args=["registry"]),
        reverse("employment:overview"),
        reverse("employment:ledger"),
        reverse("employment:ledger_export"),
        reverse("employment:person", args=[person.pk]),
        reverse("employment:roster"),
        reverse("employment:roster_export"),
        reverse("employment:push_list"),
        reverse("admin:settlements_household_changelist"),
        reverse("admin:settlements_household_change", args=[household.pk]),
        reverse("admin:settlements_household_history", args=[household.pk]),
        reverse("admin:settlements_person_changelist"),
        reverse("admin:settlements_person_change", args=[person.pk]),
        reverse("admin:settlements_ledgerimport_changelist"),
        reverse("admin:employment_zeroemploymentepisode_changelist"),
    ]


SYSTEM_PAGES = ["user_create"]  # the system administrator's alone
SECURITY_PAGES = ["security_policy", "capability_matrix", "lockout_list"]  # the security administrator's alone


@pytest.mark.parametrize("role", ["system_admin", "security_admin", "audit_admin"])
def test_no_administrator_reads_personal_data(client, administrators, resident, role):
    household, person = resident
    client.force_login(administrators[role])
    for url in _personal_data_pages(household, person):
        response = client.get(url)
        assert response.status_code in (403, 404), (role, url, response.status_code)
        assert person.name not in response.content.decode(), (role, url)


def test_each_administrator_is_refused_the_others_pages(client, administrators, users):
    target = users["clerk_wenti"]
    client.force_login(administrators["system_admin"])
    for name in SECURITY_PAGES:
        assert client.get(reverse(name)).status_code == 403, name
    assert client.post(reverse("user_role", args=[target.pk]), {"role": "office"}).status_code == 403
    assert client.post(reverse("user_second_factor_reset", args=[target.pk])).status_code == 403
    assert client.post(reverse("lockout_unlock"), {"username": target.username}).status_code == 403
    assert client.get(reverse("audit_list")).status_code == 403

    client.force_login(administrators["security_admin"])
    assert client.get(reverse("user_create")).status_code == 403
    assert client.post(reverse("user_password", args=[target.pk]), {"password1": NEW_PASSWORD}).status_code == 403
    assert client.post(reverse("user_account", args=[target.pk]), {"full_name": "改名"}).status_code == 403
    assert client.get(reverse("admin:index")).status_code == 403
    assert client.get(reverse("admin:settlements_settlement_changelist")).status_code == 403

    client.force_login(administrators["audit_admin"])
    for name in [*SYSTEM_PAGES, *SECURITY_PAGES, "user_list"]:
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("user_detail", args=[target.pk])).status_code == 403
    assert client.get(reverse("admin:settlements_settlement_changelist")).status_code == 403
    target.refresh_from_db()
    assert target.role == Role.CLERK and target.full_name == "测试用户"


def test_the_office_keeps_its_daily_work_but_not_accounts_or_reference_data(client, users, resident):
    household, _ = resident
    client.force_login(users["office"])
    for url in [reverse("household_list"), reverse("household_detail", args=[household.pk]), reverse("tasks:overview")]:
        assert client.get(url).status_code == 200, url
    for name in ["user_list", "user_create", *SECURITY_PAGES]:
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("admin:settlements_settlement_changelist")).status_code == 403
    assert not capabilities.has(users["office"], capabilities.MANAGE_USERS)


def test_the_administrators_hold_only_their_own_capability(administrators):
    duties = {
        "system_admin": "manage_users",
        "security_admin": "manage_security",
        "audit_admin": "read_audit_trail",
    }
    for key, user in administrators.items():
        held = {capability.name for capability in capabilities.all_capabilities() if capabilities.has(user, capability)}
        assert held == {duties[key]}, key


def test_the_administrators_home_page_shows_their_tools_and_no_registry(client, administrators):
    client.force_login(administrators["security_admin"])
    page = client.get(reverse("home")).content.decode()
    assert "安全策略" in page and reverse("lockout_list") in page
    assert "登记人数" not in page and reverse("household_list") not in page and reverse("tasks:task_list") not in page


# --- the superuser ------------------------------------------------------------------------------------------------


@pytest.fixture
def superuser(reference):
    return User.objects.create_superuser("setup", "setup@example.invalid", PASSWORD)


def test_the_superuser_is_refused_at_the_login(client, superuser):
    response = client.post(reverse("login"), {"username": "setup", "password": PASSWORD})
    assert response.status_code == 200
    assert "超级管理员账号仅用于系统安装和初始化" in response.content.decode()
    assert "_auth_user_id" not in client.session
    refusal = _entries("login.refused").get()
    assert refusal.actor_name == "setup" and refusal.outcome == "refused"


def test_the_superuser_is_refused_on_every_page_even_with_a_session(client, superuser, resident):
    household, _ = resident
    client.force_login(superuser)
    urls = [reverse("home"), reverse("household_detail", args=[household.pk]), reverse("user_list")]
    urls += [reverse("admin:index"), reverse("admin:settlements_household_changelist"), reverse("login")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403, url
        assert MSG_SUPERUSER in response.content.decode(), url


# --- roles: only through the service, by the security administrator, audited ---------------------------------------


def test_the_security_administrator_assigns_a_role_and_the_change_is_audited(client, administrators, make_user):
    account = make_user(Role.LEADER)
    client.force_login(administrators["security_admin"])
    unit = ResponsibleUnit.objects.get(name="文体社区服务中心")
    response = client.post(reverse("user_role", args=[account.pk]), {"role": "clerk", "unit": unit.pk})
    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.role, account.unit) == (Role.CLERK, unit)
    entry = _entries("user.role_changed").get()
    assert entry.actor == administrators["security_admin"] and entry.target_id == str(account.pk)
    assert entry.category == "security" and entry.outcome == "success"
    assert entry.detail["old"] == {"role": "县领导", "unit": "", "work_team": ""}
    assert entry.detail["new"] == {"role": "社区服务中心工作人员", "unit": "文体社区服务中心", "work_team": ""}


def test_a_role_change_by_anyone_else_is_refused_and_audited(administrators, users):
    clerk = users["clerk_wenti"]
    for actor in [administrators["system_admin"], users["office"], administrators["audit_admin"]]:
        with pytest.raises(PermissionDenied):
            accounts.user_assign_role(actor=actor, user=clerk, role=Role.OFFICE)
    clerk.refresh_from_db()
    assert clerk.role == Role.CLERK
    refusals = _entries("user.role_changed")
    assert refusals.count() == 3 and {entry.outcome for entry in refusals} == {"refused"}


def test_the_security_administrator_may_not_change_their_own_role(administrators):
    security = administrators["security_admin"]
    with pytest.raises(Exception, match="不能修改自己的角色"):
        accounts.user_assign_role(actor=security, user=security, role=Role.OFFICE)
    security.refresh_from_db()
    assert security.role == Role.SECURITY_ADMIN


def test_a_role_keeps_its_rules(client, administrators, users):
    clerk = users["clerk_wenti"]
    client.force_login(administrators["security_admin"])
    finance = ResponsibleUnit.objects.get(name="县财政局")
    response = client.post(reverse("user_role", args=[clerk.pk]), {"role": "clerk", "unit": finance.pk})
    assert response.status_code == 400
    assert "必须属于管理安置点的社区服务中心或乡镇" in response.content.decode()
    clerk.refresh_from_db()
    assert clerk.unit.name == "文体社区服务中心"
    assert _entries("user.role_changed").get().outcome == "refused"


def test_the_role_page_lists_search_filter_and_pages(client, administrators, users):
    client.force_login(administrators["security_admin"])
    page = client.get(reverse("user_list"), {"role": "clerk"}).content.decode()
    assert users["clerk_wenti"].username in page and users["office"].username not in page
    page = client.get(reverse("user_list"), {"q": "场坝"}).content.decode()
    assert users["clerk_changba"].username in page and users["clerk_wenti"].username not in page
    matrix = client.get(reverse("capability_matrix")).content.decode()
    assert all(capability.label in matrix for capability in capabilities.all_capabilities())
    assert matrix.count("✓") == sum(len(capability.roles) for capability in capabilities.all_capabilities())


# --- accounts: the system administrator -----------------------------------------------------------------------------


def test_each_administrator_sees_only_their_own_forms_on_an_account(client, administrators, users):
    clerk = users["clerk_wenti"]
    client.force_login(administrators["system_admin"])
    page = client.get(reverse("user_detail", args=[clerk.pk])).content.decode()
    assert reverse("user_account", args=[clerk.pk]) in page and reverse("user_password", args=[clerk.pk]) in page
    assert reverse("user_role", args=[clerk.pk]) not in page
    assert client.get(reverse("user_create")).status_code == 200

    client.force_login(administrators["security_admin"])
    page = client.get(reverse("user_detail", args=[clerk.pk])).content.decode()
    assert reverse("user_role", args=[clerk.pk]) in page
    assert (
        reverse("user_account", args=[clerk.pk]) not in page and reverse("user_password", args=[clerk.pk]) not in page
    )


def test_the_system_administrator_creates_an_account_without_a_role(client, administrators, reference):
    client.force_login(administrators["system_admin"])
    unit = ResponsibleUnit.objects.get(name="文体社区服务中心")
    data = {"username": "newclerk", "full_name": "新文员", "unit": unit.pk, "password1": NEW_PASSWORD}
    response = client.post(reverse("user_create"), {**data, "password2": NEW_PASSWORD, "email": "", "phone": ""})
    assert response.status_code == 302
    account = User.objects.get(username="newclerk")
    assert account.role == "" and account.must_change_password and account.unit == unit
    assert not any(capabilities.has(account, capability) for capability in capabilities.all_capabilities())
    assert _entries("user.created").get().actor == administrators["system_admin"]


def test_the_system_administrator_deactivates_an_account_and_it_no_longer_logs_in(client, administrators, users):
    clerk = users["clerk_wenti"]
    client.force_login(administrators["system_admin"])
    data = {"full_name": clerk.full_name, "unit": clerk.unit_id, "email": "", "phone": ""}  # is_active unticked
    assert client.post(reverse("user_account", args=[clerk.pk]), data).status_code == 302
    clerk.refresh_from_db()
    assert not clerk.is_active and clerk.role == Role.CLERK
    assert _entries("user.updated").get().detail == {"changes": {"启用": [True, False]}}
    client.logout()
    response = client.post(reverse("login"), {"username": clerk.username, "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_the_system_administrator_may_not_deactivate_themselves(administrators):
    system = administrators["system_admin"]
    with pytest.raises(Exception, match="不能停用自己的账号"):
        accounts.user_update_account(
            actor=system, user=system, full_name="x", email="", phone="", unit=None, work_team=None, is_active=False
        )
    system.refresh_from_db()
    assert system.is_active


def test_a_password_reset_ends_the_users_sessions_and_forces_a_change(client, administrators, users):
    clerk = users["clerk_wenti"]
    clerk_client = type(client)()
    clerk_client.force_login(clerk)
    client.force_login(administrators["system_admin"])
    response = client.post(
        reverse("user_password", args=[clerk.pk]), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.must_change_password and clerk.check_password(NEW_PASSWORD)
    assert clerk_client.get(reverse("home")).status_code == 302  # the old session is over
    assert _entries("user.password_reset").get().target_id == str(clerk.pk)


# --- lockouts and the policy: the security administrator ---------------------------------------------------------


def test_the_security_administrator_unlocks_a_locked_account(client, administrators, users, settings):
    clerk = users["clerk_wenti"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": clerk.username, "password": "wrong"})
    assert client.post(reverse("login"), {"username": clerk.username, "password": PASSWORD}).status_code == 429
    assert _entries("login.locked_out").exists()
    failed = _entries("login.failed")
    assert failed.count() == settings.AXES_FAILURE_LIMIT + 1 and failed.first().actor_name == clerk.username

    client.force_login(administrators["security_admin"])
    listing = client.get(reverse("lockout_list")).content.decode()
    assert clerk.username in listing and "已锁定" in listing
    assert client.post(reverse("lockout_unlock"), {"username": clerk.username}).status_code == 302
    assert not AccessAttempt.objects.filter(username=clerk.username).exists()
    assert _entries("login.unlocked").get().target_label == clerk.username
    client.logout()
    assert client.post(reverse("login"), {"username": clerk.username, "password": PASSWORD}).status_code == 302


def test_an_unlock_names_an_account(client, administrators):
    client.force_login(administrators["security_admin"])
    response = client.post(reverse("lockout_unlock"), {"username": ""}, follow=True)
    assert "请指定要解除锁定的账号" in response.content.decode()
    assert _entries("login.unlocked").get().outcome == "refused"


def test_the_security_administrator_sets_a_dated_policy_and_the_change_is_audited(client, administrators):
    client.force_login(administrators["security_admin"])
    today = timezone.localdate()
    data = {
        "valid_from": today.isoformat(),
        "password_max_age_days": 60,
        "password_history": 8,
        "second_factor_roles": ["office", "system_admin", "security_admin", "audit_admin", "clerk"],
        "basis": "县网信办通知",
    }
    assert client.post(reverse("security_policy"), data).status_code == 302
    page = client.get(reverse("security_policy")).content.decode()
    assert "60 天" in page and "8 次" in page
    entry = _entries("security_policy.changed").get()
    assert entry.detail["old"]["password_max_age_days"] == 90 and entry.detail["new"]["password_history"] == 8
    assert "社区服务中心工作人员" in entry.detail["new"]["second_factor_roles"]
    earlier = {**data, "valid_from": (today - datetime.timedelta(days=1)).isoformat()}
    response = client.post(reverse("security_policy"), earlier)
    assert response.status_code == 400 and "已经生效的策略不能改写" in response.content.decode()
    assert SecurityPolicy.objects.filter(valid_from=today).count() == 1


# --- set-up: the three administrators without a superuser ---------------------------------------------------------


def test_the_set_up_command_creates_an_administrator_who_changes_the_password_first(reference, monkeypatch):
    monkeypatch.setitem(os.environ, "PORTAL_ADMINISTRATOR_PASSWORD", NEW_PASSWORD)
    call_command("create_administrator", "--role", "security_admin", "--username", "anquan", "--full-name", "钱安全")
    admin = User.objects.get(username="anquan")
    assert admin.role == Role.SECURITY_ADMIN and not admin.is_superuser and admin.must_change_password
    assert admin.check_password(NEW_PASSWORD)
    assert _entries("user.created").get().actor_name == "manage.py create_administrator"


def test_the_set_up_command_refuses_a_weak_password_and_other_roles(reference, monkeypatch):
    monkeypatch.setitem(os.environ, "PORTAL_ADMINISTRATOR_PASSWORD", "password")
    with pytest.raises(CommandError, match="密码"):
        call_command("create_administrator", "--role", "system_admin", "--username", "xitong")
    monkeypatch.setitem(os.environ, "PORTAL_ADMINISTRATOR_PASSWORD", NEW_PASSWORD)
    with pytest.raises(CommandError):
        call_command("create_administrator", "--role", "office", "--username", "xitong")
    assert not User.objects.filter(username="xitong").exists()


# --- the login's events in the audit trail ---------------------------------------------------------------------


def test_login_and_logout_are_audited(client, users):
    leader = users["leader"]
    client.post(reverse("login"), {"username": leader.username, "password": PASSWORD})
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "nobody-here", "password": "x"})
    assert _entries("login.succeeded").get().actor == leader
    assert _entries("logout").get().actor == leader
    failed = _entries("login.failed").get()
    assert failed.actor is None and failed.actor_name == "nobody-here" and failed.detail["username"] == "nobody-here"
    assert {entry.category for entry in AuditEntry.objects.all()} == {"security"}
