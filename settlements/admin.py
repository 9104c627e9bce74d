"""The Django admin in Chinese. Each ModelAdmin names the capabilities that open it (`capabilities`, read by
`settlements.admin_site`): reference data for the system administrator, the registry for the office, the
personal-data access log for the audit administrator. User accounts, roles and lockouts are kept on the
portal's own pages (`settlements.accounts`)."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.auth.models import Group
from django.http import Http404
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from . import input_ranges, selectors, services
from .capabilities import (
    IMPORT_LEDGERS,
    KEEP_HOUSEHOLDS,
    MANAGE_USERS,
    SEE_ALL_SETTLEMENTS,
)
from .forms import PersonIdNumberForm
from .models import (
    Building,
    DatedRule,
    Facility,
    FacilityKind,
    GroupKind,
    Household,
    LedgerImport,
    Person,
    ResponsibleUnit,
    Settlement,
    WorkTeam,
    id_number_search,
)

admin.site.unregister(Group)  # roles are the portal's own; Django's groups are not used
# Authenticators and recovery codes are the user's own; the security administrator resets them on the portal.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)

# Who opens what. The admin is not scoped by settlement, so the registry's records open only to a user who
# may see every settlement as well as keep them (the office); reference data is the system administrator's.
REFERENCE_DATA = (MANAGE_USERS,)
REGISTRY = (KEEP_HOUSEHOLDS, SEE_ALL_SETTLEMENTS)
IMPORTS = (IMPORT_LEDGERS, SEE_ALL_SETTLEMENTS)


# --- what every admin page shares: garbage in a form is refused like in any other form of the portal ---------


class KeyCheckedAutocompleteMixin:
    """An autocomplete shown again with what was typed: a value that cannot name a row is not looked up (Django
    would raise on a text, and SQLite on a number too large) but shown as nothing chosen."""

    def optgroups(self, name, value, attr=None):
        model = self.field.remote_field.model
        key_field = model._meta.get_field(getattr(self.field.remote_field, "field_name", None) or model._meta.pk.name)
        return super().optgroups(name, [v for v in value if input_ranges.is_key(v, key_field)], attr)


class KeyCheckedAutocompleteSelect(KeyCheckedAutocompleteMixin, AutocompleteSelect):
    pass


class KeyCheckedAutocompleteSelectMultiple(KeyCheckedAutocompleteMixin, AutocompleteSelectMultiple):
    pass


def _refuse_malformed_key(model, value):
    if not input_ranges.is_key(unquote(str(value)), model._meta.pk):
        raise Http404


class PortalAdminMixin:
    """Every admin of the portal (and every inline) holds its forms to the portal's input ranges
    (`input_ranges.limit_field`: numbers within their columns, dates within the sane range, a chosen record named
    by a key its column holds), shows an autocomplete again without looking up garbage, takes a list filter the
    database cannot run for a malformed one, and answers 404 to a history page whose key is malformed.
    `tests/settlements/test_input_ranges.py` checks that every registered admin has it."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            input_ranges.limit_field(formfield, db_field.name, db_field)
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeyCheckedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeyCheckedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changelist_instance(self, request):
        """A list filter's value the database cannot take (a date at the calendar's edge, which the time zone
        pushes past it) is an incorrect lookup, as Django treats a malformed one: the list opens unfiltered."""
        try:
            return super().get_changelist_instance(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(str(error)) from error

    def history_view(self, request, object_id, extra_context=None):
        _refuse_malformed_key(self.model, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """django-simple-history's page of one past version."""
        _refuse_malformed_key(self.model, object_id)
        _refuse_malformed_key(self.model.history.model, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)


class PortalAdmin(PortalAdminMixin, admin.ModelAdmin):
    pass


class PortalHistoryAdmin(PortalAdminMixin, SimpleHistoryAdmin):
    pass


class PortalInlineMixin(PortalAdminMixin):
    """An inline whose formset refuses a tampered management form (rows claimed that are not there) and builds
    at most `input_ranges.MAX_FORMSET_ROWS` rows whatever TOTAL_FORMS claims."""

    formset = input_ranges.CheckedInlineFormSet

    def get_max_num(self, request, obj=None, **kwargs):
        own = super().get_max_num(request, obj, **kwargs)
        return min(own, input_ranges.MAX_FORMSET_ROWS) if own is not None else input_ranges.MAX_FORMSET_ROWS

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("absolute_max", input_ranges.MAX_FORMSET_ROWS)
        return super().get_formset(request, obj, **kwargs)


class PortalTabularInline(PortalInlineMixin, admin.TabularInline):
    pass


@admin.register(ResponsibleUnit)
class ResponsibleUnitAdmin(PortalAdmin):
    capabilities = REFERENCE_DATA
    list_display = ["name", "kind", "is_active", "sort_order"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]


@admin.register(WorkTeam)
class WorkTeamAdmin(PortalAdmin):
    capabilities = REFERENCE_DATA
    list_display = ["name", "annex", "lead_unit", "lead_basis"]
    autocomplete_fields = ["lead_unit"]


@admin.register(Settlement)
class SettlementAdmin(PortalAdmin):
    capabilities = REFERENCE_DATA
    list_display = ["full_name", "administered_by", "location", "planned_households", "planned_persons"]
    list_filter = ["administered_by"]


@admin.register(Building)
class BuildingAdmin(PortalAdmin):
    capabilities = REFERENCE_DATA
    list_display = ["name", "settlement", "kind"]
    list_filter = ["settlement", "kind"]
    search_fields = ["name"]


class NoDeleteMixin:
    """Registry records are never deleted; a household leaves by a dated status change."""

    def has_delete_permission(self, request, obj=None):
        return False


def _save_person(request, person):
    """A new member opens a stay in the household; a change is a correction."""
    if person.pk:
        services.person_save(actor=request.user, person=person)
    else:
        services.person_register(actor=request.user, person=person)


class MaskedHistoryAdmin(PortalHistoryAdmin):
    """The change history as the registry's pages show it: labels in Chinese, a person's ID number compared
    decrypted and shown masked (never in full, never as ciphertext or hashes)."""

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        records = list(historical_records)
        for newer, older in zip(records, records[1:], strict=False):
            newer.history_delta_changes = [
                {"field": label, "old": old, "new": new} for label, old, new in selectors.history_changes(older, newer)
            ]


class PersonInline(NoDeleteMixin, PortalTabularInline):
    model = Person
    form = PersonIdNumberForm  # the number masked; a new one typed in full
    extra = 0
    fields = ["name", "id_number", "relation", "sex", "birth_date", "phone", "education", "health", "hukou_status"]
    readonly_fields = ["sex", "birth_date", "status"]


@admin.register(Household)
class HouseholdAdmin(NoDeleteMixin, MaskedHistoryAdmin):
    capabilities = REGISTRY
    list_display = ["code", "settlement", "building", "room_number", "project_year", "registered_poor", "status"]
    list_filter = ["settlement", "project_year", "registered_poor", "status"]
    search_fields = ["code", "room_number", "members__name"]
    list_select_related = ["settlement", "building"]
    inlines = [PersonInline]

    def save_formset(self, request, form, formset, change):
        for person in formset.save(commit=False):
            _save_person(request, person)
        formset.save_m2m()


@admin.register(Person)
class PersonAdmin(NoDeleteMixin, MaskedHistoryAdmin):
    capabilities = REGISTRY
    form = PersonIdNumberForm  # the number masked; a new one typed in full
    list_display = ["name", "household", "relation", "sex", "birth_date"]
    list_filter = ["household__settlement", "relation", "sex"]
    search_fields = ["name", "household__code"]
    fields = [
        "household",
        "name",
        "id_number",
        "relation",
        "sex",
        "birth_date",
        "phone",
        "education",
        "health",
        "hukou_status",
        "status",
        "left_on",
    ]
    readonly_fields = ["sex", "birth_date", "status", "left_on"]
    list_select_related = ["household"]
    raw_id_fields = ["household"]

    def get_search_results(self, request, queryset, search_term):
        """Names and household codes as the admin searches them, and the ID number as the registry's lists do
        (whole, first or last 6, last 4, birth date)."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        by_id_number = id_number_search(search_term)
        if by_id_number is not None:
            results |= queryset.filter(by_id_number)
        return results, may_have_duplicates

    def save_model(self, request, obj, form, change):
        _save_person(request, obj)


class ReadOnlyAdmin(PortalAdmin):
    """Records of what happened (imports): the office reads them; nobody edits or deletes them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerImport)
class LedgerImportAdmin(ReadOnlyAdmin):
    capabilities = IMPORTS
    list_display = ["created_at", "kind", "user", "file_name", "status", "valid_only", "finished_at"]
    list_filter = ["kind", "status"]
    search_fields = ["file_name", "user__username"]
    list_select_related = ["user"]
    exclude = ["file", "errors", "preview"]


@admin.register(DatedRule)
class DatedRuleAdmin(NoDeleteMixin, PortalHistoryAdmin):
    """The office keeps the plan's rule data; a changed reading is a new row from the day it takes effect."""

    capabilities = REGISTRY
    list_display = ["name", "code", "valid_from", "valid_to"]
    list_filter = ["code"]
    search_fields = ["name", "code", "basis", "reading"]
    fields = ["code", "name", "valid_from", "valid_to", "params", "basis", "reading"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []


@admin.register(FacilityKind)
class FacilityKindAdmin(PortalAdmin):
    capabilities = REFERENCE_DATA
    list_display = ["name", "code", "group", "sort_order"]
    list_filter = ["group"]
    search_fields = ["name", "code"]


@admin.register(GroupKind)
class GroupKindAdmin(PortalAdmin):
    capabilities = REFERENCE_DATA
    list_display = ["name", "code", "family", "sort_order"]
    list_filter = ["family"]
    search_fields = ["name", "code", "source"]


@admin.register(Facility)
class FacilityAdmin(NoDeleteMixin, PortalHistoryAdmin):
    capabilities = REGISTRY
    list_display = ["name", "in_use_on", "closed_on", "responsible_unit"]
    list_filter = ["kinds", "settlements"]
    search_fields = ["name", "address"]
    filter_horizontal = ["kinds", "settlements"]
