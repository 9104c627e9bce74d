from django.apps import AppConfig


class TasksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tasks"
    verbose_name = "工作任务与调度"

    def ready(self):
        from . import registry_indicators  # noqa: F401  (registers the registry's own indicators)
