from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "employment"
    verbose_name = "培训和就业"

    def ready(self):
        # its capabilities (asked by every page's navigation), the nightly job, the indicators in tasks.indicators
        from . import alerts, capabilities, indicators  # noqa: F401
