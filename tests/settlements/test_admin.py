import datetime

import pytest
from django.urls import reverse

from settlements.models import Household, Person
from tests.factories import HouseholdFactory, make_id_number


def _admin_models(client) -> set[str]:
    """The models the admin's index lists, as "app.model"."""
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return {
        f"{app['app_label']}.{model['object_name'].lower()}"
        for app in response.context["app_list"]
        for model in app["models"]
    }


@pytest.mark.django_db
def test_the_admin_shows_each_role_its_models_only(client, users, administrators):
    client.force_login(users["office"])
    office = _admin_models(client)
    assert {"settlements.household", "settlements.person", "settlements.ledgerimport"} <= office
    assert not office & {"settlements.settlement", "settlements.responsibleunit", "tasks.task", "employment.labourrule"}
    assert "settlements.user" not in office and "settlements.personaldataaccess" not in office

    client.force_login(administrators["system_admin"])
    system = _admin_models(client)
    assert {
        "settlements.settlement",
        "settlements.responsibleunit",
        "settlements.workteam",
        "settlements.building",
    } <= system
    assert {"tasks.task", "employment.labourrule", "employment.subsidyrule", "employment.employer"} <= system
    assert not system & {"settlements.household", "settlements.person", "settlements.ledgerimport"}
    assert not system & {"settlements.personaldataaccess", "employment.zeroemploymentepisode", "settlements.user"}

    for user in [
        administrators["security_admin"],
        administrators["audit_admin"],  # the audit trail is on its own page (/audit/), not in the admin
        users["leader"],
        users["team_lead"],
        users["reporter"],
        users["clerk_wenti"],
    ]:
        client.force_login(user)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 403 and "无权进入管理后台" in response.content.decode(), user.role


@pytest.mark.django_db
def test_a_visitor_is_sent_to_the_portals_login(client):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))


@pytest.mark.django_db
def test_a_model_outside_the_roles_capabilities_is_a_403_in_the_admin(client, users, administrators):
    client.force_login(users["office"])
    assert client.get(reverse("admin:settlements_settlement_changelist")).status_code == 403
    assert client.get(reverse("admin:tasks_task_changelist")).status_code == 403
    client.force_login(administrators["system_admin"])
    assert client.get(reverse("admin:settlements_settlement_changelist")).status_code == 200
    assert client.get(reverse("admin:settlements_household_changelist")).status_code == 403
    assert client.get(reverse("admin:settlements_person_add")).status_code == 403


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
    person = Person.objects.with_id_number(number).get()
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
def test_the_admin_holds_no_access_log_and_no_audit_trail():
    """Personal-data access is in the audit trail, which only the audit administrator reads (its own page):
    nothing of it is registered with the office's admin."""
    from django.contrib import admin

    from settlements.models import AuditArchive, AuditEntry, AuditVerification

    assert not {AuditEntry, AuditArchive, AuditVerification} & set(admin.site._registry)
