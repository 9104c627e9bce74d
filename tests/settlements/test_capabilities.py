"""The one permission vocabulary: who holds which capability, the README's table, and the registry services'
own refusals (a service called directly by an actor without the capability writes nothing)."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from settlements import capabilities, home, services
from settlements.models import AuditEntry, Household, HouseholdEvent, MembershipEnd, PersonStatus
from tests.factories import HouseholdFactory, add_member, household_with_head

pytestmark = pytest.mark.django_db

# Who may do what today (the README's roles table): one row per capability, the roles that hold it.
EXPECTED = {
    "see_all_settlements": {"office", "team_lead", "leader"},
    "read_registry": {"office", "team_lead", "leader", "clerk_wenti", "clerk_changba"},
    "keep_households": {"office", "clerk_wenti", "clerk_changba"},
    "keep_facilities": {"office", "clerk_wenti", "clerk_changba"},
    "keep_grids": {"office", "clerk_wenti", "clerk_changba"},
    "keep_community_groups": {"office", "clerk_wenti", "clerk_changba"},
    "import_ledgers": {"office", "clerk_wenti", "clerk_changba"},
    "reveal_id_numbers": {"office", "clerk_wenti", "clerk_changba"},
    "manage_users": {"system_admin"},
    "manage_security": {"security_admin"},
    "read_audit_trail": {"audit_admin"},
    "see_all_tasks": {"office", "leader"},
    "report_progress": {"team_lead", "reporter"},
    "run_dispatch": {"office"},
    "read_employment": {"office", "team_lead", "leader", "clerk_wenti", "clerk_changba"},
    "keep_employment": {"office", "clerk_wenti", "clerk_changba"},
    "read_services": {"office", "team_lead", "leader", "clerk_wenti", "clerk_changba"},
    "keep_services": {"office", "clerk_wenti", "clerk_changba"},
    "keep_catchments": {"office"},
    "read_culture": {"office", "team_lead", "leader", "clerk_wenti", "clerk_changba"},
    "keep_culture": {"office", "clerk_wenti", "clerk_changba"},
    "read_governance": {"office", "team_lead", "leader", "clerk_wenti", "clerk_changba"},
    "keep_governance": {"office", "clerk_wenti", "clerk_changba"},
}
# The `User` shorthands older callers still use; each must say what its capability says.
SHORTHANDS = {
    "can_edit_registry": "keep_households",
    "can_reveal_id_numbers": "reveal_id_numbers",
    "sees_registry": "read_registry",
    "sees_all_tasks": "see_all_tasks",
    "reports_progress": "report_progress",
    "runs_dispatch": "run_dispatch",
}


def test_every_capability_is_held_by_the_roles_it_was_held_by(users, administrators):
    everyone = {**users, **administrators}
    assert {capability.name for capability in capabilities.all_capabilities()} == set(EXPECTED)
    for name, holders in EXPECTED.items():
        held = {key for key, user in everyone.items() if capabilities.has(user, capabilities.get(name))}
        assert held == holders, name
    for key, user in everyone.items():
        can = capabilities.UserCapabilities(user)
        for shorthand, name in SHORTHANDS.items():
            assert getattr(user, shorthand) == can[name], (key, shorthand)


def test_a_superuser_holds_everything_but_reporting_and_the_administrators_duties_and_the_inactive_nothing(
    users, make_user
):
    superuser = make_user("leader")
    superuser.is_superuser = True
    held = {
        capability.name for capability in capabilities.all_capabilities() if capabilities.has(superuser, capability)
    }
    assert held == set(EXPECTED) - {"report_progress", "manage_users", "manage_security", "read_audit_trail"}
    office = users["office"]
    office.is_active = False
    for user in (office, AnonymousUser()):
        assert not any(capabilities.has(user, capability) for capability in capabilities.all_capabilities())


def test_a_reporter_without_a_unit_may_not_report(make_user):
    team_lead_without_unit = make_user("team_lead", team_code="employment")
    assert not capabilities.has(team_lead_without_unit, capabilities.REPORT_PROGRESS)


def test_templates_ask_by_name_and_an_unknown_name_is_false(users):
    can = capabilities.UserCapabilities(users["clerk_wenti"])
    assert can["keep_households"] and "keep_households" in can
    assert not can["run_dispatch"] and not can["no_such_capability"]


def test_a_capability_is_defined_once(users):
    dispatch = capabilities.RUN_DISPATCH
    again = capabilities.define(dispatch.name, dispatch.label, {"office"}, dispatch.refusal)
    assert again == dispatch
    with pytest.raises(ValueError, match="defined twice"):
        capabilities.define(dispatch.name, dispatch.label, {"office", "leader"}, "另一句。")
    with pytest.raises(ValueError, match="identifier"):
        capabilities.define("not a name", "x", set(), "x")


def test_the_readme_table_of_capabilities_says_what_the_code_says():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    header = (
        "| capability | office | team lead | reporter | clerk | leader | system admin | security admin | audit admin |"
    )
    table = readme.split(header)[1].split("\n\n")[0]
    columns = ["office", "team_lead", "reporter", "clerk", "leader", "system_admin", "security_admin", "audit_admin"]
    rows = {}
    for line in (line for line in table.splitlines() if line.startswith("| `")):
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        marks = cells[1 : len(columns) + 1]
        rows[cells[0].strip("`")] = {role for role, mark in zip(columns, marks, strict=True) if mark == "✓"}
    assert rows == {capability.name: set(capability.roles) for capability in capabilities.all_capabilities()}
    assert re.search(r"employment/capabilities\.py", readme)


# --- the registry services refuse an actor without the capability ---------------------------------------------


def test_a_leader_may_not_register_a_household_even_calling_the_service(users, reference):
    settlement = HouseholdFactory().settlement
    before = Household.objects.count()
    with pytest.raises(PermissionDenied, match=capabilities.KEEP_HOUSEHOLDS.refusal):
        services.household_create(
            actor=users["leader"], settlement=settlement, code="T-LEADER", project_year=2017, origin_township="古州镇"
        )
    assert Household.objects.count() == before


def test_a_team_lead_may_not_record_a_death_even_calling_the_service(users, reference):
    household, head = household_with_head("fumin")
    spouse = add_member(household, name="吴英", relation="spouse", male=False)
    events = HouseholdEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.person_leave(
            actor=users["team_lead"],
            person=spouse,
            date=datetime.date(2024, 1, 1),
            reason=MembershipEnd.DEATH,
        )
    spouse.refresh_from_db()
    assert spouse.status == PersonStatus.ACTIVE and spouse.memberships.get().end_date is None
    assert HouseholdEvent.objects.count() == events
    assert spouse.history.count() == 1


def test_a_leader_may_not_reveal_an_id_number_even_calling_the_service(users, reference):
    _, head = household_with_head("fumin")
    with pytest.raises(PermissionDenied, match=capabilities.REVEAL_ID_NUMBERS.refusal):
        services.person_reveal_id_number(user=users["leader"], person=head)
    assert services.person_reveal_id_number(user=users["clerk_wenti"], person=head) == head.id_number
    outcomes = AuditEntry.objects.filter(action="personal_data.reveal").order_by("id").values_list("actor", "outcome")
    assert list(outcomes) == [(users["leader"].pk, "refused"), (users["clerk_wenti"].pk, "success")]


# --- home-page panels -----------------------------------------------------------------------------------------


def test_home_panels_come_in_order_and_a_panel_may_hide_itself(monkeypatch, rf, users):
    monkeypatch.setattr(home, "_panels", {})
    home.register_home_panel("b.later", "b.html", order=20, context=lambda request: {"n": 2})
    home.register_home_panel("a.hidden", "a.html", order=10, context=lambda request: None)
    home.register_home_panel("c.first", "c.html", order=5)
    request = rf.get("/")
    request.user = users["leader"]
    assert [(panel.template, panel.context) for panel in home.panels_for(request)] == [
        ("c.html", {}),
        ("b.html", {"n": 2}),
    ]
    with pytest.raises(ValueError, match="twice"):
        home.register_home_panel("c.first", "other.html", order=5)
