"""Every URL pattern of the portal, asked by every role with hostile input, answers anything but a 500 (issue 10).

The patterns come from the URL resolver, the admin's included, so a new app's pages join without a line here.
For each pattern:

- every role (and an anonymous visitor) asks for it with its path arguments naming an object in scope of the
  clerk of 文体 (the reporter of 教育科技局 for the plan), and the scoped roles with one outside it; the first
  role the page answers then tries 0, a number too large for any column, a number naming nothing, text and an
  overlong value for each argument (converters decide which fit);
- the query-string parameters the page reads (noted while it answers: `ReadKeys`; for a page that goes
  through the whole query string, every name its forms and links use) are given hostile values: the calendar's
  ends, numbers too large, text, NUL characters, script, overlong and repeated values (`HOSTILE_QUERIES`, and
  for names not there, `combined_queries`), spread over the roles the page answers;
- every form the page posts is sent back as a browser would, as rendered and then tampered: numbers too large,
  dates at the calendar's ends, garbage in choices and hidden fields, a formset's management form claiming
  rows that are not there (`tampered`);
- each role the page answers (or refuses GET, for a POST-only page) posts garbage to it.

The objects are built once for the module (`world`), among them a household whose records lie at the calendar's
edges as if stored before the ranges held them; each test runs in its own savepoint, so what one test's posts
write is gone before the next.
"""

import dataclasses
import datetime
import io
import re
import urllib.parse
from collections import defaultdict
from functools import cached_property
from html.parser import HTMLParser

import django.test.client
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIRequest
from django.core.management import call_command
from django.db import transaction
from django.http import QueryDict
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver, resolve
from django.urls.converters import get_converters
from django.urls.exceptions import Resolver404
from django.utils import timezone
from django.utils.regex_helper import normalize
from PIL import Image

from culture import services as culture_services
from culture.models import (
    ArtWork,
    BookStockUpdate,
    CollectionItem,
    Honour,
    HousePhoto,
    NostalgiaStep,
    Selection,
    SelectionCategory,
)
from culture.models import Session as CultureSession
from employment import services as employment_services
from employment.models import (
    ConditionKind,
    Employer,
    EmployerKind,
    Employment,
    EmploymentEnd,
    EmploymentKind,
    Funding,
    JobPost,
    LabourCondition,
    TrainingKind,
    TrainingRecord,
    Unemployment,
    WelfarePost,
    WelfarePostTitle,
    Workshop,
    WorkshopKind,
)
from governance import services as governance_services
from governance.models import (
    Candidate,
    CatalogueItem,
    Committee,
    CommitteeMember,
    CommitteeStep,
    CommitteeStepKind,
    DemocraticEvaluation,
    Election,
    MassOrganisation,
    MeetingDecision,
    MeetingKind,
    Publication,
    ResidentsMeeting,
    SelfGovernanceDocument,
    StreetOffice,
    Voter,
)
from governance.models import Role as GovernanceRole
from services.models import (
    CadrePosting,
    Catchment,
    CitizenCard,
    Dibao,
    DropoutVisit,
    FamilyDoctorContract,
    IllnessScreening,
    InsuranceEnrolment,
    MedicalStaff,
    SchoolEnrolment,
    ServiceDay,
    StudentAid,
)
from services.services import schooling as schooling_services
from settlements import photos
from settlements import services as registry_services
from settlements.imports import services as import_services
from settlements.models import (
    Building,
    BuildingHead,
    CommunityGroup,
    Facility,
    FacilityKind,
    Grid,
    GridKind,
    GridMember,
    Health,
    Household,
    LedgerImport,
    Person,
    Photo,
    Relation,
    ResponsibleUnit,
    Settlement,
    WorkTeam,
)
from settlements.photos.services import photos_add
from settlements.roles import Role
from tasks import services as task_services
from tasks.models import Evidence, FollowUpAction, Meeting, Notification, ProgressReport, Task
from tests import factories
from tests.culture import facility_factories as make_culture
from tests.culture import session_factories as culture_sessions
from tests.employment.factories import family
from tests.factories import make_id_number
from tests.governance import committee_factories as make_governance
from tests.governance import open_affairs_factories as make_open_affairs
from tests.services import factories as make_services
from tests.services import health_factories as make_health
from tests.services import schooling_factories as make_schooling
from tests.settlements.test_import import household, member, sheet, upload, xlsx
from tests.tasks.factories import make_action, make_task

from .conftest import PASSWORD

D = datetime.date
HUGE = "99999999999999999999"  # more than any integer column holds, and more than SQLite's 64 bits
ROLES = (
    "anonymous",
    "clerk_wenti",
    "office",
    "reporter",
    "team_lead",
    "leader",
    "clerk_changba",
    "system_admin",
    "security_admin",
    "audit_admin",
)
SCOPED_ROLES = ("clerk_wenti", "clerk_changba", "reporter", "team_lead")
SKIPPED_FORM_ACTIONS = {"logout", "admin:logout"}  # posting them only ends the session the walk goes on with

DATE_NAMES = ("day", "as_of", "date")
MONTH_NAMES = ("month", "period")
KEY_NAMES = ("settlement", "building", "unit", "work_team", "owner_unit", "post", "document", "project_year")
PAGE_NAMES = ("page", "p")


def _query(**values) -> str:
    return urllib.parse.urlencode(values, doseq=True)


def _dates(day: str, month: str) -> str:
    return _query(**dict.fromkeys(DATE_NAMES, day), **dict.fromkeys(MONTH_NAMES, month))


def _keys(value: str) -> str:
    return _query(**dict.fromkeys(KEY_NAMES + PAGE_NAMES, value))


# Each query gives one kind of hostile value to every parameter it fits: a page's parameters are read
# independently, or by one form that any one of them makes invalid, so a value never hides another. The edges of
# the portal's range pass and reach the arithmetic behind the page.
EDGE_LOW, EDGE_HIGH = "1900-01-01", (timezone.localdate() + datetime.timedelta(days=366)).isoformat()
HOSTILE_QUERIES = (
    _dates("0001-01-01", "0001-01"),
    _dates("9999-12-31", "9999-12"),
    _dates(EDGE_LOW, EDGE_LOW[:7]),
    _dates(EDGE_HIGH, EDGE_HIGH[:7]),
    _dates("2026-02-30", "2026-13"),
    _keys(HUGE),
    _keys("abc"),
    _keys("-1"),
    "q=%00",
    _query(q="长" * 3000, status="<script>alert(1)</script>", kind="x" * 500, valid="all", full="abc"),
    "q=%ff%fe&status=%ff",
    "day=2026-01-01&day=0001-01-01&settlement=1&settlement=abc&status=a&status=b&page=1&page=x",
    _query(registered_poor="abc", labour_age="9", has_labour="9", sex="x", education="x", hukou_status="x", mine="x"),
    _query(o="abc", all="", _popup="1", _to_field="password", _changelist_filters="o=abc&e=1", e="1"),
    _query(at__gte="abc", at__year="99999", at__month="13", at__day="40", created_at__lt="0001-01-01"),
    _query(settlement__id__exact=HUGE, household__settlement__id__exact="abc", kind__exact="x", id__in="abc"),
    _query(term="长" * 300, app_label="tasks", model_name="task", field_name="lead_unit", page=HUGE),
    _query(term=HUGE, app_label="settlements", model_name="user", field_name="unit"),
    _query(next="//evil.example/", _popup="abc"),
)


COMBINED_VALUES = ("0001-01-01", "9999-12-31", HUGE, "abc")


def combined_queries(names) -> list[str]:
    """For parameters `HOSTILE_QUERIES` does not name: each hostile value given to all of them at once."""
    names = sorted(names)
    return [urllib.parse.urlencode(dict.fromkeys(names, value)) for value in COMBINED_VALUES] if names else []


# --- the patterns ------------------------------------------------------------------------------------------------


def _chains(patterns, chain=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _chains(entry.url_patterns, (*chain, entry))
        else:
            yield (*chain, entry)


def _route(chain) -> str:
    """The pattern's route as `ResolverMatch.route` gives it."""
    route = ""
    for entry in chain:
        part = str(entry.pattern)
        route = route + part.removeprefix("^") if route else part
    return route


PATTERNS = {_route(chain): chain for chain in _chains(get_resolver().url_patterns)}


# --- the world: objects in and out of scope ----------------------------------------------------------------------


@dataclasses.dataclass
class World:
    users: dict
    inside: dict  # model -> pk of an object in scope of the clerk of 文体 (of the reporter, for the plan)
    outside: dict  # model -> pk of one outside it
    slugs: list
    outsiders: dict  # model -> the role whose scope that is
    sessions: dict  # role -> the key of a session it is logged in with


def _users():
    def make(role, unit=None, team=None):
        return registry_services.user_create(
            username=f"walker-{role}-{unit or ''}",
            password=PASSWORD,
            role=role,
            full_name="测试用户",
            unit=ResponsibleUnit.objects.get(name=unit) if unit else None,
            work_team=WorkTeam.objects.get(code=team) if team else None,
        )

    return {
        "office": make(Role.OFFICE, "县生态移民局"),
        "leader": make(Role.LEADER),
        "team_lead": make(Role.TEAM_LEAD, "县人力资源社会保障局", "employment"),
        "reporter": make(Role.REPORTER, "县教育科技局"),
        "clerk_wenti": make(Role.CLERK, "文体社区服务中心"),
        "clerk_changba": make(Role.CLERK, "场坝社区服务中心"),
        "system_admin": make(Role.SYSTEM_ADMIN),
        "security_admin": make(Role.SECURITY_ADMIN),
        "audit_admin": make(Role.AUDIT_ADMIN),
    }


def _registry_and_employment(office, inside, outside):
    today = timezone.localdate()
    employer = Employer.objects.create(name="榕江县苗绣公司", kind=EmployerKind.ENTERPRISE)
    post = JobPost.objects.create(
        employer=employer,
        title="刺绣工",
        place="古州镇",
        openings=5,
        published_on=today - datetime.timedelta(days=30),
        valid_until=today + datetime.timedelta(days=30),
    )
    for side in (inside, outside):
        side.update({Employer: employer.pk, JobPost: post.pk})
    members = ((D(1980, 1, 1), Relation.HEAD), (D(1982, 1, 1), Relation.SPOUSE))
    for side, code in ((inside, "fumin"), (outside, "fengle")):
        home, (worker, jobless) = family(code, members=members)
        job = employment_services.employment_start(
            person=worker, actor=office, kind=EmploymentKind.LOCAL_FIRM, employer=employer, start_date=D(2025, 1, 1)
        )
        lost = employment_services.employment_start(
            person=jobless, actor=office, kind=EmploymentKind.LOCAL_FIRM, employer_name="某厂", start_date=D(2024, 1, 1)
        )
        employment_services.employment_end(
            employment=lost, end_date=D(2025, 6, 1), reason=EmploymentEnd.LOST, actor=office
        )
        _training_and_posts(office, worker, jobless, home.settlement)
        side.update(
            {
                Household: home.pk,
                Person: worker.pk,
                Settlement: home.settlement_id,
                Employment: job.pk,
                Unemployment: Unemployment.objects.get(person=jobless).pk,
            }
        )


def _training_and_posts(office, worker, jobless, settlement=None):
    employment_services.training_record(
        person=worker,
        actor=office,
        course="刺绣",
        kind=TrainingKind.DIRECTED,
        provider="县职校",
        start_date=D(2024, 3, 1),
        end_date=D(2024, 3, 10),
        days=10,
    )
    employment_services.condition_record(
        person=jobless, kind=ConditionKind.SERIOUSLY_ILL, start_date=D(2020, 1, 1), actor=office
    )
    if settlement is None:
        return
    Workshop.objects.create(
        name=f"{settlement.name}车间", kind=WorkshopKind.WORKSHOP, settlement=settlement, opened_on=D(2020, 1, 1)
    )
    WelfarePost.objects.create(
        code=f"GY-{settlement.code}",
        title=WelfarePostTitle.CLEANER,
        settlement=settlement,
        funding=Funding.EAST_WEST,
        created_on=D(2020, 1, 1),
    )


def _facilities(office, inside, outside):
    for side, code in ((inside, "fumin"), (outside, "fengle")):
        built = registry_services.facility_save(
            actor=office,
            facility=Facility(name=f"{code}农家书屋", in_use_on=D(2019, 6, 1)),
            kinds=FacilityKind.objects.filter(code="rural_library"),
            settlements=Settlement.objects.filter(code=code),
            attributes={"area_m2": "19.9", "keeper": "龙梅"},
        )
        side[Facility] = built.pk


def _grids(office, inside, outside):
    """A grid of 富民 and of 丰乐 with a member and the side's household in it, and a building with its head; and
    in 富民 an assignment, a member and a head whose dates lie at the calendar's edges."""
    for side, code in ((inside, "fumin"), (outside, "fengle")):
        place = Settlement.objects.get(code=code)
        grid = registry_services.grid_save(
            actor=office, grid=Grid(settlement=place, kind=GridKind.GOVERNANCE, name=f"{code}一组")
        )
        registry_services.grid_assign(actor=office, grid=grid, household_ids=[side[Household]], day=D(2020, 1, 1))
        member = registry_services.grid_member_save(
            actor=office, member=GridMember(grid=grid, name="王网", phone="13800001111", start_date=D(2020, 1, 1))
        )
        block = Building.objects.create(settlement=place, name=f"{code}边1栋")
        head = registry_services.building_head_save(
            actor=office, head=BuildingHead(building=block, name="杨秀", phone="13800002222", start_date=D(2020, 1, 1))
        )
        side.update({Grid: grid.pk, GridMember: member.pk, BuildingHead: head.pk, Building: block.pk})
    GridMember.objects.filter(pk=inside[GridMember]).update(start_date=datetime.date.min, end_date=datetime.date.max)
    BuildingHead.objects.filter(pk=inside[BuildingHead]).update(start_date=datetime.date.min)
    Grid.objects.filter(pk=inside[Grid]).update(established_on=datetime.date.min, dissolved_on=datetime.date.max)


def _rows_at_the_calendars_edges(office):
    """A household of 富民 whose records were stored before the ranges held them (or by hand in the database):
    every page reading them must still answer."""
    home, (worker, other) = family("fumin", members=((D(1980, 1, 1), Relation.HEAD), (D(1985, 1, 1), Relation.SPOUSE)))
    employment_services.employment_start(
        person=worker, actor=office, kind=EmploymentKind.SELF_EMPLOYED, employer_name="刺绣店", start_date=D(2025, 1, 1)
    )
    Employment.objects.filter(person=worker).update(
        start_date=datetime.date.max - datetime.timedelta(days=30), business_registered_on=datetime.date.max
    )
    _training_and_posts(office, other, other, None)
    TrainingRecord.objects.filter(person=other).update(start_date=datetime.date.min, end_date=datetime.date.max)
    LabourCondition.objects.filter(person=other).update(start_date=datetime.date.min, end_date=datetime.date.max)
    Household.objects.filter(pk=home.pk).update(move_in_date=datetime.date.min)


def _services(office, inside, outside):
    """Every record of the services app, in 富民 and in 丰乐; and one of each at the calendar's edges."""
    for side in (inside, outside):
        person, household = Person.objects.get(pk=side[Person]), Household.objects.get(pk=side[Household])
        code = household.settlement.code
        side.update(
            {
                InsuranceEnrolment: make_services.enrol(person, D(2020, 1, 1), D(2020, 12, 30), actor=office).pk,
                Dibao: make_services.dibao(household, D(2021, 1, 1), actor=office).pk,
                CadrePosting: make_services.posting(household.origin_township, code, actor=office).pk,
                ServiceDay: make_services.service_day(code, D(2026, 11, 26), actor=office).pk,
            }
        )
        make_services.enrol(person, D(2021, 1, 1), actor=office)  # a gap
        make_services.card(person, D(2019, 9, 1), actor=office)
        make_services.relief(household, D(2020, 6, 1), actor=office)
    edge = Person.objects.get(pk=inside[Person])
    InsuranceEnrolment.objects.filter(person=edge, end_date__isnull=True).update(start_date=datetime.date.max)
    CitizenCard.objects.filter(person=edge).update(issued_on=datetime.date.max)
    Dibao.objects.filter(pk=inside[Dibao]).update(start_date=datetime.date.min, end_date=datetime.date.max)
    ServiceDay.objects.filter(pk=inside[ServiceDay]).update(held_on=datetime.date.min)
    CadrePosting.objects.filter(pk=inside[CadrePosting]).update(start_date=datetime.date.min)


HEALTH_FACILITY = "health facility"  # a Facility of a health kind: the number the clinic pages' routes take


def _health(office, inside, outside):
    """A clinic of 富民 and of 丰乐 with a doctor, a seriously-ill person screened, a contract; a cooperative; and in
    富民 a worker, a screening, a contract and a cooperative whose dates lie at the calendar's edges."""
    for side, code in ((inside, "fumin"), (outside, "fengle")):
        clinic = make_health.clinic((code,), name=f"{code}卫生室", actor=office)
        doctor = make_health.staff(clinic, actor=office)
        person, household = Person.objects.get(pk=side[Person]), Household.objects.get(pk=side[Household])
        Person.objects.filter(pk=person.pk).update(health=Health.SERIOUS)
        side.update(
            {
                HEALTH_FACILITY: clinic.pk,
                MedicalStaff: doctor.pk,
                IllnessScreening: make_health.screening(person, D(2020, 3, 1), actor=office).pk,
                FamilyDoctorContract: make_health.contract(household, D(2020, 1, 1), D(2020, 12, 31), actor=office).pk,
            }
        )
        make_health.clinic((code,), name=f"{code}物业管理合作社", kind="property_coop", in_use_on=D(2019, 5, 25))
    edge = make_health.staff(Facility.objects.get(pk=inside[HEALTH_FACILITY]), "边医生", actor=office)
    MedicalStaff.objects.filter(pk=edge.pk).update(
        start_date=datetime.date.min, end_date=datetime.date.max, trained_on=datetime.date.max
    )
    IllnessScreening.objects.filter(pk=inside[IllnessScreening]).update(screened_on=datetime.date.max)
    FamilyDoctorContract.objects.filter(pk=inside[FamilyDoctorContract]).update(
        signed_on=datetime.date.min, valid_to=datetime.date.max
    )
    coop = make_health.clinic(("fumin",), name="边界物业管理合作社", kind="property_coop")
    Facility.objects.filter(pk=coop.pk).update(in_use_on=datetime.date.min)


def _schooling(office, inside, outside):
    """A pupil of 富民 and one of 丰乐, each with a dropout followed up, a re-enrolment, aid and their settlement's
    catchment; and one of each at the calendar's edges."""
    school = make_schooling.school("车江小学")
    for side in (inside, outside):
        settlement = Household.objects.get(pk=side[Household]).settlement
        _, pupil = make_schooling.child(settlement.code)
        dropout = make_schooling.drop_out(pupil, school, D(2021, 9, 1), D(2025, 6, 30), actor=office)
        visit = make_schooling.visit(dropout, D(2025, 7, 2), actor=office)
        make_schooling.enrol(pupil, school, D(2025, 9, 1), grade="五年级", actor=office)
        catchment = Catchment(level="primary_school", school=school, settlement=settlement, valid_from=D(2019, 5, 20))
        side.update(
            {
                SchoolEnrolment: dropout.pk,
                DropoutVisit: visit.pk,
                StudentAid: make_schooling.aid(pupil, 2022, actor=office).pk,
                Catchment: schooling_services.catchment_save(catchment=catchment, actor=office).pk,
            }
        )
    edge = Person.objects.get(pk=inside[Person])
    enrolment = make_schooling.enrol(edge, school, D(2000, 9, 1), D(2001, 6, 30), reason="graduated", actor=office)
    SchoolEnrolment.objects.filter(pk=enrolment.pk).update(start_date=datetime.date.min, end_date=datetime.date.max)
    StudentAid.objects.filter(pk=inside[StudentAid]).update(school_year=32767, granted_on=datetime.date.max)
    Catchment.objects.filter(pk=inside[Catchment]).update(valid_from=datetime.date.min, valid_to=datetime.date.max)


def _open_affairs(office, inside, outside):
    """In 富民 and in 丰乐: an assistance notice with its origin-village mirror, a consultation and a decision, an
    evaluation, a charter; and in 富民 a notice, a meeting, an evaluation and a document at the calendar's edges."""
    for side in (inside, outside):
        settlement = Settlement.objects.get(pk=side[Settlement])
        make_open_affairs.village_household(settlement)
        notice = make_open_affairs.publish(settlement, D(2026, 3, 10), actor=office)
        consultation = make_open_affairs.meeting(settlement, D(2026, 3, 1), MeetingKind.CONSULTATION, actor=office)
        decision = make_open_affairs.decide(make_open_affairs.meeting(settlement, D(2026, 3, 5), actor=office))
        side.update(
            {
                Publication: notice.pk,
                ResidentsMeeting: consultation.pk,
                MeetingDecision: decision.pk,
                DemocraticEvaluation: make_open_affairs.evaluate(settlement, D(2026, 3, 12), actor=office).pk,
                SelfGovernanceDocument: make_open_affairs.document(settlement, D(2025, 1, 1), actor=office).pk,
            }
        )
        make_open_affairs.mirror(notice, actor=office)
    inside[CatalogueItem] = make_open_affairs.item().pk  # the catalogue is county-wide: none is outside a scope
    edge = make_open_affairs.publish("fumin", D(2026, 3, 11), actor=office)
    Publication.objects.filter(pk=edge.pk).update(published_on=datetime.date.max)
    edge_meeting = make_open_affairs.meeting("fumin", D(2026, 3, 2), actor=office)
    make_open_affairs.decide(edge_meeting, actor=office)
    ResidentsMeeting.objects.filter(pk=edge_meeting.pk).update(held_on=datetime.date.min)
    edge_evaluation = make_open_affairs.evaluate("fumin", D(2026, 3, 2), actor=office)
    DemocraticEvaluation.objects.filter(pk=edge_evaluation.pk).update(held_on=datetime.date.max)
    edge_document = make_open_affairs.document("fumin", D(2026, 3, 2), actor=office)
    SelfGovernanceDocument.objects.filter(pk=edge_document.pk).update(adopted_on=datetime.date.max)
    CatalogueItem.objects.filter(pk=inside[CatalogueItem]).update(start_date=datetime.date.min)


def _governance(office, inside, outside):
    """A committee of 富民 and of 丰乐, each with a step, a member, an election (a voter added, a candidate), a street
    office with a step and a mass organisation; and in 富民 an election, a member, a step and an organisation whose
    dates lie at the calendar's edges."""
    for side in (inside, outside):
        code = Household.objects.get(pk=side[Household]).settlement.code
        committee = make_governance.committee((code,), name=f"{code}居委会", actor=office)
        step = CommitteeStep(step=CommitteeStepKind.PLAN, done_on=D(2019, 5, 25))
        governance_services.committee_step_record(committee=committee, step=step, actor=office)
        member = CommitteeMember(
            committee=committee,
            name="下派干部",
            role=GovernanceRole.MEMBER,
            term_from=D(2019, 7, 1),
            came_by="appointed",
        )
        election = make_governance.election(committee, actor=office)
        governance_services.voter_list_build(election=election, actor=office)
        voter = governance_services.voter_add(election=election, name="外来人员", reason="本人申请", actor=office)
        street = governance_services.street_office_save(
            office=StreetOffice(name=f"{code}街道"), settlements=Settlement.objects.filter(code=code), actor=office
        )
        organisation = MassOrganisation(settlement=committee.settlements.get(), kind="union", founded_on=D(2019, 6, 1))
        side.update(
            {
                Committee: committee.pk,
                CommitteeMember: governance_services.member_save(member=member, actor=office).pk,
                Election: election.pk,
                Voter: voter.pk,
                Candidate: make_governance.candidate(election, voter, actor=office).pk,
                StreetOffice: street.pk,
                MassOrganisation: governance_services.mass_organisation_save(
                    organisation=organisation, actor=office
                ).pk,
            }
        )
    edge = make_governance.election(Committee.objects.get(pk=inside[Committee]), actor=office)
    Election.objects.filter(pk=edge.pk).update(
        election_day=datetime.date.max, list_posted_on=datetime.date.min, results_announced_on=datetime.date.max
    )
    Election.objects.filter(pk=inside[Election]).update(election_day=datetime.date.min)
    Committee.objects.filter(pk=inside[Committee]).update(established_on=datetime.date.min)
    CommitteeMember.objects.filter(pk=inside[CommitteeMember]).update(
        term_from=datetime.date.min, term_to=datetime.date.max
    )
    MassOrganisation.objects.filter(pk=inside[MassOrganisation]).update(founded_on=datetime.date.max)
    CommitteeStep.objects.filter(committee_id=inside[Committee]).update(done_on=datetime.date.max)


def _imports(users, inside, outside):
    for side, clerk, code in ((inside, "clerk_wenti", "fumin"), (outside, "clerk_changba", "fengle")):
        head = member("龙梅", "户主", make_id_number(D(1990, 9, 9), False))
        rows = sheet(household(f"IMP-{code}", head, 安置点=Settlement.objects.get(code=code).name))
        record = import_services.import_start(user=users[clerk], upload=upload(xlsx(rows)), kind="registry")
        import_services.import_check(import_id=record.pk)
        side[LedgerImport] = record.pk


def _plan(users, inside, outside):
    office, reporter, team_lead = users["office"], users["reporter"], users["team_lead"]
    today = timezone.localdate()
    for side, lead, author in ((inside, "县教育科技局", reporter), (outside, "县人力资源社会保障局", team_lead)):
        task = make_task(lead=lead, deadlines=[today + datetime.timedelta(days=10)], targets=[("培训人数", 100)])
        report = task_services.report_submit(task=task, actor=author, period=today, progress="按计划推进。")
        side.update({Task: task.pk, ProgressReport: report.pk})
    evidence = Evidence.objects.create(
        report_id=inside[ProgressReport],
        file=SimpleUploadedFile("照片.jpg", b"\xff\xd8\xff\xe0 a photo"),
        original_name="照片.jpg",
        is_image=True,
        size=16,
        uploaded_by=reporter,
    )
    meeting = task_services.meeting_schedule(held_on=today - datetime.timedelta(days=1), actor=office)
    task_services.meeting_hold(meeting=meeting, minutes="议定事项。", actor=office)
    for side, unit, recipient in ((inside, "县教育科技局", reporter), (outside, "县人力资源社会保障局", office)):
        (notification,) = task_services.notifications_create(recipients=[recipient], title="提醒", link="/tasks/")
        action = make_action(meeting, office, unit=unit)
        side.update(
            {Evidence: evidence.pk, Meeting: meeting.pk, FollowUpAction: action.pk, Notification: notification.pk}
        )


NOSTALGIA_HALL = "nostalgia hall"  # a Facility of kind 乡愁馆: the number the 乡愁馆 routes take
CULTURE_TEAM = "culture team"  # a CommunityGroup of a culture kind: the number culture's team routes take
SOCIAL_GROUP = "social group"  # a CommunityGroup of an annex-4 kind: the number governance's group routes take


def _culture_facilities(office, inside, outside):
    """Each side's library (the world's facility) with a book update, a 乡愁馆 with a step and an item, a team;
    the county's art work (everyone's to read); and in 富民 records at the calendar's edges."""
    for side, code in ((inside, "fumin"), (outside, "fengle")):
        library = Facility.objects.get(pk=side[Facility])
        hall = make_culture.facility(f"{code}乡愁馆", ["nostalgia_hall"], [code], D(2019, 12, 1), actor=office)
        side.update(
            {
                NOSTALGIA_HALL: hall.pk,
                BookStockUpdate: make_culture.books(library, D(2020, 1, 1), 1, 2, actor=office).pk,
                NostalgiaStep: make_culture.step(hall, "survey", D(2019, 7, 1), actor=office).pk,
                CollectionItem: make_culture.item(hall, "纺车", D(2019, 11, 1), actor=office).pk,
                CULTURE_TEAM: make_culture.team(code, f"{code}志愿服务队", D(2019, 6, 1), actor=office).pk,
                SOCIAL_GROUP: factories.community_group(
                    code, f"{code}义务消防队", D(2019, 6, 1), "fire_volunteers", actor=office
                ).pk,
            }
        )
    inside[ArtWork] = make_culture.art_work("《新家》", D(2019, 12, 20), actor=office).pk
    edge = make_culture.team("fumin", "边界队", D(2019, 6, 1), actor=office)
    CommunityGroup.objects.filter(pk=edge.pk).update(founded_on=datetime.date.min, disbanded_on=datetime.date.max)
    CollectionItem.objects.filter(pk=inside[CollectionItem]).update(collected_on=datetime.date.max)
    BookStockUpdate.objects.filter(pk=inside[BookStockUpdate]).update(updated_on=datetime.date.min)
    ArtWork.objects.filter(pk=inside[ArtWork]).update(completed_on=datetime.date.max)


def _photos(users, inside, outside):
    """A photo of each side's facility (the photo pages then answer with an object in and out of scope)."""
    content = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(content, "JPEG")
    for side in (inside, outside):
        market = Facility.objects.get(pk=side[Facility])
        photo = SimpleUploadedFile("现场.jpg", content.getvalue(), content_type="image/jpeg")
        side[Photo] = photos_add(owner=market, files=[photo], actor=users["office"])[0].pk


def _culture_sessions(users, inside, outside):
    """A session with a photo at each side's facility (富民's 农家书屋, 丰乐's); and in 富民 two at the calendar's
    edges."""
    content = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 30)).save(content, "JPEG")
    for side in (inside, outside):
        venue = Facility.objects.get(pk=side[Facility])
        photo = SimpleUploadedFile("活动.jpg", content.getvalue(), content_type="image/jpeg")
        session = culture_sessions.session(
            venue.settlements.get(), D(2026, 10, 15), venue=venue, venue_text="", photos=[photo], actor=users["office"]
        )
        side[CultureSession] = session.pk
    for edge in (datetime.date.min, datetime.date.max):
        session = culture_sessions.session("fumin", D(2026, 10, 16), actor=users["office"])
        CultureSession.objects.filter(pk=session.pk).update(held_on=edge)


def _culture(users, inside, outside):
    """A house photo hung in each side's household, a selection of its settlement honouring its worker; and in 富民 a
    hanging and a selection whose dates lie at the calendar's edges."""
    office = users["office"]
    unit = ResponsibleUnit.objects.get(name="县生态移民局")
    organiser = ResponsibleUnit.objects.get(name="县委宣传部")
    for side in (inside, outside):
        household, person = Household.objects.get(pk=side[Household]), Person.objects.get(pk=side[Person])
        photo = SimpleUploadedFile("新旧住房.jpg", _jpeg(), content_type="image/jpeg")
        culture_services.house_photo_record(
            household=household, hung_on=D(2025, 6, 1), hung_by=unit, files=[photo], actor=office
        )
        selection = culture_services.selection_save(
            selection=Selection(
                settlement=household.settlement,
                year=2025,
                category=SelectionCategory.GOOD_PERSON,
                held_on=D(2025, 12, 20),
                organiser=organiser,
            ),
            actor=office,
        )
        honour = culture_services.honour_add(selection=selection, person=person, actor=office)
        side.update({Selection: selection.pk, Honour: honour.pk})
    edge = Household.objects.filter(settlement__code="fumin", move_in_date=datetime.date.min).first()
    HousePhoto.objects.create(household=edge, hung_on=datetime.date.max, hung_by=unit, recorded_by=office)
    settlement = Settlement.objects.get(code="fumin")
    Selection.objects.create(
        settlement=settlement,
        year=32767,
        category=SelectionCategory.OTHER,
        other_name="边界",
        held_on=datetime.date.min,
        organiser=organiser,
        recorded_by=office,
    )


def _jpeg() -> bytes:
    content = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 30)).save(content, "JPEG")
    return content.getvalue()


def _sessions(users) -> dict:
    """A session per role, logged in once for the module (each test's requests renew it in their savepoint)."""
    sessions = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        factories.pass_second_factor(client, user)  # the module's world is built before the autouse patch
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The objects every test of this module asks for, built once in a transaction rolled back at the end."""
    quick = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        SESSION_COOKIE_AGE=24 * 3600,  # the sessions outlive the walk however slow the machine
    )
    with django_db_blocker.unblock(), quick, transaction.atomic():
        call_command("load_reference_data", verbosity=0)
        call_command("load_employment_rules", verbosity=0)
        call_command("load_rules", verbosity=0)
        users = _users()
        inside, outside = {}, {}
        _registry_and_employment(users["office"], inside, outside)
        _facilities(users["office"], inside, outside)
        _grids(users["office"], inside, outside)
        _rows_at_the_calendars_edges(users["office"])
        _services(users["office"], inside, outside)
        _health(users["office"], inside, outside)
        _schooling(users["office"], inside, outside)
        _open_affairs(users["office"], inside, outside)
        _governance(users["office"], inside, outside)
        _imports(users, inside, outside)
        _plan(users, inside, outside)
        _culture_facilities(users["office"], inside, outside)
        _photos(users, inside, outside)
        _culture_sessions(users, inside, outside)
        _culture(users, inside, outside)
        slugs = sorted(set(LedgerImport.objects.values_list("kind", flat=True)))
        # photos/<photo_owner:owner>/<pk>/…: the facility's key first, the number the route's model (Facility) gives
        slugs += sorted((owner.key for owner in photos.all_owners()), key=lambda key: key != "settlements.facility")
        plan = {Task, ProgressReport, FollowUpAction, Notification}
        outsiders = {model: "reporter" if model in plan else "clerk_wenti" for model in outside}
        yield World(users, inside, outside, slugs, outsiders, sessions=_sessions(users))
        transaction.set_rollback(True)


# --- path arguments -----------------------------------------------------------------------------------------------

# The start of a portal page's route -> the model its number names. A route not listed is tried with the objects of
# every model; an admin route names its model itself.
ROUTE_MODELS = {
    "households/": Household,
    "persons/": Person,
    "facilities/": Facility,
    "grids/": Grid,
    "grid-members/": GridMember,
    "heads/": BuildingHead,
    "buildings/": Building,
    "imports/": LedgerImport,
    "tasks/": Task,
    "reports/": ProgressReport,
    "evidence/": Evidence,
    "photos/<photo_owner:owner>/": Facility,  # the owner's key, then the owner's number
    "photos/": Photo,
    "meetings/": Meeting,
    "actions/": FollowUpAction,
    "inbox/": Notification,
    "employment/settlements/": Settlement,
    "employment/persons/": Person,
    "employment/jobs/": Employment,
    "employment/unemployment/": Unemployment,
    "employment/posts/": JobPost,
    "employment/employers/": Employer,
    "services/settlements/": Settlement,
    "services/households/": Household,
    "services/persons/": Person,
    "services/insurance/": InsuranceEnrolment,
    "services/dibao/": Dibao,
    "services/cadres/": CadrePosting,
    "services/service-days/": ServiceDay,
    "services/clinics/": HEALTH_FACILITY,
    "services/medical-staff/": MedicalStaff,
    "services/screening/": IllnessScreening,
    "services/family-doctors/": FamilyDoctorContract,
    "services/schooling/enrolments/": SchoolEnrolment,
    "services/schooling/visits/": DropoutVisit,
    "services/schooling/aid/": StudentAid,
    "services/schooling/catchments/": Catchment,
    "culture/settlements/": Settlement,
    "culture/households/": Household,
    "governance/settlements/": Settlement,
    "governance/households/": Household,
    "culture/sessions/calendar/": Settlement,
    "culture/sessions/": CultureSession,
    "culture/selections/": Selection,
    "culture/honours/": Honour,
    "governance/open-affairs/catalogue/": CatalogueItem,
    "governance/open-affairs/": Publication,
    "governance/meetings/": ResidentsMeeting,
    "governance/decisions/": MeetingDecision,
    "governance/evaluations/": DemocraticEvaluation,
    "governance/documents/": SelfGovernanceDocument,
    "culture/facilities/": Facility,
    "culture/book-stock/": BookStockUpdate,
    "culture/nostalgia/": NOSTALGIA_HALL,
    "culture/nostalgia-steps/": NostalgiaStep,
    "culture/collection/": CollectionItem,
    "culture/teams/": CULTURE_TEAM,
    "governance/social-groups/": SOCIAL_GROUP,
    "culture/art-works/": ArtWork,
    "governance/committees/": Committee,
    "governance/committee-members/": CommitteeMember,
    "governance/street-office/": StreetOffice,
    "governance/mass-organisations/": MassOrganisation,
    "governance/elections/": Election,
    "governance/voters/": Voter,
    "governance/candidates/": Candidate,
}


def _models_of(route, world) -> list:
    for model in admin.site._registry:
        if route.startswith(f"admin/{model._meta.app_label}/{model._meta.model_name}/"):
            return [model]
    for prefix, model in sorted(ROUTE_MODELS.items(), key=lambda item: -len(item[0])):
        if route.startswith(prefix):
            return [model]
    return list(world.inside)


def argument_values(route, world) -> list[tuple[str, list[str]]]:
    """(label, candidates) for the route's arguments, in the order tried; the first fitting candidate is taken."""
    models = _models_of(route, world)
    inside = [str(world.inside[model]) for model in models if model in world.inside]
    outside = [str(world.outside[model]) for model in models if model in world.outside]
    if not inside:  # a model of the admin the world made no object of: its first row, if any
        inside = [str(pk) for pk in models[0].objects.order_by("pk").values_list("pk", flat=True)[:1]]
    names = [*world.slugs, *(config.label for config in apps.get_app_configs())]
    return [
        ("在范围内", inside + names),
        ("范围外", outside),
        ("零", ["0"]),
        ("过大", [HUGE]),
        ("不存在", ["987654321"]),
        ("文字", ["abc", "-1"]),
        ("过长", ["a" * 300]),
    ]


def _fill_route(text: str, candidates: list[str]) -> str | None:
    """A route's text with each <converter:name> replaced by the first candidate its converter takes."""
    converters = get_converters()
    failed = False

    def replace(match):
        nonlocal failed
        converter = converters[match.group(1) or "str"]
        value = next((c for c in candidates if re.fullmatch(converter.regex, c)), None)
        failed = failed or value is None
        return value or ""

    filled = re.sub(r"<(?:(\w+):)?(\w+)>", replace, text)
    return None if failed else filled


def _fill_regex(entry, candidates: list[str]) -> str | None:
    """A regex pattern's text with every group given the first candidate that makes the whole pattern match."""
    (template, params), *_ = normalize(entry.pattern.regex.pattern)
    for candidate in candidates:
        filled = template % dict.fromkeys(params, candidate)
        if entry.pattern.regex.fullmatch(filled):
            return filled
    return None


def paths(route, world) -> list[tuple[str, str]]:
    """(label, path) for each way of filling the route's arguments, the one in scope first."""
    built = {}
    for label, candidates in argument_values(route, world):
        parts = []
        for entry in PATTERNS[route]:
            is_route = type(entry.pattern).__name__ == "RoutePattern"
            part = _fill_route(str(entry.pattern), candidates) if is_route else _fill_regex(entry, candidates)
            if part is None:
                break
            parts.append(part)
        else:
            built.setdefault("/" + "".join(parts), label)
    return [(label, path) for path, label in built.items()]


# --- which query parameters a page reads -------------------------------------------------------------------------


class ReadKeys(QueryDict):
    """A query string that notes the names a page asks for, or that it went through them all."""

    def __init__(self, *args, **kwargs):
        self.read, self.read_all = set(), False
        super().__init__(*args, **kwargs)

    def _asked(self, key):
        self.read.add(key)

    def get(self, key, default=None):
        self._asked(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self._asked(key)
        return super().getlist(key, default)

    def __getitem__(self, key):
        self._asked(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._asked(key)
        return super().__contains__(key)

    def _all(self):
        self.read_all = True

    def items(self):
        self._all()
        return super().items()

    def lists(self):
        self._all()
        return super().lists()

    def keys(self):
        self._all()
        return super().keys()

    def __iter__(self):
        self._all()
        return super().__iter__()

    def dict(self):
        self._all()
        return super().dict()


@pytest.fixture
def noted_query_strings(monkeypatch):
    def noted_get(request):
        return ReadKeys(request.environ.get("QUERY_STRING", ""), encoding=request._encoding)

    noted = cached_property(noted_get)
    noted.__set_name__(WSGIRequest, "GET")
    monkeypatch.setattr(WSGIRequest, "GET", noted)


@pytest.fixture
def no_template_contexts(monkeypatch):
    """The walk reads pages, not their templates' contexts: the test client's copy of the context of every
    template rendered is skipped (a fifth of the time of a heavy admin page)."""
    monkeypatch.setattr(django.test.client, "store_rendered_templates", lambda *args, **kwargs: None)


def _names(query: str) -> set[str]:
    return {pair.split("=", 1)[0] for pair in query.split("&")}


STATIC_NAMES = set().union(*map(_names, HOSTILE_QUERIES))


def queries_for(answered) -> list[str]:
    """Hostile queries for the parameters the pages asked for by name; a page that went through the whole query
    string (a list keeping its filters in its links, the admin) also for every name its forms and links use."""
    relevant = set()
    for response in answered:
        query = response.wsgi_request.GET
        relevant |= getattr(query, "read", set())
        if getattr(query, "read_all", False):
            relevant |= names_offered(response)
    chosen = [query for query in HOSTILE_QUERIES if _names(query) & relevant]
    return chosen + combined_queries(relevant - STATIC_NAMES)


# --- forms on a page ----------------------------------------------------------------------------------------------


@dataclasses.dataclass
class FormField:
    name: str
    kind: str
    value: str = ""
    checked: bool = False
    options: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Form:
    action: str
    method: str
    fields: list


class FormParser(HTMLParser):
    """The forms of a page as a browser sends them: action, method, named inputs, selects and textareas."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._textarea = [], None, None, None
        self.link_names = set()  # the query parameters of the page's own links (?page=2, ?settlement__id__exact=1)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and (attributes.get("href") or "").startswith("?"):
            self.link_names |= set(urllib.parse.parse_qs(attributes["href"][1:], keep_blank_values=True))
        elif tag == "form":
            self._form = Form(attributes.get("action") or "", (attributes.get("method") or "get").lower(), [])
            self.forms.append(self._form)
        elif self._form is None or not (attributes.get("name") or tag == "option"):
            return
        elif tag == "input":
            kind = (attributes.get("type") or "text").lower()
            self._form.fields.append(
                FormField(attributes["name"], kind, attributes.get("value") or "", "checked" in attributes)
            )
        elif tag == "select":
            self._select = FormField(attributes["name"], "select-multiple" if "multiple" in attributes else "select")
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append((attributes.get("value", ""), "selected" in attributes))
        elif tag == "textarea":
            self._textarea = FormField(attributes["name"], "textarea")
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parsed(response) -> FormParser:
    parser = FormParser()
    if "html" in response.get("Content-Type", ""):
        parser.feed(response.content.decode(errors="replace"))
    return parser


def forms_of(response) -> list[Form]:
    return parsed(response).forms


def names_offered(response) -> set[str]:
    """The names a page's forms and links send back (without the CSRF token and formsets' management forms)."""
    page = parsed(response)
    names = page.link_names | {field.name for form in page.forms for field in form.fields}
    return {name for name in names if name != "csrfmiddlewaretoken" and not MANAGEMENT.search(name)}


def as_rendered(form: Form) -> dict[str, list[str]]:
    data = defaultdict(list)
    for field in form.fields:
        if field.kind in ("submit", "button", "file", "image", "reset"):
            continue
        if field.kind in ("checkbox", "radio"):
            if field.checked:
                data[field.name].append(field.value or "on")
        elif field.kind.startswith("select"):
            chosen = [value for value, selected in field.options if selected]
            if not chosen and field.kind == "select" and field.options:
                chosen = [field.options[0][0]]
            data[field.name].extend(chosen)
        else:
            data[field.name].append(field.value)
    return dict(data)


MANAGEMENT = re.compile(r"-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$")

# Per tampering, the value put in each kind of field (a kind not named keeps what the page rendered).
TAMPERINGS = {
    "过大": {
        "number": HUGE,
        "date": "9999-12-31",
        "month": "9999-12",
        "hidden": HUGE,
        "select": HUGE,
        "select-multiple": [HUGE, "1"],
        "text": "长" * 5000,
        "textarea": "长" * 20000,
        "email": "a@" + "b" * 300,
    },
    "过小或乱码": {
        "number": "-1e400",
        "date": "0001-01-01",
        "month": "0001-01",
        "hidden": "abc",
        "select": "<script>",
        "select-multiple": ["abc", "-1"],
        "checkbox": "garbage",
        "text": " ",
        "textarea": " ",
    },
}


def tampered(form: Form) -> list[tuple[str, dict]]:
    """(label, data): the form as rendered, then each tampering, then its formsets' management forms tampered."""
    rendered = as_rendered(form)
    variants = [("原样", rendered)]
    for label, values in TAMPERINGS.items():
        data = dict(rendered)
        for field in form.fields:
            if field.kind in values and not MANAGEMENT.search(field.name):
                value = values[field.kind]
                data[field.name] = value if isinstance(value, list) else [value]
        variants.append((label, data))
    totals = [field.name for field in form.fields if field.name.endswith("-TOTAL_FORMS")]
    if totals:
        claimed, garbage = dict(rendered), dict(rendered)
        for name in totals:
            prefix = name.removesuffix("-TOTAL_FORMS")
            count = str(int(rendered[name][0] or 0) + 3)
            claimed.update({name: [count], f"{prefix}-INITIAL_FORMS": [count]})
            garbage.update({name: [HUGE], f"{prefix}-INITIAL_FORMS": ["abc"]})
        variants += [("多报已有行", claimed), ("管理表单乱码", garbage)]
    return variants


# --- the walk -------------------------------------------------------------------------------------------------


class Walk:
    def __init__(self, world):
        self.world, self.clients, self.failures = world, {}, []

    def request(self, role, method, path, data=None, what=""):
        if role not in self.clients:
            self.clients[role] = Client(raise_request_exception=False)
            if role != "anonymous":
                self.clients[role].cookies[settings.SESSION_COOKIE_NAME] = self.world.sessions[role]
        response = getattr(self.clients[role], method)(path, data or {})
        if response.status_code >= 500:
            self.failures.append(f"{role} {method.upper()} {path[:300]} {what}: {response.status_code}")
        return response

    def submit(self, role, page, form):
        action = urllib.parse.urlsplit(urllib.parse.urljoin(page, form.action)).path
        try:
            if resolve(action).view_name in SKIPPED_FORM_ACTIONS:
                return
        except Resolver404:
            return
        for label, data in tampered(form):
            self.request(role, "post", action, data, f"表单（{label}）")


def test_the_walk_asks_as_each_role(world, db):
    """The walk's sessions are those of its users: a page refusing everyone would prove nothing."""
    for role, user in world.users.items():
        response = Walk(world).request(role, "get", "/")
        assert response.status_code == 200 and response.wsgi_request.user == user, role


GARBAGE_POST = {"id": "abc", "pk": HUGE, "date": "0001-01-01", "decision": "<script>", "note": "长" * 5000}


def reached(response) -> bool:
    """The page answered the role (itself, or by sending it on), rather than sending it to log in."""
    return response.status_code == 200 or (response.status_code == 302 and "login" not in response.url)


@pytest.mark.parametrize("route", sorted(PATTERNS))
def test_no_request_to_any_pattern_is_a_500(world, route, db, noted_query_strings, no_template_contexts):
    walk = Walk(world)
    variants = paths(route, world)
    assert any(resolve(path).route == route for _, path in variants), f"no path built reaches {route}"
    first = variants[0][1]
    answered, post_only = ask_every_role(walk, route, variants)
    first_role = next(iter(answered), "office")
    for label, path in variants[1:]:
        walk.request(first_role, "get", path, what=label)
    readers = list(answered) or [first_role]
    for index, query in enumerate(queries_for(answered.values())):
        walk.request(readers[index % len(readers)], "get", f"{first}?{query}")
    posted = submit_every_form(walk, first, answered)
    for role in post_only + ([] if posted or not answered else [first_role]):
        walk.request(role, "post", first, GARBAGE_POST, "杂项")
    assert not walk.failures, "\n".join(walk.failures)


def ask_every_role(walk, route, variants):
    """Every role asks for the page in scope; a scoped role it answers, for the one outside its scope, which
    must be a 404 for the role whose scope the world drew. Returns {role: response} of the roles answered 200
    and the roles refused GET (a POST-only page)."""
    first = variants[0][1]
    outside = [path for label, path in variants if label == "范围外"]
    outsider = {walk.world.outsiders.get(model) for model in _models_of(route, walk.world)}
    answered, post_only = {}, []
    for role in ROLES:
        response = walk.request(role, "get", first, what="在范围内")
        if response.status_code == 200:
            answered[role] = response
        elif response.status_code == 405:
            post_only.append(role)
        if role not in SCOPED_ROLES or not reached(response):
            continue
        for path in outside:
            response = walk.request(role, "get", path, what="范围外")
            if role in outsider and response.status_code != 404:
                walk.failures.append(f"{role} GET {path}: {response.status_code}, not 404, outside its scope")
    return answered, post_only


def submit_every_form(walk, page, answered) -> bool:
    """Each form the pages post, tampered, by the first role shown it; whether there was any. (A search form's
    fields are query parameters the page reads: the hostile queries give them their values.)"""
    seen = set()
    for role, response in answered.items():
        for form in forms_of(response):
            key = (form.action, tuple(field.name for field in form.fields))
            if form.method == "post" and key not in seen:
                seen.add(key)
                walk.submit(role, page, form)
    return bool(seen)
