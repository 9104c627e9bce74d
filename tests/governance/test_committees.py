"""Committees and the street office: steps in their printed order, members, the size rule at 800 and 801
households, the mass organisations against the plan's deadlines."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from governance import committees_rules, services
from governance.models import (
    CameBy,
    CommitteeMember,
    CommitteeStep,
    CommitteeStepKind,
    MassOrganisation,
    MassOrganisationKind,
    Role,
    StreetOffice,
    StreetOfficeStep,
    StreetOfficeStepKind,
)
from governance.selectors.committees import mass_organisation_rows, settlement_rows
from settlements.models import DatedRule, Household, Settlement
from tests.factories import registry_keeper

from . import committee_factories as make

D = datetime.date
DAY = D(2019, 10, 1)
pytestmark = pytest.mark.django_db


def test_the_rules_are_seeded_with_the_seeds_sentences(reference):
    size = DatedRule.objects.get(code=committees_rules.COMMITTEE_SIZE)
    days = DatedRule.objects.get(code=committees_rules.VOTER_LIST_DAYS)
    assert size.params == {"about_households": 1000, "small_max": 800}
    assert "户数在1000户左右的，设立一个居民委员会" in size.basis and "户数在800户以下的不设立居民委员会" in size.basis
    assert days.params == {"days": 20} and "要在选举日 20 天前张榜公布选民名单" in days.basis


# --- steps ----------------------------------------------------------------------------------------------------------


def _street_step(office, step, day):
    record = StreetOfficeStep(step=step, done_on=day, document_number=f"榕府发〔2019〕{step}号", document_title="方案")
    return services.street_office_step_record(office=office, step=record, actor=registry_keeper())


def test_street_office_steps_follow_the_printed_order(reference):
    office = services.street_office_save(
        office=StreetOffice(name="古州街道办事处"), settlements=Settlement.objects.all(), actor=registry_keeper()
    )
    with pytest.raises(ValidationError, match="尚未登记上一步“制定工作方案”"):
        _street_step(office, StreetOfficeStepKind.MATERIALS, D(2019, 5, 10))
    _street_step(office, StreetOfficeStepKind.PLAN, D(2019, 5, 10))
    with pytest.raises(ValidationError) as refused:
        _street_step(office, StreetOfficeStepKind.MATERIALS, D(2019, 5, 9))
    assert "2019-05-09 早于上一步“制定工作方案”的完成日期 2019-05-10" in refused.value.message_dict["done_on"][0]
    _street_step(office, StreetOfficeStepKind.MATERIALS, D(2019, 5, 10))
    _street_step(office, StreetOfficeStepKind.APPLY, D(2019, 6, 1))
    with pytest.raises(ValidationError, match="晚于下一步"):
        _street_step(office, StreetOfficeStepKind.MATERIALS, D(2019, 6, 2))
    assert StreetOfficeStep.objects.filter(office=office).count() == 3


def test_committee_steps_need_each_approval_in_turn(reference):
    committee = make.committee()

    def record(step, day):
        return services.committee_step_record(
            committee=committee,
            step=CommitteeStep(step=step, done_on=day, document_number="x"),
            actor=registry_keeper(),
        )

    record(CommitteeStepKind.PLAN, D(2019, 5, 20))
    with pytest.raises(ValidationError, match="尚未登记上一步“审定：县政府常务会议审定”"):
        record(CommitteeStepKind.APPROVED, D(2019, 6, 1))
    record(CommitteeStepKind.REVIEWED, D(2019, 5, 28))
    record(CommitteeStepKind.APPROVED, D(2019, 6, 1))
    again = record(CommitteeStepKind.APPROVED, D(2019, 6, 2))  # a correction, not a second row
    assert CommitteeStep.objects.filter(committee=committee, step=CommitteeStepKind.APPROVED).get().pk == again.pk


def test_a_settlement_belongs_to_one_committee(reference):
    make.committee(("fumin", "tehe"))
    with pytest.raises(ValidationError, match="安置点“特和”已属于居委会"):
        make.committee(("tehe",), name="特和居委会")


def test_a_clerk_cannot_put_another_centres_settlement_in_a_committee(reference, clerk):
    with pytest.raises(ValidationError, match="安置点“丰乐”不在您的管辖范围内"):
        make.committee(("fengle",), actor=clerk)


# --- members --------------------------------------------------------------------------------------------------------


def test_members_of_the_registry_or_posted_cadres_and_one_director_at_a_time(reference):
    committee = make.committee()
    resident = make.resident(name="龙强")
    first = services.member_save(
        member=CommitteeMember(
            committee=committee, person=resident, role=Role.DIRECTOR, term_from=D(2019, 7, 1), came_by=CameBy.APPOINTED
        ),
        actor=registry_keeper(),
    )
    assert first.name == "龙强"
    second = CommitteeMember(
        committee=committee, name="下派干部王某", role=Role.DIRECTOR, term_from=D(2019, 8, 1), came_by=CameBy.APPOINTED
    )
    with pytest.raises(ValidationError, match="已有主任龙强"):
        services.member_save(member=second, actor=registry_keeper())
    first.term_to = D(2019, 7, 31)
    services.member_save(member=first, actor=registry_keeper())
    services.member_save(member=second, actor=registry_keeper())
    elsewhere = make.resident("wolong", name="卧龙人")
    with pytest.raises(ValidationError, match="不是本居委会所辖安置点的人员"):
        services.member_save(
            member=CommitteeMember(
                committee=committee, person=elsewhere, role=Role.MEMBER, term_from=D(2019, 7, 1), came_by="appointed"
            ),
            actor=registry_keeper(),
        )


# --- the size rule --------------------------------------------------------------------------------------------------


def _households(code, count):
    settlement = Settlement.objects.get(code=code)
    Household.objects.bulk_create(
        Household(
            code=f"{code}-{n}",
            settlement=settlement,
            project_year=2017,
            origin_township="古州镇",
            status="moved_in",
            move_in_date=D(2019, 5, 1),
        )
        for n in range(count)
    )


def _rows():
    return {row.settlement.code: row for row in settlement_rows(DAY, Settlement.objects.all())}


def test_800_households_are_attached_801_should_have_their_own_committee(reference):
    _households("tehe", 800)
    _households("wolong", 801)
    rows = _rows()
    assert rows["tehe"].households == 800 and rows["tehe"].problem
    assert "应并入就近的居委会，尚未并入任何居委会" in rows["tehe"].verdict
    assert rows["wolong"].households == 801 and rows["wolong"].problem
    assert "应设居委会，尚未设立" in rows["wolong"].verdict and "原文没有哪一句话覆盖" in rows["wolong"].verdict

    make.committee(("wolong", "tehe"), name="卧龙社区居委会")
    rows = _rows()
    assert not rows["tehe"].problem and "已并入卧龙社区居委会" in rows["tehe"].verdict
    assert not rows["wolong"].problem


def test_a_committee_of_small_settlements_only_is_against_the_rule(reference):
    _households("tehe", 12)
    _households("wolong", 800)
    make.committee(("tehe",))
    make.committee(("wolong", "yangguang"), name="卧龙社区居委会")
    rows = _rows()
    assert rows["tehe"].problem and "原文规定不设居委会" in rows["tehe"].verdict
    assert rows["wolong"].problem and "卧龙社区居委会所辖安置点都不超过 800 户" in rows["wolong"].verdict


# --- mass organisations ---------------------------------------------------------------------------------------------


def _found(code, kind, day):
    organisation = MassOrganisation(settlement=Settlement.objects.get(code=code), kind=kind, founded_on=day)
    return services.mass_organisation_save(organisation=organisation, actor=registry_keeper())


def test_mass_organisations_against_each_settlements_deadline(reference):
    call_command("load_plan", verbosity=0)
    _found("fumin", MassOrganisationKind.UNION, D(2019, 6, 30))
    _found("fumin", MassOrganisationKind.WOMEN, D(2019, 7, 1))
    _found("tehe", MassOrganisationKind.UNION, D(2019, 9, 30))
    rows = {row.settlement.code: row for row in mass_organisation_rows(DAY, Settlement.objects.all())}
    assert rows["fumin"].deadline.due_on == D(2019, 6, 30)
    assert rows["tehe"].deadline.due_on == D(2019, 9, 30)
    assert [status.status for status in rows["fumin"].statuses] == ["按时", "逾期未成立", "逾期成立"]
    assert [status.status for status in rows["tehe"].statuses] == ["按时", "逾期未成立", "逾期未成立"]
    with pytest.raises(ValidationError, match="富民的工会已登记"):
        _found("fumin", MassOrganisationKind.UNION, D(2019, 6, 1))


def test_the_indicators_per_settlement_as_of_a_day(reference):
    from governance import committee_indicators as indicators
    from governance.models import Body, Election

    committee = make.committee(("fumin", "tehe"), established_on=D(2019, 7, 1))
    services.member_save(
        member=CommitteeMember(
            committee=committee, name="下派干部", role=Role.DIRECTOR, term_from=D(2019, 7, 1), came_by=CameBy.APPOINTED
        ),
        actor=registry_keeper(),
    )
    services.member_save(
        member=CommitteeMember(
            committee=committee,
            name="监督员",
            body=Body.SUPERVISION,
            role=Role.MEMBER,
            term_from=D(2019, 9, 20),
            came_by=CameBy.APPOINTED,
        ),
        actor=registry_keeper(),
    )
    election = make.election(committee)
    Election.objects.filter(pk=election.pk).update(list_posted_on=D(2019, 8, 30))
    _found("tehe", MassOrganisationKind.UNION, D(2019, 6, 1))
    fumin, tehe = (Settlement.objects.get(code=code).pk for code in ("fumin", "tehe"))

    before = indicators.committee_figures(D(2019, 6, 30))
    assert before[indicators.COMMITTEE_IN_PLACE] == {fumin: 0, tehe: 0}
    assert before[indicators.MASS_ORGANISATIONS] == {tehe: 1}
    after = indicators.committee_figures(D(2019, 9, 20))
    assert after[indicators.COMMITTEE_IN_PLACE] == {fumin: 1, tehe: 1}
    assert after[indicators.COMMITTEE_MEMBERS][tehe] == 1
    assert after[indicators.SUPERVISION_IN_PLACE][tehe] == 1
    assert after[indicators.ELECTION_HELD] == {fumin: 1, tehe: 1}
    assert after[indicators.LIST_LEAD_DAYS][fumin] == 21
    assert indicators.committee_figures(D(2019, 9, 19))[indicators.ELECTION_HELD] == {}
