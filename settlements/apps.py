from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class SettlementsConfig(AppConfig):
    default = True  # the app's config; PortalAdminConfig below is named in INSTALLED_APPS in place of the admin's
    default_auto_field = "django.db.models.BigAutoField"
    name = "settlements"
    verbose_name = "安置点与户籍台账"

    def ready(self):
        # registry_exports and audit_exports register their exporters; home its panels.
        from . import audit_exports, facility_exports, grid_exports, grids, home, importing, imports, registry_exports  # noqa: F401
        from .accounts import signals, views
        from .grid_imports import GRID_IMPORTERS

        imports.register(importing.REGISTRY)
        for importer in GRID_IMPORTERS:
            imports.register(importer)
        signals.connect()  # the login's security events in the audit trail
        home.register_home_panel(
            "accounts.administration", "accounts/home_panel.html", order=10, context=views.home_panel
        )
        home.register_home_panel("settlements.audit", "settlements/partials/home_audit.html", context=home.audit_panel)
        watch_dated_facts()
        register_photo_owners()


def register_photo_owners():
    """The core's records that keep photos as evidence: facilities (a clerk adds them to their centre's) and the
    community groups."""
    from . import photos
    from .capabilities import KEEP_COMMUNITY_GROUPS, KEEP_FACILITIES
    from .models import CommunityGroup, Facility

    photos.register(
        Facility, capability=KEEP_FACILITIES, scope=Facility.objects.for_user, keep_scope=Facility.objects.kept_by
    )
    photos.register(CommunityGroup, capability=KEEP_COMMUNITY_GROUPS, scope=CommunityGroup.objects.for_user)


def watch_dated_facts():
    """The registry's dated facts: figures as of a day (indicator snapshots) depend on them."""
    from . import dated_facts
    from .models import (
        Building,
        BuildingHead,
        CommunityGroup,
        DatedRule,
        Facility,
        Grid,
        GridAssignment,
        Household,
        Membership,
        Person,
    )

    dated_facts.watch(Household, dates=("move_in_date", "moved_out_on"), fields=("settlement_id",))
    dated_facts.watch(Membership, dates=("start_date", "end_date"), fields=("household_id", "person_id"))
    # A corrected birth date can change who was of labour age on any day the person lived here.
    dated_facts.watch(Person, fields=("birth_date", "settlement_id"), since=_first_stay_start)
    # A facility counts from the day it is in use until it closes (its kinds and settlements: `facility_save`).
    dated_facts.watch(Facility, dates=("in_use_on", "closed_on"))
    # A household's grid and a building's head count from their dates; a grid from the day it is drawn until it is
    # dissolved; a building (no dates of its own) on every day.
    dated_facts.watch(GridAssignment, dates=("start_date", "end_date"), fields=("grid_id", "household_id"))
    dated_facts.watch(BuildingHead, dates=("start_date", "end_date"), fields=("building_id",))
    dated_facts.watch(
        Grid,
        dates=("established_on", "dissolved_on"),
        fields=("kind", "settlement_id"),
        since=lambda grid: grid.established_on or dated_facts.EVERY_DAY,  # an undated grid counts every day
    )
    dated_facts.watch(Building, fields=("settlement_id",), since=lambda building: dated_facts.EVERY_DAY)
    # A community group counts from its founding day to its disbanding day.
    dated_facts.watch(CommunityGroup, dates=("founded_on", "disbanded_on"), fields=("settlement_id", "kind_id"))
    # A rule's row decides figures from the day it takes effect (a band, a number of months, a weekday).
    dated_facts.watch(DatedRule, dates=("valid_from", "valid_to"), fields=("code", "params"))


def _first_stay_start(person):
    return person.memberships.order_by("start_date").values_list("start_date", flat=True).first()


class PortalAdminConfig(admin_apps.AdminConfig):
    """The Django admin with the portal's site: each model opens to the capabilities its ModelAdmin names."""

    default = False

    default_site = "settlements.admin_site.PortalAdminSite"
