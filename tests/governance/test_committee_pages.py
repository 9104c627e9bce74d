"""The committees' and elections' pages: scope per URL (404 outside it), readers refused on writes (403), the
posting refused through the page at 19 days, the printed list without any ID number, the Excel exports read
back."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from governance import services
from governance.models import (
    Candidate,
    CandidateCategory,
    CommitteeMember,
    MassOrganisation,
    Role,
    StreetOffice,
    Voter,
)
from settlements.models import Settlement
from settlements.roles import Role as UserRole
from tests.factories import registry_keeper

from . import committee_factories as make
from .committee_factories import ELECTION_DAY

D = datetime.date
pytestmark = pytest.mark.django_db


def _side(code, name):
    committee = make.committee((code,), name=f"{name}社区居委会")
    person = make.resident(code, name=f"{name}居民")
    election = make.election(committee)
    services.voter_list_build(election=election, actor=registry_keeper())
    voter = election.voters.get()
    keeper = registry_keeper()
    candidate = services.candidate_save(
        candidate=Candidate(
            election=election, voter=voter, role=Role.DIRECTOR, category=CandidateCategory.VETERAN, name=""
        ),
        actor=keeper,
    )
    member = services.member_save(
        member=CommitteeMember(
            committee=committee, person=person, role=Role.MEMBER, term_from=D(2019, 7, 1), came_by="appointed"
        ),
        actor=keeper,
    )
    office = services.street_office_save(
        office=StreetOffice(name=f"{name}街道"), settlements=Settlement.objects.filter(code=code), actor=keeper
    )
    organisation = services.mass_organisation_save(
        organisation=MassOrganisation(
            settlement=Settlement.objects.get(code=code), kind="union", founded_on=D(2019, 6, 1)
        ),
        actor=keeper,
    )
    return {
        "committee": committee.pk,
        "election": election.pk,
        "voter": voter.pk,
        "candidate": candidate.pk,
        "member": member.pk,
        "office": office.pk,
        "organisation": organisation.pk,
        "person": person,
    }


@pytest.fixture
def world(reference):
    return {"inside": _side("fumin", "富民"), "outside": _side("fengle", "丰乐")}


# url name -> the kind of object its number names; True when the page writes
ROUTES = [
    ("committee_detail", "committee", False),
    ("committee_edit", "committee", True),
    ("committee_step", "committee", True),
    ("member_create", "committee", True),
    ("election_create", "committee", True),
    ("member_edit", "member", True),
    ("street_office_edit", "office", True),
    ("street_office_step", "office", True),
    ("mass_organisation_edit", "organisation", True),
    ("election_detail", "election", False),
    ("election_edit", "election", True),
    ("officer_create", "election", True),
    ("voter_list", "election", False),
    ("voter_export", "election", False),
    ("voter_sheet", "election", False),
    ("voter_build", "election", True),
    ("voter_add", "election", True),
    ("voter_post", "election", True),
    ("candidate_create", "election", True),
    ("results_announce", "election", True),
    ("election_file", "election", True),
    ("voter_strike", "voter", True),
    ("voter_restore", "voter", True),
    ("candidate_edit", "candidate", True),
]


@pytest.mark.parametrize(("name", "kind", "writes"), ROUTES)
def test_every_url_is_a_404_outside_the_clerks_scope_and_answers_inside(world, clerk, client, name, kind, writes):
    client.force_login(clerk)
    assert client.get(reverse(f"governance:{name}", args=[world["outside"][kind]])).status_code == 404
    assert client.get(reverse(f"governance:{name}", args=[world["inside"][kind]])).status_code == 200


@pytest.mark.parametrize(("name", "kind"), [(name, kind) for name, kind, writes in ROUTES if writes])
def test_a_reader_is_refused_every_write(world, make_user, client, name, kind):
    client.force_login(make_user(UserRole.LEADER))
    url = reverse(f"governance:{name}", args=[world["inside"][kind]])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "x"}).status_code == 403


@pytest.mark.parametrize("name", ["committees", "elections", "mass_organisations", "street_office"])
def test_the_lists_answer_a_reader(world, make_user, client, name):
    client.force_login(make_user(UserRole.LEADER))
    response = client.get(reverse(f"governance:{name}"))
    assert response.status_code == 200


def test_a_reader_cannot_create(world, make_user, client):
    client.force_login(make_user(UserRole.LEADER))
    for name in ("committee_create", "street_office_create", "mass_organisation_create"):
        assert client.get(reverse(f"governance:{name}")).status_code == 403


def test_the_office_posts_through_the_page_19_days_refused_20_accepted(world, users, client):
    client.force_login(users["office"])
    url = reverse("governance:voter_post", args=[world["inside"]["election"]])
    refused = client.post(url, {"list_posted_on": "2019-09-01"})
    assert refused.status_code == 200
    assert "2019-09-01" in refused.content.decode() and "2019-09-20" in refused.content.decode()
    accepted = client.post(url, {"list_posted_on": "2019-08-31"})
    assert accepted.status_code == 302


def test_the_printed_list_holds_names_and_no_id_number(world, users, client):
    client.force_login(users["office"])
    person = world["inside"]["person"]
    page = client.get(reverse("governance:voter_sheet", args=[world["inside"]["election"]])).content.decode()
    assert "富民居民" in page and "1栋" in page
    assert person.id_number not in page and person.masked_id_number not in page
    assert person.id_number[-4:] not in page
    assert not re.search(r"\d{6}(19|20)\d{2}[01]\d[0-3]\d", page)


def test_the_voter_list_exports_with_masked_numbers_unless_asked(world, users, client):
    client.force_login(users["office"])
    person = world["inside"]["person"]
    url = reverse("governance:voter_export", args=[world["inside"]["election"]])
    sheet = load_workbook(io.BytesIO(b"".join(client.get(url).streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("楼栋", "姓名", "性别", "身份证号")
    assert rows[1][:2] == ("1栋", "富民居民") and rows[1][3] == person.masked_id_number
    full = load_workbook(io.BytesIO(b"".join(client.get(url + "?full=1").streaming_content))).active
    assert list(full.iter_rows(values_only=True))[1][3] == person.id_number


def test_the_mass_organisations_export_reads_back(world, users, client):
    client.force_login(users["office"])
    response = client.get(reverse("governance:mass_organisation_export") + "?day=2019-10-01")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0] == ("安置点", "完成时限", "时限原文", "群团组织", "成立日期", "情况")
    fumin = [row for row in rows[1:] if row[0] == "富民"]
    assert [(row[3], row[5]) for row in fumin] == [("工会", "按时"), ("共青团", "未成立"), ("妇联", "未成立")]


def test_a_struck_name_is_kept_struck_through_the_pages(world, users, client):
    client.force_login(users["office"])
    voter = Voter.objects.get(pk=world["inside"]["voter"])
    client.post(reverse("governance:voter_strike", args=[voter.pk]), {"reason": "户籍不在本社区"})
    client.post(reverse("governance:voter_build", args=[voter.election_id]))
    voter.refresh_from_db()
    assert voter.struck and voter.strike_reason == "户籍不在本社区"
    page = client.get(reverse("governance:election_detail", args=[voter.election_id])).content.decode()
    assert "户籍不在本社区" in page
    assert ELECTION_DAY.isoformat() in page


def test_members_and_voters_are_named_by_id_number_within_the_clerks_scope(world, clerk, client):
    client.force_login(clerk)
    inside, outside = world["inside"]["person"], world["outside"]["person"]
    url = reverse("governance:member_create", args=[world["inside"]["committee"]])
    form = {"body": "committee", "role": "deputy", "term_from": "2019-08-01", "came_by": "appointed"}
    refused = client.post(url, {**form, "id_number": outside.id_number})
    assert "在您管辖的户籍台账中没有找到这个身份证号" in refused.content.decode()
    assert client.post(url, {**form, "id_number": inside.id_number}).status_code == 302
    assert CommitteeMember.objects.filter(person=inside, role=Role.DEPUTY).exists()

    add = reverse("governance:voter_add", args=[world["inside"]["election"]])
    again = client.post(add, {"id_number": inside.id_number, "reason": "补登"})
    assert "富民居民已在选民名单上" in again.content.decode()
    assert client.post(add, {"name": "外来务工者", "reason": "本人申请"}).status_code == 302
    assert Voter.objects.filter(election_id=world["inside"]["election"], name="外来务工者").exists()
