"""The open affairs' rules and services: assistance published in the settlement and the origin village on the
same day (A4-R12), a decision touching the residents' interests after a consultation (A4-R8), the catalogue's
fixed frequencies, the indicators, and the services' refusals in Chinese."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance import open_affairs_indicators as indicators
from governance import open_affairs_rules as rules
from governance.models import AffairCategory, EvaluationObject, Frequency, MeetingKind, Publication
from governance.selectors import open_affairs
from governance.services import open_affairs as services
from settlements.dated_rules import in_force
from settlements.models import DatedRule
from settlements.roles import Role

from . import open_affairs_factories as make

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = D(2026, 3, 10)


@pytest.fixture
def fumin(reference):
    make.village_household("fumin")
    return make.settlement("fumin")


def flagged_problems(day=DAY):
    return {flagged.record.pk: flagged.problems for flagged in open_affairs.unmirrored(day=day)}


# --- A4-R12: assistance published in both places on the same day ----------------------------------------------


def test_assistance_published_in_the_settlement_only_is_flagged_naming_the_village_missing(fumin):
    notice = make.publish(fumin, DAY)
    assert flagged_problems() == {notice.pk: ["迁出村未公开（安置点社区于 2026-03-10 公开）"]}
    assert indicators.open_affairs_figures(DAY)[indicators.UNMIRRORED] == {fumin.pk: 1}


def test_assistance_published_in_both_places_on_the_same_day_is_not_flagged(fumin):
    notice = make.publish(fumin, DAY)
    make.mirror(notice)
    assert flagged_problems() == {}
    assert indicators.open_affairs_figures(DAY)[indicators.UNMIRRORED] == {}


@pytest.mark.parametrize("mirrored_on", [D(2026, 3, 9), D(2026, 3, 11)])
def test_assistance_published_on_different_days_is_flagged_naming_both_days(fumin, mirrored_on):
    notice = make.publish(fumin, D(2026, 3, 10))
    make.mirror(notice, mirrored_on)
    (problem,) = flagged_problems(D(2026, 3, 20))[notice.pk]
    assert problem == (f"迁出村（古州镇华优村）于 {mirrored_on:%Y-%m-%d} 公开，与安置点社区（2026-03-10）不同日")


def test_as_of_a_day_a_mirror_published_later_does_not_count(fumin):
    notice = make.publish(fumin, D(2026, 3, 10))
    make.mirror(notice, D(2026, 3, 12))
    assert flagged_problems(D(2026, 3, 11))[notice.pk] == ["迁出村未公开（安置点社区于 2026-03-10 公开）"]
    assert flagged_problems(D(2026, 3, 9)) == {}  # not yet published at all


def test_other_categories_need_no_mirror_and_cannot_be_mirrored(fumin):
    notice = make.publish(fumin, DAY, AffairCategory.FINANCES, title="一季度经费收支")
    assert flagged_problems() == {}
    with pytest.raises(ValidationError) as refused:
        make.mirror(notice)
    assert refused.value.message_dict["mirror_of"] == [
        "只有“社会救助和精准帮扶”类的公开需要在迁出村同步公开：“一季度经费收支”属于“经费收支”。"
    ]


def test_the_categories_and_days_apart_are_the_rule_rows(fumin):
    notice = make.publish(fumin, D(2026, 3, 10))
    make.mirror(notice, D(2026, 3, 11))
    assert flagged_problems(D(2026, 3, 20)) != {}
    row = in_force(rules.ASSISTANCE_MIRROR, DAY)
    DatedRule.objects.create(
        code=row.code, name=row.name, valid_from=D(2026, 1, 1), params={**row.params, "days_apart": 1}, basis="测试"
    )
    DatedRule.objects.filter(pk=row.pk).update(valid_to=D(2026, 1, 1))
    assert flagged_problems(D(2026, 3, 20)) == {}


def test_a_mirror_names_a_village_the_settlements_households_come_from(fumin):
    notice = make.publish(fumin, DAY)
    with pytest.raises(ValidationError) as refused:
        make.mirror(notice, village="不存在村")
    assert refused.value.message_dict["origin_village"] == [
        "户籍台账中富民没有迁出地为“古州镇不存在村”的搬迁户：请按户籍台账的写法填写迁出乡镇和迁出村。"
    ]
    mirrored = make.mirror(notice)
    assert (mirrored.settlement, mirrored.item, mirrored.place) == (notice.settlement, notice.item, "origin_village")


def test_a_notice_of_an_item_not_in_use_that_day_is_refused(fumin):
    make.item(AffairCategory.GAS, title="燃气费", start=D(2026, 1, 1))
    notice = Publication(
        settlement=fumin,
        item=make.item(AffairCategory.GAS, title="燃气费"),
        title="燃气价格",
        published_on=D(2025, 12, 1),
    )
    notice.content = "每立方米 3 元。"
    with pytest.raises(ValidationError) as refused:
        services.publication_save(publication=notice, actor=make.registry_keeper())
    assert "在 2025-12-01 未启用" in refused.value.message_dict["published_on"][0]


# --- A4-R8: consult before deciding ------------------------------------------------------------------------------


def unconsulted_problems(day=DAY):
    return {flagged.record.pk: flagged.problems for flagged in open_affairs.unconsulted(day=day)}


def test_a_decision_touching_interests_after_an_earlier_consultation_passes(fumin):
    consultation = make.meeting(fumin, D(2026, 3, 1), MeetingKind.CONSULTATION)
    make.decide(make.meeting(fumin, D(2026, 3, 2)), consultation=consultation)
    assert unconsulted_problems() == {}


def test_a_decision_without_a_consultation_is_recorded_and_flagged(fumin):
    decision = make.decide(make.meeting(fumin, D(2026, 3, 2)))
    assert unconsulted_problems() == {decision.pk: ["未关联事先协商的会议"]}
    assert indicators.open_affairs_figures(DAY)[indicators.UNCONSULTED] == {fumin.pk: 1}


def test_a_consultation_the_same_day_is_flagged(fumin):
    consultation = make.meeting(fumin, D(2026, 3, 2), MeetingKind.CONSULTATION)
    decision = make.decide(make.meeting(fumin, D(2026, 3, 2)), consultation=consultation)
    assert unconsulted_problems() == {decision.pk: ["协商会议与决策同日（2026-03-02），不能证明先协商后决策"]}


def test_a_consultation_after_the_decision_is_flagged(fumin):
    consultation = make.meeting(fumin, D(2026, 3, 5), MeetingKind.CONSULTATION)
    decision = make.decide(make.meeting(fumin, D(2026, 3, 2)), consultation=consultation)
    assert unconsulted_problems() == {decision.pk: ["协商会议（2026-03-05）晚于决策（2026-03-02）"]}


def test_a_decision_not_touching_interests_needs_no_consultation(fumin):
    make.decide(make.meeting(fumin, D(2026, 3, 2)), touches=False)
    assert unconsulted_problems() == {}


def test_the_consultation_named_is_a_consultation_meeting_of_the_same_settlement(fumin):
    decision_meeting = make.meeting(fumin, D(2026, 3, 2))
    with pytest.raises(ValidationError) as refused:
        make.decide(decision_meeting, consultation=make.meeting(fumin, D(2026, 3, 1), MeetingKind.RESIDENTS))
    assert refused.value.message_dict["consultation"] == ["事先协商的会议须是居民协商议事会议：所选会议是居民会议。"]
    with pytest.raises(ValidationError) as refused:
        make.decide(decision_meeting, consultation=make.meeting("fengle", D(2026, 3, 1), MeetingKind.CONSULTATION))
    assert refused.value.message_dict["consultation"] == ["事先协商的会议须是本安置点（富民）的会议。"]


# --- the catalogue's fixed frequencies -------------------------------------------------------------------------


def test_a_monthly_item_missed_in_a_month_is_listed_and_the_running_month_is_not(fumin):
    monthly = make.item(AffairCategory.FINANCES, "经费收支月报", Frequency.MONTHLY, start=D(2026, 1, 1))
    make.item(AffairCategory.PROPERTY_FEE, "物业管理费收缴", Frequency.AS_NEEDED, start=D(2026, 1, 1))
    make.publish(fumin, D(2026, 1, 20), of=monthly)
    make.publish(fumin, D(2026, 2, 20), AffairCategory.FINANCES)  # another finances item: not this one
    (missed,) = open_affairs.missed_items(settlement=fumin, day=D(2026, 3, 10))
    assert missed.item == monthly and missed.labels == ["2026-02"]


def test_a_quarterly_item_is_checked_by_quarter(fumin):
    quarterly = make.item(AffairCategory.FUNDED_PROJECT, "资助项目进度", Frequency.QUARTERLY, start=D(2025, 7, 1))
    make.publish(fumin, D(2025, 9, 30), of=quarterly)
    (missed,) = open_affairs.missed_items(settlement=fumin, day=D(2026, 4, 1))
    assert missed.labels == ["2025年第4季度", "2026年第1季度"]


def test_the_catalogue_is_the_offices(make_user, fumin):
    clerk = make_user(Role.CLERK, "文体社区服务中心")
    with pytest.raises(PermissionDenied, match="公开目录由县领导小组办公室维护"):
        make.item(AffairCategory.GAS, "燃气费", actor=clerk)
    make.item(AffairCategory.GAS, "燃气费", actor=make_user(Role.OFFICE, "县生态移民局"))


# --- scope, readers, dates ----------------------------------------------------------------------------------------


def test_a_clerk_cannot_write_for_a_settlement_outside_their_centre_and_a_reader_not_at_all(make_user, fumin):
    clerk = make_user(Role.CLERK, "文体社区服务中心")
    with pytest.raises(ValidationError) as refused:
        make.meeting("fengle", D(2026, 3, 2), actor=clerk)
    assert refused.value.message_dict["settlement"] == ["所选安置点不在您的管辖范围内。"]
    with pytest.raises(PermissionDenied):
        make.meeting("fumin", D(2026, 3, 2), actor=make_user(Role.LEADER))
    assert make.meeting("fumin", D(2026, 3, 2), actor=clerk).recorded_by == clerk


def test_a_meeting_in_the_future_is_refused(fumin):
    with pytest.raises(ValidationError) as refused:
        make.meeting(fumin, datetime.date.today() + datetime.timedelta(days=2))
    assert refused.value.message_dict["held_on"] == ["召开日期不能晚于今天。"]


def test_an_evaluation_of_a_unit_names_the_unit(fumin):
    with pytest.raises(ValidationError) as refused:
        make.evaluate(fumin, DAY, EvaluationObject.UNIT)
    assert refused.value.message_dict["evaluated_name"] == ["评议对象为“其他单位”时，须填写被评议的单位。"]


# --- indicators and documents -------------------------------------------------------------------------------------


def test_the_indicators_count_this_month_and_this_year(fumin):
    make.publish(fumin, D(2026, 2, 27), AffairCategory.PROGRESS)
    make.publish(fumin, D(2026, 3, 1), AffairCategory.PROGRESS)
    make.publish(fumin, D(2026, 3, 11), AffairCategory.PROGRESS)  # after the day
    make.meeting(fumin, D(2026, 3, 2), MeetingKind.CONSULTATION)
    make.meeting(fumin, D(2026, 3, 3))
    make.evaluate(fumin, D(2025, 12, 31))
    make.evaluate(fumin, D(2026, 1, 1))
    figures = indicators.open_affairs_figures(DAY)
    assert figures[indicators.PUBLICATIONS] == {fumin.pk: 1}
    assert figures[indicators.MEETINGS] == {fumin.pk: 2}
    assert figures[indicators.CONSULTATIONS] == {fumin.pk: 1}
    assert figures[indicators.EVALUATIONS] == {fumin.pk: 1}


def test_the_document_in_force_is_the_last_adopted_by_the_day(fumin):
    first = make.document(fumin, D(2020, 1, 1))
    revised = make.document(fumin, D(2025, 1, 1))
    (status,) = open_affairs.document_status(settlements=[fumin], day=D(2024, 6, 1))
    assert status.rows == [("居民自治章程", first), ("居民公约", None)]
    (status,) = open_affairs.document_status(settlements=[fumin], day=D(2025, 6, 1))
    assert status.rows[0] == ("居民自治章程", revised)
