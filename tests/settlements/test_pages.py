import datetime

import pytest
from django.urls import reverse

from settlements.roles import Role
from tests.factories import HouseholdFactory, add_member, household_with_head


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["office", "leader", "team_lead", "reporter", "clerk_wenti", "clerk_changba"])
def test_every_role_reaches_its_home_page(client, users, key):
    user = users[key]
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert Role(user.role).label in page
    assert ("户籍台账" in page) == user.sees_registry
    assert ("管理后台" in page) == (user.role == Role.OFFICE)


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_the_login_page(client, reference):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_home_counts_households_and_persons_in_scope(client, users):
    household, _ = household_with_head("fumin")
    add_member(household, name="吴英", relation="spouse", male=False)
    household_with_head("fengle")
    client.force_login(users["clerk_wenti"])
    response = client.get(reverse("home"))
    assert (response.context["total_households"], response.context["total_persons"]) == (1, 2)
    client.force_login(users["office"])
    response = client.get(reverse("home"))
    assert (response.context["total_households"], response.context["total_persons"]) == (2, 3)


@pytest.mark.django_db
def test_household_search_by_partial_id_number_name_and_room(client, users):
    for _ in range(3):
        household_with_head("fumin")
    target = HouseholdFactory(room_number="1703")
    head = add_member(target, name="欧阳秀", birth=datetime.date(1975, 6, 15))
    client.force_login(users["clerk_wenti"])
    for query in [
        head.id_number,
        head.id_number[-6:],
        head.id_number[-4:],
        head.id_number[6:14],
        "1703",
        target.code,
        "欧阳",
    ]:
        response = client.get(reverse("household_list"), {"q": query})
        assert list(response.context["page"].object_list) == [target], query


@pytest.mark.django_db
def test_household_list_paginates(client, users):
    for _ in range(55):
        HouseholdFactory()
    client.force_login(users["office"])
    first = client.get(reverse("household_list"))
    second = client.get(reverse("household_list"), {"page": 2})
    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 5
    assert "第 1 / 2 页" in first.content.decode()


@pytest.mark.django_db
def test_household_page_masks_id_numbers(client, users):
    household, head = household_with_head("fumin")
    client.force_login(users["clerk_wenti"])
    page = client.get(reverse("household_detail", args=[household.pk])).content.decode()
    assert head.masked_id_number in page
    assert head.id_number not in page


@pytest.mark.django_db
def test_reference_page_lists_settlements_teams_and_units(client, users):
    client.force_login(users["reporter"])
    page = client.get(reverse("reference")).content.decode()
    assert "定威移民新区" in page and "社会治安综合治理专班" in page and "县扶投公司" in page
