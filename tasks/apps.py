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
    """A deadline the office moves changes the figures of the household duties it dates
    (`tasks.household_duties`) from the earlier of its old and new date on."""
    from settlements.dated_facts import watch

    from .models import Deadline

    watch(Deadline, dates=("due_on",), fields=("project_year", "duty"))
