from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "employment"
    verbose_name = "培训和就业"

    def ready(self):
        from . import indicators  # noqa: F401  (registers the employment indicators with tasks.indicators)
