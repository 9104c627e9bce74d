"""The session pages: scope per URL (404 outside the clerk's settlements), readers refused every write (403), the
form with its photos in one transaction (a photo refused refuses the session: nothing stored), participants by ID
number, the calendars' colours, the settlement section, the indicators and the activity register read back."""

import datetime
import io
from urllib.parse import quote

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from culture import session_indicators
from culture.models import Session, SessionKind
from settlements import exports, services
from settlements.id_numbers import mask
from settlements.models import Facility, FacilityKind, Photo, ResponsibleUnit, Settlement
from tasks import indicators

from . import session_factories as make

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 30)


@pytest.fixture(autouse=True)
def on_today():
    """The pages judge against today (the running month, a date after today): they are read on TODAY."""
    rongjiang = datetime.timezone(datetime.timedelta(hours=8))
    with time_machine.travel(datetime.datetime.combine(TODAY, datetime.time(10), tzinfo=rongjiang)):
        yield


def jpeg(color=(200, 30, 30)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(output, "JPEG")
    return output.getvalue()


def upload(name, content, mime="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=mime)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(users, media):
    sides = {}
    for code in ("fumin", "fengle"):
        make.moved_in(code, D(2026, 6, 1))
        sides[code] = make.session(code, D(2026, 10, 15), photos=[upload("现场.jpg", jpeg())])
    return {**users, "inside": sides["fumin"], "outside": sides["fengle"]}


def get(client, user, name, *args, **query):
    client.force_login(user)
    return client.get(reverse(name, args=args), query)


def form_data(settlement, **fields):
    return {
        "settlement": settlement.pk,
        "kind": SessionKind.GRATITUDE,
        "held_on": "2026-11-20",
        "title": "感党恩、听党话、跟党走",
        "venue_text": "小区广场",
        "organiser": ResponsibleUnit.objects.get(name="文体社区服务中心").pk,
        "participant_count": "45",
        "note": "",
        **fields,
    }


# --- scope and capabilities ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["culture:session", "culture:session_edit"])
def test_a_session_outside_the_clerks_settlements_is_a_404(client, world, name):
    assert get(client, world["clerk_wenti"], name, world["outside"].pk).status_code == 404
    assert get(client, world["clerk_wenti"], name, world["inside"].pk).status_code == 200


def test_a_settlements_calendar_outside_the_clerks_scope_is_a_404(client, world):
    fengle, fumin = world["outside"].settlement, world["inside"].settlement
    assert get(client, world["clerk_wenti"], "culture:settlement_calendar", fengle.pk).status_code == 404
    assert get(client, world["clerk_wenti"], "culture:settlement_calendar", fumin.pk).status_code == 200


@pytest.mark.parametrize("name", ["culture:sessions", "culture:session_calendar"])
def test_the_lists_hold_only_the_clerks_settlements(client, world, name):
    page = get(client, world["clerk_wenti"], name).content.decode()
    assert "富民" in page and "丰乐" not in page


def test_a_clerks_activity_register_holds_only_the_clerks_settlements(client, world):
    response = get(client, world["clerk_wenti"], "culture:session_export")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert {row[0] for row in workbook.active.iter_rows(min_row=2, values_only=True)} == {"富民"}


def test_a_reader_is_refused_every_write(client, world):
    leader = world["leader"]
    assert get(client, leader, "culture:session_create").status_code == 403
    assert get(client, leader, "culture:session_edit", world["inside"].pk).status_code == 403
    client.force_login(leader)
    response = client.post(reverse("culture:session_create"), form_data(world["inside"].settlement))
    assert response.status_code == 403 and Session.objects.count() == 2
    page = get(client, leader, "culture:session", world["inside"].pk).content.decode()
    edit = reverse("culture:session_edit", args=[world["inside"].pk])
    assert edit not in page and "上传照片" not in page


def test_a_reporter_without_the_culture_ledger_is_refused_its_pages(client, world):
    assert get(client, world["reporter"], "culture:sessions").status_code == 403


def test_a_clerk_cannot_record_a_session_for_a_settlement_outside_the_scope(client, world):
    client.force_login(world["clerk_wenti"])
    response = client.post(reverse("culture:session_create"), form_data(world["outside"].settlement))
    assert response.status_code == 200 and "所选项不存在或不可选" in response.content.decode()
    assert Session.objects.count() == 2


# --- the form with its photos -------------------------------------------------------------------------------------


def test_a_clerk_records_a_session_with_two_photos_and_it_is_shown_with_its_gallery(client, world):
    client.force_login(world["clerk_wenti"])
    fumin = world["inside"].settlement
    photos = [upload("签到.jpg", jpeg()), upload("合影.jpg", jpeg((30, 30, 200)))]
    response = client.post(reverse("culture:session_create"), {**form_data(fumin), "photos": photos})
    session = Session.objects.get(title="感党恩、听党话、跟党走")
    assert response.status_code == 302 and response["Location"] == reverse("culture:session", args=[session.pk])
    assert (session.settlement, session.held_on, session.participant_count) == (fumin, D(2026, 11, 20), 45)
    assert session.recorded_by == world["clerk_wenti"] and session.history.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "共 2 张" in page and "感党恩、听党话、跟党走" in page


def test_an_upload_that_is_not_an_image_is_refused_in_chinese_and_nothing_is_stored(client, world, media):
    client.force_login(world["clerk_wenti"])
    before = (Session.objects.count(), Photo.objects.count(), Session.history.count())
    pdf = upload("签到表.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    data = {**form_data(world["inside"].settlement), "photos": [upload("好.jpg", jpeg()), pdf]}
    response = client.post(reverse("culture:session_create"), data)
    assert response.status_code == 200
    assert "文件“签到表.pdf”不是图片" in response.content.decode()
    assert (Session.objects.count(), Photo.objects.count(), Session.history.count()) == before
    assert len(list(media.rglob("*.jpg"))) == 2 * before[1]  # the world's photos (print size, thumbnail), no more


def test_a_photo_over_the_size_limit_is_refused_in_chinese_and_nothing_is_stored(client, world, media, settings):
    settings.PHOTO_MAX_MB = 1
    client.force_login(world["clerk_wenti"])
    before = (Session.objects.count(), Photo.objects.count())
    large = jpeg() + b"\x00" * 1_700_000
    data = {**form_data(world["inside"].settlement), "photos": [upload("大.jpg", large)]}
    response = client.post(reverse("culture:session_create"), data)
    page = response.content.decode()
    assert "照片“大.jpg”有 1.6 MB，超过 1 MB 的上限。" in page
    assert '<h1 class="h4">教育活动</h1>' in page  # shown again as a new session, not as one stored
    assert (Session.objects.count(), Photo.objects.count()) == before


def test_a_session_in_the_future_or_at_a_facility_of_another_settlement_is_refused(client, world, users):
    market = services.facility_save(
        actor=users["office"],
        facility=Facility(name="丰乐新时代文明实践站"),
        kinds=FacilityKind.objects.filter(code="farmers_market"),
        settlements=Settlement.objects.filter(code="fengle"),
        attributes={},
    )
    client.force_login(users["office"])
    fumin = world["inside"].settlement
    response = client.post(reverse("culture:session_create"), form_data(fumin, held_on="2026-12-01"))
    assert "活动日期 2026-12-01 在今天之后" in response.content.decode()
    response = client.post(reverse("culture:session_create"), form_data(fumin, venue=market.pk, venue_text=""))
    assert "活动场所“丰乐新时代文明实践站”不服务于富民" in response.content.decode()
    response = client.post(reverse("culture:session_create"), form_data(fumin, venue_text=""))
    assert "请选择活动场所（设施），或填写其他场所。" in response.content.decode()
    assert Session.objects.count() == 2


def test_participants_are_added_by_id_number_and_only_residents_of_the_settlement(client, world):
    member = make.resident("fumin", name="龙梅", birth=D(1990, 9, 9))
    stranger = make.resident("fengle", name="潘石", birth=D(1991, 1, 1))
    client.force_login(world["clerk_wenti"])
    fumin = world["inside"].settlement
    response = client.post(
        reverse("culture:session_create"), form_data(fumin, id_numbers=f"{member.id_number}\n{stranger.id_number}")
    )
    page = response.content.decode()
    masked = f"身份证号 {mask(stranger.id_number)} 不是“富民”在册的居民"
    assert masked in page and Session.objects.count() == 2
    response = client.post(reverse("culture:session_create"), form_data(fumin, id_numbers="12345"))
    assert "“12345”不是身份证号" in response.content.decode()
    response = client.post(reverse("culture:session_create"), form_data(fumin, id_numbers=member.id_number))
    session = Session.objects.get(title="感党恩、听党话、跟党走")
    assert list(session.participants.all()) == [member]
    edit = client.get(reverse("culture:session_edit", args=[session.pk])).content.decode()
    assert "龙梅" in edit and member.id_number not in edit  # masked on the form


# --- calendars, section, indicators, export --------------------------------------------------------------------


def test_the_calendar_cell_is_green_when_held_red_when_missed_grey_for_the_running_month(client, world):
    fumin = world["inside"].settlement
    page = get(client, world["clerk_wenti"], "culture:settlement_calendar", fumin.pk, year="2026").content.decode()
    assert 'data-testid="cell-gratitude-2026-10" data-state="held"' in page
    assert 'data-testid="cell-gratitude-2026-07" data-state="missed"' in page
    assert 'data-testid="cell-gratitude-2026-11" data-state="not_due"' in page  # running, none yet
    assert 'data-testid="cell-gratitude-2026-05" data-state="not_due"' in page  # before the first move-in
    make.session("fumin", TODAY)
    page = get(client, world["clerk_wenti"], "culture:settlement_calendar", fumin.pk, year="2026").content.decode()
    assert 'data-testid="cell-gratitude-2026-11" data-state="held"' in page
    county = get(client, world["office"], "culture:session_calendar", year="2026").content.decode()
    assert 'data-testid="calendar-gratitude"' in county and 'data-testid="calendar-literacy"' in county


def test_the_settlement_page_lists_the_months_missed(client, world):
    fumin = world["inside"].settlement
    page = get(client, world["clerk_wenti"], "culture:settlement", fumin.pk, day="2026-11-30").content.decode()
    assert "感恩教育缺漏 4 个月：2026-06、2026-07、2026-08、2026-09" in page
    assert "扫盲及适应性培训缺漏 5 个月" in page


def test_the_indicators_count_this_months_sessions_and_the_months_missed_this_year(world):
    make.session("fumin", D(2026, 11, 2))
    make.session("fumin", D(2026, 11, 3), SessionKind.LITERACY)
    values = session_indicators.session_figures(TODAY)
    fumin, fengle = world["inside"].settlement.pk, world["outside"].settlement.pk
    assert values[session_indicators.GRATITUDE] == {fumin: 1}
    assert values[session_indicators.LITERACY] == {fumin: 1}
    # June–October: 4 gratitude months (October held) and 5 literacy months missed
    assert values[session_indicators.MISSED][fumin] == 9 and values[session_indicators.MISSED][fengle] == 9
    assert indicators.get(session_indicators.GRATITUDE).label == "感恩教育本月场次"


def test_the_activity_register_of_a_settlements_month_reads_back(client, world):
    make.session("fumin", D(2026, 10, 31), SessionKind.LITERACY, title="城镇生活常识", participant_count=20)
    make.session("fumin", D(2026, 11, 1), title="十一月的感恩教育")
    response = get(
        client, world["office"], "culture:session_export", settlement=world["inside"].settlement.pk, month="2026-10"
    )
    assert response.status_code == 200 and response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook["活动登记表"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "安置点",
        "活动日期",
        "活动类别",
        "主题",
        "活动场所",
        "组织单位",
        "参加人数",
        "台账中的参加人员",
        "照片张数",
    )
    assert [row[:4] for row in rows[1:]] == [
        ("富民", datetime.datetime(2026, 10, 31), "扫盲及城镇生产生活方式适应性教育培训", "城镇生活常识"),
        ("富民", datetime.datetime(2026, 10, 15), "感恩教育", "感恩教育（2026年10月）"),
    ]
    assert [row[6:] for row in rows[1:]] == [(20, 0, 0), (30, 0, 1)]
    assert quote("活动登记表_富民_2026年10月.xlsx") in response["Content-Disposition"]
