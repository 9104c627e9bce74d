"""The export mechanism (settlements.exports): every registered export read back with openpyxl, a clerk's
exports holding only the clerk's settlements, full ID numbers refused to readers and logged for permitted
users as text cells, and every export opened by LibreOffice.

Each registered exporter must have a case below: a new exporter fails `test_every_registered_exporter_has_a_case`
until it is covered by every test here.
"""

import datetime
import io
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from urllib.parse import quote

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from settlements import audit, capabilities, exports
from settlements import services as registry_services
from settlements.id_numbers import mask
from settlements.models import (
    AuditEntry,
    Building,
    BuildingHead,
    Facility,
    FacilityKind,
    Grid,
    Health,
    Person,
    Settlement,
)
from settlements.roles import Role
from tests.culture import facility_factories as culture_make
from tests.culture import session_factories as culture_sessions
from tests.employment import subsidy_factories as make
from tests.factories import HouseholdFactory, add_member, registry_keeper
from tests.governance import open_affairs_factories as open_affairs_make
from tests.services import factories as services_make
from tests.services import health_factories as health_make
from tests.services import schooling_factories as schooling_make
from tests.tasks.factories import make_meeting

D = datetime.date
REFUSAL = capabilities.REVEAL_ID_NUMBERS.refusal


@dataclass
class World:
    """A household in 富民 (文体 centre) and one in 丰乐 (场坝 centre), each with a worker on a welfare post
    since June 2021 (so both are in December 2021's subsidy roster and today's labour ledger); a meeting."""

    fumin_household: object
    fumin: object
    fengle_household: object
    fengle: object
    meeting: object
    pupils: tuple | None = None  # made for the exports of children (`Case.pupils`), when first asked for
    election: object = None  # 富民's committee's election with its voter list, made when first asked for

    def election_pk(self) -> int:
        if self.election is None:
            self.election = _election()
        return self.election.pk

    def subjects(self, case) -> tuple:
        """The residents the case's export must hold: the 富民 one (the clerk's) and the 丰乐 one."""
        if not case.pupils:
            return self.fumin, self.fengle
        if self.pupils is None:
            self.pupils = _pupils()
        return self.pupils


FACILITIES = {"fumin": "富民农贸市场", "fengle": "丰乐农贸市场"}


@pytest.fixture
def world(users):
    households, persons = [], []
    for code, name, clerk in [("fumin", "杨富民", "clerk_wenti"), ("fengle", "潘丰乐", "clerk_changba")]:
        household = HouseholdFactory(settlement=Settlement.objects.get(code=code))
        person = add_member(household, name=name, birth=D(1980, 1, 1))
        make.post_job(person, D(2021, 6, 1), users[clerk], make.welfare_post(settlement=code))
        _services_records(household, person, users[clerk])
        _open_affairs_records(household.settlement, users[clerk])
        _culture_records(code, users[clerk])
        households.append(household)
        persons.append(person)
    for code in ("fumin", "fengle"):
        place = Settlement.objects.get(code=code)
        registry_services.grid_save(actor=users["office"], grid=Grid(settlement=place, kind="governance", name="一组"))
        head = BuildingHead(building=Building.objects.create(settlement=place, name="1栋"), name="王楼长")
        head.phone, head.start_date = "13800001111", D(2020, 1, 1)
        registry_services.building_head_save(actor=users["office"], head=head)
    meeting = make_meeting(D(2026, 6, 18), users["office"], held=True)
    for code, name in FACILITIES.items():
        registry_services.facility_save(
            actor=users["office"],
            facility=Facility(name=name),
            kinds=FacilityKind.objects.filter(code="farmers_market"),
            settlements=Settlement.objects.filter(code=code),
            attributes={},
        )
    return World(households[0], persons[0], households[1], persons[1], meeting)


def _services_records(household, person, clerk):
    """Every list of the services app holds the person (or the household, or its settlement): a gap in the
    medical insurance, no card (overdue), a 低保 and a relief, a cadre posted and a service day held there, 大病
    without a screening in a registered-poor household, a clinic serving the settlement."""
    Person.objects.filter(pk=person.pk).update(health=Health.SERIOUS)
    health_make.staff(health_make.clinic((household.settlement.code,)), actor=clerk)
    services_make.enrol(person, D(2020, 1, 1), D(2020, 12, 30), actor=clerk)
    employee = services_make.Scheme.EMPLOYEE_MEDICAL  # the export of this scheme has one row per person
    services_make.enrol(person, D(2021, 1, 1), D(2021, 12, 31), scheme=employee, actor=clerk)  # none since 2022
    services_make.dibao(household, D(2021, 1, 1), actor=clerk)
    services_make.relief(household, D(2020, 6, 1), actor=clerk)
    services_make.posting(household.origin_township, household.settlement.code, actor=clerk)
    services_make.service_day(household.settlement.code, D(2026, 11, 26), actor=clerk)
    culture_sessions.session(household.settlement, D(2026, 10, 15), actor=clerk)


def _open_affairs_records(settlement, clerk):
    """Every list of the open affairs holds the settlement: a notice, a meeting with a decision, an evaluation and
    a charter."""
    open_affairs_make.publish(settlement, D(2026, 3, 10), actor=clerk)
    open_affairs_make.decide(open_affairs_make.meeting(settlement, D(2026, 3, 5), actor=clerk), actor=clerk)
    open_affairs_make.evaluate(settlement, D(2026, 3, 12), actor=clerk)
    open_affairs_make.document(settlement, D(2025, 1, 1), actor=clerk)


def _culture_records(code, clerk):
    """A 乡愁馆 of the settlement with an item collected, a culture team and a volunteer team of annex 4."""
    hall = culture_make.facility(f"{code}乡愁馆", ["nostalgia_hall"], [code], D(2019, 12, 1))
    culture_make.item(hall, "纺车", D(2019, 11, 1), actor=clerk)
    culture_make.team(code, "文化志愿服务队", D(2019, 6, 1), actor=clerk)
    culture_make.team(code, "义务消防队", D(2019, 6, 1), "fire_volunteers", actor=clerk)


def _pupils() -> tuple:
    """A child of compulsory age in 富民 and one in 丰乐, each enrolled from 2021-09-01 until a dropout on
    2025-06-30: out of school today, enrolled without aid on 2024-10-01."""
    school = schooling_make.school("车江小学")
    pupils = []
    for code, name in (("fumin", "杨小富"), ("fengle", "潘小乐")):
        _, pupil = schooling_make.child(code, name=name)
        schooling_make.drop_out(pupil, school, D(2021, 9, 1), D(2025, 6, 30))
        pupils.append(pupil)
    return tuple(pupils)


def _election():
    """An election of 富民's committee whose voter list (built from the registry) holds the 富民 resident."""
    from governance import services as governance_services
    from tests.governance import committee_factories as governance_make

    election = governance_make.election(governance_make.committee(("fumin",)))
    governance_services.voter_list_build(election=election, actor=registry_keeper())
    return election


@dataclass
class Case:
    url_name: str
    sheets: list[str]
    params: dict = field(default_factory=dict)
    household_pk: bool = False  # the URL takes the 富民 household's pk
    meeting_pk: bool = False  # the URL takes the meeting's pk
    runner: str = "office"  # who runs it in the tests that run every export
    pupils: bool = False  # the export lists children: the world's pupils are its subjects (`World.subjects`)
    election_pk: bool = False  # the URL takes the 富民 committee's election's pk

    def url_kwargs(self, world: World) -> dict:
        if self.election_pk:
            return {"pk": world.election_pk()}
        if self.household_pk:
            return {"pk": world.fumin_household.pk}
        if self.meeting_pk:
            return {"pk": world.meeting.pk}
        return {}

    def url(self, world: World, **query) -> str:
        query = {**self.params, **query}
        return reverse(self.url_name, kwargs=self.url_kwargs(world)) + ("?" + _query(query) if query else "")


def _query(params: dict) -> str:
    return "&".join(f"{key}={value}" for key, value in params.items())


CASES = {
    "settlements.person_ledger": Case("person_export", ["人员台账"]),
    "settlements.household_file": Case("household_file_xlsx", ["一户一册"], household_pk=True),
    "employment.labour_ledger": Case("employment:ledger_export", ["家庭就业扶贫台账"]),
    "employment.subsidy_roster": Case("employment:roster_export", ["补贴花名册", "汇总"], params={"month": "2021-12"}),
    "tasks.dispatch_report": Case(
        "tasks:meeting_report", ["汇总", "任务进展", "逾期任务", "督办事项", "安置点指标"], meeting_pk=True
    ),
    "settlements.audit_trail": Case("audit_export", ["审计记录"], runner="audit_admin"),
    "settlements.facilities": Case("facility_export", ["服务设施"]),
    "settlements.grids": Case("grid_export", ["网格"]),
    "settlements.grid_households": Case("grid_household_export", ["搬迁户网格"]),
    "settlements.building_heads": Case("head_export", ["楼长院长"]),
    "services.uninsured": Case("services:uninsured_export", ["无有效医疗保险人员"]),
    "services.insurance_gaps": Case("services:gap_export", ["医疗保险断保情况"]),
    "services.enrolments": Case("services:enrolment_export", ["参保台账"], params={"scheme": "employee_medical"}),
    "services.citizen_cards": Case("services:card_export", ["市民证办理情况"]),
    "services.dibao": Case("services:dibao_export", ["低保台账"]),
    "services.relief": Case("services:relief_export", ["一次性临时救助台账"]),
    "services.cadre_postings": Case("services:posting_export", ["迁出地派驻干部"]),
    "services.service_days": Case("services:service_day_export", ["服务日"], params={"year": "2026"}),
    "services.clinic_staffing": Case("services:clinic_export", ["卫生室人员配备情况"]),
    "services.unscreened": Case("services:unscreened_export", ["未筛查的患大病贫困人口"]),
    "services.out_of_school": Case("services:out_of_school_export", ["失学辍学儿童"], pupils=True),
    "culture.collection": Case("culture:collection_export", ["乡愁馆藏品"]),
    "culture.teams": Case("culture:group_export", ["文化队伍"]),
    "governance.social_groups": Case("governance:group_export", ["社会组织和志愿者队伍"]),
    "services.aid_gaps": Case("services:aid_gap_export", ["应助未助学生"], params={"day": "2024-10-01"}, pupils=True),
    "culture.session_register": Case("culture:session_export", ["活动登记表"], params={"month": "2026-10"}),
    "culture.house_photos": Case("culture:house_photo_export", ["新旧住房对比照片悬挂情况"]),
    "culture.selection_years": Case("culture:selection_export", ["评先选优情况"]),
    "governance.publications": Case("governance:publication_export", ["居务公开台账"]),
    "governance.meetings": Case("governance:meeting_export", ["会议台账"]),
    "governance.decisions": Case("governance:decision_export", ["会议决定"], params={"flagged": "on"}),
    "governance.evaluations": Case("governance:evaluation_export", ["民主评议"], params={"month": "2026-03"}),
    "governance.self_governance_documents": Case("governance:document_export", ["自治章程和居民公约"]),
    "governance.voter_list": Case("governance:voter_export", ["选民名单"], election_pk=True),
    "governance.mass_organisations": Case("governance:mass_organisation_export", ["群团组织组建情况"]),
}
PERSONAL = [identifier for identifier in CASES if exports.get(identifier).personal_data]
# The county's figures are the office's alone; the audit trail the audit administrator's.
NOT_FOR_CLERKS = {"tasks.dispatch_report", "settlements.audit_trail"}
# Records of a settlement that name no resident (its facilities, the officials posted there, the days held there):
# no personal data, yet a clerk's export holds the clerk's settlements only.
NO_RESIDENTS = {
    "settlements.facilities",
    "settlements.grids",
    "settlements.building_heads",  # heads named with a phone, as the officials of the lists below
    "services.cadre_postings",
    "services.service_days",
    "services.clinic_staffing",
    "culture.session_register",
    "culture.selection_years",
    "governance.publications",
    "governance.meetings",
    "governance.decisions",
    "governance.evaluations",
    "governance.self_governance_documents",
    "culture.collection",
    "culture.teams",
    "governance.social_groups",
    "governance.mass_organisations",
}


@pytest.fixture
def runners(users, make_user):
    return {**users, "audit_admin": make_user(Role.AUDIT_ADMIN)}


def run(identifier, user, world, **options):
    case = CASES[identifier]
    world.subjects(case)  # the records the export holds
    return exports.run(exports.get(identifier), user, case.params, **case.url_kwargs(world), **options)


def cells(workbook):
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None]


def texts(workbook) -> list[str]:
    return [cell.value for cell in cells(workbook) if isinstance(cell.value, str)]


def cells_holding(workbook, value):
    return [cell for cell in cells(workbook) if cell.value == value]


def test_every_registered_exporter_has_a_case():
    assert {exporter.identifier for exporter in exports.all_exporters()} == set(CASES)
    assert set(PERSONAL) == set(CASES) - NOT_FOR_CLERKS - NO_RESIDENTS


@pytest.mark.django_db
@pytest.mark.parametrize("identifier", CASES)
def test_every_export_reads_back_with_openpyxl(client, runners, world, identifier):
    case = CASES[identifier]
    world.subjects(case)
    client.force_login(runners[case.runner])
    response = client.get(case.url(world))
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    export = run(identifier, runners[case.runner], world)
    assert export.file_name.endswith(".xlsx")
    assert f"filename*=utf-8''{quote(export.file_name)}" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == case.sheets
    values = texts(workbook)
    if identifier in PERSONAL:  # the office sees the county: both persons, masked
        inside, outside = world.subjects(case)
        expected = [inside] if case.household_pk or case.election_pk else [inside, outside]
        assert all(person.name in values and mask(person.id_number) in values for person in expected)
        assert inside.id_number not in values
    elif identifier in NO_RESIDENTS:  # the county: both settlements
        assert "富民" in values and "丰乐" in values
    elif identifier == "settlements.audit_trail":  # the world's writes, newest first
        assert "记录号" in values and "登记就业" in values
    else:
        assert "安置点指标" in workbook.sheetnames and "丰乐" in [cell.value for cell in workbook["安置点指标"][3]]


@pytest.mark.django_db
@pytest.mark.parametrize("identifier", CASES)
def test_a_clerks_export_holds_only_the_clerks_settlements(users, world, identifier):
    clerk = users["clerk_wenti"]
    exporter_class = exports.get(identifier)
    if not capabilities.has(clerk, exporter_class.capability):
        with pytest.raises(PermissionDenied):
            run(identifier, clerk, world)
        assert identifier in NOT_FOR_CLERKS
        return
    workbook = openpyxl.load_workbook(run(identifier, clerk, world).file)
    values = texts(workbook)
    if identifier in NO_RESIDENTS:
        assert "富民" in values and "丰乐" not in values
        return
    inside, outside = world.subjects(CASES[identifier])
    assert inside.name in values
    (masked,) = cells_holding(workbook, mask(inside.id_number))
    assert masked.data_type == "s"
    assert outside.name not in values and mask(outside.id_number) not in values
    assert not any("丰乐" in value for value in values)


@pytest.mark.django_db
def test_a_household_file_outside_the_clerks_scope_is_a_404(client, users, world):
    client.force_login(users["clerk_wenti"])
    response = client.get(reverse("household_file_xlsx", args=[world.fengle_household.pk]), {"full": "1"})
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(category=audit.PERSONAL_DATA).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("identifier", PERSONAL)
def test_full_ids_are_refused_to_a_reader_in_chinese(client, users, world, identifier):
    leader = users["leader"]
    assert capabilities.has(leader, exports.get(identifier).capability)
    world.subjects(CASES[identifier])
    client.force_login(leader)
    response = client.get(CASES[identifier].url(world, full=1))
    assert response.status_code == 403
    assert REFUSAL in response.content.decode()
    assert client.get(CASES[identifier].url(world)).status_code == 200  # masked numbers are the reader's
    full = AuditEntry.objects.filter(action="personal_data.export_full").values_list("actor", "outcome")
    assert list(full) == [(leader.pk, "refused")]


@pytest.mark.django_db
@pytest.mark.parametrize("identifier", PERSONAL)
def test_full_ids_are_text_cells_and_logged_for_a_permitted_user(client, users, world, identifier):
    clerk = users["clerk_wenti"]
    client.force_login(clerk)
    inside, outside = world.subjects(CASES[identifier])
    response = client.get(CASES[identifier].url(world, full=1))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    (full,) = cells_holding(workbook, inside.id_number)
    assert full.data_type == "s"
    assert outside.id_number not in texts(workbook)
    entry = AuditEntry.objects.get(category=audit.PERSONAL_DATA)
    assert (entry.actor, entry.action, entry.outcome) == (clerk, "personal_data.export_full", audit.SUCCESS)
    assert entry.detail["record_count"] == 1 and entry.detail["description"]


@pytest.mark.django_db
def test_an_export_without_personal_data_ignores_full_and_is_not_logged(client, users, world):
    client.force_login(users["office"])
    response = client.get(CASES["tasks.dispatch_report"].url(world, full=1))
    assert response.status_code == 200
    assert not AuditEntry.objects.filter(category=audit.PERSONAL_DATA).exists()  # no personal-data entry


@pytest.mark.django_db
def test_a_reporter_is_refused_the_ledgers_and_an_anonymous_user_sent_to_log_in(client, users, world):
    client.force_login(users["reporter"])
    response = client.get(CASES["settlements.person_ledger"].url(world))
    assert response.status_code == 403 and capabilities.READ_REGISTRY.refusal in response.content.decode()
    client.logout()
    response = client.get(CASES["employment.labour_ledger"].url(world))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_an_identifier_is_registered_once():
    exporter_class = exports.get("settlements.person_ledger")
    assert exports.register(exporter_class) is exporter_class  # the same class again (a reloaded module)
    impostor = type("PersonLedger", (exporter_class,), {"__module__": "elsewhere"})
    with pytest.raises(ValueError, match="registered twice"):
        exports.register(impostor)
    with pytest.raises(ValueError, match="identifier"):
        exports.register(type("Nameless", (exports.ReportExporter,), {}))
    with pytest.raises(LookupError):
        exports.get("nowhere.nothing")


@pytest.mark.django_db
def test_libreoffice_opens_every_export(runners, world, tmp_path):
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is missing: scripts/test installs libreoffice-calc"
    sources = []
    for identifier in CASES:
        source = tmp_path / f"{identifier}.xlsx"
        source.write_bytes(run(identifier, runners[CASES[identifier].runner], world).file.read())
        sources.append(source)
    out = tmp_path / "ods"
    profile = (tmp_path / "libreoffice-profile").as_uri()
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "ods", "--outdir", str(out)]
    result = subprocess.run([*command, *map(str, sources)], capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    for identifier, case in CASES.items():
        converted = out / f"{identifier}.ods"
        assert converted.exists(), (identifier, result.stdout, result.stderr)
        content = zipfile.ZipFile(converted).read("content.xml").decode()
        for sheet in case.sheets:
            assert f'table:name="{sheet}"' in content, (identifier, sheet)
        if identifier in PERSONAL:
            inside, _ = world.subjects(case)
            assert inside.name in content and mask(inside.id_number) in content, identifier
