from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "employment"
    verbose_name = "培训和就业"

    def ready(self):
        from settlements import imports

        # its capabilities (asked by every page's navigation), the nightly job, the indicators (tasks.indicators),
        # the exporters (settlements.exports), the importers (settlements.imports)
        from . import alerts, capabilities, exports, importing, indicators  # noqa: F401

        for importer in importing.IMPORTERS.values():
            imports.register(importer)
