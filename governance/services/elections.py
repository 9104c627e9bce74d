"""Writes of an election: its plan, the guidance group and election committee, the voter list (built from the
registry as of election day, names added or struck by the clerk, every change logged with who, when and why),
its posting at least the rule's days before election day, the candidates and their results (the elected seated
as members of the committee or of its supervision committee, with this election), and the filing with 县民政局.
Each refuses an actor without `keep_governance` (PermissionDenied, nothing written)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from settlements import audit, capabilities
from settlements.services import refuse_future, save_with_history

from .. import committees_rules
from ..capabilities import KEEP_GOVERNANCE
from ..models import (
    CameBy,
    Candidate,
    CommitteeMember,
    Election,
    ElectionOfficer,
    Voter,
    VoterChange,
    VoterChangeKind,
    VoterSource,
)
from ..selectors.elections import adult_born_by, eligible_stays

MSG_POSTED_LATE = (
    "选民名单须在选举日 {days} 天前张榜公布：张榜公布日期 {posted} 距选举日 {election_day} 只有 {lead} 天"
    "（规则：{basis}）。"
)
MSG_NO_RULE = "{day} 没有生效的“选民名单张榜公布的提前天数”规则数据，无法判断，请在管理后台“规则数据”中补充。"
MSG_LIST_EMPTY = "选民名单还是空的：请先按户籍台账生成选民名单。"
MSG_LIST_POSTED = "选民名单已于 {date} 张榜公布，不能再重新生成；如需更正，请逐个增补或划去并注明理由。"
MSG_DAY_MOVED_AFTER_POSTING = (
    "选民名单已于 {posted} 张榜公布：选举日改为 {election_day} 后距张榜只有 {lead} 天，少于规定的 {days} 天。"
)
MSG_REASON_REQUIRED = "请填写理由：选民名单的每一处增补、划去和恢复都须注明理由。"
MSG_PERSON_OR_NAME = "请填写户籍台账中的人员（身份证号），或填写非本安置点人员的姓名。"
MSG_UNDER_AGE = "{name}（{birth} 出生）在选举日 {election_day} 未满 {age} 周岁，不能列入选民名单。"
MSG_ALREADY_LISTED = "{name}已在选民名单上。"
MSG_ALREADY_STRUCK = "{name}已被划去（理由：{reason}）。如需恢复，请使用“恢复”。"
MSG_NOT_STRUCK = "{name}没有被划去，无需恢复。"
MSG_VOTER_STRUCK = "{name}已从选民名单上划去，不能作为候选人。"
MSG_VOTER_OF_OTHER_ELECTION = "所选人员不在本次选举的选民名单上。"
MSG_CANDIDATE_NAME = "请从选民名单中选择候选人，或填写下派正式干部的姓名。"
MSG_ANNOUNCED_OTHER_DAY = "选举结果须现场公布：公布日期须为选举日 {election_day}，不能是 {date}。"
MSG_RESULTS_MISSING = "还有候选人没有登记得票数和是否当选：{names}。"
MSG_NO_CANDIDATES = "还没有候选人，不能公布选举结果。"
MSG_NOT_POSTED = "选民名单尚未张榜公布，不能公布选举结果。"
MSG_FILED_BEFORE = "备案日期 {date} 早于现场公布选举结果的日期 {announced}。"
MSG_NOT_ANNOUNCED = "选举结果尚未公布，不能登记备案。"
MSG_ELECTED_WITHOUT_VOTES = "请填写得票数。"


def _log(election, kind, actor, *, voter=None, detail="", reason=""):
    return VoterChange.objects.create(
        election=election, voter=voter, kind=kind, detail=detail[:300], reason=reason[:200], actor=actor
    )


# --- the plan and the officers -------------------------------------------------------------------------------------


def lead_days(election: Election) -> int | None:
    """Days from the list's posting to election day."""
    if election.list_posted_on is None:
        return None
    return (election.election_day - election.list_posted_on).days


def check_posting(election_day: datetime.date, posted_on: datetime.date) -> None:
    """Refuse a posting fewer days before election day than the rule in force on the posting day asks (A4-R5;
    exactly the rule's days is allowed)."""
    rule = committees_rules.voter_list_days(posted_on)
    if rule is None:
        raise ValidationError({"list_posted_on": MSG_NO_RULE.format(day=posted_on.isoformat())})
    days, lead = rule.params["days"], (election_day - posted_on).days
    if lead < days:
        message = MSG_POSTED_LATE.format(
            days=days,
            posted=posted_on.isoformat(),
            election_day=election_day.isoformat(),
            lead=lead,
            basis=rule.basis,
        )
        raise ValidationError({"list_posted_on": message})


@audit.audited("election.save", "保存选举方案", target="election", result_is_target=False)
@transaction.atomic
def election_save(*, election: Election, actor) -> Election:
    """Record or correct an election's plan (method, steps, measures, election day, way of voting). Once the list
    is posted, a new election day must still leave the rule's days after the posting."""
    capabilities.require(actor, KEEP_GOVERNANCE)
    if election.list_posted_on is not None:
        try:
            check_posting(election.election_day, election.list_posted_on)
        except ValidationError:
            rule = committees_rules.voter_list_days(election.list_posted_on)
            message = MSG_DAY_MOVED_AFTER_POSTING.format(
                posted=election.list_posted_on.isoformat(),
                election_day=election.election_day.isoformat(),
                lead=lead_days(election),
                days=rule.params["days"] if rule else "？",
            )
            raise ValidationError({"election_day": message}) from None
    if election.pk is None:
        election.recorded_by = actor
    return save_with_history(instance=election, actor=actor, reason="登记选举方案")


@audit.audited("election_officer.save", "保存选举机构成员", target="officer", result_is_target=False)
@transaction.atomic
def officer_save(*, officer: ElectionOfficer, actor) -> ElectionOfficer:
    """A member of the guidance group or of the election committee."""
    capabilities.require(actor, KEEP_GOVERNANCE)
    officer.name, officer.position = officer.name.strip(), officer.position.strip()
    return save_with_history(instance=officer, actor=actor, reason="登记选举机构成员")


# --- the voter list ------------------------------------------------------------------------------------------------


def _refuse_after_posting(election: Election) -> None:
    if election.list_posted_on is not None:
        raise ValidationError(MSG_LIST_POSTED.format(date=election.list_posted_on.isoformat()))


def _voter_of(stay, election) -> Voter:
    person = stay.person
    return Voter(
        election=election,
        person=person,
        name=person.name,
        sex=person.sex,
        building_id=stay.household.building_id,
        source=VoterSource.REGISTRY,
    )


@audit.audited("voter_list.build", "生成选民名单", target="election")
@transaction.atomic
def voter_list_build(*, election: Election, actor) -> dict:
    """Build or refresh the list from the registry as of election day, before it is posted: the residents of the
    committee's settlements aged 18 or over that day join; a name the registry put there that is no longer
    eligible leaves, unless the clerk struck it (it stays struck, with its reason) or it is a candidate. Names the
    clerk added stay. Returns how many joined and left."""
    capabilities.require(actor, KEEP_GOVERNANCE)
    election = Election.objects.select_for_update().get(pk=election.pk)
    _refuse_after_posting(election)
    stays = {stay.person_id: stay for stay in eligible_stays(election).select_related("person", "household")}
    listed = {voter.person_id: voter for voter in election.voters.filter(person__isnull=False)}
    joined = [_voter_of(stay, election) for person_id, stay in stays.items() if person_id not in listed]
    Voter.objects.bulk_create(joined)
    candidates = set(Candidate.objects.filter(election=election).values_list("voter_id", flat=True))
    leaving = [
        voter.pk
        for person_id, voter in listed.items()
        if person_id not in stays
        and voter.source == VoterSource.REGISTRY
        and not voter.struck
        and voter.pk not in candidates
    ]
    Voter.objects.filter(pk__in=leaving).delete()
    detail = f"按 {election.election_day:%Y-%m-%d} 的户籍台账生成：新增 {len(joined)} 人，移出 {len(leaving)} 人"
    _log(election, VoterChangeKind.BUILT, actor, detail=detail)
    return {"joined": len(joined), "left": len(leaving)}


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": MSG_REASON_REQUIRED})
    return reason


@audit.audited("voter.add", "增补选民", target="election")
@transaction.atomic
def voter_add(*, election: Election, person=None, name: str = "", reason: str, actor) -> Voter:
    """Add a person of the registry, or a non-resident by name, to the list, with a reason."""
    capabilities.require(actor, KEEP_GOVERNANCE)
    reason = _require_reason(reason)
    if person is not None:
        listed = election.voters.filter(person=person).first()
        if listed is not None:
            if listed.struck:
                raise ValidationError(MSG_ALREADY_STRUCK.format(name=listed.name, reason=listed.strike_reason))
            raise ValidationError(MSG_ALREADY_LISTED.format(name=listed.name))
        if person.birth_date > adult_born_by(election.election_day):
            message = MSG_UNDER_AGE.format(
                name=person.name,
                birth=person.birth_date.isoformat(),
                election_day=election.election_day.isoformat(),
                age=committees_rules.VOTING_AGE,
            )
            raise ValidationError({"id_number": message})
        voter = Voter(election=election, person=person, name=person.name, sex=person.sex)
        voter.building_id = person.household.building_id
    else:
        name = (name or "").strip()
        if not name:
            raise ValidationError({"name": MSG_PERSON_OR_NAME})
        voter = Voter(election=election, name=name)
    voter.source, voter.added_reason = VoterSource.ADDED, reason
    save_with_history(instance=voter, actor=actor, reason=f"增补选民：{reason}")
    _log(election, VoterChangeKind.ADDED, actor, voter=voter, detail=voter.name, reason=reason)
    return voter


@audit.audited("voter.strike", "划去选民", target="voter", result_is_target=False)
@transaction.atomic
def voter_strike(*, voter: Voter, reason: str, actor) -> Voter:
    """Strike a name, with a reason: it stays on the list as struck, and a rebuild keeps it struck."""
    capabilities.require(actor, KEEP_GOVERNANCE)
    reason = _require_reason(reason)
    if voter.struck:
        raise ValidationError(MSG_ALREADY_STRUCK.format(name=voter.name, reason=voter.strike_reason))
    voter.struck, voter.strike_reason = True, reason
    save_with_history(instance=voter, actor=actor, reason=f"划去选民：{reason}")
    _log(voter.election, VoterChangeKind.STRUCK, actor, voter=voter, detail=voter.name, reason=reason)
    return voter


@audit.audited("voter.restore", "恢复选民", target="voter", result_is_target=False)
@transaction.atomic
def voter_restore(*, voter: Voter, reason: str, actor) -> Voter:
    capabilities.require(actor, KEEP_GOVERNANCE)
    reason = _require_reason(reason)
    if not voter.struck:
        raise ValidationError(MSG_NOT_STRUCK.format(name=voter.name))
    voter.struck, voter.strike_reason = False, ""
    save_with_history(instance=voter, actor=actor, reason=f"恢复选民：{reason}")
    _log(voter.election, VoterChangeKind.RESTORED, actor, voter=voter, detail=voter.name, reason=reason)
    return voter


@audit.audited("voter_list.post", "张榜公布选民名单", target="election")
@transaction.atomic
def voter_list_post(*, election: Election, posted_on: datetime.date, actor) -> Election:
    """Record the day the list was posted (张榜公布): at least the rule's days before election day (A4-R5)."""
    capabilities.require(actor, KEEP_GOVERNANCE)
    election = Election.objects.select_for_update().get(pk=election.pk)
    refuse_future(posted_on, field="list_posted_on", label="张榜公布日期")
    if not election.voters.filter(struck=False).exists():
        raise ValidationError(MSG_LIST_EMPTY)
    check_posting(election.election_day, posted_on)
    election.list_posted_on = posted_on
    save_with_history(instance=election, actor=actor, reason="张榜公布选民名单")
    count = election.voters.filter(struck=False).count()
    _log(election, VoterChangeKind.POSTED, actor, detail=f"{posted_on:%Y-%m-%d} 张榜公布，选民 {count} 人")
    return election


# --- candidates, results, filing -----------------------------------------------------------------------------------


@audit.audited("candidate.save", "保存候选人", target="candidate", result_is_target=False)
@transaction.atomic
def candidate_save(*, candidate: Candidate, actor) -> Candidate:
    """A candidate from the voter list (or a posted cadre by name), with their category, and their result."""
    capabilities.require(actor, KEEP_GOVERNANCE)
    voter = candidate.voter
    if voter is not None:
        if voter.election_id != candidate.election_id:
            raise ValidationError({"voter": MSG_VOTER_OF_OTHER_ELECTION})
        if voter.struck:
            raise ValidationError({"voter": MSG_VOTER_STRUCK.format(name=voter.name)})
        candidate.name = voter.name
    candidate.name = candidate.name.strip()
    if not candidate.name:
        raise ValidationError({"name": MSG_CANDIDATE_NAME})
    if candidate.elected is not None and candidate.votes is None:
        raise ValidationError({"votes": MSG_ELECTED_WITHOUT_VOTES})
    return save_with_history(instance=candidate, actor=actor, reason="登记候选人")


def _seat(candidate: Candidate, election: Election, actor) -> None:
    if CommitteeMember.objects.filter(election=election, name=candidate.name, body=candidate.body).exists():
        return
    member = CommitteeMember(
        committee=election.committee,
        body=candidate.body,
        person=candidate.voter.person if candidate.voter_id else None,
        name=candidate.name,
        role=candidate.role,
        term_from=election.election_day,
        came_by=CameBy.ELECTED,
        election=election,
        recorded_by=actor,
    )
    save_with_history(instance=member, actor=actor, reason="选举产生")


@audit.audited("election.announce", "现场公布选举结果", target="election")
@transaction.atomic
def results_announce(*, election: Election, announced_on: datetime.date, actor) -> Election:
    """Record that the results were announced on site (on election day, A4-R7) and seat the elected as members of
    the committee and of its supervision committee, recorded with this election (A4-R6)."""
    capabilities.require(actor, KEEP_GOVERNANCE)
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.list_posted_on is None:
        raise ValidationError(MSG_NOT_POSTED)
    if announced_on != election.election_day:
        raise ValidationError(
            {
                "announced_on": MSG_ANNOUNCED_OTHER_DAY.format(
                    election_day=election.election_day.isoformat(), date=announced_on.isoformat()
                )
            }
        )
    refuse_future(announced_on, field="announced_on", label="公布日期")
    candidates = list(election.candidates.select_related("voter"))
    if not candidates:
        raise ValidationError(MSG_NO_CANDIDATES)
    missing = [candidate.name for candidate in candidates if candidate.votes is None or candidate.elected is None]
    if missing:
        raise ValidationError(MSG_RESULTS_MISSING.format(names="、".join(missing)))
    election.results_announced_on = announced_on
    save_with_history(instance=election, actor=actor, reason="现场公布选举结果")
    for candidate in candidates:
        if candidate.elected:
            _seat(candidate, election, actor)
    return election


@audit.audited("election.file", "选举结果报县民政局备案", target="election")
@transaction.atomic
def election_file(*, election: Election, filed_on: datetime.date, document: str, actor) -> Election:
    """The filing of the results with 县民政局 (A4-R7), after their announcement."""
    capabilities.require(actor, KEEP_GOVERNANCE)
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.results_announced_on is None:
        raise ValidationError(MSG_NOT_ANNOUNCED)
    refuse_future(filed_on, field="filed_on", label="备案日期")
    if filed_on < election.results_announced_on:
        raise ValidationError(
            {
                "filed_on": MSG_FILED_BEFORE.format(
                    date=filed_on.isoformat(), announced=election.results_announced_on.isoformat()
                )
            }
        )
    election.filed_on, election.filing_document = filed_on, document.strip()
    return save_with_history(instance=election, actor=actor, reason="报县民政局备案")
