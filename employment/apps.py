from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "employment"
    verbose_name = "培训和就业"

    def ready(self):
        from settlements import imports

        from . import alerts, importing, indicators  # noqa: F401  (the nightly job; the indicators in tasks.indicators)

        for importer in importing.IMPORTERS.values():
            imports.register(importer)
