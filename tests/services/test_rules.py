"""Every rule of the services at its edges: an insurance gap of one day, the 市民证 on the last day of its months
and the day after, townships of 299/300/1,000/1,001 persons, a service day on a Wednesday, the relief twice and
outside 十三五, a 低保 basis the registry does not back; and the rules' parameters checked on an edit."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from services import rules
from services.models import CitizenCard, DibaoBasis, DibaoKind, OneTimeRelief, Scheme, ServiceDay
from services.selectors import hukou, outreach, social_security
from services.selectors.hukou import CardStatus
from services.services import outreach as outreach_services
from services.services import social_security as social_services
from settlements.models import DatedRule, HukouStatus, Person, Settlement
from settlements.services import person_join
from tests.factories import registry_keeper, with_check_digit

from . import factories as make

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _rules(reference):
    """The reference data and the services' rule rows (as `load_rules` seeds them)."""


# --- insurance: 不得漏保断保 ---------------------------------------------------------------------------------------


def gaps_of(person):
    return [
        social_security.as_gap(row)
        for row in social_security.medical_gaps(schemes=rules.medical_schemes(D(2021, 1, 1))).filter(person=person)
    ]


def uninsured(day):
    schemes = rules.medical_schemes(day)
    return list(social_security.uninsured_stays(day=day, schemes=schemes).values_list("person_id", flat=True))


def test_an_insurance_gap_of_one_day_is_listed_with_its_day_and_the_resident_uninsured_that_day():
    _, person = make.resident()
    make.enrol(person, D(2020, 1, 1), D(2020, 12, 30))  # the end day is the last day covered
    make.enrol(person, D(2021, 1, 1))
    (gap,) = gaps_of(person)
    assert (gap.first_day, gap.last_day, gap.days) == (D(2020, 12, 31), D(2020, 12, 31), 1)
    assert uninsured(D(2020, 12, 30)) == []
    assert uninsured(D(2020, 12, 31)) == [person.pk]
    assert uninsured(D(2021, 1, 1)) == []


def test_enrolments_that_meet_or_overlap_leave_no_gap_and_pension_does_not_cover():
    _, person = make.resident()
    make.enrol(person, D(2020, 1, 1), D(2020, 12, 31))
    make.enrol(person, D(2020, 6, 1), D(2020, 6, 30), scheme=Scheme.EMPLOYEE_MEDICAL)  # inside the first
    make.enrol(person, D(2021, 1, 1), D(2021, 12, 31))  # the day after the first's last day
    make.enrol(person, D(2022, 1, 1), scheme=Scheme.RESIDENT_PENSION)
    make.enrol(person, D(2022, 1, 3), scheme=Scheme.EMPLOYEE_MEDICAL)
    (gap,) = gaps_of(person)  # only 2022-01-01 and 02: the pension does not count as medical insurance
    assert (gap.first_day, gap.days) == (D(2022, 1, 1), 2)
    (page,) = social_security.person_insurance([person], D(2022, 1, 2))
    assert page.resident and page.covered is False and page.gaps == [(D(2022, 1, 1), D(2022, 1, 2))]


def test_a_second_enrolment_of_the_same_scheme_over_the_first_is_refused_with_the_day():
    _, person = make.resident()
    make.enrol(person, D(2020, 1, 1), D(2020, 12, 31))
    with pytest.raises(ValidationError) as refused:
        make.enrol(person, D(2020, 12, 31))
    assert refused.value.message_dict["start_date"] == [
        "该人员的城乡居民基本医疗保险在 2020-12-31 已有参保记录（2020-01-01起）：同一险种的参保期间不能重叠。"
    ]


# --- 市民证: 入住后6个月内 ----------------------------------------------------------------------------------------


def card_status(person, day):
    (stay,) = hukou.card_stays(day=day, months=6).filter(person=person)
    return hukou.status_of(stay, day), stay.due


@pytest.mark.parametrize(
    "issued, status",
    [(D(2020, 2, 29), CardStatus.ON_TIME), (D(2020, 3, 1), CardStatus.LATE)],
    ids=["on the last day of the six months", "the day after"],
)
def test_a_card_is_on_time_on_the_last_day_of_the_six_months_and_late_the_day_after(issued, status):
    _, person = make.resident(moved_in=D(2019, 8, 31))  # + 6 months: 2020-02-29 (February has no 31st)
    make.card(person, issued)
    assert card_status(person, D(2020, 3, 1)) == (status, D(2020, 2, 29))
    (page,) = hukou.person_cards([Person.objects.get(pk=person.pk)], D(2020, 3, 1))
    assert (page.status, page.due, page.card.issued_on) == (status, D(2020, 2, 29), issued)  # the household page


def test_without_a_card_a_person_is_due_until_the_last_day_and_overdue_the_day_after():
    household, person = make.resident(moved_in=D(2019, 8, 31))
    assert card_status(person, D(2020, 2, 29)) == (CardStatus.DUE, D(2020, 2, 29))
    assert card_status(person, D(2020, 3, 1)) == (CardStatus.OVERDUE, D(2020, 2, 29))
    settlement = household.settlement_id
    assert hukou.overdue_counts(D(2020, 2, 29)).get(settlement, 0) == 0
    assert hukou.overdue_counts(D(2020, 3, 1))[settlement] == 1


def test_a_member_who_joined_later_is_due_six_months_after_joining():
    household, _ = make.resident(moved_in=D(2019, 5, 1))
    joined = person_join(
        actor=registry_keeper(),
        household=household,
        date=D(2020, 1, 15),
        name="吴英",
        id_number=with_check_digit("52263219900101002"),
        relation="spouse",
    )
    assert card_status(joined, D(2020, 7, 16)) == (CardStatus.OVERDUE, D(2020, 7, 15))


def test_a_transferred_person_owes_no_card_and_is_refused_one_but_a_card_holder_may_transfer():
    _, moved = make.resident()
    make.transfer(moved, D(2019, 9, 1))
    moved.refresh_from_db()
    assert moved.hukou_status == HukouStatus.TRANSFERRED  # the registry says the same
    assert not hukou.card_stays(day=D(2020, 1, 1), months=6).filter(person=moved).exists()
    assert hukou.card_stays(day=D(2019, 8, 31), months=6).filter(person=moved).exists()  # before the transfer
    with pytest.raises(ValidationError, match="户籍已迁入安置地（2019-09-01），不需办理"):
        make.card(moved, D(2019, 10, 1))
    assert not CitizenCard.objects.filter(person=moved).exists()

    _, holder = make.resident(name="龙梅")
    make.card(holder, D(2019, 8, 1))
    holder.refresh_from_db()
    assert holder.hukou_status == HukouStatus.CITIZEN_CARD
    make.transfer(holder, D(2021, 3, 1))  # voluntary, after the card
    holder.refresh_from_db()
    assert holder.hukou_status == HukouStatus.TRANSFERRED
    assert holder.history.first().hukou_status == HukouStatus.TRANSFERRED  # through the core's service, with history


def test_a_card_number_is_registered_once():
    _, first = make.resident()
    _, second = make.resident(name="龙梅")
    make.card(first, D(2019, 8, 1), number="RJ-0001")
    with pytest.raises(ValidationError, match="该市民证号已登记给另一人"):
        make.card(second, D(2019, 8, 1), number="rj-0001 ")


# --- cadres from origin townships -----------------------------------------------------------------------------


def test_townships_of_299_300_1000_and_1001_persons_owe_0_1_1_and_2_cadres(users):
    for sequence, (township, count) in enumerate(
        [("计划乡", 299), ("水尾乡", 300), ("两汪乡", 1000), ("塔石乡", 1001)], start=101
    ):
        make.many_residents(township, count, sequence=sequence)
    make.posting("两汪乡")
    owed = {
        row.township: (row.persons, row.owed, row.posted, row.shortfall)
        for row in outreach.township_cadres(day=D(2020, 1, 1), user=users["clerk_changba"])
    }
    assert owed == {
        "计划乡": (299, 0, 0, 0),
        "水尾乡": (300, 1, 0, 1),
        "两汪乡": (1000, 1, 1, 0),
        "塔石乡": (1001, 2, 0, 2),
    }


def test_the_bands_as_printed_read_the_same_in_code():
    bands = rules.params_on(rules.ORIGIN_CADRES, D(2020, 1, 1))["bands"]
    assert [rules.cadres_owed(n, bands) for n in (0, 299, 300, 1000, 1001, 25255)] == [0, 0, 1, 1, 2, 2]


def test_a_posting_must_name_a_township_the_registry_knows():
    make.resident(township="古州镇")
    with pytest.raises(ValidationError) as refused:
        make.posting("古洲镇")
    assert "户籍台账中没有迁出乡镇为“古洲镇”的搬迁户" in refused.value.message_dict["origin_township"][0]


# --- the monthly service day ---------------------------------------------------------------------------------------


def test_a_service_day_on_a_wednesday_is_refused_and_on_a_thursday_morning_too():
    with pytest.raises(ValidationError) as refused:
        make.service_day("fumin", D(2026, 11, 25))
    assert refused.value.message_dict["held_on"] == ["服务日须安排在周四下午：2026-11-25 是星期三。"]
    with pytest.raises(ValidationError) as refused:
        make.service_day("fumin", D(2026, 11, 26), starts_at=datetime.time(9, 0))
    assert refused.value.message_dict["starts_at"] == ["服务日须安排在周四下午：开始时间 09:00 不在 12:00—18:00 之间。"]
    held = make.service_day("fumin", D(2026, 11, 26), starts_at=datetime.time(12, 0))
    assert sorted(held.units.values_list("name", flat=True)) == ["县政务服务中心", "县生态移民局"]


def test_months_without_a_service_day_are_missed_from_the_first_move_in_and_the_running_month_is_not():
    make.resident("tehe", moved_in=D(2026, 8, 10))
    make.service_day("tehe", D(2026, 9, 3))
    (record,) = outreach.service_day_records(day=D(2026, 11, 30), settlements=[Settlement.objects.get(code="tehe")])
    assert record.missed == [D(2026, 8, 1), D(2026, 10, 1)]
    assert record.this_month == 0 and record.last_held == D(2026, 9, 3)


def test_a_rule_with_two_a_month_misses_a_month_with_one():
    rule = DatedRule.objects.get(code=rules.SERVICE_DAY)
    rule.params = {**rule.params, "per_month": 2}
    rule.save()
    make.resident("tehe", moved_in=D(2026, 9, 1))
    make.service_day("tehe", D(2026, 9, 3))
    make.service_day("tehe", D(2026, 9, 10))
    make.service_day("tehe", D(2026, 10, 1))
    (record,) = outreach.service_day_records(day=D(2026, 11, 1), settlements=[Settlement.objects.get(code="tehe")])
    assert record.missed == [D(2026, 10, 1)]


# --- the one-time relief of 十三五 ----------------------------------------------------------------------------------


def test_relief_is_granted_within_the_period_and_once():
    first, _ = make.resident()
    second, _ = make.resident(name="龙梅")
    make.relief(first, D(2016, 1, 1))
    make.relief(second, D(2020, 12, 31))
    with pytest.raises(ValidationError) as refused:
        make.relief(first, D(2018, 6, 1))
    assert refused.value.message_dict["granted_on"] == [
        "该户已于 2016-01-01 领取一次性临时救助：“十三五”期间每户限领一次。"
    ]
    with pytest.raises(IntegrityError), transaction.atomic():  # and the database holds it too
        OneTimeRelief.objects.create(household=first, granted_on=D(2018, 6, 1), amount=1, recorded_by=registry_keeper())


@pytest.mark.parametrize("day", [D(2015, 12, 31), D(2021, 1, 1)])
def test_relief_outside_the_thirteenth_five_year_plan_is_refused(day):
    household, _ = make.resident()
    with pytest.raises(ValidationError) as refused:
        make.relief(household, day)
    assert refused.value.message_dict["granted_on"] == [
        f"一次性临时救助只在 2016-01-01 至 2020-12-31 期间发放：{day.isoformat()} 不在其内。"
    ]
    assert not OneTimeRelief.objects.exists()


# --- 低保: the basis of urban 低保 is backed by the registry ------------------------------------------------------


def test_urban_dibao_by_hukou_needs_a_member_transferred_by_its_start():
    household, person = make.resident()
    with pytest.raises(ValidationError) as refused:
        make.dibao(household, D(2020, 1, 1), kind=DibaoKind.URBAN, basis=DibaoBasis.HUKOU)
    assert refused.value.message_dict["basis"] == [social_services.MSG_NO_TRANSFERRED_MEMBER.format(date="2020-01-01")]
    make.transfer(person, D(2020, 1, 2))
    with pytest.raises(ValidationError, match="2020-01-01 或之前已迁入户籍"):  # the day after is too late
        make.dibao(household, D(2020, 1, 1), kind=DibaoKind.URBAN, basis=DibaoBasis.HUKOU)
    assert make.dibao(household, D(2020, 1, 2), kind=DibaoKind.URBAN, basis=DibaoBasis.HUKOU).pk


def test_urban_dibao_by_citizen_card_needs_a_member_holding_one_by_its_start():
    household, person = make.resident()
    make.card(person, D(2020, 3, 1))
    with pytest.raises(ValidationError) as refused:
        make.dibao(household, D(2020, 2, 29), kind=DibaoKind.URBAN, basis=DibaoBasis.CITIZEN_CARD)
    assert refused.value.message_dict["basis"] == [social_services.MSG_NO_CARD_MEMBER.format(date="2020-02-29")]
    assert make.dibao(household, D(2020, 3, 1), kind=DibaoKind.URBAN, basis=DibaoBasis.CITIZEN_CARD).pk


def test_urban_dibao_names_its_basis_rural_none_and_periods_do_not_overlap():
    household, _ = make.resident()
    with pytest.raises(ValidationError, match="纳入城市低保须选择依据"):
        make.dibao(household, D(2020, 1, 1), kind=DibaoKind.URBAN)
    with pytest.raises(ValidationError, match="农村低保不填写"):
        make.dibao(household, D(2020, 1, 1), basis=DibaoBasis.RESIDENCE_PERMIT)
    make.dibao(household, D(2020, 1, 1), end=D(2020, 12, 31))
    with pytest.raises(ValidationError, match="该户在 2020-12-31 已有低保记录（农村低保，2020-01-01起）"):
        make.dibao(household, D(2020, 12, 31), kind=DibaoKind.URBAN, basis=DibaoBasis.RESIDENCE_PERMIT)
    assert make.dibao(household, D(2021, 1, 1), kind=DibaoKind.URBAN, basis=DibaoBasis.RESIDENCE_PERMIT).pk


# --- who may write, and the rules' parameters ------------------------------------------------------------------------


def test_a_reader_may_not_write_even_calling_the_service(users):
    household, person = make.resident()
    with pytest.raises(PermissionDenied):
        make.card(person, D(2019, 8, 1), actor=users["leader"])
    with pytest.raises(PermissionDenied):
        make.relief(household, D(2019, 8, 1), actor=users["team_lead"])
    assert not CitizenCard.objects.exists() and not OneTimeRelief.objects.exists()


@pytest.mark.parametrize(
    "code, params, reason",
    [
        (rules.CITIZEN_CARD_MONTHS, {"months": 0}, "“months”须为 1 至 120 之间的整数"),
        (rules.ORIGIN_CADRES, {"bands": [[300, 1000, 1], [1000, None, 2]]}, "第2段与前一段重叠"),
        (rules.ORIGIN_CADRES, {"bands": [[300, None, 1], [1001, None, 2]]}, "只有最后一段可以不设上限"),
        (rules.SERVICE_DAY, {"weekday": 7}, "“weekday”须为 0 至 6 的整数"),
        (rules.ONE_TIME_RELIEF, {"from": "2016-01-01", "to": "2020-12-31", "per_household": 2}, "只能为 1"),
        (rules.MEDICAL_SCHEMES, {"schemes": ["resident_pension", "dental"]}, "“schemes”须为险种代码的列表"),
    ],
)
def test_an_edit_of_a_rule_the_code_cannot_apply_is_refused_with_the_reason(code, params, reason):
    rule = DatedRule.objects.get(code=code)
    rule.params = params
    with pytest.raises(ValidationError) as refused:
        rule.full_clean()
    assert reason in refused.value.message_dict["params"][0]


def test_each_rule_row_quotes_the_seed_and_says_how_it_is_read():
    for code in (rules.CITIZEN_CARD_MONTHS, rules.ORIGIN_CADRES, rules.SERVICE_DAY, rules.ONE_TIME_RELIEF):
        rule = DatedRule.objects.get(code=code)
        assert rule.basis and rule.reading, code
    assert "5月底" in DatedRule.objects.get(code=rules.CITIZEN_CARD_MONTHS).reading
    assert "1000 人的乡镇按原文第一段计" in DatedRule.objects.get(code=rules.ORIGIN_CADRES).reading


def test_no_card_is_owed_before_the_plan_took_effect():
    _, person = make.resident(moved_in=D(2018, 1, 1))
    assert rules.citizen_card_months(D(2019, 5, 19)) is None
    assert hukou.overdue_counts(D(2019, 5, 19)) == {}
    assert hukou.overdue_counts(D(2019, 5, 20)) == {person.settlement_id: 1}


def test_the_relief_amount_must_be_positive():
    household, _ = make.resident()
    with pytest.raises(ValidationError, match="救助金额须大于 0"):
        make.relief(household, D(2019, 1, 1), amount=Decimal("0"))


def test_a_service_day_in_the_future_is_refused():
    with pytest.raises(ValidationError, match="服务日期不能晚于今天"):
        outreach_services.service_day_save(
            service_day=ServiceDay(
                settlement=Settlement.objects.get(code="fumin"), held_on=D(2099, 1, 1), starts_at=datetime.time(14)
            ),
            units=[],
            actor=registry_keeper(),
        )
