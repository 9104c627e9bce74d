from django.apps import AppConfig


class SettlementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "settlements"
    verbose_name = "安置点与户籍台账"

    def ready(self):
        # registry_exports and audit_exports register their exporters; home its panels.
        from . import audit_exports, home, importing, imports, registry_exports  # noqa: F401

        imports.register(importing.REGISTRY)
        home.register_home_panel("settlements.audit", "settlements/partials/home_audit.html", context=home.audit_panel)
