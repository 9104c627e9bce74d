"""Old-vs-new house photos (issue 13 item 2): due by the plan's date for the household's project year, on time up
to and including that day; a household of a year the plan dates not is not counted; the hanging and its photos
are stored together or not at all; scope per URL; the list exports and reads back with openpyxl."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from culture import household_indicators as indicators
from culture.models import HousePhoto
from culture.selectors import house_photos
from culture.selectors.house_photos import PhotoStatus
from settlements import photos
from settlements.models import Household, Photo, ProjectYear
from tasks import household_duties, snapshots
from tasks.models import Deadline, IndicatorSnapshot
from tests.tasks.factories import make_task

from . import factories as make

pytestmark = pytest.mark.django_db
D = datetime.date


def status(household, day):
    return house_photos.status_of(household, day).photo_status


def test_the_plan_dates_the_duty_per_project_year_the_earliest_of_its_deadlines(plan):
    assert household_duties.due_dates("culture.house_photo") == {
        2016: D(2019, 4, 30),
        2017: D(2019, 4, 30),
        2018: D(2019, 12, 31),
    }
    assert Deadline.objects.filter(duty="culture.house_photo").count() == 6
    deadline = Deadline.objects.filter(duty="culture.house_photo", project_year=2018).first()
    Deadline.objects.filter(pk=deadline.pk).update(due_on=D(2019, 11, 30))  # the office moves one of the two
    assert household_duties.due_dates("culture.house_photo")[2018] == D(2019, 11, 30)


@pytest.mark.parametrize(
    ("year", "hung_on", "expected"),
    [
        (2017, D(2019, 4, 30), PhotoStatus.ON_TIME),
        (2017, D(2019, 5, 1), PhotoStatus.LATE),
        (2016, D(2019, 4, 30), PhotoStatus.ON_TIME),
        (2018, D(2019, 12, 31), PhotoStatus.ON_TIME),
        (2018, D(2020, 1, 1), PhotoStatus.LATE),
    ],
)
def test_a_photo_hung_by_the_due_date_is_on_time_and_the_day_after_late(plan, users, year, hung_on, expected):
    household = make.household(year=year)
    make.hang(household, hung_on, actor=users["office"])
    assert status(household, D(2020, 6, 1)) == expected


def test_before_the_hanging_a_household_is_pending_then_overdue_after_its_due_date(plan, users):
    household = make.household(year=2017)
    make.hang(household, D(2019, 6, 10), actor=users["office"])
    assert status(household, D(2019, 4, 30)) == PhotoStatus.PENDING  # not hung yet, due today
    assert status(household, D(2019, 5, 1)) == PhotoStatus.OVERDUE
    assert status(household, D(2019, 6, 10)) == PhotoStatus.LATE


def test_a_household_of_a_year_without_a_deadline_is_not_counted(plan, users):
    dated = make.household(year=2017)
    undated = make.household(year=2018)
    Deadline.objects.filter(duty="culture.house_photo", project_year=2018).update(duty="")
    day = D(2020, 6, 1)
    assert status(undated, day) == PhotoStatus.NO_DUE
    figures = indicators.house_photo_figures(day)
    settlement = dated.settlement_id
    assert figures[indicators.PHOTOS_DUE][settlement] == [dated.pk]
    assert figures[indicators.PHOTOS_OVERDUE][settlement] == [dated.pk]
    assert undated.pk not in figures[indicators.PHOTOS_DUE][settlement]


def test_the_indicators_count_due_hung_by_the_due_date_and_overdue_households_of_the_day(plan, users):
    on_time, late, overdue = (make.household(year=2017) for _ in range(3))
    make.household(year=2017, moved_in=D(2021, 1, 1))  # not yet resident on the day asked
    gone = make.household(year=2017)
    Household.objects.filter(pk=gone.pk).update(moved_out_on=D(2019, 8, 1), status="moved_out")
    make.hang(on_time, D(2019, 4, 1), actor=users["office"])
    make.hang(late, D(2019, 5, 20), actor=users["office"])
    figures = indicators.house_photo_figures(D(2019, 9, 1))
    settlement = on_time.settlement_id
    assert sorted(figures[indicators.PHOTOS_DUE][settlement]) == sorted([on_time.pk, late.pk, overdue.pk])
    assert figures[indicators.PHOTOS_ON_TIME][settlement] == [on_time.pk]
    assert figures[indicators.PHOTOS_OVERDUE][settlement] == [overdue.pk]


def test_a_household_moved_in_after_its_due_date_is_still_due_on_the_printed_date_and_marked(plan, users, client):
    household = make.household(year=2017, moved_in=D(2019, 7, 1))
    annotated = house_photos.status_of(household, D(2019, 8, 1))
    assert (annotated.photo_status, annotated.moved_in_after_due) == (PhotoStatus.OVERDUE, True)
    client.force_login(users["office"])
    page = client.get(reverse("culture:house_photos"), {"day": "2019-08-01"}).content.decode()
    assert "到期后入住" in page


def test_a_bad_file_refuses_the_hanging_and_stores_nothing(plan, users):
    household = make.household(year=2017)
    with pytest.raises(ValidationError) as refused:
        make.hang(household, D(2019, 4, 1), actor=users["office"], files=[make.jpeg(), make.not_an_image("说明.pdf")])
    assert "说明.pdf" in " ".join(refused.value.message_dict["photos"])
    assert not HousePhoto.objects.exists() and not Photo.objects.exists()


def test_the_first_hanging_needs_a_photo_and_a_date_after_the_move_in(plan, users):
    household = make.household(year=2017, moved_in=D(2018, 6, 1))
    with pytest.raises(ValidationError) as refused:
        make.hang(household, D(2019, 4, 1), actor=users["office"], files=[])
    assert refused.value.message_dict["photos"] == ["请上传新旧住房对比照片（旧房和新房，可一次选择多张）。"]
    with pytest.raises(ValidationError) as refused:
        make.hang(household, D(2018, 5, 31), actor=users["office"])
    assert "早于该户的入住日期（2018-06-01）" in refused.value.message_dict["hung_on"][0]


def test_a_correction_keeps_the_photos_and_the_history(plan, users):
    household = make.household(year=2017)
    record = make.hang(household, D(2019, 5, 2), actor=users["office"], files=[make.jpeg(), make.jpeg("新房.jpg")])
    make.hang(household, D(2019, 4, 29), actor=users["office"], files=[])
    record.refresh_from_db()
    assert record.hung_on == D(2019, 4, 29) and photos.photos_of(record).count() == 2
    assert record.history.count() == 2


def test_a_clerk_cannot_record_outside_the_centre_nor_a_reader_at_all(plan, users, clerk):
    elsewhere = make.household("fengle", year=2017)
    with pytest.raises(PermissionDenied):
        make.hang(elsewhere, D(2019, 4, 1), actor=clerk)
    with pytest.raises(PermissionDenied):
        make.hang(make.household(year=2017), D(2019, 4, 1), actor=users["leader"])


def test_the_form_records_the_hanging_with_several_photos_from_a_phone(plan, users, clerk, client):
    household = make.household(year=2018)
    client.force_login(clerk)
    url = reverse("culture:house_photo_record", args=[household.pk])
    form = client.get(url).content.decode()
    assert "multiple" in form and 'enctype="multipart/form-data"' in form
    unit = household_unit()
    response = client.post(
        url, {"hung_on": "2019-12-31", "hung_by": unit, "photos": [make.jpeg(), make.jpeg("新房.jpg")]}
    )
    assert response.status_code == 302
    record = HousePhoto.objects.get(household=household)
    assert photos.photos_of(record).count() == 2
    page = client.get(reverse("culture:household", args=[household.pk]), {"day": "2020-01-01"}).content.decode()
    assert "2019-12-31" in page and "按时悬挂" in page


def test_the_form_shows_a_refused_file_beside_the_photos_and_keeps_nothing(plan, users, clerk, client):
    household = make.household(year=2018)
    client.force_login(clerk)
    url = reverse("culture:house_photo_record", args=[household.pk])
    response = client.post(url, {"hung_on": "2019-12-01", "hung_by": household_unit(), "photos": [make.not_an_image()]})
    assert response.status_code == 200
    assert "不是图片" in response.content.decode()
    assert not HousePhoto.objects.exists()


def household_unit():
    from settlements.models import ResponsibleUnit

    return ResponsibleUnit.objects.get(name="县生态移民局").pk


def test_scope_404_outside_the_centre_and_403_for_a_reader(plan, users, clerk, client):
    inside, outside = make.household(year=2017), make.household("fengle", year=2017)
    client.force_login(clerk)
    for name in ("culture:house_photo_record", "culture:household"):
        assert client.get(reverse(name, args=[outside.pk])).status_code == 404
        assert client.get(reverse(name, args=[inside.pk])).status_code == 200
    client.force_login(users["leader"])
    assert client.get(reverse("culture:house_photo_record", args=[inside.pk])).status_code == 403
    assert client.post(reverse("culture:house_photo_record", args=[inside.pk]), {}).status_code == 403


def test_the_settlement_page_lists_the_overdue_households(plan, users, clerk, client):
    overdue = make.household(year=2017)
    hung = make.household(year=2017)
    make.hang(hung, D(2019, 4, 2), actor=users["office"])
    client.force_login(clerk)
    page = client.get(reverse("culture:settlement", args=[overdue.settlement_id]), {"day": "2019-06-01"})
    html = page.content.decode()
    section = html[html.index('data-testid="photos-overdue"') :]
    section = section[: section.index("</ul>")]
    assert overdue.code in section and hung.code not in section


def test_the_list_filters_searches_and_exports_the_clerks_households(plan, users, clerk, client):
    overdue = make.household(year=2017)
    hung = make.household(year=2017)
    make.household("fengle", year=2017)
    make.hang(hung, D(2019, 4, 2), actor=users["office"])
    client.force_login(clerk)
    url = reverse("culture:house_photos")
    page = client.get(url, {"status": PhotoStatus.OVERDUE, "day": "2019-06-01"}).content.decode()
    assert overdue.code in page and hung.code not in page
    assert hung.code in client.get(url, {"q": hung.code}).content.decode()
    response = client.get(
        reverse("culture:house_photo_export"), {"day": "2019-06-01", "project_year": ProjectYear.Y2017}
    )
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("安置点", "户编号", "户主", "户主身份证号")
    by_code = {row[1]: row for row in rows[1:]}
    assert set(by_code) == {overdue.code, hung.code}  # the 丰乐 household is not the clerk's
    assert by_code[overdue.code][10] == "逾期未挂" and by_code[hung.code][10] == "按时悬挂"
    assert "*" in by_code[hung.code][3]  # masked


def test_moving_a_photo_deadline_makes_the_photo_figures_stale_and_a_new_plain_deadline_does_not(plan, users):
    day = D(2019, 9, 1)
    snapshots.read(day)

    def stale():
        return set(IndicatorSnapshot.objects.filter(day=day, stale_since__isnull=False).values_list("group", flat=True))

    make_task(deadlines=[D(2019, 6, 30)])  # a deadline of no household duty
    assert "culture.house_photos" not in stale()
    deadline = Deadline.objects.filter(duty="culture.house_photo", project_year=2017).first()
    deadline.due_on = D(2019, 5, 31)
    deadline.save()
    assert "culture.house_photos" in stale()
