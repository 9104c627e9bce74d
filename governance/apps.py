from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "governance"
    verbose_name = "社区治理"

    def ready(self):
        # its capabilities (asked by every page's navigation) and the sections of its settlement and household
        # pages; each topic registers its dated rules, indicators, exporters and dated facts from its modules
        from . import capabilities, committee_indicators, committees_exports, committees_rules, sections  # noqa: F401

        committee_indicators.watch_dated_facts()
