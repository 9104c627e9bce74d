"""Every subsidy of annex 2 pinned to the seed's numbers at its edges, with the condition that says why not."""

import importlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from employment import services, subsidies
from employment.exports import SubsidyRoster
from employment.models import EmployerKind, EmploymentKind, Funding, SubsidyRule, SubsidyUnit, WorkshopKind
from employment.subsidies import (
    ASSISTANCE,
    BASE_AWARD,
    EAST_WEST,
    HIRING,
    HIRING_INSURANCE,
    LIVING,
    LOAN_FIRM,
    LOAN_PERSON,
    ON_THE_JOB,
    SEEKING_OUTSIDE,
    SEEKING_PROVINCE,
    STARTUP,
    TRACKING,
    WORKSHOP_AWARD,
)
from settlements import exports
from settlements.id_numbers import mask
from settlements.models import Relation

from . import subsidy_factories as make
from .factories import D, family

pytestmark = pytest.mark.django_db
SEED = Path(__file__).resolve().parents[2] / "fixtures" / "sources" / "rongjiang_2019_follow_up_plan.txt"

# code: (subject, amount, unit, valid_to) as annex 2 prints them
SEED_FIGURES = {
    HIRING: ("employer", "500", SubsidyUnit.ONCE, None),
    HIRING_INSURANCE: ("employer", "0", SubsidyUnit.ONCE, None),
    TRACKING: ("employer", "400", SubsidyUnit.ONCE, None),
    SEEKING_PROVINCE: ("person", "500", SubsidyUnit.ONCE, None),
    SEEKING_OUTSIDE: ("person", "1000", SubsidyUnit.ONCE, None),
    STARTUP: ("person", "5000", SubsidyUnit.ONCE, None),
    LOAN_PERSON: ("person", "150000", SubsidyUnit.CAP, None),
    LOAN_FIRM: ("employer", "3000000", SubsidyUnit.CAP, None),
    ON_THE_JOB: ("employer", "500", SubsidyUnit.PER_MONTH, None),
    LIVING: ("person", "40", SubsidyUnit.PER_DAY, None),
    ASSISTANCE: ("person", "400", SubsidyUnit.PER_MONTH, D(2021, 12, 30)),
    EAST_WEST: ("person", "100", SubsidyUnit.PER_MONTH, D(2020, 12, 30)),
    BASE_AWARD: ("workshop", "30000", SubsidyUnit.ONCE, None),
    WORKSHOP_AWARD: ("workshop", "10000", SubsidyUnit.ONCE, None),
}


def only(verdicts, code, person=None):
    """The one verdict of rule `code` (for `person`, among an employer's per-worker verdicts)."""
    found = [v for v in verdicts if v.rule.code == code and (person is None or v.person == person)]
    assert len(found) == 1, found
    return found[0]


def failing(verdict):
    return [condition.label for condition in verdict.failing]


def summary(verdicts, code):
    """The employer's "no worker qualifies" verdict of a per-worker rule, or None."""
    found = [v for v in verdicts if v.rule.code == code and v.person is None]
    return found[0] if found else None


def worker(**fields):
    _, (person,) = family(**fields)
    return person


def hired(firm, clerk, start, *, contract_months=12, social_insurance=True, **fields):
    person = worker()
    make.job(
        person,
        start,
        clerk,
        employer=firm,
        contract_months=contract_months,
        social_insurance=social_insurance,
        **fields,
    )
    return person


# --- the rules themselves ------------------------------------------------------------------------------------


def test_every_subsidy_of_annex_2_is_a_rule_with_the_seeds_figures_and_words(db):
    seed = SEED.read_text(encoding="utf-8").replace("\n", "")
    rules = {rule.code: rule for rule in SubsidyRule.objects.all()}
    assert set(rules) == set(SEED_FIGURES)
    for code, (subject, amount, unit, valid_to) in SEED_FIGURES.items():
        rule = rules[code]
        assert (rule.subject, rule.amount, rule.unit, rule.valid_from, rule.valid_to) == (
            subject,
            Decimal(amount),
            unit,
            None,
            valid_to,
        ), code
        for passage in rule.basis.split("……"):
            assert passage in seed, code  # quoted word for word
        assert rule.params["seed_lines"] and rule.params["reading"]
    assert {k: rules[HIRING].params[k] for k in ("min_months", "min_contract_months", "social_insurance")} == {
        "min_months": 3,
        "min_contract_months": 12,
        "social_insurance": True,
    }
    assert (rules[TRACKING].params["min_months"], rules[TRACKING].params["follow_up_months"]) == (6, 12)
    assert rules[STARTUP].params["min_months"] == 6
    loan = rules[LOAN_FIRM].params
    assert (loan["min_share_percent"], loan["large_firm_staff"], loan["large_firm_share_percent"]) == (25, 100, 15)
    assert rules[ON_THE_JOB].params["max_months"] == 3
    assert (rules[ASSISTANCE].params["post_funding"], rules[EAST_WEST].params["post_funding"]) == (
        Funding.EMPLOYMENT_FUND,
        Funding.EAST_WEST,
    )
    assert "就业困难人员" in rules[HIRING_INSURANCE].basis and rules[HIRING_INSURANCE].params["eligibility_only"]


def test_the_data_migration_can_run_again_and_keeps_the_offices_corrections(db):
    migration = importlib.import_module("employment.migrations.0003_subsidy_rules")
    SubsidyRule.objects.filter(code=HIRING).update(amount=Decimal("600"))
    migration.add_rules(django_apps, None)
    assert SubsidyRule.objects.count() == len(SEED_FIGURES)
    assert SubsidyRule.objects.get(code=HIRING).amount == Decimal("600")


def test_months_end_on_the_same_day_or_the_last_day_of_a_shorter_month():
    assert subsidies.add_months(D(2026, 8, 22), 3) == D(2026, 11, 22)
    assert subsidies.add_months(D(2026, 1, 31), 3) == D(2026, 4, 30)
    assert subsidies.add_months(D(2023, 11, 30), 3) == D(2024, 2, 29)
    assert subsidies.add_months(D(2026, 3, 1), -12) == D(2025, 3, 1)
    assert subsidies.months_of(D(2026, 1, 15), D(2026, 4, 14)) == 3
    assert subsidies.months_of(D(2026, 1, 15), D(2026, 4, 15)) == 4
    assert subsidies.months_of(D(2026, 1, 1), D(2026, 1, 31)) == 1


# --- item 4: hiring ------------------------------------------------------------------------------------------


def test_hiring_subsidy_is_due_after_three_months_not_after_89_days(clerk):
    firm = make.employer()
    person = hired(firm, clerk, D(2026, 8, 22))
    on_day_89 = subsidies.employer_verdicts(firm, D(2026, 11, 19))
    verdict = only(on_day_89, HIRING, person)
    assert (verdict.due, verdict.amount) == (False, 0)
    assert failing(verdict) == ["稳定就业满3个月"]
    assert "共89天" in verdict.conditions[2].detail and "2026-11-22才满3个月" in verdict.conditions[2].detail
    assert failing(summary(on_day_89, HIRING)) == [subsidies.LABEL_ANY_WORKER]
    assert not only(subsidies.employer_verdicts(firm, D(2026, 11, 21)), HIRING, person).due
    on_the_day = subsidies.employer_verdicts(firm, D(2026, 11, 22))
    verdict = only(on_the_day, HIRING, person)
    assert (verdict.due, verdict.amount, verdict.subject_label, verdict.failing) == (True, 500, person.name, [])
    assert verdict.conditions[0].label == "执行期限" and summary(on_the_day, HIRING) is None


def test_three_months_from_the_31st_end_on_the_last_day_of_a_shorter_month(clerk):
    firm = make.employer()
    person = hired(firm, clerk, D(2026, 1, 31))
    assert not only(subsidies.employer_verdicts(firm, D(2026, 4, 29)), HIRING, person).due
    assert only(subsidies.employer_verdicts(firm, D(2026, 4, 30)), HIRING, person).due


def test_hiring_subsidy_needs_a_contract_of_twelve_months_and_social_insurance(clerk):
    firm = make.employer(EmployerKind.COOPERATIVE)
    twelve = hired(firm, clerk, D(2026, 1, 5), contract_months=12)
    eleven = hired(firm, clerk, D(2026, 1, 5), contract_months=11)
    unrecorded = hired(firm, clerk, D(2026, 1, 5), contract_months=None)
    uninsured = hired(firm, clerk, D(2026, 1, 5), social_insurance=False)
    verdicts = subsidies.employer_verdicts(firm, D(2026, 6, 1))
    assert only(verdicts, HIRING, twelve).amount == 500
    assert failing(only(verdicts, HIRING, eleven)) == ["签订12个月以上劳动合同"]
    assert only(verdicts, HIRING, eleven).conditions[3].detail == "劳动合同期限11个月"
    assert only(verdicts, HIRING, unrecorded).conditions[3].detail == "未登记劳动合同期限"
    assert failing(only(verdicts, HIRING, uninsured)) == [subsidies.LABEL_INSURANCE]
    assert sum(v.amount for v in verdicts if v.rule.code == HIRING) == 500


def test_hiring_subsidy_is_for_firms_not_public_bodies_and_not_for_a_job_left_on_its_third_month(clerk):
    public = make.employer(EmployerKind.PUBLIC)
    clerk_job = hired(public, clerk, D(2026, 1, 5))
    firm = make.employer()
    left_on_the_day, left_a_day_later = hired(firm, clerk, D(2026, 1, 10)), hired(firm, clerk, D(2026, 1, 10))
    make.leave(left_on_the_day.employments.get(), D(2026, 4, 10), clerk)  # not in the job on 2026-04-10
    make.leave(left_a_day_later.employments.get(), D(2026, 4, 11), clerk)
    assert failing(only(subsidies.employer_verdicts(public, D(2026, 6, 1)), HIRING, clerk_job)) == [
        subsidies.LABEL_EMPLOYER_KIND
    ]
    verdicts = subsidies.employer_verdicts(firm, D(2026, 11, 1))
    short = only(verdicts, HIRING, left_on_the_day)
    assert failing(short) == ["稳定就业满3个月"] and "2026-04-10离岗" in short.conditions[2].detail
    assert only(verdicts, HIRING, left_a_day_later).due  # still earned after the job ended


def test_an_employer_without_workers_is_told_why_nothing_is_due(reference):
    firm = make.employer()
    verdicts = subsidies.employer_verdicts(firm, D(2026, 6, 1))
    for code in (HIRING, HIRING_INSURANCE, TRACKING, ON_THE_JOB):
        verdict = only(verdicts, code)
        assert (verdict.due, verdict.amount, verdict.subject_label) == (False, 0, firm.name)
        assert failing(verdict) == [subsidies.LABEL_ANY_WORKER] and verdict.conditions[-1].detail.startswith("无")
    assert failing(only(verdicts, LOAN_FIRM)) == [
        subsidies.LABEL_SMALL,
        subsidies.LABEL_STAFF,
        subsidies.label_share(25, 100, 15),
    ]


def test_social_insurance_subsidy_is_eligibility_only_for_firms_paying_insurance(clerk):
    firm, cooperative = make.employer(), make.employer(EmployerKind.COOPERATIVE)
    insured, uninsured = hired(firm, clerk, D(2026, 3, 1)), hired(firm, clerk, D(2026, 3, 1), social_insurance=False)
    member = hired(cooperative, clerk, D(2026, 3, 1))
    verdicts = subsidies.employer_verdicts(firm, D(2026, 3, 1))
    verdict = only(verdicts, HIRING_INSURANCE, insured)
    assert (verdict.due, verdict.amount) == (True, 0) and "就业困难人员" in verdict.note
    assert failing(only(verdicts, HIRING_INSURANCE, uninsured)) == [subsidies.LABEL_INSURANCE]
    other = only(subsidies.employer_verdicts(cooperative, D(2026, 3, 1)), HIRING_INSURANCE, member)
    assert failing(other) == [subsidies.LABEL_ENTERPRISE]


# --- item 5: organised placement -----------------------------------------------------------------------------


def placed(agency, clerk, start, *, kind=EmploymentKind.ORGANISED_OUTSIDE, follow_up_months=12):
    person = worker()
    make.job(
        person,
        start,
        clerk,
        kind=kind,
        placed_by=agency,
        follow_up_months=follow_up_months,
        employer_name="深圳某电子厂",
    )
    return person


def test_tracking_subsidy_needs_six_months_in_the_job_and_a_year_of_follow_up(clerk):
    agency = make.employer(EmployerKind.HR_AGENCY)
    one_day_short, six_months = placed(agency, clerk, D(2025, 3, 1)), placed(agency, clerk, D(2025, 3, 1))
    make.leave(one_day_short.employments.get(), D(2025, 9, 1), clerk)  # last day in the job 2025-08-31
    make.leave(six_months.employments.get(), D(2025, 9, 2), clerk)  # still in the job on 2025-09-01
    eleven = placed(agency, clerk, D(2025, 3, 1), follow_up_months=11)
    local = placed(agency, clerk, D(2025, 3, 1), kind=EmploymentKind.LOCAL_FIRM)
    verdicts = subsidies.employer_verdicts(agency, D(2026, 3, 1))
    verdict = only(verdicts, TRACKING, six_months)
    assert (verdict.due, verdict.amount, verdict.subject_label) == (True, 400, six_months.name)
    assert failing(only(verdicts, TRACKING, one_day_short)) == ["输出后稳定就业满6个月"]
    assert failing(only(verdicts, TRACKING, eleven)) == ["提供12个月跟踪服务"]
    assert failing(only(verdicts, TRACKING, local)) == [subsidies.LABEL_ORGANISED]
    # six months in the job are not enough while the year of follow-up is not over
    before_the_year = only(subsidies.employer_verdicts(agency, D(2026, 2, 28)), TRACKING, six_months)
    assert failing(before_the_year) == ["提供12个月跟踪服务"]


def test_job_seeking_subsidy_is_500_inside_guizhou_1000_outside_once_per_person(clerk):
    inside = worker()
    make.job(inside, D(2026, 3, 1), clerk, kind=EmploymentKind.ORGANISED_PROVINCE, employer_name="贵阳某厂")
    outside = worker()
    make.job(outside, D(2026, 3, 1), clerk, kind=EmploymentKind.ORGANISED_OUTSIDE, employer_name="宁波某厂")
    both = worker()
    first = make.job(both, D(2025, 1, 1), clerk, kind=EmploymentKind.ORGANISED_PROVINCE, employer_name="凯里某厂")
    make.leave(first, D(2025, 6, 1), clerk)
    make.job(both, D(2025, 7, 1), clerk, kind=EmploymentKind.ORGANISED_OUTSIDE, employer_name="广州某厂")
    day = D(2026, 3, 1)

    verdicts = subsidies.person_verdicts(inside, day)
    assert (only(verdicts, SEEKING_PROVINCE).due, only(verdicts, SEEKING_PROVINCE).amount) == (True, 500)
    not_outside = only(verdicts, SEEKING_OUTSIDE)
    assert failing(not_outside) == ["有组织输出（省外）就业"] and not_outside.amount == 0
    verdicts = subsidies.person_verdicts(outside, day)
    assert only(verdicts, SEEKING_OUTSIDE).amount == 1000 and not only(verdicts, SEEKING_PROVINCE).due
    verdicts = subsidies.person_verdicts(both, day)
    assert only(verdicts, SEEKING_PROVINCE).amount == 500
    second = only(verdicts, SEEKING_OUTSIDE)
    assert failing(second) == [subsidies.LABEL_FIRST_PLACEMENT] and "凯里某厂" in second.conditions[-1].detail


# --- item 6: start-ups and loans -----------------------------------------------------------------------------


def test_startup_subsidy_after_six_months_since_registration_not_a_day_sooner(clerk):
    owner = worker()
    make.job(owner, D(2026, 5, 22), clerk, kind=EmploymentKind.SELF_EMPLOYED, business_registered_on=D(2026, 5, 22))
    unregistered = worker()
    make.job(unregistered, D(2025, 1, 1), clerk, kind=EmploymentKind.SELF_EMPLOYED)
    day_short = only(subsidies.person_verdicts(owner, D(2026, 11, 21)), STARTUP)
    assert failing(day_short) == ["自工商登记起正常运营满6个月"] and day_short.amount == 0
    verdict = only(subsidies.person_verdicts(owner, D(2026, 11, 22)), STARTUP)
    assert (verdict.due, verdict.amount) == (True, 5000)
    assert failing(only(subsidies.person_verdicts(unregistered, D(2026, 11, 22)), STARTUP)) == [
        subsidies.LABEL_REGISTERED,
        "自工商登记起正常运营满6个月",
    ]


def test_a_person_may_apply_for_a_loan_of_at_most_150000_when_starting_a_business(clerk):
    owner, wisher, idle = worker(), worker(), worker()
    _, (elder,) = family(members=[(D(1950, 1, 1), Relation.HEAD)])
    make.job(owner, D(2026, 1, 1), clerk, kind=EmploymentKind.SELF_EMPLOYED)
    make.job(elder, D(2026, 1, 1), clerk, kind=EmploymentKind.SELF_EMPLOYED)
    services.profile_save(person=wisher, actor=clerk, job_wish="回乡创业开网店")
    day = D(2026, 6, 1)
    verdict = only(subsidies.person_verdicts(owner, day), LOAN_PERSON)
    assert (verdict.due, verdict.amount, verdict.rule.unit) == (True, 150000, SubsidyUnit.CAP) and verdict.note
    assert only(subsidies.person_verdicts(wisher, day), LOAN_PERSON).amount == 150000
    assert failing(only(subsidies.person_verdicts(idle, day), LOAN_PERSON)) == [subsidies.LABEL_STARTING]
    assert failing(only(subsidies.person_verdicts(elder, day), LOAN_PERSON)) == [subsidies.LABEL_LABOUR]


def test_small_firm_loan_needs_25_percent_new_hires_or_15_percent_over_100_staff(clerk):
    firm = make.employer(is_small=True, staff_count=8)
    for _ in range(2):
        hired(firm, clerk, D(2026, 2, 1), social_insurance=False)
    hired(firm, clerk, D(2026, 2, 1), contract_months=11)  # not counted: contract under a year
    hired(firm, clerk, D(2025, 12, 1))  # not counted: hired last year
    day = D(2026, 6, 1)
    share = subsidies.label_share(25, 100, 15)
    verdict = only(subsidies.employer_verdicts(firm, day), LOAN_FIRM)
    assert (verdict.due, verdict.amount) == (True, 3000000)  # 2 of 8 = 25%
    firm.staff_count = 9
    verdict = only(subsidies.employer_verdicts(firm, day), LOAN_FIRM)
    assert failing(verdict) == [share] and "占22.2%" in verdict.conditions[-1].detail
    for _ in range(14):
        hired(firm, clerk, D(2026, 3, 1))
    for staff, due in ((100, False), (101, True), (106, True), (107, False)):  # 16 hires: 16%, 15.8%, 15.1%, 14.95%
        firm.staff_count = staff
        assert only(subsidies.employer_verdicts(firm, day), LOAN_FIRM).due is due, staff
    firm.is_small, firm.staff_count = False, 8
    assert failing(only(subsidies.employer_verdicts(firm, day), LOAN_FIRM)) == [subsidies.LABEL_SMALL]


# --- item 7: workshops and bases -----------------------------------------------------------------------------


def test_provincial_bases_get_30000_and_workshops_10000_from_the_day_they_are_recognised(reference):
    base = make.workshop(WorkshopKind.BASE, provincial_on=D(2026, 3, 1))
    shop = make.workshop(WorkshopKind.WORKSHOP, provincial_on=D(2026, 3, 1))
    county_level = make.workshop(WorkshopKind.WORKSHOP)
    (before,) = subsidies.workshop_verdicts(base, D(2026, 2, 28))
    assert before.rule.code == BASE_AWARD and failing(before) == [subsidies.LABEL_PROVINCIAL]
    (verdict,) = subsidies.workshop_verdicts(base, D(2026, 3, 1))
    assert (verdict.due, verdict.amount, verdict.subject_label) == (True, 30000, base.name)
    (verdict,) = subsidies.workshop_verdicts(shop, D(2026, 3, 1))
    assert (verdict.rule.code, verdict.amount) == (WORKSHOP_AWARD, 10000)
    (verdict,) = subsidies.workshop_verdicts(county_level, D(2026, 3, 1))
    assert (
        failing(verdict) == [subsidies.LABEL_PROVINCIAL] and verdict.conditions[-1].detail == "未登记认定为省级的日期"
    )


# --- item 8: welfare posts -----------------------------------------------------------------------------------


def test_assistance_subsidy_400_a_month_on_a_post_until_2021_12_30_inclusive(clerk):
    holder, east_west_holder, left = worker(), worker(), worker()
    make.post_job(holder, D(2021, 6, 1), clerk, make.welfare_post(Funding.EMPLOYMENT_FUND))
    make.post_job(east_west_holder, D(2020, 6, 1), clerk, make.welfare_post(Funding.EAST_WEST))
    make.leave(make.post_job(left, D(2021, 6, 1), clerk, make.welfare_post()), D(2021, 12, 1), clerk)

    verdict = only(subsidies.person_verdicts(holder, D(2021, 12, 30)), ASSISTANCE)
    assert (verdict.due, verdict.amount, verdict.fund) == (True, 400, "就业补助资金")
    verdict = only(subsidies.person_verdicts(holder, D(2021, 12, 31)), ASSISTANCE)
    assert (verdict.due, verdict.amount, failing(verdict)) == (False, 0, ["执行期限至 2021-12-30"])
    assert "已过截止日期 2021-12-30" in verdict.conditions[0].detail
    other_fund = only(subsidies.person_verdicts(east_west_holder, D(2020, 12, 1)), ASSISTANCE)
    assert (
        failing(other_fund) == ["在就业补助资金开发的公益性岗位在岗"]
        and "东西部帮扶资金" in other_fund.failing[0].detail
    )
    assert failing(only(subsidies.person_verdicts(left, D(2021, 12, 30)), ASSISTANCE)) == [
        "在就业补助资金开发的公益性岗位在岗"
    ]
    abolished = make.welfare_post(abolished_on=D(2021, 12, 30))
    on_abolished_post = worker()
    make.post_job(on_abolished_post, D(2021, 6, 1), clerk, abolished)
    assert only(subsidies.person_verdicts(on_abolished_post, D(2021, 12, 29)), ASSISTANCE).due
    assert failing(only(subsidies.person_verdicts(on_abolished_post, D(2021, 12, 30)), ASSISTANCE)) == [
        "在就业补助资金开发的公益性岗位在岗"
    ]


def test_east_west_subsidy_100_a_month_until_2020_12_30_inclusive(clerk):
    holder = worker(registered_poor=False)
    make.post_job(holder, D(2020, 6, 1), clerk, make.welfare_post(Funding.EAST_WEST))
    verdict = only(subsidies.person_verdicts(holder, D(2020, 12, 30)), EAST_WEST)
    assert (verdict.due, verdict.amount, verdict.fund) == (True, 100, "东西部帮扶资金")
    assert verdict.conditions[1].detail == "易地扶贫搬迁劳动力"
    verdict = only(subsidies.person_verdicts(holder, D(2020, 12, 31)), EAST_WEST)
    assert failing(verdict) == ["执行期限至 2020-12-30"] and verdict.amount == 0


# --- item 12: training ----------------------------------------------------------------------------------------


def test_on_the_job_training_500_a_month_for_at_most_3_months_to_the_employer(clerk):
    firm = make.employer()
    three, five, one, elsewhere, unfinished = (hired(firm, clerk, D(2026, 1, 1)) for _ in range(5))
    make.course(three, D(2026, 1, 1), D(2026, 3, 31), clerk, on_the_job=True, employer=firm)
    make.course(five, D(2026, 1, 1), D(2026, 5, 31), clerk, on_the_job=True, employer=firm)
    make.course(one, D(2026, 1, 1), D(2026, 1, 31), clerk, on_the_job=True, employer=firm)
    make.course(unfinished, D(2026, 1, 1), D(2026, 3, 31), clerk, on_the_job=True, employer=firm, completed=False)
    other_firm = make.employer()
    make.course(elsewhere, D(2026, 1, 1), D(2026, 3, 31), clerk, on_the_job=True, employer=other_firm)
    verdicts = subsidies.employer_verdicts(firm, D(2026, 6, 1))
    assert [only(verdicts, ON_THE_JOB, p).amount for p in (three, five, one)] == [1500, 1500, 500]
    capped = only(verdicts, ON_THE_JOB, five)
    assert capped.conditions[-1].label == "补贴期限不超过3个月" and "按3个月" in capped.conditions[-1].detail
    assert failing(only(verdicts, ON_THE_JOB, unfinished)) == [subsidies.LABEL_FINISHED]
    not_hired = only(subsidies.employer_verdicts(other_firm, D(2026, 6, 1)), ON_THE_JOB, elsewhere)
    assert failing(not_hired) == [subsidies.LABEL_HIRED_BY]


def test_off_the_job_living_allowance_40_a_day_from_the_fund_of_the_households_status(clerk):
    poor, other = worker(registered_poor=True), worker(registered_poor=False)
    make.course(poor, D(2026, 3, 1), D(2026, 3, 10), clerk)  # 10 days
    make.course(poor, D(2026, 4, 1), D(2026, 4, 3), clerk)  # 3 days
    make.course(other, D(2026, 3, 1), D(2026, 3, 10), clerk, days=7)
    verdict = only(subsidies.person_verdicts(poor, D(2026, 4, 3)), LIVING)
    assert (verdict.due, verdict.amount) == (True, 520) and verdict.fund.startswith("扶贫资金")
    verdict = only(subsidies.person_verdicts(other, D(2026, 3, 10)), LIVING)
    assert (verdict.amount, verdict.fund) == (280, "就业补助资金（非建档立卡贫困户）")
    before_the_end = only(subsidies.person_verdicts(other, D(2026, 3, 9)), LIVING)
    assert failing(before_the_end) == [subsidies.LABEL_FINISHED] and before_the_end.fund.startswith("就业补助资金")


def test_a_person_gets_one_verdict_per_person_rule_with_the_validity_first(clerk):
    person = worker()
    verdicts = subsidies.person_verdicts(person, D(2026, 6, 1))
    assert [v.rule.code for v in verdicts] == [
        SEEKING_PROVINCE,
        SEEKING_OUTSIDE,
        STARTUP,
        LOAN_PERSON,
        ASSISTANCE,
        EAST_WEST,
        LIVING,
    ]
    assert all(v.conditions[0].label.startswith("执行期限") for v in verdicts)
    assert not any(v.due for v in verdicts) and all(v.failing for v in verdicts)


# --- the roster of a month ------------------------------------------------------------------------------------


def codes(rows):
    return sorted(row.rule.code for row in rows)


def test_the_roster_pays_a_post_for_december_2021_and_not_january_2022(clerk):
    holder = worker()
    make.post_job(holder, D(2020, 6, 1), clerk, make.welfare_post(Funding.EMPLOYMENT_FUND))
    east_west = worker()
    make.post_job(east_west, D(2020, 6, 1), clerk, make.welfare_post(Funding.EAST_WEST))
    on_abolished_post = worker()
    make.post_job(on_abolished_post, D(2021, 6, 1), clerk, make.welfare_post(abolished_on=D(2021, 12, 15)))
    november = subsidies.roster(D(2021, 11, 1))
    assert [row.person_name for row in november] == [holder.name, on_abolished_post.name]
    (row,) = subsidies.roster(D(2021, 12, 1))
    assert (row.rule.code, row.amount, row.fund, row.id_number) == (ASSISTANCE, 400, "就业补助资金", holder.id_number)
    assert (row.subject_label, row.settlement) == (holder.name, "富民")
    assert subsidies.roster(D(2022, 1, 1)) == []
    december_2020 = subsidies.roster(D(2020, 12, 1))
    assert codes(december_2020) == [ASSISTANCE, EAST_WEST]
    assert codes(subsidies.roster(D(2021, 1, 1))) == [ASSISTANCE]


def test_the_roster_lists_a_once_only_subsidy_in_the_month_it_became_due_and_only_once(clerk):
    firm = make.employer()
    person = hired(firm, clerk, D(2026, 5, 31))  # 3 months on 2026-08-31
    first = person.employments.get()
    make.leave(first, D(2026, 9, 15), clerk)
    make.job(person, D(2026, 10, 1), clerk, employer=firm, contract_months=12, social_insurance=True)
    assert subsidies.roster(D(2026, 7, 1)) == []
    (row,) = subsidies.roster(D(2026, 8, 1))
    assert (row.rule.code, row.subject_label, row.person_name, row.amount) == (HIRING, firm.name, person.name, 500)
    assert "2026-08-31满3个月" in row.basis_detail
    assert subsidies.roster(D(2026, 9, 1)) == [] and subsidies.roster(D(2027, 1, 1)) == []  # not again for the 2nd job
    SubsidyRule.objects.filter(code=HIRING).update(valid_to=D(2026, 8, 30))  # had the rule ended the day before
    assert subsidies.roster(D(2026, 8, 1)) == []


def test_the_roster_lists_placements_start_ups_workshops_and_courses_in_their_month(clerk):
    agency = make.employer(EmployerKind.HR_AGENCY)
    tracked = placed(agency, clerk, D(2025, 3, 10))  # follow-up year complete 2026-03-10
    province = worker()
    make.job(province, D(2026, 3, 2), clerk, kind=EmploymentKind.ORGANISED_PROVINCE, employer_name="贵阳某厂")
    owner = worker()
    make.job(owner, D(2025, 9, 1), clerk, kind=EmploymentKind.SELF_EMPLOYED, business_registered_on=D(2025, 9, 30))
    make.workshop(WorkshopKind.BASE, provincial_on=D(2026, 3, 31))
    firm = make.employer()
    trainee = hired(firm, clerk, D(2025, 12, 1), contract_months=None)
    make.course(trainee, D(2025, 12, 1), D(2026, 1, 31), clerk, on_the_job=True, employer=firm)  # 2 months
    make.course(trainee, D(2026, 2, 1), D(2026, 3, 20), clerk, on_the_job=True, employer=firm)  # 2, of which 1 is left
    poor = worker(registered_poor=True)
    make.course(poor, D(2026, 3, 1), D(2026, 3, 5), clerk)

    rows = subsidies.roster(D(2026, 3, 1))
    assert [row.rule.code for row in rows] == [TRACKING, SEEKING_PROVINCE, STARTUP, BASE_AWARD, ON_THE_JOB, LIVING]
    amounts = {row.rule.code: row.amount for row in rows}
    assert amounts == {
        TRACKING: 400,
        SEEKING_PROVINCE: 500,
        STARTUP: 5000,
        BASE_AWARD: 30000,
        ON_THE_JOB: 500,
        LIVING: 200,
    }
    by_code = {row.rule.code: row for row in rows}
    assert (by_code[TRACKING].subject_label, by_code[TRACKING].person_name) == (agency.name, tracked.name)
    assert by_code[LIVING].fund == "扶贫资金（建档立卡贫困户）" and "5天×40元=200元" in by_code[LIVING].basis_detail
    assert by_code[BASE_AWARD].id_number == "" and by_code[BASE_AWARD].fund == "省级奖补资金"
    assert by_code[STARTUP].person_name == owner.name and "2026-03-30正常运营满6个月" in by_code[STARTUP].basis_detail
    january = subsidies.roster(D(2026, 1, 1))
    assert [(row.rule.code, row.amount) for row in january] == [(ON_THE_JOB, 1000)]
    assert "按1个月×500元计发" in by_code[ON_THE_JOB].basis_detail
    assert subsidies.roster(D(2026, 2, 1)) == []


def _due_items(count, clerk, firm):
    """`count` items due in December 2021, of five kinds in turn."""
    for index in range(count):
        person = worker(registered_poor=index % 2 == 0)
        kind = index % 5
        if kind == 0:
            make.post_job(person, D(2021, 6, 1), clerk, make.welfare_post())
        elif kind == 1:
            make.course(person, D(2021, 12, 1), D(2021, 12, 10), clerk)
        elif kind == 2:
            make.job(person, D(2021, 9, 10), clerk, employer=firm, contract_months=12, social_insurance=True)
        elif kind == 3:
            make.job(person, D(2021, 12, 5), clerk, kind=EmploymentKind.ORGANISED_PROVINCE, employer_name="贵阳某厂")
        else:
            make.job(person, D(2021, 10, 1), clerk, employer=firm)
            make.course(person, D(2021, 10, 1), D(2021, 12, 20), clerk, on_the_job=True, employer=firm)


def test_the_roster_runs_the_same_queries_for_10_or_100_rows(clerk):
    firm = make.employer()
    _due_items(10, clerk, firm)
    with CaptureQueriesContext(connection) as ten:
        assert len(subsidies.roster(D(2021, 12, 1))) == 10
    _due_items(90, clerk, firm)
    with CaptureQueriesContext(connection) as hundred:
        rows = subsidies.roster(D(2021, 12, 1))
    assert len(rows) == 100 and len({row.rule.code for row in rows}) == 5
    assert len(hundred) == len(ten) <= 12


# --- the Excel file ------------------------------------------------------------------------------------------


def test_the_roster_workbook_lists_each_item_with_totals_and_masked_ids_as_text(clerk):
    holders = [worker() for _ in range(2)]
    for person in holders:
        make.post_job(person, D(2021, 6, 1), clerk, make.welfare_post())
    trainee = worker(registered_poor=False)
    make.course(trainee, D(2021, 12, 1), D(2021, 12, 10), clerk)
    month = D(2021, 12, 1)
    rows = subsidies.roster(month)
    assert len(rows) == 3

    book = load_workbook(exports.run(SubsidyRoster, clerk, {"month": "2021-12"}).file)
    assert book.sheetnames == ["补贴花名册", "汇总"]
    sheet = book["补贴花名册"]
    assert sheet["A1"].value == "榕江县易地扶贫搬迁培训和就业补贴花名册（2021年12月）"
    assert "共 3 项，合计 1,200.00 元" in sheet["A2"].value
    assert [cell.value for cell in sheet[3]] == [
        "序号",
        "补贴项目",
        "领取对象",
        "人员姓名",
        "身份证号",
        "安置点",
        "金额（元）",
        "资金来源",
        "计发依据",
    ]
    table = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
    items = [row for row in table if row[0] is not None]
    assert [row[0] for row in items] == [1, 2, 3]
    assert [(row[1], row[6]) for row in items] == [
        ("就业扶贫援助补贴", 400),
        ("就业扶贫援助补贴", 400),
        ("脱产培训生活补助", 400),
    ]
    assert table[2][1:] == ["就业扶贫援助补贴 小计", None, None, None, None, 800, None, "2 项"]
    assert table[4][1] == "脱产培训生活补助 小计" and table[4][6] == 400
    assert table[5][1] == "合计" and table[5][6] == 1200 and len(table) == 6
    assert items[2][7] == "就业补助资金（非建档立卡贫困户）"
    id_cell = sheet.cell(row=7, column=5)  # rows 4-5 the posts, 6 their subtotal, 7 the course
    assert id_cell.value == mask(trainee.id_number) and id_cell.data_type == "s" and id_cell.number_format == "@"
    assert trainee.id_number not in str(table)
    assert sheet.freeze_panes == "C4" and sheet.print_title_rows == "$3:$3"
    assert (sheet.page_setup.orientation, int(sheet.page_setup.paperSize)) == ("landscape", 9)  # A4
    summary_rows = [[cell.value for cell in row] for row in book["汇总"].iter_rows(min_row=4)]
    assert summary_rows == [
        ["就业扶贫援助补贴", "400元/人·月", 2, 800, "就业补助资金"],
        ["脱产培训生活补助", "40元/人·天", 1, 400, "就业补助资金（非建档立卡贫困户）"],
        ["合计", None, 3, 1200, None],
    ]

    full = load_workbook(exports.run(SubsidyRoster, clerk, {"month": "2021-12"}, full_ids=True).file)["补贴花名册"]
    assert full.cell(row=7, column=5).value == trainee.id_number and full.cell(row=7, column=5).data_type == "s"
    assert SubsidyRoster(clerk, {"month": "2021-12"}).file_name() == "培训和就业补贴花名册_2021年12月.xlsx"
