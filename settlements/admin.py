"""The Django admin in Chinese, for the leading-group office's reference data and user management."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from . import input_ranges, services
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
)

admin.site.unregister(Group)  # roles are the portal's own; Django's groups are not used


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
    list_display = ["name", "kind", "is_active", "sort_order"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]


@admin.register(WorkTeam)
class WorkTeamAdmin(PortalAdmin):
    list_display = ["name", "annex", "lead_unit", "lead_basis"]
    autocomplete_fields = ["lead_unit"]


@admin.register(Settlement)
class SettlementAdmin(PortalAdmin):
    list_display = ["full_name", "administered_by", "location", "planned_households", "planned_persons"]
    list_filter = ["administered_by"]


@admin.register(Building)
class BuildingAdmin(PortalAdmin):
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


class PersonInline(NoDeleteMixin, PortalTabularInline):
    model = Person
    extra = 0
    fields = ["name", "id_number", "relation", "sex", "birth_date", "phone", "education", "health", "hukou_status"]
    readonly_fields = ["sex", "birth_date", "status"]


@admin.register(Household)
class HouseholdAdmin(NoDeleteMixin, PortalHistoryAdmin):
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
class PersonAdmin(NoDeleteMixin, PortalHistoryAdmin):
    list_display = ["name", "household", "relation", "sex", "birth_date"]
    list_filter = ["household__settlement", "relation", "sex"]
    search_fields = ["name", "id_number", "household__code"]
    readonly_fields = ["sex", "birth_date", "status", "left_on"]
    list_select_related = ["household"]
    raw_id_fields = ["household"]

    def save_model(self, request, obj, form, change):
        _save_person(request, obj)


@admin.register(User)
class UserAdmin(PortalAdminMixin, DjangoUserAdmin):
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
class LoginLockoutAdmin(PortalAdmin):
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


class ReadOnlyAdmin(PortalAdmin):
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
