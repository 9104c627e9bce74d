"""The Django admin in Chinese, for the leading-group office's reference data and user management."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    Building,
    Household,
    LedgerImport,
    LoginLockout,
    Person,
    ResponsibleUnit,
    Settlement,
    User,
    WorkTeam,
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


class PersonInline(NoDeleteMixin, admin.TabularInline):
    model = Person
    extra = 0
    fields = ["name", "id_number", "relation", "sex", "birth_date", "phone", "education", "health", "hukou_status"]
    readonly_fields = ["sex", "birth_date", "status"]


@admin.register(Household)
class HouseholdAdmin(NoDeleteMixin, SimpleHistoryAdmin):
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
class PersonAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["name", "household", "relation", "sex", "birth_date"]
    list_filter = ["household__settlement", "relation", "sex"]
    search_fields = ["name", "id_number", "household__code"]
    readonly_fields = ["sex", "birth_date", "status", "left_on"]
    list_select_related = ["household"]
    raw_id_fields = ["household"]

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
    """Records of what happened (imports): the office reads them; nobody edits or deletes them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerImport)
class LedgerImportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "user", "file_name", "status", "valid_only", "finished_at"]
    list_filter = ["kind", "status"]
    search_fields = ["file_name", "user__username"]
    list_select_related = ["user"]
    exclude = ["file", "errors", "preview"]
