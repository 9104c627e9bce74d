"""Filters and search on the lists, masked ID numbers, logged reveals and exports read back with openpyxl."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from settlements import audit, ledger
from settlements.models import AuditEntry, Relation
from tests.factories import HouseholdFactory, add_member

D = datetime.date


@pytest.fixture
def registry(reference):
    """Two households in 富民 (one 2016 registered-poor, one 2018 not) and one in 丰乐."""
    poor = HouseholdFactory(project_year=2016, registered_poor=True, room_number="9A01")
    head = add_member(poor, name="杨明", birth=D(1970, 3, 1), phone="13800000001")
    add_member(poor, name="杨小", relation=Relation.SON, birth=D(2015, 3, 1), hukou_status="transferred")
    other = HouseholdFactory(project_year=2018, registered_poor=False, room_number="9B02")
    add_member(other, name="吴老", birth=D(1950, 3, 1))
    far = HouseholdFactory(settlement_id=poor.settlement.__class__.objects.get(code="fengle").pk)
    add_member(far, name="潘远", birth=D(1980, 1, 1))
    return {"poor": poor, "other": other, "far": far, "head": head}


def listed(client, url_name, **params):
    response = client.get(reverse(url_name), params)
    return response, [str(obj) for obj in response.context["page"].object_list]


@pytest.mark.django_db
def test_household_filters_and_count(client, users, registry):
    client.force_login(users["clerk_wenti"])
    response, rows = listed(client, "household_list")
    assert sorted(rows) == sorted([registry["poor"].code, registry["other"].code])
    for params, expected in [
        ({"project_year": 2016}, [registry["poor"]]),
        ({"registered_poor": "false"}, [registry["other"]]),
        ({"hukou_status": "transferred"}, [registry["poor"]]),
        ({"has_labour": "1"}, [registry["poor"]]),
        ({"has_labour": "0"}, [registry["other"]]),
        ({"q": "9B02"}, [registry["other"]]),
        ({"q": "13800000001"}, [registry["poor"]]),
    ]:
        response, rows = listed(client, "household_list", **params)
        assert rows == [h.code for h in expected], params
        assert f"共 {len(expected)} 户" in response.content.decode()


@pytest.mark.django_db
def test_person_filters_and_search(client, users, registry):
    client.force_login(users["clerk_wenti"])
    head = registry["head"]
    for params, expected in [
        ({"labour_age": "1"}, ["杨明"]),
        ({"labour_age": "0"}, ["杨小", "吴老"]),
        ({"q": head.id_number}, ["杨明"]),  # the whole number, and what a clerk types of it
        ({"q": head.id_number[-6:]}, ["杨明"]),
        ({"q": head.id_number[-4:]}, ["杨明"]),
        ({"q": head.id_number[6:14]}, ["杨明"]),  # the birth date
        ({"q": head.id_number[:6]}, ["杨明", "杨小", "吴老"]),  # the region of registration: all of them
        ({"q": head.id_number[4:12]}, []),  # a fragment from the middle: the number is stored encrypted
        ({"q": "吴"}, ["吴老"]),
        ({"q": "9A01"}, ["杨明", "杨小"]),
        ({"q": "0001"}, ["杨明"]),  # a phone's last four (尾号)
        ({"q": "3800"}, []),  # four digits from a phone's middle: only its last four are searched
        ({"q": "38000"}, ["杨明"]),  # five or more digits: any part of the phone
        ({"sex": "M", "project_year": 2018}, ["吴老"]),
    ]:
        response, rows = listed(client, "person_list", **params)
        assert sorted(rows) == sorted(expected), params
    response, rows = listed(client, "person_list", q="潘远")
    assert rows == []  # another centre's person


@pytest.mark.django_db
def test_lists_never_show_full_id_numbers(client, users, registry):
    client.force_login(users["office"])
    for url_name in ["person_list", "household_detail"]:
        args = [registry["poor"].pk] if url_name == "household_detail" else []
        page = client.get(reverse(url_name, args=args)).content.decode()
        assert registry["head"].masked_id_number in page
        assert registry["head"].id_number not in page


@pytest.mark.django_db
def test_reveal_returns_the_number_and_is_logged(client, users, registry):
    head = registry["head"]
    client.force_login(users["clerk_wenti"])
    assert client.get(reverse("person_reveal", args=[head.pk])).status_code == 405
    response = client.post(reverse("person_reveal", args=[head.pk]))
    assert head.id_number in response.content.decode()
    entry = AuditEntry.objects.get(category=audit.PERSONAL_DATA)
    assert (entry.actor, entry.action, entry.outcome) == (users["clerk_wenti"], "personal_data.reveal", audit.SUCCESS)
    assert (entry.target_type, entry.target_id, entry.detail["record_count"]) == ("settlements.person", str(head.pk), 1)


@pytest.mark.django_db
def test_reveal_is_refused_to_read_only_roles_and_out_of_scope(client, users, registry):
    client.force_login(users["leader"])
    assert client.post(reverse("person_reveal", args=[registry["head"].pk])).status_code == 403
    client.force_login(users["clerk_changba"])
    assert client.post(reverse("person_reveal", args=[registry["head"].pk])).status_code == 404
    refused = AuditEntry.objects.get(category=audit.PERSONAL_DATA)  # the leader's; the 404 confirms nothing
    assert (refused.actor, refused.action, refused.outcome) == (users["leader"], "personal_data.reveal", audit.REFUSED)


def read_xlsx(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.django_db
def test_export_masked_by_default_with_ledger_headers_and_text_ids(client, users, registry):
    client.force_login(users["clerk_wenti"])
    response = client.get(reverse("person_export"), {"project_year": 2016})
    sheet = read_xlsx(response).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ledger.HEADERS
    assert len(rows) == 3
    by_name = {row[5]: row for row in rows[1:]}
    assert by_name["杨明"][6] == registry["head"].masked_id_number
    assert sheet.cell(row=2, column=7).number_format == "@"
    entry = AuditEntry.objects.get(category=audit.PERSONAL_DATA)
    assert (entry.action, entry.detail["record_count"]) == ("personal_data.export_masked", 2)
    assert "project_year=2016" in entry.detail["description"]


@pytest.mark.django_db
def test_full_export_is_for_permitted_users_and_logged(client, users, registry):
    client.force_login(users["leader"])
    assert client.get(reverse("person_export"), {"full": "1"}).status_code == 403
    client.force_login(users["clerk_wenti"])
    sheet = read_xlsx(client.get(reverse("person_export"), {"full": "1"})).active
    numbers = {row[6] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert registry["head"].id_number in numbers and len(numbers) == 3
    refused, exported = AuditEntry.objects.filter(category=audit.PERSONAL_DATA).order_by("id")
    assert (refused.actor, refused.action, refused.outcome) == (users["leader"], "personal_data.export_full", "refused")
    assert (exported.actor, exported.action, exported.outcome) == (
        users["clerk_wenti"],
        "personal_data.export_full",
        "success",
    )
    assert exported.detail["record_count"] == 3


@pytest.mark.django_db
def test_household_file_xlsx_is_a_readable_a4_workbook(client, users, registry):
    client.force_login(users["clerk_wenti"])
    workbook = read_xlsx(client.get(reverse("household_file_xlsx", args=[registry["poor"].pk])))
    sheet = workbook["一户一册"]
    values = [v for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert registry["poor"].code in values[0] and "杨明" in values and registry["head"].masked_id_number in values
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    entry = AuditEntry.objects.get(category=audit.PERSONAL_DATA)
    assert (entry.action, entry.target_id, entry.target_label) == (
        "personal_data.household_file",
        str(registry["poor"].pk),
        registry["poor"].code,
    )


@pytest.mark.django_db
def test_household_file_page_is_printable(client, users, registry):
    client.force_login(users["clerk_wenti"])
    page = client.get(reverse("household_file", args=[registry["poor"].pk])).content.decode()
    assert "一户一册" in page and "data-print" in page and "就业情况" in page  # static/js/portal.js prints


@pytest.mark.django_db
def test_a_two_character_name_finds_the_names_starting_with_it(client, users, registry):
    add_member(registry["other"], name="杨明华", relation=Relation.SON, birth=D(1980, 1, 1))
    add_member(registry["other"], name="欧杨明", relation=Relation.DAUGHTER, birth=D(1981, 1, 1), male=False)
    client.force_login(users["clerk_wenti"])
    _, rows = listed(client, "person_list", q="杨明")
    assert sorted(rows) == ["杨明", "杨明华"]
    _, rows = listed(client, "person_list", q="杨明华")
    assert rows == ["杨明华"]
