"""The open-affairs pages: one test per URL for scope (404 outside the clerk's settlements), readers refused every
write (403), lists holding the clerk's settlements only, the forms' round trip with the services' messages, and
the exports read back with openpyxl."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from governance.models import AffairCategory, MeetingKind, Publication

from . import open_affairs_factories as make

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def world(users):
    """In 富民 (文体 centre) and in 丰乐 (场坝 centre): an assistance notice not mirrored, a consultation and a
    decision without one, an evaluation, a charter."""
    sides = {}
    for code in ("fumin", "fengle"):
        make.village_household(code)
        consultation = make.meeting(code, D(2026, 3, 1), MeetingKind.CONSULTATION, topics=f"{code}停车协商")
        meeting = make.meeting(code, D(2026, 3, 5), topics=f"{code}停车决策")
        sides[code] = {
            "publication": make.publish(code, D(2026, 3, 10), title=f"{code}临时救助名单"),
            "meeting": meeting,
            "consultation": consultation,
            "decision": make.decide(meeting, matter=f"{code}停车收费"),
            "evaluation": make.evaluate(code, D(2026, 3, 12)),
            "document": make.document(code, D(2025, 1, 1)),
        }
    return {"catalogue": make.item(), **users, **sides}


def get(client, user, name, *args, **query):
    client.force_login(user)
    return client.get(reverse(name, args=args), query)


RECORD_PAGES = {
    "governance:publication_detail": "publication",
    "governance:publication_edit": "publication",
    "governance:mirror_create": "publication",
    "governance:meeting_detail": "meeting",
    "governance:meeting_edit": "meeting",
    "governance:decision_create": "meeting",
    "governance:decision_edit": "decision",
    "governance:evaluation_detail": "evaluation",
    "governance:evaluation_edit": "evaluation",
    "governance:document_detail": "document",
    "governance:document_edit": "document",
}
WRITES = {name for name in RECORD_PAGES if not name.endswith("_detail")}
CREATES = [
    "governance:publication_create",
    "governance:meeting_create",
    "governance:evaluation_create",
    "governance:document_create",
    "governance:catalogue_create",
]
LISTS = {
    "governance:publications": ("fumin临时救助名单", "fengle临时救助名单"),
    "governance:meetings": ("fumin停车决策", "fengle停车决策"),
    "governance:decisions": ("fumin停车收费", "fengle停车收费"),
    "governance:evaluations": ("富民", "丰乐"),
    "governance:documents": ("富民", "丰乐"),
}


@pytest.mark.parametrize("name", RECORD_PAGES)
def test_a_record_outside_the_clerks_scope_is_a_404_and_inside_answers(client, world, name):
    key = RECORD_PAGES[name]
    assert get(client, world["clerk_wenti"], name, world["fengle"][key].pk).status_code == 404
    assert get(client, world["clerk_wenti"], name, world["fumin"][key].pk).status_code == 200


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_reader_is_refused_every_write_of_a_record(client, world, name):
    response = get(client, world["leader"], name, world["fumin"][RECORD_PAGES[name]].pk)
    assert response.status_code == 403


@pytest.mark.parametrize("name", CREATES)
def test_a_reader_is_refused_every_new_record(client, world, name):
    response = get(client, world["leader"], name)
    assert response.status_code == 403


def test_the_catalogue_is_kept_by_the_office_only(client, world):
    assert get(client, world["clerk_wenti"], "governance:catalogue_create").status_code == 403
    assert get(client, world["clerk_wenti"], "governance:catalogue_edit", world["catalogue"].pk).status_code == 403
    assert get(client, world["office"], "governance:catalogue_edit", world["catalogue"].pk).status_code == 200
    assert "社会救助和精准帮扶情况" in get(client, world["clerk_wenti"], "governance:catalogue").content.decode()


@pytest.mark.parametrize("name", LISTS)
def test_a_list_holds_the_clerks_settlements_only(client, world, name):
    inside, outside = LISTS[name]
    page = get(client, world["clerk_wenti"], name, month="2026-03").content.decode()
    assert inside in page and outside not in page


def test_the_publications_page_flags_the_assistance_not_mirrored_and_the_mirror_clears_it(client, world):
    clerk, notice = world["clerk_wenti"], world["fumin"]["publication"]
    page = get(client, clerk, "governance:publications").content.decode()
    assert "fumin临时救助名单</a>：迁出村未公开（安置点社区于 2026-03-10 公开）" in page
    form = {"village": "古州镇|华优村", "title": notice.title, "published_on": "2026-03-11", "content": "同上。"}
    response = client.post(reverse("governance:mirror_create", args=[notice.pk]), form)
    assert response.status_code == 302
    detail = get(client, clerk, "governance:publication_detail", notice.pk).content.decode()
    assert "迁出村（古州镇华优村）于 2026-03-11 公开，与安置点社区（2026-03-10）不同日" in detail
    mirror = Publication.objects.get(mirror_of=notice)
    client.post(reverse("governance:publication_edit", args=[mirror.pk]), {**form, "published_on": "2026-03-10"})
    assert "已在迁出村同日公开" in get(client, clerk, "governance:publication_detail", notice.pk).content.decode()


def test_a_tampered_village_is_a_form_error_in_chinese(client, world):
    client.force_login(world["clerk_wenti"])
    notice = world["fumin"]["publication"]
    form = {"village": "某镇|某村", "title": "x", "published_on": "2026-03-10", "content": "x"}
    response = client.post(reverse("governance:mirror_create", args=[notice.pk]), form)
    assert response.status_code == 200 and "迁出乡镇和迁出村" in response.content.decode()
    assert not Publication.objects.filter(mirror_of=notice).exists()


def test_a_decision_form_offers_the_settlements_consultations_and_clears_the_flag(client, world):
    clerk, side = world["clerk_wenti"], world["fumin"]
    decisions = get(client, clerk, "governance:decisions", flagged="on").content.decode()
    assert "fumin停车收费" in decisions
    form = {"matter": "fumin停车收费", "decision": "每月50元。", "touches_interests": "on"}
    other = world["fengle"]["consultation"].pk
    response = client.post(
        reverse("governance:decision_edit", args=[side["decision"].pk]), {**form, "consultation": other}
    )
    assert response.status_code == 200  # 丰乐's consultation is not a choice
    response = client.post(
        reverse("governance:decision_edit", args=[side["decision"].pk]),
        {**form, "consultation": side["consultation"].pk},
    )
    assert response.status_code == 302
    assert "fumin停车收费" not in get(client, clerk, "governance:decisions", flagged="on").content.decode()


def test_the_settlement_section_shows_what_is_missing(client, world):
    page = get(
        client,
        world["clerk_wenti"],
        "governance:settlement",
        world["fumin"]["publication"].settlement_id,
        day="2026-03-20",
    )
    text = page.content.decode()
    assert "fumin临时救助名单</a>：迁出村未公开" in text
    assert "fumin停车收费</a>：未关联事先协商的会议" in text
    assert "居民自治章程：2025-01-01 通过" in text and '居民公约：<span class="text-danger">未制定</span>' in text


EXPORTS = {
    "governance:publication_export": ("居务公开台账", "fumin临时救助名单"),
    "governance:meeting_export": ("会议台账", "fumin停车决策"),
    "governance:decision_export": ("会议决定", "未关联事先协商的会议"),
    "governance:evaluation_export": ("民主评议", "安置点社区干部"),
    "governance:document_export": ("自治章程和居民公约", "居民自治章程"),
}


@pytest.mark.parametrize("name", EXPORTS)
def test_an_export_reads_back_with_the_clerks_settlements_only(client, world, name):
    sheet, expected = EXPORTS[name]
    response = get(client, world["clerk_wenti"], name)
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == [sheet]
    values = [cell.value for row in workbook[sheet].iter_rows() for cell in row if isinstance(cell.value, str)]
    assert expected in values and "富民" in values and "丰乐" not in values
    assert not any("fengle" in value for value in values)


def test_a_reader_sees_the_lists_without_the_write_buttons(client, world):
    page = get(client, world["leader"], "governance:publications").content.decode()
    assert "登记公开" not in page and "fengle临时救助名单" in page


def test_a_category_filter_and_a_bad_month_say_why(client, world):
    page = get(client, world["office"], "governance:publications", category=AffairCategory.FINANCES).content.decode()
    assert "没有符合条件的公开记录" in page
    page = get(client, world["office"], "governance:publications", month="2026-13").content.decode()
    assert "月份应写作 2026-05。" in page


def test_a_clerk_records_a_meeting_through_the_form(client, world):
    client.force_login(world["clerk_wenti"])
    settlement = world["fumin"]["meeting"].settlement_id
    form = {
        "settlement": settlement,
        "kind": "residents",
        "held_on": "2026-03-15",
        "topics": "环境卫生",
        "participants": "80",
    }
    assert client.post(reverse("governance:meeting_create"), form).status_code == 302
    form["settlement"] = world["fengle"]["meeting"].settlement_id
    response = client.post(reverse("governance:meeting_create"), form)
    assert response.status_code == 200  # 丰乐 is not a choice of 文体's clerk
