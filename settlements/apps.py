from django.apps import AppConfig


class SettlementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "settlements"
    verbose_name = "安置点与户籍台账"

    def ready(self):
        from . import importing, imports, registry_exports  # noqa: F401  (registry_exports registers the exporters)

        imports.register(importing.REGISTRY)
