import datetime

import pytest
from django.urls import reverse

from settlements.models import Household, Person
from tests.factories import HouseholdFactory, make_id_number


@pytest.mark.django_db
def test_office_enters_the_admin_and_other_roles_do_not(client, users):
    client.force_login(users["office"])
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:settlements_household_changelist")).status_code == 200
    for key in ["leader", "team_lead", "reporter", "clerk_wenti"]:
        client.force_login(users[key])
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302 and "/admin/login/" in response.url, key


@pytest.mark.django_db
def test_admin_edit_of_a_person_derives_birth_and_sex_and_keeps_history(client, users):
    household = HouseholdFactory()
    client.force_login(users["office"])
    number = make_id_number(datetime.date(1992, 2, 29), male=False)
    response = client.post(
        reverse("admin:settlements_person_add"),
        {
            "household": household.pk,
            "name": "潘秀英",
            "id_number": number,
            "relation": "head",
            "phone": "",
            "education": "junior",
            "health": "healthy",
            "hukou_status": "citizen_card",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    person = Person.objects.get(id_number=number)
    assert (person.birth_date, person.sex) == (datetime.date(1992, 2, 29), "F")
    assert person.history.get().history_user == users["office"]


@pytest.mark.django_db
def test_admin_refuses_a_bad_id_number_with_a_chinese_message(client, users):
    household = HouseholdFactory()
    client.force_login(users["office"])
    response = client.post(
        reverse("admin:settlements_person_add"),
        {
            "household": household.pk,
            "name": "潘秀英",
            "id_number": "522632198503120018",
            "relation": "head",
            "health": "healthy",
            "hukou_status": "citizen_card",
        },
    )
    assert response.status_code == 200
    assert "身份证号校验位不正确" in response.content.decode()
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_admin_never_deletes_registry_records(client, users):
    household = HouseholdFactory()
    client.force_login(users["office"])
    response = client.post(reverse("admin:settlements_household_delete", args=[household.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Household.objects.filter(pk=household.pk).exists()


@pytest.mark.django_db
def test_user_admin_keeps_role_rules(client, users, reference):
    from settlements.models import ResponsibleUnit, User

    client.force_login(users["office"])
    clerk = users["clerk_wenti"]
    data = {
        "username": clerk.username,
        "full_name": clerk.full_name,
        "email": "",
        "phone": "",
        "role": "clerk",
        "unit": ResponsibleUnit.objects.get(name="县财政局").pk,
        "work_team": "",
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    response = client.post(reverse("admin:settlements_user_change", args=[clerk.pk]), data)
    assert response.status_code == 200
    assert "必须属于管理安置点的社区服务中心或乡镇" in response.content.decode()
    assert User.objects.get(pk=clerk.pk).unit.name == "文体社区服务中心"


@pytest.mark.django_db
def test_office_unlocks_a_locked_account_in_the_admin(client, users, settings):
    from axes.models import AccessAttempt

    from tests.conftest import PASSWORD

    clerk = users["clerk_wenti"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": clerk.username, "password": "wrong"})
    assert client.post(reverse("login"), {"username": clerk.username, "password": PASSWORD}).status_code == 429

    client.force_login(users["office"])
    listing = client.get(reverse("admin:settlements_loginlockout_changelist"))
    assert clerk.username in listing.content.decode() and "连续失败次数" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username=clerk.username)
    confirm = client.post(
        reverse("admin:settlements_loginlockout_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk]},
    )
    assert "确定" in confirm.content.decode()  # the admin asks before deleting
    client.post(
        reverse("admin:settlements_loginlockout_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    client.logout()
    assert client.post(reverse("login"), {"username": clerk.username, "password": PASSWORD}).status_code == 302


def test_the_admin_holds_no_access_log_and_no_audit_trail():
    """Personal-data access is in the audit trail, which only the audit administrator reads (its own page):
    nothing of it is registered with the office's admin."""
    from django.contrib import admin

    from settlements.models import AuditArchive, AuditEntry, AuditVerification

    assert not {AuditEntry, AuditArchive, AuditVerification} & set(admin.site._registry)
