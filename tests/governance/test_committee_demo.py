"""The demo committees and elections: made over the demo households, one election finished and one in progress,
one mass organisation late and one missing; made once."""

import pytest
from django.core.management import call_command

from governance import demo_committees
from governance.models import Committee, CommitteeMember, Election, MassOrganisation
from governance.selectors.committees import mass_organisation_rows
from governance.selectors.elections import missing_steps
from settlements import demo as registry_demo
from settlements.models import Settlement

pytestmark = pytest.mark.django_db


def test_demo_committees_and_elections_are_made_once(reference):
    call_command("load_plan", verbosity=0)
    registry_demo.ensure_demo_users()
    registry_demo.seed_demo_households(8)
    made = demo_committees.seed_demo_committees()
    assert made["committees"] == Committee.objects.count() == 5
    assert made["members"] == CommitteeMember.objects.filter(election=None).count() > 0
    finished, in_progress = Election.objects.order_by("election_day")
    assert missing_steps(finished) == []
    assert finished.voters.filter(struck=True).exists() and finished.seated_members.exists()
    assert in_progress.list_posted_on and in_progress.candidates.exists() and in_progress.results_announced_on is None
    assert "现场投票、现场公布选举结果" in missing_steps(in_progress)
    statuses = {
        (row.settlement.code, status.kind): status.status
        for row in mass_organisation_rows(finished.election_day.replace(year=2020), Settlement.objects.all())
        for status in row.statuses
    }
    assert statuses[("yangguang", "women")] == "逾期成立"
    assert statuses[("dingwei", "youth_league")] == "逾期未成立"
    assert statuses[("tehe", "union")] == "按时"
    assert made["organisations"] == MassOrganisation.objects.count() == 20
    assert demo_committees.seed_demo_committees() == {}
