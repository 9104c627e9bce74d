"""Yearly selections (issue 13 item 3): a settlement without a selection in a past year is flagged, the running
year not until it ends; honours name a household or a person of the selection's settlement only (refused in
Chinese otherwise); the 光荣榜 prints on A4 with names and photos and no ID number; scope per URL."""

import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from culture import household_indicators as indicators
from culture import services
from culture.models import Honour, SelectionCategory
from culture.selectors import selections
from culture.selectors.selections import YearState
from settlements import photos
from settlements.models import Settlement
from settlements.roles import Role
from tests.factories import add_member

from . import factories as make

pytestmark = pytest.mark.django_db
D = datetime.date


def states(code, day):
    _, (row,) = selections.selection_years(settlements=[Settlement.objects.get(code=code)], day=day)
    return {cell.year: cell.state for cell in row.cells}


def test_a_past_year_without_a_selection_is_flagged_and_the_running_year_is_not(reference, users):
    make.household(moved_in=D(2018, 6, 1))
    make.selection("fumin", 2019, D(2019, 12, 20), actor=users["office"])
    assert states("fumin", D(2021, 3, 1)) == {2019: YearState.HELD, 2020: YearState.MISSING, 2021: YearState.RUNNING}
    assert states("fumin", D(2020, 12, 31))[2020] == YearState.RUNNING  # the year has not ended
    assert (
        indicators.selection_figures(D(2021, 3, 1))[indicators.SELECTION_YEARS_MISSED][
            Settlement.objects.get(code="fumin").pk
        ]
        == 1
    )


def test_any_category_counts_and_a_selection_published_the_next_year_counts_for_its_year(reference, users):
    make.household(moved_in=D(2018, 6, 1))
    make.selection(
        "fumin", 2019, D(2020, 1, 15), actor=users["office"], category=SelectionCategory.GOOD_DAUGHTER_IN_LAW
    )
    assert states("fumin", D(2019, 12, 31))[2019] == YearState.RUNNING  # not yet published
    assert states("fumin", D(2020, 2, 1))[2019] == YearState.HELD


def test_the_first_year_counted_is_the_settlements_first_move_in_year_when_later(reference, users):
    make.household("fengle", moved_in=D(2020, 8, 1))
    assert states("fengle", D(2022, 1, 10)) == {
        2019: YearState.NOT_REQUIRED,
        2020: YearState.MISSING,
        2021: YearState.MISSING,
        2022: YearState.RUNNING,
    }
    assert set(states("dingwei", D(2022, 1, 10)).values()) == {YearState.NOT_REQUIRED}  # nobody moved in


def test_other_needs_its_name_and_a_category_once_a_year(reference, users):
    with pytest.raises(ValidationError) as refused:
        make.selection("fumin", 2020, D(2020, 6, 1), actor=users["office"], category=SelectionCategory.OTHER)
    assert refused.value.message_dict["other_name"] == ["评选类别为“其他”时，请填写类别名称（如“最美庭院”）。"]
    make.selection(
        "fumin", 2020, D(2020, 6, 1), actor=users["office"], category=SelectionCategory.OTHER, other_name="最美庭院"
    )
    with pytest.raises(ValidationError) as refused:
        make.selection(
            "fumin", 2020, D(2020, 9, 1), actor=users["office"], category=SelectionCategory.OTHER, other_name="最美庭院"
        )
    assert "已登记 2020 年度的“最美庭院”评选" in refused.value.message_dict["category"][0]
    with pytest.raises(ValidationError) as refused:
        make.selection("fumin", 2020, D(2022, 1, 1), actor=users["office"])
    assert refused.value.message_dict["held_on"] == ["评选（公布）日期（2022-01-01）须在评选年度 2020 年或次年内。"]


def test_an_honour_naming_a_person_outside_the_settlement_is_refused_in_chinese(reference, users):
    selection = make.selection("fumin", 2020, D(2020, 6, 1), actor=users["office"])
    elsewhere = make.household("wolong")
    stranger = add_member(elsewhere, name="吴远", relation="spouse", birth=D(1985, 5, 5))
    with pytest.raises(ValidationError) as refused:
        services.honour_add(selection=selection, person=stranger, actor=users["office"])
    assert refused.value.message_dict["person"] == ["获评人“吴远”属于卧龙，不属于本次评选的安置点富民。"]
    with pytest.raises(ValidationError) as refused:
        services.honour_add(selection=selection, household=elsewhere, actor=users["office"])
    assert "不属于本次评选的安置点富民" in refused.value.message_dict["household"][0]
    with pytest.raises(ValidationError):
        services.honour_add(selection=selection, actor=users["office"])  # neither
    assert not Honour.objects.exists()


def test_a_clerk_honours_only_within_the_centre(reference, users, clerk):
    selection = make.selection("fengle", 2020, D(2020, 6, 1), actor=users["office"])
    household = make.household("fengle")
    with pytest.raises(PermissionDenied):
        services.honour_add(selection=selection, household=household, actor=clerk)
    with pytest.raises(PermissionDenied):
        make.selection("fengle", 2021, D(2021, 6, 1), actor=clerk)


def test_the_honour_form_finds_the_person_by_household_code_and_name_and_keeps_a_photo(reference, users, clerk, client):
    selection = make.selection("fumin", 2020, D(2020, 6, 1), actor=users["office"])
    household = make.household()
    client.force_login(clerk)
    url = reverse("culture:honour_add", args=[selection.pk])
    data = {"household_code": household.code, "person_name": "杨明", "citation": "孝敬老人", "photos": [make.jpeg()]}
    assert client.post(url, data).status_code == 302
    honour = Honour.objects.get()
    assert honour.person.household_id == household.pk and honour.household is None
    assert photos.photos_of(honour).count() == 1
    refused = client.post(url, {"household_code": "NO-SUCH", "person_name": ""}).content.decode()
    assert "安置点富民没有户编号为“NO-SUCH”的搬迁户" in refused


def test_the_honour_roll_prints_on_a4_with_names_and_photos_and_no_id_number(reference, users, client):
    selection = make.selection("fumin", 2020, D(2020, 6, 1), actor=users["office"])
    household = make.household()
    head = household.members.get()
    services.honour_add(selection=selection, person=head, files=[make.jpeg()], actor=users["office"])
    client.force_login(users["office"])
    response = client.get(reverse("culture:honour_roll", args=[selection.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "光荣榜" in html and head.name in html and "文明家庭" in html
    assert 'href="/static/culture/honour_roll.css"' in html and "http" not in html.split("<body>")[0].replace(
        "https://", ""
    )
    photo = photos.photos_of(Honour.objects.get()).get()
    assert reverse("photo_image", args=[photo.pk]) in html
    assert head.id_number not in html and head.id_number[-4:] not in html and head.id_number[:6] not in html
    css = Path(apps.get_app_config("culture").path) / "static" / "culture" / "honour_roll.css"
    assert "@page { size: A4" in css.read_text(encoding="utf-8")


def test_scope_404_per_url_and_403_for_readers(reference, users, clerk, client, make_user):
    inside = make.selection("fumin", 2020, D(2020, 6, 1), actor=users["office"])
    outside = make.selection("fengle", 2020, D(2020, 6, 1), actor=users["office"])
    head = make.household("fengle").members.get()
    honour = services.honour_add(selection=outside, person=head, actor=users["office"])
    client.force_login(clerk)
    for name in ("culture:selection", "culture:selection_edit", "culture:honour_roll"):
        assert client.get(reverse(name, args=[outside.pk])).status_code == 404
        assert client.get(reverse(name, args=[inside.pk])).status_code == 200
    assert client.post(reverse("culture:honour_add", args=[outside.pk]), {}).status_code == 404
    assert client.post(reverse("culture:honour_delete", args=[honour.pk])).status_code == 404
    reader = users["leader"]
    client.force_login(reader)
    assert client.get(reverse("culture:selection", args=[outside.pk])).status_code == 200
    assert client.get(reverse("culture:selection_create")).status_code == 403
    assert client.get(reverse("culture:selection_edit", args=[inside.pk])).status_code == 403
    assert client.post(reverse("culture:honour_add", args=[inside.pk]), {}).status_code == 403
    assert client.post(reverse("culture:honour_delete", args=[honour.pk])).status_code == 403
    assert Honour.objects.filter(pk=honour.pk).exists()


def test_the_office_deletes_an_honour_and_its_photo(reference, users, client):
    selection = make.selection("fumin", 2020, D(2020, 6, 1), actor=users["office"])
    head = make.household().members.get()
    honour = services.honour_add(selection=selection, person=head, files=[make.jpeg()], actor=users["office"])
    client.force_login(users["office"])
    assert client.post(reverse("culture:honour_delete", args=[honour.pk])).status_code == 302
    assert not Honour.objects.exists() and not photos.photos_of(honour).exists()


def test_the_list_page_flags_the_missing_year_and_the_export_reads_back(reference, users, clerk, client):
    make.household(moved_in=D(2018, 6, 1))
    make.selection("fumin", 2019, D(2019, 12, 20), actor=users["office"])
    client.force_login(clerk)
    page = client.get(reverse("culture:selections"), {"day": "2021-03-01"}).content.decode()
    assert 'data-testid="missing"' in page
    response = client.get(reverse("culture:selection_export"))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "安置点" and rows[0][2] == "2019年度"
    names = [row[0] for row in rows[1:]]
    assert "富民" in names and "丰乐" not in names  # the clerk's settlements only
    fumin = next(row for row in rows[1:] if row[0] == "富民")
    assert fumin[2] == "1 次（已评选）" and "2020" in fumin[-1]


def test_a_reader_role_is_refused_the_whole_app_when_it_may_not_read(reference, make_user, client):
    admin = make_user(Role.SYSTEM_ADMIN)
    client.force_login(admin)
    assert client.get(reverse("culture:selections")).status_code == 403
