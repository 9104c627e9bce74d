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
        watch_dated_facts()


def watch_dated_facts():
    """Employment's dated facts: its indicators' snapshots as of a day depend on them."""
    from settlements.dated_facts import watch

    from .models import Employment, LabourCondition, LabourRule, TrainingRecord, WelfarePost, Workshop

    period = ("start_date", "end_date")
    watch(Employment, dates=period, fields=("person_id", "workshop_id", "welfare_post_id", "training_id"))
    watch(TrainingRecord, dates=period, fields=("person_id", "completed"))
    watch(LabourCondition, dates=period, fields=("person_id", "kind"))
    watch(WelfarePost, dates=("created_on", "abolished_on"), fields=("settlement_id",))
    watch(Workshop, dates=("opened_on", "closed_on"), fields=("settlement_id",))
    rule = ("min_age", "max_age", "excluded_conditions", "stable_months")
    watch(LabourRule, dates=("valid_from", "valid_to"), fields=rule)
