"""The employment reference data in the admin, kept by the system administrator: labour rules, subsidy
rules, employers, workshops and bases, public-welfare posts. Ledger records are kept through the portal's
pages; the zero-employment households (personal data) are the office's to read."""

from django.contrib import admin

from settlements.admin import REFERENCE_DATA, NoDeleteMixin, PortalHistoryAdmin, ReadOnlyAdmin
from settlements.capabilities import SEE_ALL_SETTLEMENTS

from .capabilities import KEEP_EMPLOYMENT
from .models import Employer, LabourRule, SubsidyRule, WelfarePost, Workshop, ZeroEmploymentEpisode


@admin.register(LabourRule)
class LabourRuleAdmin(NoDeleteMixin, PortalHistoryAdmin):
    capabilities = REFERENCE_DATA
    list_display = ["name", "valid_from", "valid_to", "min_age", "max_age", "stable_months"]


@admin.register(SubsidyRule)
class SubsidyRuleAdmin(NoDeleteMixin, PortalHistoryAdmin):
    capabilities = REFERENCE_DATA
    list_display = ["name", "subject", "amount", "unit", "valid_from", "valid_to"]
    list_filter = ["subject"]
    readonly_fields = ["code"]


@admin.register(Employer)
class EmployerAdmin(NoDeleteMixin, PortalHistoryAdmin):
    capabilities = REFERENCE_DATA
    list_display = ["name", "kind", "staff_count", "is_small"]
    list_filter = ["kind", "is_small"]
    search_fields = ["name", "credit_code"]


@admin.register(Workshop)
class WorkshopAdmin(NoDeleteMixin, PortalHistoryAdmin):
    capabilities = REFERENCE_DATA
    list_display = ["name", "kind", "settlement", "opened_on", "closed_on", "provincial_on"]
    list_filter = ["kind", "settlement"]
    search_fields = ["name"]
    autocomplete_fields = ["employer"]


@admin.register(WelfarePost)
class WelfarePostAdmin(NoDeleteMixin, PortalHistoryAdmin):
    capabilities = REFERENCE_DATA
    list_display = ["code", "title", "settlement", "funding", "created_on", "abolished_on"]
    list_filter = ["title", "settlement", "funding"]
    search_fields = ["code"]


@admin.register(ZeroEmploymentEpisode)
class ZeroEmploymentEpisodeAdmin(ReadOnlyAdmin):
    capabilities = (KEEP_EMPLOYMENT, SEE_ALL_SETTLEMENTS)
    list_display = ["household", "started_on", "ended_on"]
    list_select_related = ["household"]
