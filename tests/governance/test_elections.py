"""Elections: the voter list built from the registry as of election day, the clerk's changes kept through a
rebuild, the posting at least 20 days ahead, results seated with the election, the filing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance import services
from governance.models import Body, CameBy, CommitteeMember, Election, VoterChange, VoterChangeKind
from governance.selectors.elections import eligible_stays, missing_steps, sheet_groups
from settlements import services as settlement_services
from settlements.dates import years_before
from settlements.models import Grid, GridKind
from settlements.roles import Role
from tests.factories import registry_keeper

from . import committee_factories as make
from .committee_factories import ELECTION_DAY

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def election(reference):
    return make.election(make.committee(("fumin", "tehe")))


def names(election):
    return set(election.voters.filter(struck=False).values_list("name", flat=True))


# --- who is on the list -------------------------------------------------------------------------------------------


def test_a_resident_turning_18_on_election_day_is_a_voter_one_turning_18_the_day_after_is_not(election):
    make.resident(birth=years_before(ELECTION_DAY, 18), name="满十八")
    make.resident(birth=years_before(ELECTION_DAY, 18) + datetime.timedelta(days=1), name="差一天")
    services.voter_list_build(election=election, actor=registry_keeper())
    assert names(election) == {"满十八"}


def test_the_list_holds_the_residents_of_every_settlement_of_the_committee_and_no_other(election):
    make.resident("fumin", name="富民人")
    make.resident("tehe", name="特和人")
    make.resident("wolong", name="卧龙人")
    make.resident("fumin", name="已迁出", moved_out_on=D(2019, 8, 1), status="moved_out")
    make.resident("fumin", name="后入住", move_in_date=D(2019, 9, 21))
    services.voter_list_build(election=election, actor=registry_keeper())
    assert names(election) == {"富民人", "特和人"}


def test_a_struck_name_stays_struck_after_a_rebuild_with_its_reason(election):
    person = make.resident(name="龙强")
    keeper = registry_keeper()
    services.voter_list_build(election=election, actor=keeper)
    voter = election.voters.get(person=person)
    services.voter_strike(voter=voter, reason="被依法剥夺政治权利", actor=keeper)
    services.voter_add(election=election, name="外来务工者", reason="户籍在本社区，居住一年以上", actor=keeper)

    services.voter_list_build(election=election, actor=keeper)

    voter.refresh_from_db()
    assert voter.struck and voter.strike_reason == "被依法剥夺政治权利"
    assert election.voters.filter(person=person).count() == 1
    assert names(election) == {"外来务工者"}
    kinds = list(VoterChange.objects.filter(election=election).order_by("id").values_list("kind", "reason"))
    assert kinds == [
        (VoterChangeKind.BUILT, ""),
        (VoterChangeKind.STRUCK, "被依法剥夺政治权利"),
        (VoterChangeKind.ADDED, "户籍在本社区，居住一年以上"),
        (VoterChangeKind.BUILT, ""),
    ]
    assert all(change.actor == keeper for change in VoterChange.objects.filter(election=election))


def test_a_rebuild_drops_a_name_the_registry_no_longer_gives_and_adds_a_new_one(election):
    leaving = make.resident(name="将迁出")
    services.voter_list_build(election=election, actor=registry_keeper())
    household = leaving.household
    household.moved_out_on, household.status = D(2019, 9, 1), "moved_out"
    household.save()
    make.resident(name="新入住", move_in_date=D(2019, 9, 1))
    result = services.voter_list_build(election=election, actor=registry_keeper())
    assert result == {"joined": 1, "left": 1}
    assert names(election) == {"新入住"}


def test_a_person_under_18_on_election_day_is_not_added(election):
    child = make.resident(birth=years_before(ELECTION_DAY, 18) + datetime.timedelta(days=1), name="差一天")
    with pytest.raises(ValidationError, match="差一天（2001-09-21 出生）在选举日 2019-09-20 未满 18 周岁"):
        services.voter_add(election=election, person=child, reason="补登", actor=registry_keeper())


def test_a_change_needs_a_reason_and_a_name_is_not_added_twice(election):
    person = make.resident(name="吴芳")
    services.voter_list_build(election=election, actor=registry_keeper())
    with pytest.raises(ValidationError, match="请填写理由"):
        services.voter_strike(voter=election.voters.get(), reason="  ", actor=registry_keeper())
    with pytest.raises(ValidationError, match="吴芳已在选民名单上"):
        services.voter_add(election=election, person=person, reason="补登", actor=registry_keeper())


# --- posting ------------------------------------------------------------------------------------------------------


def _posted(election, days_ahead):
    make.resident(name="杨明")
    services.voter_list_build(election=election, actor=registry_keeper())
    return services.voter_list_post(
        election=election, posted_on=ELECTION_DAY - datetime.timedelta(days=days_ahead), actor=registry_keeper()
    )


def test_a_list_posted_19_days_ahead_is_refused_naming_both_dates(election):
    with pytest.raises(ValidationError) as refused:
        _posted(election, 19)
    message = refused.value.message_dict["list_posted_on"][0]
    assert "2019-09-01" in message and "2019-09-20" in message and "20 天" in message
    assert Election.objects.get(pk=election.pk).list_posted_on is None


@pytest.mark.parametrize("days_ahead", [20, 21])
def test_a_list_posted_20_or_21_days_ahead_is_accepted(election, days_ahead):
    posted = _posted(election, days_ahead)
    assert posted.list_posted_on == ELECTION_DAY - datetime.timedelta(days=days_ahead)
    assert VoterChange.objects.filter(election=election, kind=VoterChangeKind.POSTED).exists()


def test_once_posted_the_list_is_not_rebuilt_and_election_day_cannot_come_closer(election):
    _posted(election, 20)
    with pytest.raises(ValidationError, match="已于 2019-08-31 张榜公布"):
        services.voter_list_build(election=election, actor=registry_keeper())
    election.refresh_from_db()
    election.election_day = ELECTION_DAY - datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="少于规定的 20 天"):
        services.election_save(election=election, actor=registry_keeper())


def test_an_empty_list_is_not_posted(election):
    with pytest.raises(ValidationError, match="选民名单还是空的"):
        services.voter_list_post(election=election, posted_on=D(2019, 8, 1), actor=registry_keeper())


# --- candidates, results, filing ------------------------------------------------------------------------------------


def test_results_announced_on_election_day_seat_the_elected_in_both_bodies_with_this_election(election):
    director, supervisor = make.resident(name="龙主任"), make.resident(name="石监督")
    _posted(election, 25)
    by_person = {voter.person_id: voter for voter in election.voters.all()}
    first = make.candidate(election, by_person[director.pk])
    second = make.candidate(election, by_person[supervisor.pk], body=Body.SUPERVISION)
    for candidate, elected in ((first, True), (second, True)):
        candidate.votes, candidate.elected = 300, elected
        services.candidate_save(candidate=candidate, actor=registry_keeper())

    with pytest.raises(ValidationError, match="须为选举日 2019-09-20"):
        services.results_announce(election=election, announced_on=D(2019, 9, 21), actor=registry_keeper())
    services.results_announce(election=election, announced_on=ELECTION_DAY, actor=registry_keeper())

    seated = CommitteeMember.objects.filter(election=election)
    assert {(m.name, m.body, m.came_by, m.term_from) for m in seated} == {
        ("龙主任", Body.COMMITTEE, CameBy.ELECTED, ELECTION_DAY),
        ("石监督", Body.SUPERVISION, CameBy.ELECTED, ELECTION_DAY),
    }
    election.refresh_from_db()
    assert missing_steps(election) == ["（1）成立选举指导小组", "（2）成立选举委员会", "报县民政局备案"]
    filed = services.election_file(
        election=election, filed_on=D(2019, 9, 25), document="榕民备〔2019〕1号", actor=registry_keeper()
    )
    assert "报县民政局备案" not in missing_steps(filed)


def test_a_struck_voter_is_not_a_candidate_and_results_wait_for_every_candidate(election):
    person = make.resident(name="潘某")
    other = make.resident(name="欧某")
    _posted(election, 20)
    struck = election.voters.get(person=person)
    services.voter_strike(voter=struck, reason="已死亡", actor=registry_keeper())
    with pytest.raises(ValidationError, match="潘某已从选民名单上划去"):
        make.candidate(election, struck)
    make.candidate(election, election.voters.get(person=other))
    with pytest.raises(ValidationError, match="还有候选人没有登记得票数"):
        services.results_announce(election=election, announced_on=ELECTION_DAY, actor=registry_keeper())


def test_a_reader_cannot_change_the_list(election, make_user):
    reader = make_user(Role.LEADER)
    with pytest.raises(PermissionDenied):
        services.voter_list_build(election=election, actor=reader)


def test_the_sheet_groups_names_by_the_grid_on_election_day_then_by_building(election):
    keeper = registry_keeper()
    jia = make.resident(name="甲", building="2栋")
    yi = make.resident(name="乙", building="1栋")
    make.resident(name="丙", building="1栋")
    first = settlement_services.grid_save(
        actor=keeper, grid=Grid(settlement=jia.household.settlement, kind=GridKind.GOVERNANCE, name="第一居民小组")
    )
    later = settlement_services.grid_save(
        actor=keeper, grid=Grid(settlement=jia.household.settlement, kind=GridKind.GOVERNANCE, name="第二居民小组")
    )
    day_before = ELECTION_DAY - datetime.timedelta(days=1)
    settlement_services.grid_assign(actor=keeper, grid=first, household_ids=[jia.household_id], day=day_before)
    after = ELECTION_DAY + datetime.timedelta(days=1)
    settlement_services.grid_assign(actor=keeper, grid=later, household_ids=[yi.household_id], day=after)
    services.voter_list_build(election=election, actor=keeper)
    assert [(group.title, [v.name for v in group.voters]) for group in sheet_groups(election)] == [
        ("第一居民小组", ["甲"]),
        ("未划入网格 · 1栋", ["丙", "乙"]),  # 乙 joins a grid only the day after the election
    ]


def test_eligible_stays_read_the_registry_as_of_election_day(election):
    make.resident(name="杨明")
    assert eligible_stays(election).count() == 1
