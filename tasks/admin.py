"""The plan in the admin: tasks with their co-units, deadlines and targets are reference data, kept by the
system administrator (`manage_users`).

Reports, meetings and actions are kept through the portal's own pages (their services check and notify);
the reminders sent and the notifications are records of the office's dispatch, read-only here.
"""

from django.contrib import admin

from settlements.admin import REFERENCE_DATA, NoDeleteMixin, PortalHistoryAdmin, PortalTabularInline, ReadOnlyAdmin
from settlements.capabilities import RUN_DISPATCH

from .models import Deadline, Notification, ReminderClaim, Target, Task, TaskCoUnit


class CoUnitInline(PortalTabularInline):
    model = TaskCoUnit
    extra = 0
    autocomplete_fields = ["unit"]


class DeadlineInline(NoDeleteMixin, PortalTabularInline):
    model = Deadline
    extra = 0
    fields = ["due_on", "wording", "label", "settlement", "project_year", "duty", "reading"]
    readonly_fields = ["duty"]  # the code an app reads; the office changes the date, not whose duty it is


class TargetInline(PortalTabularInline):
    model = Target
    extra = 0
    fields = ["label", "value", "unit", "due_on", "indicator_key", "wording"]


@admin.register(Task)
class TaskAdmin(NoDeleteMixin, PortalHistoryAdmin):
    capabilities = REFERENCE_DATA
    list_display = ["code", "title", "work_team", "lead_unit"]
    list_filter = ["document", "work_team"]
    search_fields = ["title", "text", "number"]
    autocomplete_fields = ["lead_unit"]
    inlines = [CoUnitInline, DeadlineInline, TargetInline]


@admin.register(ReminderClaim)
class ReminderClaimAdmin(ReadOnlyAdmin):
    capabilities = (RUN_DISPATCH,)
    list_display = ["key", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["key"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    capabilities = (RUN_DISPATCH,)
    list_display = ["recipient", "title", "created_at", "read_at", "emailed_at"]
    list_filter = ["read_at", "emailed_at"]
    search_fields = ["title", "recipient__username", "recipient__full_name"]
    list_select_related = ["recipient"]
