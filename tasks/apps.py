from django.apps import AppConfig


class TasksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tasks"
    verbose_name = "工作任务与调度"

    def ready(self):
        from settlements.dated_facts import fact_changed
        from settlements.home import register_home_panel

        # the registry's own indicators; the dispatch report (settlements.exports)
        from . import dispatch_report, registry_indicators, snapshots  # noqa: F401

        fact_changed.connect(snapshots.on_fact_changed, dispatch_uid="tasks.snapshots")
        watch_dated_facts()

        # The home page's shortcuts: the unit's tasks, the overview (for those who see all tasks), the inbox.
        register_home_panel("tasks.shortcuts", "tasks/partials/home_shortcuts.html", order=100)


def watch_dated_facts():
    """A deadline of a household duty (`tasks.household_duties`) dates the figures of that duty: one created, or
    given another duty or project year, changes them from its due date on; one the office moves, from the earlier
    of its old and new date. A new deadline of no duty changes no figure."""
    from settlements.dated_facts import watch

    from .models import Deadline

    watch(Deadline, dates=("due_on",), fields=("project_year", "duty"), since=_duty_day)


def _duty_day(deadline):
    return deadline.due_on if deadline.duty else None
