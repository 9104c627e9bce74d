"""Demo committees and elections for the embedded default, over the demo households, written through the
governance services:

- the street office's application with its first three steps;
- committees for 富民, 卧龙 (特和 attached), 阳光, 丰乐 and 凤凰 (凤凰 by 委派制, a posted cadre); 定威 has none;
- members and supervision committees; mass organisations for every settlement but 定威's 共青团 (missing),
  阳光's 妇联 founded late;
- 富民's election finished (list posted 23 days ahead, results announced on site, filed with 县民政局) and
  卧龙's in progress (list built and posted, candidates, no results yet).

Does nothing once a committee exists.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from settlements.models import Person, PersonStatus, Settlement, User

from . import services
from .models import (
    Body,
    CameBy,
    Candidate,
    CandidateCategory,
    Committee,
    CommitteeMember,
    CommitteeStep,
    CommitteeStepKind,
    Election,
    ElectionOfficer,
    MassOrganisation,
    MassOrganisationKind,
    OfficerBody,
    Role,
    Staffing,
    StreetOffice,
    StreetOfficeStep,
    StreetOfficeStepKind,
)

D = datetime.date
COMMITTEES = [  # name, settlements, established on, staffing
    ("富民社区居民委员会", ("fumin",), D(2019, 7, 20), Staffing.ELECTED),
    ("卧龙社区居民委员会", ("wolong", "tehe"), D(2019, 7, 25), Staffing.ELECTED),
    ("阳光社区居民委员会", ("yangguang",), D(2019, 7, 25), Staffing.ELECTED),
    ("丰乐社区居民委员会", ("fengle",), D(2019, 7, 30), Staffing.ELECTED),
    ("凤凰社区居民委员会", ("fenghuang",), D(2019, 9, 26), Staffing.APPOINTED),
]
STEP_DAYS = [D(2019, 5, 25), D(2019, 6, 10), D(2019, 6, 20), D(2019, 6, 28), D(2019, 7, 15)]
STEP_DOCUMENTS = [
    ("", "成立社区居民委员会工作方案"),
    ("县政府常务会议纪要〔2019〕12号", "县人民政府常务会议纪要"),
    ("县委常委会议纪要〔2019〕15号", "县委常委会议纪要"),
    ("榕府函〔2019〕88号", "关于同意设立安置点社区居民委员会的批复"),
    ("", "组织实施"),
]
LATE = ("yangguang", MassOrganisationKind.WOMEN, D(2019, 7, 15))
MISSING = ("dingwei", MassOrganisationKind.YOUTH_LEAGUE)


def seed_demo_committees() -> dict[str, int]:
    if Committee.objects.exists():
        return {}
    office = User.objects.get(username="office")
    with transaction.atomic():
        made = {"offices": _street_office(office), "committees": 0, "members": 0, "organisations": 0}
        for name, codes, established, staffing in COMMITTEES:
            committee = _committee(name, codes, established, staffing, office)
            made["committees"] += 1
            made["members"] += _members(committee, staffing, office)
        made["organisations"] = _mass_organisations(office)
        made["elections"] = _finished_election(office) + _election_in_progress(office)
    return made


def _street_office(office) -> int:
    street = services.street_office_save(
        office=StreetOffice(name="榕江县古州街道办事处（拟设）", note="尽可能将县城移民安置点纳入新成立街道办事处。"),
        settlements=Settlement.objects.exclude(code="dingwei"),
        actor=office,
    )
    steps = [(StreetOfficeStepKind.PLAN, D(2019, 5, 10)), (StreetOfficeStepKind.MATERIALS, D(2019, 5, 20))]
    steps.append((StreetOfficeStepKind.APPLY, D(2019, 5, 28)))
    for step, day in steps:
        record = StreetOfficeStep(step=step, done_on=day, document_number=f"榕民呈〔2019〕{step}号")
        record.document_title = StreetOfficeStepKind(step).label
        services.street_office_step_record(office=street, step=record, actor=office)
    return 1


def _committee(name, codes, established, staffing, office) -> Committee:
    committee = services.committee_save(
        committee=Committee(name=name, established_on=established, staffing=staffing),
        settlements=Settlement.objects.filter(code__in=codes),
        actor=office,
    )
    for (number, _), day, (document, title) in zip(CommitteeStepKind.choices, STEP_DAYS, STEP_DOCUMENTS, strict=True):
        step = CommitteeStep(step=number, done_on=min(day, established), document_number=document)
        step.document_title = title
        services.committee_step_record(committee=committee, step=step, actor=office)
    return committee


def _residents(committee, count):
    adults = Person.objects.filter(
        settlement__in=committee.settlements.all(), status=PersonStatus.ACTIVE, birth_date__lte=D(1990, 1, 1)
    )
    return list(adults.order_by("id")[:count])


def _members(committee, staffing, office) -> int:
    """Until its election, a committee is run by members appointed on its establishment."""
    day = committee.established_on
    posted_cadre = [(None, "王德才", Role.DIRECTOR, Body.COMMITTEE)]  # 委派制: "下派正式干部"
    seats = posted_cadre if staffing == Staffing.APPOINTED else []
    people = _residents(committee, 4)
    roles = [(Role.DIRECTOR, Body.COMMITTEE), (Role.DEPUTY, Body.COMMITTEE), (Role.MEMBER, Body.COMMITTEE)]
    roles.append((Role.DIRECTOR, Body.SUPERVISION))
    if staffing == Staffing.APPOINTED:
        roles = roles[1:]
    seats += [(person, "", role, body) for person, (role, body) in zip(people, roles, strict=False)]
    for person, name, role, body in seats:
        member = CommitteeMember(
            committee=committee, person=person, name=name, role=role, body=body, term_from=day, came_by=CameBy.APPOINTED
        )
        services.member_save(member=member, actor=office)
    return len(seats)


def _mass_organisations(office) -> int:
    made = 0
    for settlement in Settlement.objects.all():
        for kind, _ in MassOrganisationKind.choices:
            if (settlement.code, kind) == MISSING:
                continue
            founded = LATE[2] if (settlement.code, kind) == LATE[:2] else D(2019, 6, 20)
            if settlement.code in ("fenghuang", "tehe"):
                founded = D(2019, 9, 20)
            organisation = MassOrganisation(settlement=settlement, kind=kind, founded_on=founded)
            services.mass_organisation_save(organisation=organisation, actor=office)
            made += 1
    return made


def _prepare(committee, day, office) -> Election:
    election = services.election_save(
        election=Election(
            committee=committee,
            election_day=day,
            method="差额选举，无记名投票，公开计票",
            steps="成立机构、选民登记、张榜公布选民名单、提名候选人、投票选举、公布结果、备案",
            measures="入户宣传选举办法，为行动不便的选民设流动票箱",
        ),
        actor=office,
    )
    for body, name, position in (
        (OfficerBody.GUIDANCE, "杨光荣", "文体社区服务中心主任"),
        (OfficerBody.GUIDANCE, "石红梅", "县民政局基层政权股"),
        (OfficerBody.ELECTION_COMMITTEE, "龙建国", "群众代表会议推选"),
        (OfficerBody.ELECTION_COMMITTEE, "吴小芬", "群众代表会议推选"),
    ):
        services.officer_save(
            officer=ElectionOfficer(election=election, body=body, name=name, position=position), actor=office
        )
    services.voter_list_build(election=election, actor=office)
    return election


def _nominate(election, office, *, results: bool) -> None:
    voters = list(election.voters.filter(struck=False).order_by("id")[:5])
    seats = [
        (Role.DIRECTOR, Body.COMMITTEE, CandidateCategory.YOUNG_PARTY_MEMBER),
        (Role.DIRECTOR, Body.COMMITTEE, CandidateCategory.PROSPERITY_LEADER),
        (Role.MEMBER, Body.COMMITTEE, CandidateCategory.VETERAN),
        (Role.DIRECTOR, Body.SUPERVISION, CandidateCategory.YOUNG_TALENT),
        (Role.MEMBER, Body.SUPERVISION, CandidateCategory.ENTREPRENEUR),
    ]
    for index, (voter, (role, body, category)) in enumerate(zip(voters, seats, strict=False)):
        candidate = Candidate(election=election, voter=voter, name="", role=role, body=body, category=category)
        if results:
            candidate.votes = 300 - index * 40 if index != 1 else 120
            candidate.elected = index != 1
        services.candidate_save(candidate=candidate, actor=office)


def _finished_election(office) -> int:
    committee = Committee.objects.get(name="富民社区居民委员会")
    election = _prepare(committee, D(2019, 9, 20), office)
    voter = election.voters.filter(struck=False).order_by("-id").first()
    if voter is not None:
        services.voter_strike(voter=voter, reason="选民登记后户籍迁回原籍", actor=office)
    services.voter_add(
        election=election, name="杨秀英", reason="户籍在本社区、居住一年以上的外来人员，本人申请", actor=office
    )
    services.voter_list_post(election=election, posted_on=D(2019, 8, 28), actor=office)
    _nominate(election, office, results=True)
    for member in CommitteeMember.objects.filter(committee=committee, came_by=CameBy.APPOINTED, term_to__isnull=True):
        member.term_to = election.election_day - datetime.timedelta(days=1)  # the appointed hand over
        services.member_save(member=member, actor=office)
    services.results_announce(election=election, announced_on=election.election_day, actor=office)
    services.election_file(election=election, filed_on=D(2019, 9, 27), document="榕民备〔2019〕3号", actor=office)
    return 1


def _election_in_progress(office) -> int:
    committee = Committee.objects.get(name="卧龙社区居民委员会")
    today = timezone.localdate()
    election = _prepare(committee, today + datetime.timedelta(days=10), office)
    services.voter_list_post(election=election, posted_on=today - datetime.timedelta(days=11), actor=office)
    _nominate(election, office, results=False)
    return 1
