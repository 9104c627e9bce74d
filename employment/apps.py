from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "employment"
    verbose_name = "培训和就业"

    def ready(self):
        # the nightly job; the indicators (tasks.indicators); the exporters (settlements.exports)
        from . import alerts, exports, indicators  # noqa: F401
