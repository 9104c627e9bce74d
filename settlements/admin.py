"""The Django admin in Chinese, for the leading-group office's reference data and user management."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from simple_history.admin import SimpleHistoryAdmin

from . import selectors, services
from .forms import PersonIdNumberForm
from .models import (
    Building,
    Household,
    LedgerImport,
    LoginLockout,
    Person,
    PersonalDataAccess,
    ResponsibleUnit,
    Settlement,
    User,
    WorkTeam,
    id_number_search,
)

admin.site.unregister(Group)  # roles are the portal's own; Django's groups are not used


@admin.register(ResponsibleUnit)
class ResponsibleUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "is_active", "sort_order"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]


@admin.register(WorkTeam)
class WorkTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "annex", "lead_unit", "lead_basis"]
    autocomplete_fields = ["lead_unit"]


@admin.register(Settlement)
class SettlementAdmin(admin.ModelAdmin):
    list_display = ["full_name", "administered_by", "location", "planned_households", "planned_persons"]
    list_filter = ["administered_by"]


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ["name", "settlement"]
    list_filter = ["settlement"]
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


class MaskedHistoryAdmin(SimpleHistoryAdmin):
    """The change history as the registry's pages show it: labels in Chinese, a person's ID number compared
    decrypted and shown masked (never in full, never as ciphertext or hashes)."""

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        records = list(historical_records)
        for newer, older in zip(records, records[1:], strict=False):
            newer.history_delta_changes = [
                {"field": label, "old": old, "new": new} for label, old, new in selectors.history_changes(older, newer)
            ]


class PersonInline(NoDeleteMixin, admin.TabularInline):
    model = Person
    form = PersonIdNumberForm  # the number masked; a new one typed in full
    extra = 0
    fields = ["name", "id_number", "relation", "sex", "birth_date", "phone", "education", "health", "hukou_status"]
    readonly_fields = ["sex", "birth_date", "status"]


@admin.register(Household)
class HouseholdAdmin(NoDeleteMixin, MaskedHistoryAdmin):
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


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "role", "unit", "work_team", "is_active", "last_login"]
    list_filter = ["role", "is_active", "unit__kind"]
    search_fields = ["username", "full_name", "unit__name"]
    autocomplete_fields = ["unit"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("full_name", "email", "phone")}),
        ("角色与范围", {"fields": ("role", "unit", "work_team", "is_active")}),
        ("登录记录", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        ("角色与范围", {"fields": ("full_name", "role", "unit", "work_team")}),
    )
    readonly_fields = ["last_login", "date_joined"]

    def save_model(self, request, obj, form, change):
        services.user_save(user=obj)


@admin.register(LoginLockout)
class LoginLockoutAdmin(admin.ModelAdmin):
    """Read-only list of failed logins; deleting an account's record (with confirmation) unlocks it."""

    list_display = ["account", "failures", "last_attempt", "address"]
    search_fields = ["username"]
    actions = ["delete_selected"]

    @admin.display(description="账户", ordering="username")
    def account(self, obj):
        return obj.username

    @admin.display(description="连续失败次数", ordering="failures_since_start")
    def failures(self, obj):
        return obj.failures_since_start

    @admin.display(description="最近一次尝试", ordering="attempt_time")
    def last_attempt(self, obj):
        return obj.attempt_time

    @admin.display(description="来源地址")
    def address(self, obj):
        return obj.ip_address

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Audit records: the office reads them; nobody edits or deletes them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "kind", "person", "record_count", "description"]
    list_filter = ["kind", "at"]
    search_fields = ["user__username", "user__full_name", "person__name", "description"]
    list_select_related = ["user", "person"]
    date_hierarchy = "at"


@admin.register(LedgerImport)
class LedgerImportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "user", "file_name", "status", "valid_only", "finished_at"]
    list_filter = ["kind", "status"]
    search_fields = ["file_name", "user__username"]
    list_select_related = ["user"]
    exclude = ["file", "errors", "preview"]
