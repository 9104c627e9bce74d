from django.apps import AppConfig


class SettlementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "settlements"
    verbose_name = "安置点与户籍台账"

    def ready(self):
        from . import registry_exports  # noqa: F401  (registers the registry's exporters)
