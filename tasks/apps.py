from django.apps import AppConfig


class TasksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tasks"
    verbose_name = "工作任务与调度"

    def ready(self):
        # the registry's own indicators; the dispatch report (settlements.exports)
        from . import dispatch_report, registry_indicators  # noqa: F401
