"""The clinics' staffing rules at their edges: doctors by a served population of 999/1,000/1,999/2,000/2,999/3,000,
the population of several settlements served together, a woman doctor from 2 doctors, 能西会中 in every clinic, 2
trained medical workers, 新农合定点, and a rule edited as a new dated row. Then the screening ledger's coverage, the
family-doctor contracts and the property cooperatives' subsidy years."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from services import health_rules, property_rules
from services.models import FamilyDoctorContract, ScreeningStatus
from services.property_rules import Phase
from services.selectors import health
from services.services import health as health_services
from settlements.models import DatedRule, Health, Person
from settlements.services import household_move_out
from tests.factories import registry_keeper

from . import factories as make
from . import health_factories as build

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = D(2020, 6, 1)


@pytest.fixture(autouse=True)
def _rules(reference):
    """The reference data and the services' rule rows (as `load_rules` seeds them)."""


def judged(facility, day=DAY):
    (row,) = health.clinic_staffing(health.health_facilities().filter(pk=facility.pk), day)
    return row


def failures(facility, day=DAY) -> list[str]:
    return [check.reason for check in judged(facility, day).failures]


# --- doctors by served population ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "population, doctors", [(999, 1), (1000, 2), (1999, 2), (2000, 3), (2999, 3), (3000, 4), (0, 1), (25255, 4)]
)
def test_the_seeded_bands_give_the_doctors_of_each_edge(population, doctors):
    bands = health_rules.clinic_rules(DAY).doctors.params["bands"]
    assert health_rules.doctors_required(population, bands) == doctors


def test_the_served_population_is_the_residents_of_every_settlement_served_together():
    centre = build.clinic(("wolong", "yangguang", "tehe"), name="文体社区卫生服务中心", kind="community_health_centre")
    build.staff(centre, "龙医生")
    build.staff(centre, "杨护士", woman=True, doctor=False)
    make.many_residents("古州镇", 400, sequence=101, settlement="wolong")
    make.many_residents("古州镇", 350, sequence=102, settlement="yangguang")
    make.many_residents("古州镇", 249, sequence=103, settlement="tehe")
    make.many_residents("古州镇", 1, sequence=104, settlement="tehe", moved_in=D(2020, 1, 1))
    make.many_residents("古州镇", 5, sequence=105, settlement="fumin")  # not served by the centre

    before = judged(centre, D(2019, 12, 31))
    assert (before.population, before.required_doctors, before.passed) == (999, 1, True)
    after = judged(centre, D(2020, 1, 1))
    assert (after.population, after.required_doctors, after.passed) == (1000, 2, False)
    assert failures(centre, D(2020, 1, 1)) == [
        "服务人口 1000 人，应配 2 名村医，在岗 1 名（原文：每村服务人口在 1000 人至 2000 人的，配置 2 名村医）"
    ]


def test_a_household_that_moved_out_is_no_longer_served_from_that_day():
    clinic = build.clinic(("fumin",))
    make.many_residents("古州镇", 999, sequence=111)
    household, _ = make.resident("fumin")
    build.staff(clinic, "龙医生")
    assert judged(clinic).required_doctors == 2
    household_move_out(actor=registry_keeper(), household=household, date=D(2020, 5, 1), reason="返迁")
    assert (judged(clinic).population, judged(clinic).required_doctors) == (999, 1)
    assert (judged(clinic, D(2020, 4, 30)).population, judged(clinic, D(2020, 4, 30)).required_doctors) == (1000, 2)


# --- a woman doctor, 能西会中, two trained workers, 新农合 -----------------------------------------------------------


def test_a_clinic_with_two_doctors_and_no_woman_fails_naming_the_rule():
    clinic = build.clinic()
    build.staff(clinic, "龙医生")
    build.staff(clinic, "杨医生")
    assert failures(clinic) == [
        "配备 2 名乡村医生，无女乡村医生（原文：配备 2 名以上乡村医生的村卫生室，应有 1 名女乡村医生）"
    ]
    check = judged(clinic).check(health_rules.CLINIC_WOMAN_DOCTOR)
    assert (check.required, check.actual, check.passed) == ("至少 1 名", "0 名", False)


def test_one_doctor_and_no_woman_passes_the_woman_rule_and_a_woman_among_two_passes_it():
    clinic = build.clinic()
    build.staff(clinic, "龙医生")
    build.staff(clinic, "王护士", doctor=False)  # a second worker, not a doctor
    check = judged(clinic).check(health_rules.CLINIC_WOMAN_DOCTOR)
    assert check.passed and check.required == "不适用（乡村医生不足 2 名）"
    assert judged(clinic).passed
    build.staff(clinic, "吴医生", woman=True)
    assert judged(clinic).check(health_rules.CLINIC_WOMAN_DOCTOR).passed


def test_a_doctor_who_left_is_not_counted_from_the_day_after_the_last_day():
    clinic = build.clinic()
    build.staff(clinic, "龙医生")
    build.staff(clinic, "吴医生", woman=True, end=D(2020, 5, 31))
    build.staff(clinic, "杨医生")
    assert judged(clinic, D(2020, 5, 31)).passed
    assert failures(clinic, D(2020, 6, 1))[0].startswith("配备 2 名乡村医生，无女乡村医生")


def test_a_clinic_without_a_doctor_practising_both_medicines_fails_even_with_one_doctor():
    clinic = build.clinic()
    build.staff(clinic, "龙医生", both=False)
    build.staff(clinic, "王护士", doctor=False)
    assert failures(clinic) == [
        "在岗乡村医生 1 名，无能西会中的乡村医生（原文：同时，至少应有 1 名能西会中的乡村医生）"
    ]


def test_one_worker_fails_the_two_worker_rule_and_an_untrained_worker_fails_the_training():
    clinic = build.clinic()
    build.staff(clinic, "龙医生")
    assert failures(clinic) == [
        "在岗医务人员 1 名，应不少于 2 名（原文：按每个安置点卫生室 2 名医务人员进行配备的要求，并完成培训工作）"
    ]
    build.staff(clinic, "王护士", doctor=False, trained=None)
    assert failures(clinic) == [
        "1 名医务人员未完成培训：王护士（原文：按每个安置点卫生室 2 名医务人员进行配备的要求，并完成培训工作）"
    ]
    later = build.staff(clinic, "杨护士", doctor=False, trained=D(2020, 6, 2))
    assert "王护士、杨护士" in failures(clinic)[0]  # trained only after the day asked
    assert later.trained_by(D(2020, 6, 2))


def test_a_settlement_clinic_not_designated_for_the_new_rural_scheme_is_flagged():
    clinic = build.clinic(designated=False)
    build.staff(clinic, "龙医生")
    build.staff(clinic, "王护士", doctor=False)
    assert failures(clinic) == ["未纳入新农合定点医疗机构（原文：将各安置点卫生室服务机构纳入新农合定点医疗机构）"]


def test_a_township_hospital_and_a_clinic_not_yet_in_use_are_not_judged():
    hospital = build.clinic(("dingwei",), name="定威乡卫生院", kind="township_hospital")
    later = build.clinic(("fengle",), in_use_on=D(2021, 1, 1))
    assert not judged(hospital).judged and judged(hospital).checks == []
    assert not judged(later).judged and judged(later, D(2021, 1, 1)).judged


def test_a_rule_edited_as_a_new_dated_row_changes_the_result_from_its_day_only():
    clinic = build.clinic()
    build.staff(clinic, "龙医生", both=False)
    build.staff(clinic, "王护士", doctor=False)
    DatedRule.objects.filter(code=health_rules.CLINIC_WESTERN_CHINESE).update(valid_to=D(2021, 1, 1))
    DatedRule.objects.create(
        code=health_rules.CLINIC_WESTERN_CHINESE,
        name="卫生室能西会中的乡村医生",
        valid_from=D(2021, 1, 1),
        params={"every_clinic": False},
        basis="附件1第5项：“同时，至少应有 1 名能西会中的乡村医生”。",
        reading="只适用于配备 2 名以上乡村医生的卫生室。",
    )
    assert not judged(clinic, D(2020, 12, 31)).passed
    assert judged(clinic, D(2021, 1, 1)).passed
    check = judged(clinic, D(2021, 1, 1)).check(health_rules.CLINIC_WESTERN_CHINESE)
    assert check.required == "不适用（乡村医生不足 2 名）"


def test_a_day_without_a_rule_row_judges_no_staffing_rule_and_says_which():
    clinic = build.clinic()
    build.staff(clinic, "龙医生")
    assert health_rules.clinic_rules(D(2019, 5, 19)).missing == [
        "卫生室按服务人口配备村医",
        "卫生室女乡村医生",
        "卫生室能西会中的乡村医生",
        "安置点卫生室医务人员配备和培训",
    ]
    assert [check.code for check in judged(clinic, D(2019, 5, 19)).checks] == ["designated"]


@pytest.mark.parametrize(
    "code, params, problem",
    [
        (health_rules.CLINIC_DOCTORS, {"bands": [[1, 999, 1], [1000, None, 2]]}, "第1段的下限须为 0"),
        (health_rules.CLINIC_DOCTORS, {"bands": [[0, 999, 1], [1000, 1999, 2]]}, "最后一段须不设上限"),
        (health_rules.CLINIC_DOCTORS, {"bands": [[0, 999, 0]]}, "村医人数须为正整数"),
        (health_rules.CLINIC_WOMAN_DOCTOR, {"from_doctors": 0}, "from_doctors"),
        (health_rules.CLINIC_WESTERN_CHINESE, {"every_clinic": "yes"}, "every_clinic"),
        (health_rules.CLINIC_STAFF, {"min_staff": 2}, "trained"),
        (property_rules.PROPERTY_SUBSIDY, {"subsidised_years": 0}, "subsidised_years"),
    ],
)
def test_an_edit_the_code_could_not_apply_is_refused_with_the_reason(code, params, problem):
    from settlements import dated_rules

    assert problem in dated_rules.params_problem(code, params)


# --- staff: who may keep them ------------------------------------------------------------------------------------


def test_staff_are_kept_only_at_a_health_facility_of_the_keepers_settlements(users):
    fengle = build.clinic(("fengle",))
    with pytest.raises(PermissionDenied):
        build.staff(fengle, actor=users["clerk_wenti"])
    with pytest.raises(PermissionDenied):
        build.staff(build.clinic(("fumin",)), actor=users["leader"])
    assert build.staff(fengle, actor=users["clerk_changba"]).pk
    market = build.clinic(("fumin",), name="富民农贸市场", kind="farmers_market")
    with pytest.raises(ValidationError) as refused:
        build.staff(market)
    assert refused.value.message_dict["facility"] == [
        "“富民农贸市场”不是医疗卫生机构（卫生室、社区卫生服务中心或乡镇卫生院），不能登记医务人员。"
    ]
    with pytest.raises(ValidationError) as refused:
        build.staff(fengle, start=D(2020, 1, 1), end=D(2019, 12, 31))
    assert refused.value.message_dict["end_date"] == ["截止日期不能早于起始日期（2020-01-01）。"]


def test_a_staff_change_is_kept_in_the_history():
    clinic = build.clinic()
    worker = build.staff(clinic, "龙医生", trained=None)
    worker.trained_on = D(2019, 4, 1)
    health_services.medical_staff_save(staff=worker, actor=registry_keeper())
    assert [record.trained_on for record in worker.history.order_by("history_date")] == [None, D(2019, 4, 1)]


# --- the serious-illness screening ledger ---------------------------------------------------------------------------


def ill(settlement="fumin", *, poor=True, name="杨明"):
    household, person = make.resident(settlement, name=name, registered_poor=poor)
    Person.objects.filter(pk=person.pk).update(health=Health.SERIOUS)
    return household, Person.objects.get(pk=person.pk)


def unscreened(user, day=DAY):
    return [stay.person.name for stay in health.unscreened_list(user=user, day=day)]


def test_a_seriously_ill_poor_resident_without_a_screening_is_listed_until_the_day_screened(users):
    _, person = ill(name="杨明")
    ill(name="吴英", poor=False)  # not registered poor
    make.resident("fumin", name="潘健")  # healthy
    ill("fengle", name="石丰")  # outside the clerk's centre
    office, clerk = users["office"], users["clerk_wenti"]
    assert unscreened(clerk) == ["杨明"] and sorted(unscreened(office)) == ["杨明", "石丰"]
    build.screening(person, D(2020, 6, 2))
    assert unscreened(clerk, D(2020, 6, 1)) == ["杨明"]
    assert unscreened(clerk, D(2020, 6, 2)) == []
    screened, missing = health.screening_counts(D(2020, 6, 2))
    fumin = person.settlement_id
    assert (screened.get(fumin), missing.get(fumin)) == (1, 0)


def test_a_monitoring_entry_updates_the_ledgers_status_and_is_refused_before_the_screening():
    _, person = ill()
    record = build.screening(person, D(2020, 3, 1), status=ScreeningStatus.LEDGER)
    keeper = registry_keeper()
    with pytest.raises(ValidationError) as refused:
        health_services.monitoring_entry_add(
            screening=record, noted_on=D(2020, 2, 28), note="复查", status=ScreeningStatus.TREATING, actor=keeper
        )
    assert refused.value.message_dict["noted_on"] == ["动态监测日期不能早于筛查日期（2020-03-01）。"]
    health_services.monitoring_entry_add(
        screening=record, noted_on=D(2020, 4, 1), note="入院透析", status=ScreeningStatus.TREATING, actor=keeper
    )
    record.refresh_from_db()
    assert record.status == ScreeningStatus.TREATING and record.entries.get().note == "入院透析"
    with pytest.raises(ValidationError) as refused:
        build.screening(person, D(2020, 5, 1))
    assert refused.value.messages == [
        "该人员已在大病筛查台账中（2020-03-01筛查）：如有变化，请修改原记录或登记动态监测。"
    ]


# --- family-doctor contracts -----------------------------------------------------------------------------------------


def test_a_contract_counts_from_its_signing_through_its_last_day():
    household, _ = make.resident("fumin")
    make.resident("fumin", name="吴英")  # never signed
    build.contract(household, D(2020, 1, 1), D(2020, 12, 31))
    counts = [health.contract_counts(day) for day in (D(2019, 12, 31), D(2020, 12, 31), D(2021, 1, 1))]
    fumin = household.settlement_id
    assert [(signed.get(fumin, 0), unsigned.get(fumin, 0)) for signed, unsigned in counts] == [(0, 2), (1, 1), (0, 2)]


def test_a_contract_is_refused_overlapping_another_without_a_doctor_or_team_or_with_a_doctor_elsewhere():
    household, _ = make.resident("fumin")
    build.contract(household, D(2020, 1, 1), D(2020, 12, 31))
    with pytest.raises(ValidationError) as refused:
        build.contract(household, D(2020, 12, 31), D(2021, 12, 31))
    assert refused.value.message_dict["signed_on"] == [
        "该户在 2020-12-31 已有有效的家庭医生签约（2020-01-01至2020-12-31）：同一户的签约期间不能重叠。"
    ]
    other = make.resident("fumin", name="吴英")[0]
    with pytest.raises(ValidationError) as refused:
        health_services.contract_save(
            contract=FamilyDoctorContract(household=other, signed_on=D(2020, 1, 1), valid_to=D(2020, 12, 31)),
            actor=registry_keeper(),
        )
    assert refused.value.message_dict["doctor"] == ["请选择签约医生，或填写签约团队。"]
    doctor = build.staff(build.clinic(("fengle",), name="丰乐社区卫生室"), "潘医生")
    with pytest.raises(ValidationError) as refused:
        build.contract(other, D(2020, 1, 1), D(2020, 12, 31), doctor=doctor)
    assert refused.value.message_dict["doctor"] == ["签约医生潘医生所在的“丰乐社区卫生室”不服务该户所在的富民安置点。"]
    ours = build.staff(build.clinic(("fumin",)), "龙医生", start=D(2020, 3, 1))
    with pytest.raises(ValidationError) as refused:
        build.contract(other, D(2020, 1, 1), D(2020, 12, 31), doctor=ours)
    assert refused.value.message_dict["doctor"] == ["签约医生龙医生在签约日期 2020-01-01 不在岗。"]
    assert build.contract(other, D(2020, 3, 1), D(2020, 12, 31), doctor=ours).signed_with == "龙医生"


# --- the property cooperatives' subsidy years ----------------------------------------------------------------------


def year(founded, day):
    return property_rules.coop_year(founded=founded, closed=None, day=day)


def test_a_cooperative_is_subsidised_to_the_last_day_of_its_third_year_and_fee_based_from_the_fourth():
    founded = D(2019, 5, 25)
    assert year(founded, D(2019, 5, 24)).label == "尚未成立"
    assert year(founded, D(2019, 5, 25)).label == "补贴期 第 1 年"
    assert year(founded, D(2020, 5, 25)).label == "补贴期 第 2 年"  # 成立满一年为第二年
    last = year(founded, D(2022, 5, 24))
    assert (last.phase, last.year, last.last_subsidised_day) == (Phase.SUBSIDISED, 3, D(2022, 5, 24))
    first = year(founded, D(2022, 5, 25))
    assert (first.phase, first.year, first.label) == (Phase.FEE_BASED, 4, "缴费物业管理（成立第 4 年）")
    assert year(D(2019, 5, 15), D(2019, 5, 19)).label == "当日没有生效的补贴年限规则"  # before the plan
    assert year(None, D(2022, 5, 25)).label == "未登记成立日期"


def test_a_cooperative_founded_on_a_leap_day_starts_its_years_on_28_february_in_common_years():
    founded = D(2020, 2, 29)
    assert year(founded, D(2021, 2, 27)).year == 1
    assert year(founded, D(2021, 2, 28)).year == 2
    assert (year(founded, D(2023, 2, 27)).phase, year(founded, D(2023, 2, 27)).year) == (Phase.SUBSIDISED, 3)
    assert (year(founded, D(2023, 2, 28)).phase, year(founded, D(2023, 2, 28)).year) == (Phase.FEE_BASED, 4)
    assert year(founded, D(2024, 2, 28)).year == 4 and year(founded, D(2024, 2, 29)).year == 5
    assert year(founded, D(2023, 2, 28)).last_subsidised_day == D(2023, 2, 27)


def test_the_subsidised_years_are_the_rule_rows_in_force():
    DatedRule.objects.filter(code=property_rules.PROPERTY_SUBSIDY).update(valid_to=D(2022, 1, 1))
    DatedRule.objects.create(
        code=property_rules.PROPERTY_SUBSIDY,
        name="物业管理合作社或公司的补贴年限",
        valid_from=D(2022, 1, 1),
        params={"subsidised_years": 5},
        basis="（县政府调整）",
    )
    assert year(D(2019, 5, 25), D(2021, 12, 31)).label == "补贴期 第 3 年"
    assert year(D(2019, 5, 25), D(2023, 6, 1)).label == "补贴期 第 5 年"
    assert property_rules.coop_year(founded=D(2019, 5, 25), closed=D(2023, 1, 1), day=D(2023, 6, 1)).label == "已停用"
