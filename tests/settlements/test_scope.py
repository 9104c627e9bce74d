"""Scope: a clerk sees only the settlements their centre administers; out of scope is a 404."""

import pytest
from django.urls import URLPattern, get_resolver, reverse

from settlements.models import Household, Person, Settlement
from tests.factories import household_with_head


def household_url_names():
    """Every URL of the portal that takes a household's pk: new ones are covered without editing this test."""
    names = []
    for pattern in get_resolver().url_patterns:
        for sub in getattr(pattern, "url_patterns", [pattern]):
            if (
                isinstance(sub, URLPattern)
                and sub.name
                and sub.name.startswith("household_")
                and "pk" in str(sub.pattern)
            ):
                names.append(sub.name)
    return names


def test_there_are_household_urls_to_check():
    assert "household_detail" in household_url_names()


@pytest.fixture
def two_households(reference):
    wenti, _ = household_with_head("fumin")
    changba, _ = household_with_head("fengle")
    return wenti, changba


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", household_url_names())
def test_clerk_of_another_centre_gets_404_on_every_household_url(client, users, two_households, url_name):
    wenti, changba = two_households
    client.force_login(users["clerk_changba"])
    assert client.get(reverse(url_name, args=[wenti.pk])).status_code == 404
    assert client.get(reverse(url_name, args=[changba.pk])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", household_url_names())
def test_reporter_gets_404_on_every_household_url(client, users, two_households, url_name):
    client.force_login(users["reporter"])
    assert client.get(reverse(url_name, args=[two_households[0].pk])).status_code == 404


@pytest.mark.django_db
def test_clerk_list_and_search_show_only_their_settlements(client, users, two_households):
    wenti, changba = two_households
    client.force_login(users["clerk_wenti"])
    response = client.get(reverse("household_list"))
    assert list(response.context["page"].object_list) == [wenti]
    other_head = changba.members.get()
    response = client.get(reverse("household_list"), {"q": other_head.id_number[-8:]})
    assert response.context["page"].paginator.count == 0


@pytest.mark.django_db
def test_scope_per_role(users, two_households):
    all_codes = set(Settlement.objects.values_list("code", flat=True))
    expectations = {
        "office": all_codes,
        "leader": all_codes,
        "team_lead": all_codes,
        "reporter": set(),
        "clerk_wenti": {"fumin", "wolong", "yangguang", "tehe"},
        "clerk_changba": {"fengle"},
    }
    for key, expected in expectations.items():
        user = users[key]
        assert set(Settlement.objects.for_user(user).values_list("code", flat=True)) == expected, key
        visible = set(Household.objects.for_user(user).values_list("settlement__code", flat=True))
        assert visible == expected & {"fumin", "fengle"}, key
        persons = set(Person.objects.for_user(user).values_list("household__settlement__code", flat=True))
        assert persons == visible, key


@pytest.mark.django_db
def test_an_inactive_or_anonymous_user_sees_nothing(users, two_households):
    from django.contrib.auth.models import AnonymousUser

    office = users["office"]
    office.is_active = False
    assert not Household.objects.for_user(office).exists()
    assert not Household.objects.for_user(AnonymousUser()).exists()


@pytest.mark.django_db
def test_reporter_is_refused_the_registry_list_in_chinese(client, users):
    client.force_login(users["reporter"])
    response = client.get(reverse("household_list"))
    assert response.status_code == 403
    assert "无权查看户籍台账" in response.content.decode()


def person_url_names():
    return [
        sub.name
        for pattern in get_resolver().url_patterns
        for sub in getattr(pattern, "url_patterns", [pattern])
        if isinstance(sub, URLPattern) and sub.name and sub.name.startswith("person_") and "pk" in str(sub.pattern)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", person_url_names())
def test_clerk_of_another_centre_gets_404_on_every_person_url(client, users, reference, url_name):
    _, wenti_head = household_with_head("fumin")
    client.force_login(users["clerk_changba"])
    for method in (client.get, client.post):
        assert method(reverse(url_name, args=[wenti_head.pk])).status_code == 404
